/*
 * strbuf.c - see strbuf.h.  Capacity doubles, so appends are amortised O(1).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "strbuf.h"

static char strbuf_empty[1];

void
strbuf_init(struct strbuf *sb, size_t limit)
{
	sb->buf = strbuf_empty;
	sb->len = 0;
	sb->cap = 0;
	sb->limit = limit ? limit : STRBUF_DEFAULT_LIMIT;
}

void
strbuf_free(struct strbuf *sb)
{
	if (sb->cap)
		free(sb->buf);
	strbuf_init(sb, sb->limit);
}

void
strbuf_reset(struct strbuf *sb)
{
	sb->len = 0;
	if (sb->cap)
		sb->buf[0] = '\0';
}

static int
strbuf_grow(struct strbuf *sb, size_t need)
{
	size_t cap;
	char *p;

	if (need > sb->limit)
		return -1;
	if (need + 1 <= sb->cap)
		return 0;
	cap = sb->cap ? sb->cap : 64;
	while (cap < need + 1)
		cap *= 2;
	p = realloc(sb->cap ? sb->buf : NULL, cap);
	if (p == NULL)
		return -1;
	if (sb->cap == 0)
		p[0] = '\0';
	sb->buf = p;
	sb->cap = cap;
	return 0;
}

int
strbuf_append(struct strbuf *sb, const char *data, size_t n)
{
	if (n == 0)
		return 0;
	if (n > sb->limit - sb->len || strbuf_grow(sb, sb->len + n) == -1)
		return -1;
	memcpy(sb->buf + sb->len, data, n);
	sb->len += n;
	sb->buf[sb->len] = '\0';
	return 0;
}

int
strbuf_appends(struct strbuf *sb, const char *s)
{
	return strbuf_append(sb, s, strlen(s));
}

int
strbuf_appendc(struct strbuf *sb, char c)
{
	return strbuf_append(sb, &c, 1);
}

int
strbuf_appendf(struct strbuf *sb, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || strbuf_grow(sb, sb->len + (size_t)n) == -1)
		return -1;
	va_start(ap, fmt);
	vsnprintf(sb->buf + sb->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	sb->len += (size_t)n;
	return 0;
}

void
strbuf_trim(struct strbuf *sb)
{
	size_t start = 0;

	if (sb->len == 0)
		return;
	while (sb->len > 0 && strchr(" \t\r\n", sb->buf[sb->len - 1]))
		sb->len--;
	while (start < sb->len && strchr(" \t\r\n", sb->buf[start]))
		start++;
	memmove(sb->buf, sb->buf + start, sb->len - start);
	sb->len -= start;
	sb->buf[sb->len] = '\0';
}
