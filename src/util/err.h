/*
 * err.h - portolan's one error idiom.
 *
 * A function that can fail returns 0 on success and -1 on failure, and on
 * failure fills the caller's struct err with one human sentence that names
 * what went wrong and where ("registry.xml:1042: <number>: port 70000 is
 * out of range").  The caller decides how to report it; library code never
 * prints and never exits.
 *
 * err_set() returns -1 so a failure reads as one line:
 *
 *	if (port > 65535)
 *		return err_set(e, "%s:%ld: port %ld out of range", file, line, port);
 *
 * A NULL struct err is allowed and discards the message.  The kind
 * distinguishes bad outside input (exit 2) from internal failures (exit 3).
 */
#ifndef PORTOLAN_ERR_H
#define PORTOLAN_ERR_H

#include <stddef.h>

enum err_kind {
	ERR_NONE = 0,
	ERR_INPUT,    /* the user's or a file's fault: exit 2 */
	ERR_INTERNAL, /* ours or the system's: exit 3 */
};

struct err {
	enum err_kind kind;
	char msg[1024];
};

/* Set an input error; always returns -1. */
int err_set(struct err *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Set an internal error; always returns -1. */
int err_internal(struct err *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Prefix an existing message with more context ("update: "). */
void err_prefix(struct err *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
