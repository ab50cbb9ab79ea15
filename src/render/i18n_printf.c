/*
 * i18n_printf.c - reduce a printf format to its argument list and compare
 * two of them (see i18n_printf.h for the rule).
 *
 * The scanner follows glibc's printf grammar: %[N$][flags][width][.prec]
 * [length]conv, where width and precision may be * or *N$ (each consuming
 * an int).  It is deliberately stricter than glibc: %n is refused outright
 * (a translation must never write memory), as are %m, wide %C/%S and
 * anything unknown.  A type is stored as class | length << 8 so equality is
 * one comparison and a message can still print it back ("%lu").
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "i18n_printf.h"

enum len { LEN_NONE, LEN_HH, LEN_H, LEN_L, LEN_LL, LEN_BIGL, LEN_J, LEN_Z, LEN_T };

static const char *const len_text[] = {"", "hh", "h", "l", "ll", "L", "j", "z", "t"};

#define TYPE(cls, len) ((unsigned short)((unsigned)(cls) | (unsigned)(len) << 8))
#define TYPE_INT       TYPE('d', LEN_NONE)

struct scan {
	const char *p;
	struct printf_args *a;
	int numbered;  /* 1 numbered, 0 unnumbered, -1 not known yet */
	unsigned next; /* next unnumbered argument */
	struct err *e;
};

/* "%lu" for a message. */
static const char *
type_text(unsigned short type, char *buf, size_t len)
{
	char cls = (char)(type & 0xff);

	snprintf(buf, len, "%%%s%c", len_text[(type >> 8) % 9],
	         cls == 'd'   ? 'd'
	         : cls == 'u' ? 'u'
	                      : cls);
	return buf;
}

static int
read_pos(struct scan *s, unsigned *pos)
{
	const char *q = s->p;
	unsigned v = 0;

	*pos = 0;
	while (isdigit((unsigned char)*q) && v <= PRINTF_MAX_ARGS)
		v = v * 10 + (unsigned)(*q++ - '0');
	if (q == s->p || *q != '$')
		return 0; /* not a position: digits are a width */
	if (v == 0 || v > PRINTF_MAX_ARGS)
		return err_set(s->e, "argument position %.*s$ outside 1..%d", (int)(q - s->p), s->p,
		               PRINTF_MAX_ARGS);
	*pos = v;
	s->p = q + 1;
	return 0;
}

/* Record that argument pos (0: the next unnumbered one) has type. */
static int
use(struct scan *s, unsigned pos, unsigned short type)
{
	char b1[8], b2[8];
	int numbered = pos != 0;

	if (s->numbered != -1 && s->numbered != numbered)
		return err_set(s->e, "numbered and unnumbered conversions are mixed");
	s->numbered = numbered;
	if (!numbered) {
		if (s->next >= PRINTF_MAX_ARGS)
			return err_set(s->e, "more than %d arguments", PRINTF_MAX_ARGS);
		pos = ++s->next;
	}
	if (s->a->type[pos] != 0 && s->a->type[pos] != type)
		return err_set(s->e, "argument %u is used as %s and as %s", pos,
		               type_text(s->a->type[pos], b1, sizeof(b1)),
		               type_text(type, b2, sizeof(b2)));
	s->a->type[pos] = type;
	if (pos > s->a->n)
		s->a->n = pos;
	return 0;
}

/* A width or precision: digits, or * / *N$ consuming an int. */
static int
star(struct scan *s)
{
	unsigned pos = 0;

	if (*s->p != '*') {
		while (isdigit((unsigned char)*s->p))
			s->p++;
		return 0;
	}
	s->p++;
	if (read_pos(s, &pos) == -1)
		return -1;
	return use(s, pos, TYPE_INT);
}

