/*
 * i18n_po.c - a strict, bounded parser for gettext .po catalogs.
 *
 * The parser works line by line over a buffer already in memory (the
 * caller bounds the file size), with a small state machine for the entry in
 * progress: which keywords it has seen and which field a "continuation"
 * line extends.  Every string goes through one unescape routine into a
 * bounded strbuf; a finished entry is checked (plural count, printf
 * conversions) and its text copied into the catalog's arena, addressed by
 * offsets so the arena may grow by realloc.  At the end the entries are
 * sorted by key so a lookup is a binary search and duplicates sit side by
 * side.
 *
 * Why not libgettextpo (Debian's libgettextpo-dev): it parses, but its
 * error reporting goes through a process-wide handler and its checks stop
 * short of what the pages need (it does not refuse %n or mixed numbered
 * conversions), so the strictness would still live here; the grammar is
 * small enough to own.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "i18n_po.h"
#include "i18n_printf.h"
#include "util/strbuf.h"
#include "util/hex.h"
#include "util/unicode.h"

#define PO_MAX_ENTRIES 100000
#define PO_LANG_MAX    32

struct po_entry {
	size_t key;
	size_t str[PLURAL_MAX_FORMS];
	unsigned nstr;
	long line;
};

struct i18n_po {
	struct strbuf text; /* every key and msgstr, NUL-separated */
	struct po_entry *ent;
	size_t nent, cap;
	struct plural plural;
	char language[PO_LANG_MAX];
};

/* The entry being read. */
struct pstate {
	const char *file;
	long line;
	struct err *e;
	struct i18n_po *po;
	int seen_entry; /* an entry (header included) was finished */
	int fuzzy, noformat;
	long start; /* line of the entry's first keyword, 0 when none */
	int has_ctxt, has_id, has_plural, has_str;
	unsigned nstr; /* msgstr[] lines seen */
	struct strbuf ctxt, id, plural_id, str[PLURAL_MAX_FORMS];
	long str_line[PLURAL_MAX_FORMS];
	struct strbuf *cur; /* what a "..." line extends */
	char field[16];     /* its name, for messages */
};

