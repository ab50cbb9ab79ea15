/*
 * jsonw.c - see jsonw.h.
 *
 * The layout follows jansson's JSON_INDENT(n): "key": value, one member
 * or element per line, empty containers as {} and [].  Output goes to
 * the writer's own buffer and in runs (the indentation from a row of
 * spaces, a string's plain bytes in one copy): a listing writes millions
 * of bytes in a few hundred thousand pieces, a locked putc per byte was a
 * third of its cost, and stdio's call per piece, unlocked, still a tenth.  Depth beyond
 * JSONW_MAX_DEPTH still writes valid JSON, only its commas are tracked at
 * the deepest level (nothing portolan writes comes close).
 */
#include <string.h>

#include "jsonw.h"
#include "utf8.h"

void
jsonw_init(struct jsonw *w, FILE *f, int indent)
{
	w->f = f;
	w->indent = indent;
	w->depth = w->after_key = 0;
	w->n = 0;
	memset(w->count, 0, sizeof(w->count));
}

static void
jsonw_flush(struct jsonw *w)
{
	fwrite_unlocked(w->out, 1, w->n, w->f);
	w->n = 0;
}

static void
jsonw_put(struct jsonw *w, const void *s, size_t len)
{
	if (len > sizeof(w->out) - w->n) {
		jsonw_flush(w);
		if (len > sizeof(w->out)) {
			fwrite_unlocked(s, 1, len, w->f);
			return;
		}
	}
	memcpy(w->out + w->n, s, len);
	w->n += len;
}

static void
jsonw_putc(struct jsonw *w, char c)
{
	if (w->n == sizeof(w->out))
		jsonw_flush(w);
	w->out[w->n++] = c;
}

static void
jsonw_puts(struct jsonw *w, const char *s)
{
	jsonw_put(w, s, strlen(s));
}

/* After a value: the outermost one complete, the stream gets it all. */
static void
jsonw_done(struct jsonw *w)
{
	if (w->depth == 0)
		jsonw_flush(w);
}

static int *
jsonw_count(struct jsonw *w)
{
	return &w->count[w->depth < JSONW_MAX_DEPTH ? w->depth : JSONW_MAX_DEPTH - 1];
}

static void
jsonw_newline(struct jsonw *w)
{
	static const char spaces[] =
	    "                                                                ";
	size_t n;

	if (w->indent == 0)
		return;
	jsonw_putc(w, '\n');
	for (n = (size_t)(w->depth * w->indent); n > sizeof(spaces) - 1; n -= sizeof(spaces) - 1)
		jsonw_put(w, spaces, sizeof(spaces) - 1);
	jsonw_put(w, spaces, n);
}

/* What goes before a value: nothing after a key, else a comma and a new line. */
static void
jsonw_before(struct jsonw *w)
{
	int *n = jsonw_count(w);

	if (w->after_key) {
		w->after_key = 0;
		return;
	}
	if (w->depth > 0) {
		if ((*n)++ > 0)
			jsonw_putc(w, ',');
		jsonw_newline(w);
	}
}

static void
jsonw_open(struct jsonw *w, int c)
{
	jsonw_before(w);
	jsonw_putc(w, (char)c);
	w->depth++;
	*jsonw_count(w) = 0;
}

static void
jsonw_close(struct jsonw *w, int c)
{
	int empty = *jsonw_count(w) == 0;

	w->depth--;
	if (!empty)
		jsonw_newline(w);
	jsonw_putc(w, (char)c);
	jsonw_done(w);
}

void
jsonw_begin_object(struct jsonw *w)
{
	jsonw_open(w, '{');
}

void
jsonw_end_object(struct jsonw *w)
{
	jsonw_close(w, '}');
}

void
jsonw_begin_array(struct jsonw *w)
{
	jsonw_open(w, '[');
}

void
jsonw_end_array(struct jsonw *w)
{
	jsonw_close(w, ']');
}

/* The escape for byte c of a string, or NULL when it goes as it is. */
static const char *
jsonw_escape(unsigned char c)
{
	switch (c) {
	case '"':
		return "\\\"";
	case '\\':
		return "\\\\";
	case '\b':
		return "\\b";
	case '\f':
		return "\\f";
	case '\n':
		return "\\n";
	case '\r':
		return "\\r";
	case '\t':
		return "\\t";
	}
	return NULL;
}