static enum len
length(struct scan *s)
{
	switch (*s->p) {
	case 'h':
		s->p++;
		return *s->p == 'h' ? (s->p++, LEN_HH) : LEN_H;
	case 'l':
		s->p++;
		return *s->p == 'l' ? (s->p++, LEN_LL) : LEN_L;
	case 'q':
		s->p++;
		return LEN_LL;
	case 'L':
		s->p++;
		return LEN_BIGL;
	case 'j':
		s->p++;
		return LEN_J;
	case 'z':
	case 'Z':
		s->p++;
		return LEN_Z;
	case 't':
		s->p++;
		return LEN_T;
	default:
		return LEN_NONE;
	}
}

/* The type conv with length consumes, or 0 when the pair is not valid. */
static unsigned short
conv_type(char conv, enum len len)
{
	switch (conv) {
	case 'd':
	case 'i':
		return len == LEN_BIGL ? 0 : TYPE('d', len);
	case 'o':
	case 'u':
	case 'x':
	case 'X':
		return len == LEN_BIGL ? 0 : TYPE('u', len);
	case 'e':
	case 'E':
	case 'f':
	case 'F':
	case 'g':
	case 'G':
	case 'a':
	case 'A':
		/* %lf is %f: a double either way. */
		if (len == LEN_NONE || len == LEN_L)
			return TYPE('f', LEN_NONE);
		return len == LEN_BIGL ? TYPE('f', LEN_BIGL) : 0;
	case 'c':
	case 's':
		return len == LEN_NONE || len == LEN_L ? TYPE(conv, len) : 0;
	case 'p':
		return len == LEN_NONE ? TYPE('p', LEN_NONE) : 0;
	default:
		return 0;
	}
}

static int
conversion(struct scan *s)
{
	const char *start = s->p - 1;
	unsigned pos;
	unsigned short type;
	enum len len;

	if (*s->p == '%') {
		s->p++;
		return 0;
	}
	if (read_pos(s, &pos) == -1)
		return -1;
	while (*s->p != '\0' && strchr("-+ #0'I", *s->p) != NULL)
		s->p++;
	if (star(s) == -1)
		return -1;
	if (*s->p == '.') {
		s->p++;
		if (star(s) == -1)
			return -1;
	}
	len = length(s);
	if (*s->p == '\0')
		return err_set(s->e, "incomplete conversion \"%s\" at the end", start);
	if (*s->p == 'n')
		return err_set(s->e, "%%n is refused: a translation must not write memory");
	type = conv_type(*s->p, len);
	if (type == 0)
		return err_set(s->e, "unknown conversion \"%.*s\"", (int)(s->p - start + 1), start);
	s->p++;
	return use(s, pos, type);
}

int
i18n_printf_parse(const char *fmt, struct printf_args *a, struct err *e)
{
	struct scan s = {.p = fmt, .a = a, .numbered = -1, .next = 0, .e = e};
	unsigned i;

	memset(a, 0, sizeof(*a));
	while (*s.p != '\0') {
		if (*s.p++ != '%')
			continue;
		if (conversion(&s) == -1)
			return -1;
	}
	for (i = 1; i <= a->n; i++)
		if (a->type[i] == 0)
			return err_set(e,
			               "argument %u is never used (glibc requires every "
			               "numbered argument up to the last)",
			               i);
	return 0;
}

int
i18n_printf_same(const char *original, const char *translated, struct err *e)
{
	struct printf_args a, b;
	char b1[8], b2[8];
	unsigned i;

	if (i18n_printf_parse(original, &a, e) == -1) {
		err_prefix(e, "in the msgid: ");
		return -1;
	}
	if (i18n_printf_parse(translated, &b, e) == -1)
		return -1;
	if (a.n != b.n)
		return err_set(e, "%u printf argument%s where the msgid has %u", b.n,
		               b.n == 1 ? "" : "s", a.n);
	for (i = 1; i <= a.n; i++)
		if (a.type[i] != b.type[i])
			return err_set(e, "argument %u is %s where the msgid has %s", i,
			               type_text(b.type[i], b1, sizeof(b1)),
			               type_text(a.type[i], b2, sizeof(b2)));
	return 0;
}
