/*
 * strbuf.h - a growable, always NUL-terminated byte string.
 *
 * Importers accumulate element text and CSV fields in these.  The buffer
 * owns its memory; strbuf_free() releases it.  Growth is bounded by the
 * limit given at init (0 means STRBUF_DEFAULT_LIMIT) so that hostile input
 * (a 100 MB "line") fails cleanly with -1 instead of eating memory.
 */
#ifndef PORTOLAN_STRBUF_H
#define PORTOLAN_STRBUF_H

#include <stddef.h>

#define STRBUF_DEFAULT_LIMIT (1u << 20) /* 1 MiB: no registry field comes close */

struct strbuf {
	char *buf;    /* NUL-terminated; "" before the first append */
	size_t len;   /* bytes before the NUL */
	size_t cap;   /* bytes allocated */
	size_t limit; /* most bytes len may reach */
};

void strbuf_init(struct strbuf *sb, size_t limit);
void strbuf_free(struct strbuf *sb);
void strbuf_reset(struct strbuf *sb);
/* Append n bytes; -1 (and nothing appended) when over the limit or out of memory. */
int strbuf_append(struct strbuf *sb, const char *data, size_t n);
int strbuf_appends(struct strbuf *sb, const char *s);
int strbuf_appendc(struct strbuf *sb, char c);
int strbuf_appendf(struct strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Remove leading and trailing ASCII white space in place. */
void strbuf_trim(struct strbuf *sb);

#endif
