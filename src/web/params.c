/*
 * params.c - strict application/x-www-form-urlencoded parsing (params.h).
 *
 * One pass over the input, decoding each name and value straight into
 * ps->buf.  Every decoded string is no longer than its encoded form and
 * each takes the place of one separator ('=' or '&') or the end of input
 * for its NUL, so buf never needs more than the input's length plus one:
 * the bound is checked once, up front, and the writes need no checks.
 * A field without '=' gets a shared "" value so it costs no buffer byte.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "params.h"
#include "util/hex.h"
#include "util/unicode.h"

static int
params_name_char(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '-';
}

/*
 * Decode s[*i..) up to the first byte of stop (or the end) into out; *i is
 * left on the stopping byte.  Returns the decoded length, or -1 with a
 * message that starts with label ("body: field 2 ('lang')").
 */
static long
params_decode(const char *label, const char *s, size_t len, size_t *i, const char *stop, char *out,
              struct err *e)
{
	size_t o = 0;
	int hi, lo;

	while (*i < len && strchr(stop, s[*i]) == NULL) {
		unsigned char c = (unsigned char)s[*i];

		if (c == '+') {
			c = ' ';
		} else if (c == '%') {
			if (len - *i < 3 || (hi = hex_value(s[*i + 1])) < 0 ||
			    (lo = hex_value(s[*i + 2])) < 0)
				return err_set(
				    e, "%s: byte %zu: '%%' must be followed by two hex digits",
				    label, *i + 1);
			c = (unsigned char)(hi << 4 | lo);
			*i += 2;
		}
		if (c < 0x20 || c == 0x7f)
			return err_set(e, "%s: byte %zu: control character 0x%02x", label, *i + 1,
			               c);
		out[o++] = (char)c;
		(*i)++;
	}
	out[o] = '\0';
	return (long)o;
}

static int
params_check_name(const char *what, size_t field, const char *name, size_t n, struct err *e)
{
	size_t k;

	if (n == 0)
		return err_set(e, "%s: field %zu: empty name", what, field);
	if (n > PARAMS_MAX_NAME)
		return err_set(e, "%s: field %zu: name longer than %d bytes", what, field,
		               PARAMS_MAX_NAME);
	for (k = 0; k < n; k++)
		if (!params_name_char((unsigned char)name[k]))
			return err_set(e,
			               "%s: field %zu: name may hold only letters, digits, "
			               "'_' and '-'",
			               what, field);
	return 0;
}

int
params_parse(struct params *ps, const char *what, const char *s, size_t len, struct err *e)
{
	size_t i = 0, o = 0, field = 0;
	char label[PARAMS_MAX_NAME + 64];
	long n;

	ps->n = 0;
	if (len > PARAMS_MAX_INPUT)
		return err_set(e, "%s: %zu bytes, at most %d allowed", what, len, PARAMS_MAX_INPUT);
	while (i < len) {
		struct param *p;

		if (s[i] == '&') { /* an empty segment */
			i++;
			continue;
		}
		if (++field > PARAMS_MAX)
			return err_set(e, "%s: more than %d fields", what, PARAMS_MAX);
		p = &ps->v[ps->n];
		p->name = ps->buf + o;
		snprintf(label, sizeof(label), "%s: field %zu", what, field);
		if ((n = params_decode(label, s, len, &i, "=&", ps->buf + o, e)) < 0)
			return -1;
		if (params_check_name(what, field, p->name, (size_t)n, e) == -1)
			return -1;
		if (params_get(ps, p->name) != NULL)
			return err_set(e, "%s: field %zu ('%s'): given twice", what, field,
			               p->name);
		o += (size_t)n + 1;
		p->value = "";
		p->len = 0;
		if (i < len && s[i] == '=') {
			i++;
			p->value = ps->buf + o;
			snprintf(label, sizeof(label), "%s: field %zu ('%s')", what, field,
			         p->name);
			if ((n = params_decode(label, s, len, &i, "&", ps->buf + o, e)) < 0)
				return -1;
			if (unicode_check((const uint8_t *)p->value, (size_t)n) != NULL)
				return err_set(e, "%s: field %zu ('%s'): value is not valid UTF-8",
				               what, field, p->name);
			p->len = (size_t)n;
			o += (size_t)n + 1;
		}
		ps->n++;
	}
	return 0;
}

const char *
params_get(const struct params *ps, const char *name)
{
	size_t k;

	for (k = 0; k < ps->n; k++)
		if (strcmp(ps->v[k].name, name) == 0)
			return ps->v[k].value;
	return NULL;
}
