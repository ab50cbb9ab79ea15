/*
 * params.h - the web server's one parser for application/x-www-form-
 * urlencoded text: query strings (?q=&lang=) and the small POST /vote body.
 *
 * libmicrohttpd can parse both, but leniently (duplicate names, bad
 * escapes, any bytes); a page built from a parameter is only as safe as
 * the parameter, so the server hands the raw text to this strict parser
 * instead.  Rules: at most PARAMS_MAX_INPUT bytes and PARAMS_MAX fields,
 * names of [A-Za-z0-9_-], '+' is a space, '%' takes exactly two hex
 * digits, a decoded value is valid UTF-8 without NUL or other C0 control
 * bytes, and a name appears once (two "lang" fields would let a proxy and
 * the server disagree about which one counts).  Empty segments ("a=1&&b=2",
 * a trailing '&') are skipped: browsers and scripts produce them and they
 * carry no meaning.
 *
 * Memory: struct params holds the decoded text itself; the pointers in it
 * point into the struct and live as long as it does.  No allocation.
 * Errors: -1 with an ERR_INPUT message naming the field (by position and,
 * when it got that far, by name) and the byte offset.
 */
#ifndef PORTOLAN_PARAMS_H
#define PORTOLAN_PARAMS_H

#include <stddef.h>

#include "util/err.h"

#define PARAMS_MAX       16
#define PARAMS_MAX_INPUT 2048
#define PARAMS_MAX_NAME  32

struct param {
	const char *name;
	const char *value; /* decoded, NUL-terminated, "" when the field had no '=' */
	size_t len;        /* bytes in value */
};

struct params {
	size_t n;
	struct param v[PARAMS_MAX];
	char buf[PARAMS_MAX_INPUT + 1]; /* decoding never grows the text: name\0value\0... */
};

/* Parse len bytes of s (not NUL-terminated); what names the input in messages ("query", "body"). */
int params_parse(struct params *ps, const char *what, const char *s, size_t len, struct err *e);
/* The value of name, or NULL when absent. */
const char *params_get(const struct params *ps, const char *name);

#endif