static void
jsonw_quoted(struct jsonw *w, const char *str)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t n = strlen(str), run, len;
	const char *esc;

	jsonw_putc(w, '"');
	while (n > 0) {
		/* The plain ASCII run first, in one write. */
		for (run = 0;
		     run < n && s[run] >= 0x20 && s[run] < 0x80 && s[run] != '"' && s[run] != '\\';
		     run++)
			;
		jsonw_put(w, s, run);
		s += run;
		n -= run;
		if (n == 0)
			break;
		if ((esc = jsonw_escape(*s)) != NULL) {
			jsonw_puts(w, esc);
			len = 1;
		} else if (*s < 0x20) {
			char u[8];

			snprintf(u, sizeof(u), "\\u%04X", *s);
			jsonw_puts(w, u);
			len = 1;
		} else if ((len = utf8_seq_len(s, n)) == 0) {
			jsonw_puts(w, "\xef\xbf\xbd"); /* U+FFFD for the stray byte */
			len = 1;
		} else {
			jsonw_put(w, s, len);
		}
		s += len;
		n -= len;
	}
	jsonw_putc(w, '"');
}

void
jsonw_key(struct jsonw *w, const char *key)
{
	jsonw_before(w);
	jsonw_quoted(w, key);
	jsonw_put(w, ": ", w->indent ? 2 : 1);
	w->after_key = 1;
}

void
jsonw_string(struct jsonw *w, const char *s)
{
	jsonw_before(w);
	jsonw_quoted(w, s);
	jsonw_done(w);
}

void
jsonw_int(struct jsonw *w, long long v)
{
	char buf[24], *p = buf + sizeof(buf);
	unsigned long long u = v < 0 ? 0ull - (unsigned long long)v : (unsigned long long)v;

	jsonw_before(w);
	do
		*--p = (char)('0' + u % 10);
	while ((u /= 10) != 0);
	if (v < 0)
		*--p = '-';
	jsonw_put(w, p, (size_t)(buf + sizeof(buf) - p));
	jsonw_done(w);
}

/*
 * A real as jansson prints one, so that a report reads the same whichever
 * writer printed it: %.17g, ".0" after an integral value (0.0, not 0, so
 * a reader keeps its type), and no '+' or leading zeros in an exponent
 * (7.6e-5, not 7.6e-05).
 */
void
jsonw_real(struct jsonw *w, double v)
{
	char buf[40], *e, *digits;
	size_t len, zeros;

	len = (size_t)snprintf(buf, sizeof(buf) - 2, "%.17g", v);
	if (strspn(buf, "0123456789-") == len) {
		memcpy(buf + len, ".0", 3);
		len += 2;
	}
	if ((e = strchr(buf, 'e')) != NULL) {
		digits = e + 1;
		if (*digits == '-')
			digits++;
		else if (*digits == '+')
			memmove(digits, digits + 1, strlen(digits)), len--;
		zeros = strspn(digits, "0");
		if (zeros > 0 && digits[zeros] != '\0') {
			memmove(digits, digits + zeros, strlen(digits + zeros) + 1);
			len -= zeros;
		}
	}
	jsonw_before(w);
	jsonw_put(w, buf, len);
	jsonw_done(w);
}

void
jsonw_bool(struct jsonw *w, int v)
{
	jsonw_before(w);
	jsonw_puts(w, v ? "true" : "false");
	jsonw_done(w);
}

void
jsonw_null(struct jsonw *w)
{
	jsonw_before(w);
	jsonw_puts(w, "null");
	jsonw_done(w);
}

void
jsonw_value(struct jsonw *w, const json_t *v)
{
	const char *key;
	json_t *x;
	size_t i;

	switch (json_typeof(v)) {
	case JSON_OBJECT:
		jsonw_begin_object(w);
		json_object_foreach((json_t *)v, key, x)
		{
			jsonw_key(w, key);
			jsonw_value(w, x);
		}
		jsonw_end_object(w);
		break;
	case JSON_ARRAY:
		jsonw_begin_array(w);
		json_array_foreach(v, i, x) jsonw_value(w, x);
		jsonw_end_array(w);
		break;
	case JSON_STRING:
		jsonw_string(w, json_string_value(v));
		break;
	case JSON_INTEGER:
		jsonw_int(w, json_integer_value(v));
		break;
	case JSON_REAL:
		jsonw_real(w, json_real_value(v));
		break;
	case JSON_TRUE:
	case JSON_FALSE:
		jsonw_bool(w, json_is_true(v));
		break;
	default:
		jsonw_null(w);
		break;
	}
}