static int failf(struct pstate *ps, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* "FILE:LINE: FIELD: why", the one shape of every parse error. */
static int
failf(struct pstate *ps, const char *fmt, ...)
{
	char why[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	return err_set(ps->e, "%s:%ld: %s: %s", ps->file, ps->line, ps->field[0] ? ps->field : "po",
	               why);
}

static void
entry_reset(struct pstate *ps)
{
	unsigned i;

	ps->fuzzy = ps->noformat = 0;
	ps->start = 0;
	ps->has_ctxt = ps->has_id = ps->has_plural = ps->has_str = 0;
	ps->nstr = 0;
	strbuf_reset(&ps->ctxt);
	strbuf_reset(&ps->id);
	strbuf_reset(&ps->plural_id);
	for (i = 0; i < PLURAL_MAX_FORMS; i++)
		strbuf_reset(&ps->str[i]);
	ps->cur = NULL;
}

/* One escape after the backslash at *p; the byte in *out. */
static int
unescape(struct pstate *ps, const char **p, const char *end, unsigned char *out)
{
	static const char from[] = "ntr\\\"abfv?'";
	static const char to[] = "\n\t\r\\\"\a\b\f\v?'";
	const char *hit;
	unsigned v = 0;
	int i, d;

	if (*p >= end)
		return failf(ps, "a backslash ends the line");
	if ((hit = strchr(from, **p)) != NULL && **p != '\0') {
		*out = (unsigned char)to[hit - from];
		(*p)++;
		return 0;
	}
	if (**p >= '0' && **p <= '7') {
		for (i = 0; i < 3 && *p < end && **p >= '0' && **p <= '7'; i++)
			v = v * 8 + (unsigned)(*(*p)++ - '0');
	} else if (**p == 'x') {
		(*p)++;
		for (i = 0; i < 2 && *p < end && (d = hex_value(**p)) >= 0; i++, (*p)++)
			v = v * 16 + (unsigned)d;
		if (i == 0)
			return failf(ps, "\\x without hex digits");
	} else {
		return failf(ps, "unknown escape sequence");
	}
	if (v == 0 || v > 0xff)
		return failf(ps, "escape gives a NUL byte or a value above 255");
	*out = (unsigned char)v;
	return 0;
}

/* Append the quoted string in [p, end) (white space around it allowed) to sb. */
static int
quoted(struct pstate *ps, const char *p, const char *end, struct strbuf *sb)
{
	unsigned char c;

	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	if (p >= end || *p != '"')
		return failf(ps, "a \"quoted string\" was expected");
	for (p++;; p++) {
		if (p >= end)
			return failf(ps, "string lacks its closing quote");
		if (*p == '"')
			break;
		c = (unsigned char)*p;
		if (c == '\\') {
			p++;
			if (unescape(ps, &p, end, &c) == -1)
				return -1;
			p--;
		} else if (c < 0x20 && c != '\t') {
			return failf(ps,
			             "raw control character in a string (write it as an escape)");
		}
		if (strbuf_append(sb, (const char *)&c, 1) == -1)
			return failf(ps, "string longer than the limit");
	}
	for (p++; p < end; p++)
		if (*p != ' ' && *p != '\t')
			return failf(ps, "text after the closing quote");
	return 0;
}

/* Copy s into the arena; its offset in *off. */
static int
arena_add(struct pstate *ps, const char *s, size_t n, size_t *off)
{
	*off = ps->po->text.len;
	if (strbuf_append(&ps->po->text, s, n) == -1 || strbuf_appendc(&ps->po->text, '\0') == -1)
		return err_internal(ps->e, "%s: out of memory for the catalog", ps->file);
	return 0;
}

static int
header_field(struct pstate *ps, const char *name, const char *value, size_t vlen)
{
	char buf[512];

	if (vlen >= sizeof(buf))
		return failf(ps, "header field %s is too long", name);
	memcpy(buf, value, vlen);
	buf[vlen] = '\0';
	if (strcasecmp(name, "Plural-Forms") == 0) {
		if (i18n_plural_parse(buf, &ps->po->plural, ps->e) == -1) {
			err_prefix(ps->e, "%s:%ld: Plural-Forms: ", ps->file, ps->start);
			return -1;
		}
	} else if (strcasecmp(name, "Content-Type") == 0) {
		if (strcasestr(buf, "charset=UTF-8") == NULL)
			return failf(ps, "Content-Type must say charset=UTF-8, not \"%.60s\"", buf);
	} else if (strcasecmp(name, "Language") == 0) {
		if (vlen >= PO_LANG_MAX)
			return failf(ps, "Language \"%.40s\" is too long", buf);
		memcpy(ps->po->language, buf, vlen + 1);
	}
	return 0;
}

/* The header entry: "Name: value\n" lines. */
static int
header(struct pstate *ps)
{
	const char *p = ps->str[0].buf, *nl, *colon, *v;
	char name[64];

	if (ps->seen_entry)
		return failf(ps, "the header (msgid \"\") must be the first entry");
	while (*p != '\0') {
		nl = strchr(p, '\n');
		if (nl == NULL)
			nl = p + strlen(p);
		colon = memchr(p, ':', (size_t)(nl - p));
		if (colon == NULL || colon == p || (size_t)(colon - p) >= sizeof(name))
			return failf(ps, "header line \"%.*s\" is not \"Name: value\"",
			             (int)(nl - p > 60 ? 60 : nl - p), p);
		memcpy(name, p, (size_t)(colon - p));
		name[colon - p] = '\0';
		for (v = colon + 1; *v == ' ' || *v == '\t'; v++)
			;
		if (header_field(ps, name, v, (size_t)(nl - v)) == -1)
			return -1;
		p = *nl ? nl + 1 : nl;
	}
	return 0;
}

/* printf conversions of every msgstr against its msgid. */
static int
check_formats(struct pstate *ps)
{
	const char *orig;
	unsigned i;

	if (ps->noformat)
		return 0;
	for (i = 0; i < ps->nstr; i++) {
		orig = ps->has_plural ? ps->plural_id.buf : ps->id.buf;
		if (i18n_printf_same(orig, ps->str[i].buf, ps->e) == -1) {
			if (ps->has_plural)
				err_prefix(ps->e, "%s:%ld: msgstr[%u]: ", ps->file, ps->str_line[i],
				           i);
			else
				err_prefix(ps->e, "%s:%ld: msgstr: ", ps->file, ps->str_line[i]);
			return -1;
		}
	}
	return 0;
}

static int
store(struct pstate *ps)
{
	struct i18n_po *po = ps->po;
	struct po_entry *en, *grown;
	size_t cap, idoff;
	unsigned i;

	if (po->nent >= PO_MAX_ENTRIES)
		return err_set(ps->e, "%s:%ld: more than %d entries", ps->file, ps->start,
		               PO_MAX_ENTRIES);
	if (po->nent == po->cap) {
		cap = po->cap ? po->cap * 2 : 64;
		grown = realloc(po->ent, cap * sizeof(*grown));
		if (grown == NULL)
			return err_internal(ps->e, "%s: out of memory", ps->file);
		po->ent = grown;
		po->cap = cap;
	}
	en = &po->ent[po->nent];
	memset(en, 0, sizeof(*en));
	en->line = ps->start;
	en->key = po->text.len;
	if (ps->has_ctxt && (strbuf_append(&po->text, ps->ctxt.buf, ps->ctxt.len) == -1 ||
	                     strbuf_appendc(&po->text, '\004') == -1))
		return err_internal(ps->e, "%s: out of memory for the catalog", ps->file);
	if (arena_add(ps, ps->id.buf, ps->id.len, &idoff) == -1)
		return -1;
	for (i = 0; i < ps->nstr; i++)
		if (arena_add(ps, ps->str[i].buf, ps->str[i].len, &en->str[i]) == -1)
			return -1;
	en->nstr = ps->nstr;
	po->nent++;
	return 0;
}

/* The entry in progress is complete: check it and keep it if translated. */
static int
finish(struct pstate *ps)
{
	unsigned i, empty = 0;
	long line = ps->line;
	int r = 0;

	if (ps->start == 0)
		return 0;
	ps->line = ps->start;
	snprintf(ps->field, sizeof(ps->field), "msgid");
	if (!ps->has_id)
		r = failf(ps, "msgctxt without msgid");
	else if (!ps->has_str)
		r = failf(ps, "entry has no msgstr");
	if (r == 0 && !ps->has_ctxt && ps->id.len == 0) {
		if (ps->has_plural)
			r = failf(ps, "the header entry cannot have msgid_plural");
		else
			r = header(ps);
		ps->seen_entry = 1;
		ps->line = line;
		entry_reset(ps);
		return r;
	}
	if (r == 0 && ps->has_plural && ps->nstr != ps->po->plural.nplurals)
		r = failf(ps, "%u msgstr[] forms where Plural-Forms says nplurals=%u", ps->nstr,
		          ps->po->plural.nplurals);
	for (i = 0; r == 0 && i < ps->nstr; i++)
		empty += ps->str[i].len == 0;
	ps->seen_entry = 1;
	if (r == 0 && !ps->fuzzy && empty != 0 && empty != ps->nstr)
		r = failf(ps, "%u of %u plural forms are empty", empty, ps->nstr);
	if (r == 0 && !ps->fuzzy && empty == 0) {
		r = check_formats(ps);
		if (r == 0)
			r = store(ps);
	}
	ps->line = line;
	entry_reset(ps);
	return r;
}

/* Start or continue an entry with keyword kw; the string follows at p. */
static int
keyword(struct pstate *ps, const char *kw, size_t kwlen, const char *p, const char *end)
{
	unsigned long idx;
	char *q;

	snprintf(ps->field, sizeof(ps->field), "%.*s", (int)kwlen, kw);
	if ((kwlen == 7 && memcmp(kw, "msgctxt", 7) == 0) ||
	    (kwlen == 5 && memcmp(kw, "msgid", 5) == 0)) {
		if (ps->has_str && finish(ps) == -1)
			return -1;
		snprintf(ps->field, sizeof(ps->field), "%.*s", (int)kwlen, kw);
		if (ps->has_id || (kwlen == 7 && ps->has_ctxt))
			return failf(ps, "%s out of place: the entry of line %ld has no msgstr",
			             ps->field, ps->start);
		if (ps->start == 0)
			ps->start = ps->line;
		if (kwlen == 7) {
			ps->has_ctxt = 1;
			ps->cur = &ps->ctxt;
		} else {
			ps->has_id = 1;
			ps->cur = &ps->id;
		}
	} else if (kwlen == 12 && memcmp(kw, "msgid_plural", 12) == 0) {
		if (!ps->has_id || ps->has_plural || ps->has_str)
			return failf(ps, "msgid_plural must follow msgid, once, before msgstr");
		ps->has_plural = 1;
		ps->cur = &ps->plural_id;
	} else if (kwlen == 6 && memcmp(kw, "msgstr", 6) == 0) {
		if (!ps->has_id || ps->has_str || ps->has_plural)
			return failf(ps, ps->has_plural ? "a plural entry needs msgstr[N]"
			                                : "msgstr must follow msgid, once");
		ps->has_str = 1;
		ps->nstr = 1;
		ps->str_line[0] = ps->line;
		ps->cur = &ps->str[0];
	} else if (kwlen > 8 && memcmp(kw, "msgstr[", 7) == 0 && kw[kwlen - 1] == ']') {
		idx = strtoul(kw + 7, &q, 10);
		if (q != kw + kwlen - 1 || kw[7] < '0' || kw[7] > '9')
			return failf(ps, "bad plural index");
		if (!ps->has_plural)
			return failf(ps, "msgstr[N] without msgid_plural");
		if (idx != ps->nstr || idx >= PLURAL_MAX_FORMS)
			return failf(ps, "expected msgstr[%u] here", ps->nstr);
		ps->has_str = 1;
		ps->str_line[idx] = ps->line;
		ps->cur = &ps->str[ps->nstr++];
	} else {
		return failf(ps, "unknown keyword");
	}
	return quoted(ps, p, end, ps->cur);
}

static int
comment(struct pstate *ps, const char *p, const char *end)
{
	const char *f, *fe;

	if (ps->has_str && finish(ps) == -1)
		return -1;
	if (ps->start != 0) {
		snprintf(ps->field, sizeof(ps->field), "comment");
		return failf(ps, "a comment inside an entry (comments go before msgid)");
	}
	ps->cur = NULL;
	if (end - p < 2 || p[1] != ',')
		return 0;
	/* "#, fuzzy, c-format": comma-separated flags. */
	for (f = p + 2; f < end; f = fe + 1) {
		while (f < end && (*f == ' ' || *f == '\t'))
			f++;
		fe = memchr(f, ',', (size_t)(end - f));
		if (fe == NULL)
			fe = end;
		if (fe - f >= 5 && memcmp(f, "fuzzy", 5) == 0)
			ps->fuzzy = 1;
		if (fe - f >= 11 && memcmp(f, "no-c-format", 11) == 0)
			ps->noformat = 1;
	}
	return 0;
}

static int
line(struct pstate *ps, const char *p, const char *end)
{
	const char *kw;

	ps->field[0] = '\0';
	if ((size_t)(end - p) > PO_MAX_LINE)
		return failf(ps, "line longer than the limit");
	if (end > p && end[-1] == '\r')
		end--;
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	if (p == end)
		return 0;
	if (*p == '#')
		return comment(ps, p, end);
	if (*p == '"') {
		if (ps->cur == NULL)
			return failf(ps, "a string outside an entry");
		return quoted(ps, p, end, ps->cur);
	}
	for (kw = p; p < end && *p != ' ' && *p != '\t' && *p != '"'; p++)
		;
	return keyword(ps, kw, (size_t)(p - kw), p, end);
}

static int
cmp_entry(const void *a, const void *b, void *text)
{
	const struct po_entry *x = a, *y = b;

	return strcmp((const char *)text + x->key, (const char *)text + y->key);
}

static int
sort_entries(struct pstate *ps)
{
	struct i18n_po *po = ps->po;
	size_t i;

	if (po->nent < 2)
		return 0; /* and qsort_r must not see the NULL of an empty catalog */
	qsort_r(po->ent, po->nent, sizeof(*po->ent), cmp_entry, po->text.buf);
	for (i = 1; i < po->nent; i++) {
		const struct po_entry *a = &po->ent[i - 1], *b = &po->ent[i];

		if (strcmp(po->text.buf + a->key, po->text.buf + b->key) == 0)
			return err_set(ps->e, "%s:%ld: msgid: duplicate of the entry at line %ld",
			               ps->file, a->line > b->line ? a->line : b->line,
			               a->line > b->line ? b->line : a->line);
	}
	return 0;
}

/* The buffer as a whole: no NUL bytes, valid UTF-8. */
static int
check_bytes(struct pstate *ps, const char *buf, size_t len)
{
	const uint8_t *bad;
	const char *nul = memchr(buf, '\0', len), *p, *stop;

	bad = unicode_check((const uint8_t *)buf, len);
	if (bad == NULL && nul == NULL)
		return 0;
	stop = bad != NULL ? (const char *)bad : nul;
	if (nul != NULL && nul < stop)
		stop = nul;
	for (p = buf; p < stop; p++)
		ps->line += *p == '\n';
	return failf(ps, "%s", stop == nul ? "NUL byte in the file" : "invalid UTF-8");
}

static void
state_free(struct pstate *ps)
{
	unsigned i;

	strbuf_free(&ps->ctxt);
	strbuf_free(&ps->id);
	strbuf_free(&ps->plural_id);
	for (i = 0; i < PLURAL_MAX_FORMS; i++)
		strbuf_free(&ps->str[i]);
}

static int
parse(struct pstate *ps, const char *buf, size_t len)
{
	const char *p = buf, *end = buf + len, *nl;

	if (len > PO_MAX_BYTES)
		return err_set(ps->e, "%s: larger than %u bytes", ps->file, PO_MAX_BYTES);
	ps->line = 1;
	if (check_bytes(ps, buf, len) == -1)
		return -1;
	for (ps->line = 1; p < end; ps->line++, p = nl + 1) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL)
			nl = end;
		if (line(ps, p, nl) == -1)
			return -1;
	}
	if (ps->start != 0 && finish(ps) == -1)
		return -1;
	return sort_entries(ps);
}

