/*
 * jsonw.c - see jsonw.h.
 *
 * The layout follows jansson's JSON_INDENT(n): "key": value, one member
 * or element per line, empty containers as {} and [].  Depth beyond
 * JSONW_MAX_DEPTH still writes valid JSON, only its commas are tracked at
 * the deepest level (nothing portolan writes comes close).
 */
#include <string.h>

#include "jsonw.h"
#include "utf8.h"

void
jsonw_init(struct jsonw *w, FILE *f, int indent)
{
	memset(w, 0, sizeof(*w));
	w->f = f;
	w->indent = indent;
}

static int *
jsonw_count(struct jsonw *w)
{
	return &w->count[w->depth < JSONW_MAX_DEPTH ? w->depth : JSONW_MAX_DEPTH - 1];
}

static void
jsonw_newline(struct jsonw *w)
{
	if (w->indent == 0)
		return;
	putc('\n', w->f);
	for (int i = 0; i < w->depth * w->indent; i++)
		putc(' ', w->f);
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
			putc(',', w->f);
		jsonw_newline(w);
	}
}

static void
jsonw_open(struct jsonw *w, int c)
{
	jsonw_before(w);
	putc(c, w->f);
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
	putc(c, w->f);
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

static void
jsonw_quoted(struct jsonw *w, const char *str)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t n = strlen(str), len;

	putc('"', w->f);
	while (n > 0) {
		switch (*s) {
		case '"':
			fputs("\\\"", w->f);
			break;
		case '\\':
			fputs("\\\\", w->f);
			break;
		case '\b':
			fputs("\\b", w->f);
			break;
		case '\f':
			fputs("\\f", w->f);
			break;
		case '\n':
			fputs("\\n", w->f);
			break;
		case '\r':
			fputs("\\r", w->f);
			break;
		case '\t':
			fputs("\\t", w->f);
			break;
		default:
			if (*s < 0x20) {
				fprintf(w->f, "\\u%04X", *s);
				break;
			}
			if ((len = utf8_seq_len(s, n)) == 0) {
				fputs("\xef\xbf\xbd", w->f); /* U+FFFD for the stray byte */
				break;
			}
			fwrite(s, 1, len, w->f);
			s += len;
			n -= len;
			continue;
		}
		s++;
		n--;
	}
	putc('"', w->f);
}

void
jsonw_key(struct jsonw *w, const char *key)
{
	jsonw_before(w);
	jsonw_quoted(w, key);
	fputs(w->indent ? ": " : ":", w->f);
	w->after_key = 1;
}

void
jsonw_string(struct jsonw *w, const char *s)
{
	jsonw_before(w);
	jsonw_quoted(w, s);
}

void
jsonw_int(struct jsonw *w, long long v)
{
	jsonw_before(w);
	fprintf(w->f, "%lld", v);
}

void
jsonw_bool(struct jsonw *w, int v)
{
	jsonw_before(w);
	fputs(v ? "true" : "false", w->f);
}

void
jsonw_null(struct jsonw *w)
{
	jsonw_before(w);
	fputs("null", w->f);
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
		jsonw_before(w);
		fprintf(w->f, "%.17g", json_real_value(v));
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