int
i18n_po_parse(const char *buf, size_t len, const char *file, struct i18n_po **out, struct err *e)
{
	struct pstate ps;
	struct i18n_po *po;
	unsigned i;
	int r;

	*out = NULL;
	po = calloc(1, sizeof(*po));
	if (po == NULL)
		return err_internal(e, "%s: out of memory", file);
	strbuf_init(&po->text, PO_MAX_BYTES + 64);
	i18n_plural_default(&po->plural);
	memset(&ps, 0, sizeof(ps));
	ps.file = file;
	ps.e = e;
	ps.po = po;
	strbuf_init(&ps.ctxt, PO_MAX_STRING);
	strbuf_init(&ps.id, PO_MAX_STRING);
	strbuf_init(&ps.plural_id, PO_MAX_STRING);
	for (i = 0; i < PLURAL_MAX_FORMS; i++)
		strbuf_init(&ps.str[i], PO_MAX_STRING);
	r = parse(&ps, buf, len);
	state_free(&ps);
	if (r == -1) {
		i18n_po_free(po);
		return -1;
	}
	*out = po;
	return 0;
}

void
i18n_po_free(struct i18n_po *po)
{
	if (po == NULL)
		return;
	strbuf_free(&po->text);
	free(po->ent);
	free(po);
}

const char *
i18n_po_find(const struct i18n_po *po, const char *key, unsigned form)
{
	size_t lo = 0, hi = po->nent, mid;
	int c;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		c = strcmp(key, po->text.buf + po->ent[mid].key);
		if (c == 0)
			return form < po->ent[mid].nstr ? po->text.buf + po->ent[mid].str[form]
			                                : NULL;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

size_t
i18n_po_count(const struct i18n_po *po)
{
	return po->nent;
}

const struct plural *
i18n_po_plural(const struct i18n_po *po)
{
	return &po->plural;
}

const char *
i18n_po_language(const struct i18n_po *po)
{
	return po->language;
}
