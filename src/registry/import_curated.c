/*
 * import_curated.c - the stanza parser and validator for data/.
 *
 * The formats are small and fixed, so the parser is hand-written: a whole
 * file is copied into one NUL-terminated buffer, checked once (UTF-8 via
 * util/unicode.h, no NUL/CR/control bytes, line length), then cut
 * into lines in place.  Values are slices of that buffer, which is why a
 * stanza needs no allocation of its own and why everything handed to the
 * sink is borrowed.  A note's Markdown body is never cut: it is the tail of
 * the buffer after the closing "---".
 *
 * Validation happens while reading and stops at the first problem, with
 * "FILE:LINE:" pointing at the offending key (or the stanza's first line
 * when a key is missing).  Stopping early keeps messages precise and the
 * code simple; a contributor fixes one line at a time, which is the usual
 * rhythm with a validator run in CI.
 *
 * Duplicates must be found across a whole data directory, so one import
 * run (struct curated) owns a tsearch(3) tree of entry keys; an insert that
 * finds an existing key reports both locations at once.  The tree is the
 * only state that outlives a file, and it lives on the caller's stack.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <search.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "import_curated.h"
#include "util/unicode.h"

static const char *const categories[IMPORT_CURATED_NCATEGORIES] = {
    "game", "development", "vendor", "p2p", "iot", "malware", "scanner", "other",
};
static const char *const protocols[] = {"tcp", "udp", "sctp", "dccp"};
static const char *const history_kinds[] = {"former-name", "de-assigned", "renamed", "reassigned"};
/* The levels an exposure risk may justify ("none" would say nothing; docs/concern.md). */
static const char *const exposure_levels[] = {"low", "elevated", "high"};
static const char *const likely_answers[] = {"official", "unofficial", "mixed"};
/* The languages a text may be translated into: po/'s file names, in i18n.c's order. */
static const char *const langs[IMPORT_CURATED_NLANGS] = {
    "hi", "id", "sv", "ko", "de", "fr", "es", "pt", "ja", "zh_Hans", "ru",
};

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))
#define NPROTO   NELEM(protocols)

enum key {
	K_PORTS,
	K_PROTO,
	K_WHO,
	K_CATEGORY,
	K_KIND,
	K_FORMER,
	K_DATE,
	K_TITLE,
	K_ALIAS,
	K_TEXT,
	K_SOURCE,
	K_ANSWER,
	K_NAME,
	K_LEVEL,
	K_NKEYS
};

#define USE  (1u << IMPORT_CURATED_USE)
#define HIST (1u << IMPORT_CURATED_HISTORY)
#define NOTE (1u << IMPORT_CURATED_NOTE)
#define ALIA (1u << IMPORT_CURATED_ALIAS)
#define LIKE (1u << IMPORT_CURATED_LIKELY)
#define EXPO (1u << IMPORT_CURATED_EXPOSURE)

/* Which kinds of file allow a key, and which require it.  Only source repeats. */
static const struct keydef {
	const char *name;
	unsigned allowed;
	unsigned required;
} keys[K_NKEYS] = {
    [K_PORTS] = {"ports", USE | HIST | NOTE | LIKE | EXPO | ALIA,
                 USE | HIST | NOTE | LIKE | EXPO | ALIA},
    [K_PROTO] = {"proto", USE | HIST | LIKE | EXPO, USE | HIST | LIKE | EXPO},
    [K_WHO] = {"who", USE | EXPO, USE | EXPO},
    [K_CATEGORY] = {"category", USE, USE},
    [K_KIND] = {"kind", HIST, HIST},
    [K_FORMER] = {"former", HIST, HIST},
    [K_DATE] = {"date", HIST, 0},
    [K_TITLE] = {"title", NOTE, NOTE},
    [K_ALIAS] = {"alias", ALIA, ALIA},
    [K_TEXT] = {"text", USE | HIST | LIKE | EXPO | ALIA, USE | HIST | LIKE | EXPO | ALIA},
    [K_SOURCE] = {"source", USE | HIST | NOTE | LIKE | EXPO | ALIA,
                  USE | HIST | NOTE | LIKE | EXPO | ALIA},
    [K_ANSWER] = {"answer", LIKE, LIKE},
    /* Required unless the answer is official: curated_check_answer(). */
    [K_NAME] = {"name", LIKE, 0},
    [K_LEVEL] = {"level", EXPO, EXPO},
};

/* One import run: what must survive from one file to the next. */
struct curated {
	uint32_t *likely_at; /* likely.txt: line claiming port * NPROTO + proto, 0 if none */
	const struct reg_sink *sink;
	struct curated_counts *counts; /* NULL when not counting */
	void *seen;                    /* tsearch root of struct seen */
	time_t newest;                 /* the latest modification of a file read */
};

/* An entry already read, for duplicate detection; key and file follow the struct. */
struct seen {
	const char *file;
	long line;
	char key[];
};

/* One file being read. */
struct parse {
	struct curated *cur;
	const char *name;
	enum import_curated_kind kind;
	const char *category; /* the category a uses file's name demands */
	char *buf;            /* owned copy, NUL-terminated */
	size_t len, pos;
	long lineno;
};

struct stanza {
	long line; /* first line, 0 while empty */
	const char *val[K_NKEYS];
	long at[K_NKEYS]; /* line of each key, 0 when absent */
	const char *src[IMPORT_CURATED_MAX_SOURCES];
	size_t nsrc;
	int none; /* "source: none" seen */
	long lo[IMPORT_CURATED_MAX_RANGES], hi[IMPORT_CURATED_MAX_RANGES];
	size_t nranges;
	unsigned protos;                       /* bit i: protocols[i] */
	const char *tr[IMPORT_CURATED_NLANGS]; /* text.<lang> values, NULL when absent */
	long tr_at[IMPORT_CURATED_NLANGS];
};

const char *
import_curated_lang(size_t i)
{
	return i < NELEM(langs) ? langs[i] : NULL;
}

const char *
import_curated_category(size_t i)
{
	return i < NELEM(categories) ? categories[i] : NULL;
}

static int
curated_lookup(const char *const *list, size_t n, const char *s, size_t slen)
{
	for (size_t i = 0; i < n; i++)
		if (strlen(list[i]) == slen && memcmp(list[i], s, slen) == 0)
			return (int)i;
	return -1;
}

/* "a, b, c" into buf, for messages that list what would have been accepted. */
static const char *
curated_join(char *buf, size_t size, const char *const *list, size_t n)
{
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < n && used < size; i++)
		used += (size_t)snprintf(buf + used, size - used, "%s%s", i ? ", " : "", list[i]);
	return buf;
}

static const char *
curated_basename(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

static int
curated_has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* Line number of byte offset off, for messages about raw bytes. */
static long
curated_line_at(const char *buf, size_t off)
{
	long line = 1;

	for (size_t i = 0; i < off; i++)
		if (buf[i] == '\n')
			line++;
	return line;
}

/* Whole-file checks before any line is cut: encoding, bytes, line lengths. */
static int
curated_check_text(const struct parse *p, struct err *e)
{
	const uint8_t *bad = unicode_check((const uint8_t *)p->buf, p->len);
	size_t linestart = 0;
	long line = 1;

	if (bad != NULL)
		return err_set(e, "%s:%ld: invalid UTF-8 (byte 0x%02x)", p->name,
		               curated_line_at(p->buf, (size_t)((const char *)bad - p->buf)), *bad);
	for (size_t i = 0; i < p->len; i++) {
		unsigned char c = (unsigned char)p->buf[i];

		if (c == '\n') {
			line++;
			linestart = i + 1;
			continue;
		}
		if (i - linestart >= IMPORT_CURATED_MAX_LINE)
			return err_set(e, "%s:%ld: line longer than %d bytes", p->name, line,
			               IMPORT_CURATED_MAX_LINE);
		if (c == '\r')
			return err_set(e, "%s:%ld: carriage return (files use LF line ends)",
			               p->name, line);
		if (c < 0x20 && c != '\t')
			return err_set(e, "%s:%ld: control character 0x%02x", p->name, line, c);
		if (c == 0x7f)
			return err_set(e, "%s:%ld: control character 0x7f", p->name, line);
	}
	return 0;
}

/* The next line, NUL-terminated in place; NULL at the end of the buffer. */
static char *
curated_next_line(struct parse *p)
{
	char *line, *nl;

	if (p->pos >= p->len)
		return NULL;
	line = p->buf + p->pos;
	nl = memchr(line, '\n', p->len - p->pos);
	if (nl != NULL) {
		*nl = '\0';
		p->pos = (size_t)(nl - p->buf) + 1;
	} else {
		p->pos = p->len;
	}
	p->lineno++;
	return line;
}

static int
curated_check_url(const struct parse *p, const char *url, struct err *e)
{
	const char *rest;

	if (strncmp(url, "https://", 8) == 0)
		rest = url + 8;
	else if (strncmp(url, "http://", 7) == 0)
		rest = url + 7;
	else
		return err_set(e, "%s:%ld: source: '%s' is neither an http(s):// URL nor 'none'",
		               p->name, p->lineno, url);
	if (*rest == '\0' || *rest == '/')
		return err_set(e, "%s:%ld: source: '%s' has no host", p->name, p->lineno, url);
	if (strpbrk(url, " \t") != NULL)
		return err_set(e, "%s:%ld: source: URL contains white space", p->name, p->lineno);
	return 0;
}

static int
curated_add_source(const struct parse *p, struct stanza *st, const char *v, struct err *e)
{
	if (strcmp(v, "none") == 0) {
		if (st->none)
			return err_set(e, "%s:%ld: source: 'none' given twice", p->name, p->lineno);
		if (st->nsrc > 0)
			return err_set(e, "%s:%ld: source: 'none' mixed with URLs", p->name,
			               p->lineno);
		st->none = 1;
		return 0;
	}
	if (st->none)
		return err_set(e, "%s:%ld: source: URL mixed with 'none'", p->name, p->lineno);
	if (curated_check_url(p, v, e) == -1)
		return -1;
	if (st->nsrc == IMPORT_CURATED_MAX_SOURCES)
		return err_set(e, "%s:%ld: source: more than %d sources", p->name, p->lineno,
		               IMPORT_CURATED_MAX_SOURCES);
	st->src[st->nsrc++] = v;
	return 0;
}

static int
curated_unknown_key(const struct parse *p, const char *key, size_t klen, struct err *e)
{
	char list[256];
	size_t used = 0;

	list[0] = '\0';
	for (size_t k = 0; k < K_NKEYS; k++)
		if (keys[k].allowed & (1u << p->kind))
			used += (size_t)snprintf(list + used, sizeof(list) - used, "%s%s",
			                         used ? ", " : "", keys[k].name);
	return err_set(e, "%s:%ld: unknown key '%.*s' (expected %s)", p->name, p->lineno, (int)klen,
	               key, list);
}

/* A value with its surrounding blanks cut off, in place; NULL when empty. */
static char *
curated_trim(char *v)
{
	char *end;

	for (; *v == ' ' || *v == '\t'; v++)
		;
	for (end = v + strlen(v); end > v && (end[-1] == ' ' || end[-1] == '\t'); end--)
		;
	*end = '\0';
	return *v ? v : NULL;
}

/* "text.ko: ..." into the stanza: the stanza's text in another language. */
static int
curated_add_translation(const struct parse *p, struct stanza *st, const char *lang, size_t llen,
                        char *v, struct err *e)
{
	char list[128];
	int i = curated_lookup(langs, NELEM(langs), lang, llen);

	if (i < 0)
		return err_set(e, "%s:%ld: text.%.*s: unknown language (one of %s)", p->name,
		               p->lineno, (int)llen, lang,
		               curated_join(list, sizeof(list), langs, NELEM(langs)));
	if ((v = curated_trim(v)) == NULL)
		return err_set(e, "%s:%ld: text.%s: empty value", p->name, p->lineno, langs[i]);
	if (st->tr_at[i] != 0)
		return err_set(e, "%s:%ld: text.%s: repeated (first on line %ld)", p->name,
		               p->lineno, langs[i], st->tr_at[i]);
	st->tr[i] = v;
	st->tr_at[i] = p->lineno;
	return 0;
}

/* One "key: value" line into the stanza. */
static int
curated_add_line(const struct parse *p, struct stanza *st, char *line, struct err *e)
{
	char *colon, *v, *end;
	size_t klen, k;

	if (*line == ' ' || *line == '\t')
		return err_set(e,
		               "%s:%ld: line starts with white space (a value cannot continue "
		               "on the next line)",
		               p->name, p->lineno);
	colon = strchr(line, ':');
	if (colon == NULL)
		return err_set(e, "%s:%ld: expected 'key: value'", p->name, p->lineno);
	klen = (size_t)(colon - line);
	if (klen > 5 && memcmp(line, "text.", 5) == 0 && (keys[K_TEXT].allowed & (1u << p->kind)))
		return curated_add_translation(p, st, line + 5, klen - 5, colon + 1, e);
	for (k = 0; k < K_NKEYS; k++)
		if ((keys[k].allowed & (1u << p->kind)) && strlen(keys[k].name) == klen &&
		    memcmp(keys[k].name, line, klen) == 0)
			break;
	if (k == K_NKEYS)
		return curated_unknown_key(p, line, klen, e);
	for (v = colon + 1; *v == ' ' || *v == '\t'; v++)
		;
	for (end = v + strlen(v); end > v && (end[-1] == ' ' || end[-1] == '\t'); end--)
		;
	*end = '\0';
	if (*v == '\0')
		return err_set(e, "%s:%ld: %s: empty value", p->name, p->lineno, keys[k].name);
	if (k == K_SOURCE)
		return curated_add_source(p, st, v, e);
	if (st->at[k] != 0)
		return err_set(e, "%s:%ld: %s: repeated (first on line %ld)", p->name, p->lineno,
		               keys[k].name, st->at[k]);
	st->val[k] = v;
	st->at[k] = p->lineno;
	return 0;
}

/* A port number: decimal, no sign, no leading zero, 0..65535. */
static int
curated_parse_port(const char **sp, long *out)
{
	const char *s = *sp;
	long v = 0;
	int n = 0;

	while (*s >= '0' && *s <= '9' && n < 6) {
		v = v * 10 + (*s - '0');
		s++;
		n++;
	}
	if (n == 0 || n > 5 || (n > 1 && **sp == '0') || v > PORT_MAX)
		return -1;
	*sp = s;
	*out = v;
	return 0;
}

static int
curated_parse_ports(const struct parse *p, struct stanza *st, struct err *e)
{
	const char *s = st->val[K_PORTS];
	long line = st->at[K_PORTS];

	for (;;) {
		long lo, hi;

		if (curated_parse_port(&s, &lo) == -1)
			return err_set(e,
			               "%s:%ld: ports: '%s' is not N or N-M (0-65535, no leading "
			               "zeros), several separated by \", \"",
			               p->name, line, st->val[K_PORTS]);
		hi = lo;
		if (*s == '-') {
			s++;
			if (curated_parse_port(&s, &hi) == -1)
				return err_set(e,
				               "%s:%ld: ports: '%s': bad or out-of-range end "
				               "of range (0-65535)",
				               p->name, line, st->val[K_PORTS]);
			if (hi < lo)
				return err_set(e, "%s:%ld: ports: range %ld-%ld is reversed",
				               p->name, line, lo, hi);
		}
		for (size_t i = 0; i < st->nranges; i++)
			if (lo <= st->hi[i] && st->lo[i] <= hi)
				return err_set(e, "%s:%ld: ports: %ld-%ld overlaps %ld-%ld",
				               p->name, line, lo, hi, st->lo[i], st->hi[i]);
		if (st->nranges == IMPORT_CURATED_MAX_RANGES)
			return err_set(e, "%s:%ld: ports: more than %d ranges", p->name, line,
			               IMPORT_CURATED_MAX_RANGES);
		st->lo[st->nranges] = lo;
		st->hi[st->nranges++] = hi;
		if (*s == '\0')
			return 0;
		if (s[0] != ',' || s[1] != ' ')
			return err_set(e,
			               "%s:%ld: ports: '%s' is not N or N-M (0-65535, no leading "
			               "zeros), several separated by \", \"",
			               p->name, line, st->val[K_PORTS]);
		s += 2;
	}
}

static int
curated_parse_proto(const struct parse *p, struct stanza *st, struct err *e)
{
	const char *s = st->val[K_PROTO];
	long line = st->at[K_PROTO];

	for (;;) {
		size_t n = strcspn(s, " ");
		int i = curated_lookup(protocols, NELEM(protocols), s, n);

		if (i < 0)
			return err_set(e,
			               "%s:%ld: proto: unknown protocol '%.*s' (expected tcp, udp, "
			               "sctp or dccp, separated by one space)",
			               p->name, line, (int)n, s);
		if (st->protos & (1u << i))
			return err_set(e, "%s:%ld: proto: %s listed twice", p->name, line,
			               protocols[i]);
		st->protos |= 1u << i;
		if (s[n] == '\0')
			return 0;
		s += n + 1;
	}
}

static int
curated_days_in_month(int y, int m)
{
	static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return days[m - 1];
}

/* YYYY, YYYY-MM or YYYY-MM-DD, a real calendar date. */
static int
curated_check_date(const struct parse *p, const struct stanza *st, struct err *e)
{
	const char *d = st->val[K_DATE];
	int y, m = 1, dd = 1, ok;
	size_t n = strlen(d);

	ok = (n == 4 || n == 7 || n == 10) && strspn(d, "0123456789") == 4;
	if (ok && n >= 7)
		ok = d[4] == '-' && strspn(d + 5, "0123456789") == 2;
	if (ok && n == 10)
		ok = d[7] == '-' && strspn(d + 8, "0123456789") == 2;
	if (ok) {
		y = atoi(d);
		if (n >= 7)
			m = atoi(d + 5);
		if (n == 10)
			dd = atoi(d + 8);
		ok = m >= 1 && m <= 12 && dd >= 1 && dd <= curated_days_in_month(y, m);
	}
	if (!ok)
		return err_set(e, "%s:%ld: date: '%s' is not YYYY, YYYY-MM or YYYY-MM-DD", p->name,
		               st->at[K_DATE], d);
	return 0;
}

static int
curated_check_category(const struct parse *p, const struct stanza *st, int *index, struct err *e)
{
	const char *c = st->val[K_CATEGORY];
	char list[128];

	*index = curated_lookup(categories, NELEM(categories), c, strlen(c));
	if (*index < 0)
		return err_set(e, "%s:%ld: category: unknown category '%s' (expected %s)", p->name,
		               st->at[K_CATEGORY], c,
		               curated_join(list, sizeof(list), categories, NELEM(categories)));
	if (strcmp(c, p->category) != 0)
		return err_set(e,
		               "%s:%ld: category: '%s' does not match the file name (%s.txt "
		               "holds category '%s')",
		               p->name, st->at[K_CATEGORY], c, p->category, p->category);
	return 0;
}

static int
curated_check_kind(const struct parse *p, const struct stanza *st, struct err *e)
{
	const char *k = st->val[K_KIND];
	char list[128];

	if (curated_lookup(history_kinds, NELEM(history_kinds), k, strlen(k)) < 0)
		return err_set(
		    e, "%s:%ld: kind: unknown kind '%s' (expected %s)", p->name, st->at[K_KIND], k,
		    curated_join(list, sizeof(list), history_kinds, NELEM(history_kinds)));
	return 0;
}

static int
curated_seen_cmp(const void *a, const void *b)
{
	return strcmp(((const struct seen *)a)->key, ((const struct seen *)b)->key);
}

/* Remember the entry under key; a second entry with the same key is an error. */
static int
curated_remember(const struct parse *p, const struct stanza *st, const char *what, const char *a,
                 const char *b, struct err *e)
{
	size_t klen = strlen(st->val[K_PORTS]) + strlen(a) + strlen(b) + 8;
	size_t flen = strlen(p->name) + 1;
	struct seen *s = malloc(sizeof(*s) + klen + flen), **found;

	if (s == NULL)
		return err_internal(e, "%s: out of memory", p->name);
	snprintf(s->key, klen, "%s\x1f%x\x1f%s\x1f%s", st->val[K_PORTS], st->protos, a, b);
	s->file = memcpy(s->key + klen, p->name, flen);
	s->line = st->line;
	found = tsearch(s, &p->cur->seen, curated_seen_cmp);
	if (found == NULL) {
		free(s);
		return err_internal(e, "%s: out of memory", p->name);
	}
	if (*found != s) {
		free(s);
		return err_set(e, "%s:%ld: duplicate %s: same %s as %s:%ld", p->name, st->line,
		               p->kind == IMPORT_CURATED_HISTORY ? "claim" : "entry", what,
		               (*found)->file, (*found)->line);
	}
	return 0;
}

static int
curated_emit_use(const struct parse *p, const struct stanza *st, struct err *e)
{
	const struct reg_sink *sink = p->cur->sink;
	struct reg_use u = {
	    .ports = st->val[K_PORTS],
	    .protocols = st->val[K_PROTO],
	    .who = st->val[K_WHO],
	    .category = st->val[K_CATEGORY],
	    .text = st->val[K_TEXT],
	    .sources = st->src,
	    .nsources = st->nsrc,
	    .file = p->name,
	    .line = st->line,
	};

	for (size_t i = 0; sink->use != NULL && i < st->nranges; i++) {
		u.port_lo = st->lo[i];
		u.port_hi = st->hi[i];
		if (sink->use(sink->ctx, &u, e) == -1)
			return -1;
	}
	return 0;
}

static int
curated_emit_history(const struct parse *p, const struct stanza *st, struct err *e)
{
	const struct reg_sink *sink = p->cur->sink;
	struct reg_history h = {
	    .ports = st->val[K_PORTS],
	    .protocols = st->val[K_PROTO],
	    .kind = st->val[K_KIND],
	    .former = st->val[K_FORMER],
	    .date = st->val[K_DATE] ? st->val[K_DATE] : "",
	    .text = st->val[K_TEXT],
	    .sources = st->src,
	    .nsources = st->nsrc,
	    .file = p->name,
	    .line = st->line,
	};

	for (size_t i = 0; sink->history != NULL && i < st->nranges; i++) {
		h.port_lo = st->lo[i];
		h.port_hi = st->hi[i];
		if (sink->history(sink->ctx, &h, e) == -1)
			return -1;
	}
	return 0;
}

/*
 * An alias is what a person types, so it is kept to what a search query
 * can hold: lower case (matching ignores case, so one spelling is enough),
 * letters, digits and single spaces or '-', '.', '+', '_', '/' between
 * them, at most 63 bytes.
 */
static int
curated_check_alias(const struct parse *p, const struct stanza *st, struct err *e)
{
	const char *a = st->val[K_ALIAS];
	size_t n = strlen(a), i;

	if (n > 63)
		return err_set(e, "%s:%ld: alias: longer than 63 bytes", p->name, st->at[K_ALIAS]);
	for (i = 0; i < n; i++) {
		char c = a[i];
		int word = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');

		if (word)
			continue;
		if (c >= 'A' && c <= 'Z')
			return err_set(
			    e,
			    "%s:%ld: alias: '%s' has upper case (write it in lower case; "
			    "search ignores case)",
			    p->name, st->at[K_ALIAS], a);
		if (strchr(" -.+_/", c) == NULL || i == 0 || i + 1 == n ||
		    strchr(" -.+_/", a[i + 1]) != NULL)
			return err_set(e,
			               "%s:%ld: alias: '%s' is not letters and digits joined by "
			               "single ' ', '-', '.', '+', '_' or '/'",
			               p->name, st->at[K_ALIAS], a);
	}
	return 0;
}

static int
curated_emit_alias(const struct parse *p, const struct stanza *st, struct err *e)
{
	const struct reg_sink *sink = p->cur->sink;
	struct reg_curated_alias a = {
	    .name = st->val[K_ALIAS],
	    .ports = st->val[K_PORTS],
	    .text = st->val[K_TEXT],
	    .sources = st->src,
	    .nsources = st->nsrc,
	    .file = p->name,
	    .line = st->line,
	};

	for (size_t i = 0; sink->curated_alias != NULL && i < st->nranges; i++) {
		a.port_lo = st->lo[i];
		a.port_hi = st->hi[i];
		if (sink->curated_alias(sink->ctx, &a, e) == -1)
			return -1;
	}
	return 0;
}

/* Checks every stanza shares: required keys present, a source, valid ports. */
static int
curated_check_common(const struct parse *p, const struct stanza *st, struct err *e)
{
	for (size_t k = 0; k < K_NKEYS; k++)
		if ((keys[k].required & (1u << p->kind)) && k != K_SOURCE && st->at[k] == 0)
			return err_set(e, "%s:%ld: missing required key '%s'", p->name, st->line,
			               keys[k].name);
	if (st->nsrc == 0 && !st->none)
		return err_set(e, "%s:%ld: no source: give an http(s) URL or 'source: none'",
		               p->name, st->line);
	return 0;
}

static int
curated_finish_use(struct parse *p, struct stanza *st, struct err *e)
{
	int cat;

	if (curated_parse_ports(p, st, e) == -1 || curated_parse_proto(p, st, e) == -1 ||
	    curated_check_category(p, st, &cat, e) == -1)
		return -1;
	if (curated_remember(p, st, "ports, proto, who and category", st->val[K_WHO],
	                     st->val[K_CATEGORY], e) == -1)
		return -1;
	if (p->cur->counts != NULL) {
		p->cur->counts->uses[cat]++;
		p->cur->counts->uses_total++;
	}
	return curated_emit_use(p, st, e);
}

static int
curated_finish_history(struct parse *p, struct stanza *st, struct err *e)
{
	if (curated_parse_ports(p, st, e) == -1 || curated_parse_proto(p, st, e) == -1 ||
	    curated_check_kind(p, st, e) == -1)
		return -1;
	if (st->val[K_DATE] != NULL && curated_check_date(p, st, e) == -1)
		return -1;
	if (curated_remember(p, st, "ports, proto, kind and former", st->val[K_KIND],
	                     st->val[K_FORMER], e) == -1)
		return -1;
	if (p->cur->counts != NULL)
		p->cur->counts->history++;
	return curated_emit_history(p, st, e);
}

static int
curated_finish_alias(struct parse *p, struct stanza *st, struct err *e)
{
	if (curated_parse_ports(p, st, e) == -1 || curated_check_alias(p, st, e) == -1)
		return -1;
	if (curated_remember(p, st, "alias and ports", st->val[K_ALIAS], "", e) == -1)
		return -1;
	if (p->cur->counts != NULL)
		p->cur->counts->aliases++;
	return curated_emit_alias(p, st, e);
}

/*
 * A likely answer claims its ports for its protocols: a second stanza on the
 * same port and protocol would make two answers "the most likely", so it is
 * refused with the first one's line.  The claims live in one table of every
 * port and protocol (1 MiB, made on the first stanza), which keeps the check
 * linear in the ports claimed however many stanzas a file has.
 */
static int
curated_claim_likely(struct parse *p, const struct stanza *st, struct err *e)
{
	uint32_t **at = &p->cur->likely_at;

	if (*at == NULL && (*at = calloc((size_t)(PORT_MAX + 1) * NPROTO, sizeof(**at))) == NULL)
		return err_internal(e, "%s: out of memory", p->name);
	for (size_t r = 0; r < st->nranges; r++)
		for (long port = st->lo[r]; port <= st->hi[r]; port++)
			for (size_t i = 0; i < NPROTO; i++) {
				uint32_t *cell = &(*at)[(size_t)port * NPROTO + i];

				if (!(st->protos & (1u << i)))
					continue;
				if (*cell != 0)
					return err_set(e,
					               "%s:%ld: port %ld/%s already has a likely "
					               "answer, on line %lu",
					               p->name, st->line, port, protocols[i],
					               (unsigned long)*cell);
				*cell = (uint32_t)st->line;
			}
	return 0;
}

/*
 * answer: one of likely_answers.  Unofficial and mixed answers name what
 * runs; an official one may name which of the port's IANA services it is
 * (465: submissions, not urd), and otherwise takes the registry's first.
 */
static int
curated_check_answer(const struct parse *p, const struct stanza *st, struct err *e)
{
	const char *a = st->val[K_ANSWER];
	char list[64];
	int i = curated_lookup(likely_answers, NELEM(likely_answers), a, strlen(a));

	if (i < 0)
		return err_set(
		    e, "%s:%ld: answer: unknown answer '%s' (expected %s)", p->name,
		    st->at[K_ANSWER], a,
		    curated_join(list, sizeof(list), likely_answers, NELEM(likely_answers)));
	if (i != 0 && st->val[K_NAME] == NULL)
		return err_set(e, "%s:%ld: missing required key 'name' (answer: %s)", p->name,
		               st->line, a);
	return 0;
}

static int
curated_finish_likely(struct parse *p, struct stanza *st, struct err *e)
{
	const struct reg_sink *sink = p->cur->sink;
	struct reg_likely l = {
	    .ports = st->val[K_PORTS],
	    .protocols = st->val[K_PROTO],
	    .answer = st->val[K_ANSWER],
	    .name = st->val[K_NAME] ? st->val[K_NAME] : "",
	    .text = st->val[K_TEXT],
	    .sources = st->src,
	    .nsources = st->nsrc,
	    .file = p->name,
	    .line = st->line,
	};

	if (curated_parse_ports(p, st, e) == -1 || curated_parse_proto(p, st, e) == -1 ||
	    curated_check_answer(p, st, e) == -1 || curated_claim_likely(p, st, e) == -1)
		return -1;
	if (p->cur->counts != NULL)
		p->cur->counts->likely++;
	for (size_t i = 0; sink->likely != NULL && i < st->nranges; i++) {
		l.port_lo = st->lo[i];
		l.port_hi = st->hi[i];
		if (sink->likely(sink->ctx, &l, e) == -1)
			return -1;
	}
	return 0;
}

/*
 * exposure.txt: what is feared when a port is reachable.  A stanza there
 * raises the concern level of its ports (docs/concern.md), and an entry
 * nobody can check must not raise a level, so every stanza cites a URL.
 */
static int
curated_check_exposure(const struct parse *p, const struct stanza *st, struct err *e)
{
	const char *l = st->val[K_LEVEL];
	char list[64];

	if (curated_lookup(exposure_levels, NELEM(exposure_levels), l, strlen(l)) < 0)
		return err_set(
		    e, "%s:%ld: level: unknown level '%s' (expected %s)", p->name, st->at[K_LEVEL],
		    l, curated_join(list, sizeof(list), exposure_levels, NELEM(exposure_levels)));
	if (st->none)
		return err_set(e,
		               "%s:%ld: source: an exposure risk raises a concern level, so it "
		               "needs a URL, not 'none'",
		               p->name, st->line);
	return 0;
}

static int
curated_finish_exposure(struct parse *p, struct stanza *st, struct err *e)
{
	const struct reg_sink *sink = p->cur->sink;
	struct reg_exposure x = {
	    .ports = st->val[K_PORTS],
	    .protocols = st->val[K_PROTO],
	    .who = st->val[K_WHO],
	    .level = st->val[K_LEVEL],
	    .text = st->val[K_TEXT],
	    .sources = st->src,
	    .nsources = st->nsrc,
	    .file = p->name,
	    .line = st->line,
	};

	if (curated_parse_ports(p, st, e) == -1 || curated_parse_proto(p, st, e) == -1 ||
	    curated_check_exposure(p, st, e) == -1 ||
	    curated_remember(p, st, "ports, proto and who", st->val[K_WHO], "", e) == -1)
		return -1;
	if (p->cur->counts != NULL)
		p->cur->counts->exposure++;
	for (size_t i = 0; sink->exposure != NULL && i < st->nranges; i++) {
		x.port_lo = st->lo[i];
		x.port_hi = st->hi[i];
		if (sink->exposure(sink->ctx, &x, e) == -1)
			return -1;
	}
	return 0;
}

/* A uses, history, likely, exposure or aliases file: stanzas separated by blank lines. */
/* The stanza's text.<lang> values, after the stanza itself was accepted. */
static int
curated_emit_translations(const struct parse *p, const struct stanza *st, struct err *e)
{
	static const char *const kinds[] = {
	    [IMPORT_CURATED_USE] = "use",           [IMPORT_CURATED_HISTORY] = "history",
	    [IMPORT_CURATED_NOTE] = "note",         [IMPORT_CURATED_LIKELY] = "likely",
	    [IMPORT_CURATED_EXPOSURE] = "exposure", [IMPORT_CURATED_ALIAS] = "alias",
	};
	struct curated_counts *c = p->cur->counts;
	struct reg_translation t = {.kind = kinds[p->kind], .file = p->name, .line = st->line};

	for (size_t i = 0; i < NELEM(langs); i++) {
		if (st->tr[i] == NULL)
			continue;
		if (c != NULL && p->kind == IMPORT_CURATED_USE)
			c->uses_tr[i]++;
		if (c != NULL && p->kind == IMPORT_CURATED_HISTORY)
			c->history_tr[i]++;
		if (c != NULL && p->kind == IMPORT_CURATED_LIKELY)
			c->likely_tr[i]++;
		if (c != NULL && p->kind == IMPORT_CURATED_EXPOSURE)
			c->exposure_tr[i]++;
		t.lang = langs[i];
		t.text = st->tr[i];
		if (p->cur->sink->translation != NULL &&
		    p->cur->sink->translation(p->cur->sink->ctx, &t, e) == -1)
			return -1;
	}
	return 0;
}

static int
curated_parse_stanzas(struct parse *p, struct err *e)
{
	struct stanza st;
	char *line;

	memset(&st, 0, sizeof(st));
	for (;;) {
		line = curated_next_line(p);
		if (line != NULL && line[0] == '#')
			continue;
		if (line == NULL || line[0] == '\0') {
			if (st.line != 0) {
				int rc = curated_check_common(p, &st, e);

				if (rc == 0 && p->kind == IMPORT_CURATED_USE)
					rc = curated_finish_use(p, &st, e);
				else if (rc == 0 && p->kind == IMPORT_CURATED_LIKELY)
					rc = curated_finish_likely(p, &st, e);
				else if (rc == 0 && p->kind == IMPORT_CURATED_HISTORY)
					rc = curated_finish_history(p, &st, e);
				else if (rc == 0 && p->kind == IMPORT_CURATED_EXPOSURE)
					rc = curated_finish_exposure(p, &st, e);
				else if (rc == 0)
					rc = curated_finish_alias(p, &st, e);
				if (rc == 0)
					rc = curated_emit_translations(p, &st, e);
				if (rc == -1)
					return -1;
				memset(&st, 0, sizeof(st));
			}
			if (line == NULL)
				return 0;
			continue;
		}
		if (st.line == 0)
			st.line = p->lineno;
		if (curated_add_line(p, &st, line, e) == -1)
			return -1;
	}
}

/* The front matter of a note, up to and including its closing "---". */
static int
curated_front_matter(struct parse *p, struct stanza *st, struct err *e)
{
	char *line = curated_next_line(p);

	if (line == NULL || strcmp(line, "---") != 0)
		return err_set(e, "%s:1: a note must begin with a '---' line (front matter)",
		               p->name);
	st->line = 1;
	for (;;) {
		line = curated_next_line(p);
		if (line == NULL)
			return err_set(e,
			               "%s:%ld: front matter opened on line 1 is not closed "
			               "by '---'",
			               p->name, p->lineno);
		if (strcmp(line, "---") == 0)
			return 0;
		if (line[0] == '#')
			continue;
		if (line[0] == '\0')
			return err_set(e, "%s:%ld: blank line inside the front matter", p->name,
			               p->lineno);
		if (curated_add_line(p, st, line, e) == -1)
			return -1;
	}
}

/*
 * Which language a note's file name says it is in: -1 for English
 * ("22.md"), else the index of lang in "22.<lang>.md"; -2 when the name
 * does not fit ports at all.  *english gets the English note's name.
 */
static int
curated_note_lang(const char *name, const char *base, const char *ports, char *english, size_t len)
{
	size_t blen = strlen(ports), n;
	const char *rest = base + blen;
	int i;

	if (strncmp(base, ports, blen) != 0)
		return -2;
	if (strcmp(rest, ".md") == 0)
		return -1;
	if (rest[0] != '.' || !curated_has_suffix(rest + 1, ".md"))
		return -2;
	n = strlen(rest + 1) - 3;
	if ((i = curated_lookup(langs, NELEM(langs), rest + 1, n)) < 0)
		return -2;
	snprintf(english, len, "%.*s%s.md", (int)(base - name), name, ports);
	return i;
}

static int
curated_parse_note(struct parse *p, struct err *e)
{
	struct stanza st;
	const char *base = curated_basename(p->name), *body;
	char english[PATH_MAX], list[128];
	struct reg_note n;
	int lang;

	memset(&st, 0, sizeof(st));
	if (curated_front_matter(p, &st, e) == -1)
		return -1;
	/* A translation inherits its sources from the English note. */
	if (st.nsrc == 0 && !st.none && st.val[K_PORTS] != NULL &&
	    curated_note_lang(p->name, base, st.val[K_PORTS], english, sizeof(english)) >= 0)
		st.none = 1;
	if (curated_check_common(p, &st, e) == -1 || curated_parse_ports(p, &st, e) == -1)
		return -1;
	if (st.nranges != 1)
		return err_set(e, "%s:%ld: ports: a note covers one port or one range, not '%s'",
		               p->name, st.at[K_PORTS], st.val[K_PORTS]);
	lang = curated_note_lang(p->name, base, st.val[K_PORTS], english, sizeof(english));
	if (lang == -2)
		return err_set(e,
		               "%s:%ld: ports: %s does not match the file name (expected %s.md); "
		               "a translation is %s.<lang>.md, lang one of %s",
		               p->name, st.at[K_PORTS], st.val[K_PORTS], st.val[K_PORTS],
		               st.val[K_PORTS],
		               curated_join(list, sizeof(list), langs, NELEM(langs)));
	body = p->buf + p->pos;
	while (*body == '\n' || *body == ' ' || *body == '\t')
		body++;
	if (*body == '\0')
		return err_set(e, "%s:%ld: empty text: the note has no body after its front matter",
		               p->name, p->lineno);
	if (lang >= 0) {
		struct reg_translation t = {.kind = "note",
		                            .file = english,
		                            .line = 1,
		                            .lang = langs[lang],
		                            .title = st.val[K_TITLE],
		                            .text = body};

		if (p->cur->counts != NULL)
			p->cur->counts->notes_tr[lang]++;
		return p->cur->sink->translation == NULL
		           ? 0
		           : p->cur->sink->translation(p->cur->sink->ctx, &t, e);
	}
	if (p->cur->counts != NULL)
		p->cur->counts->notes++;
	if (p->cur->sink->note == NULL)
		return 0;
	n = (struct reg_note){
	    .port_lo = st.lo[0],
	    .port_hi = st.hi[0],
	    .title = st.val[K_TITLE],
	    .markdown = body,
	    .sources = st.src,
	    .nsources = st.nsrc,
	    .file = p->name,
	    .line = st.line,
	};
	return p->cur->sink->note(p->cur->sink->ctx, &n, e);
}

/* For a uses file, the category its name stands for ("unofficial/game.txt"). */
static int
curated_file_category(struct parse *p, struct err *e)
{
	const char *base = curated_basename(p->name);
	size_t n = strlen(base);
	char list[128];
	int i;

	if (!curated_has_suffix(base, ".txt") ||
	    (i = curated_lookup(categories, NELEM(categories), base, n - 4)) < 0)
		return err_set(
		    e, "%s: a uses file is named <category>.txt, with category one of %s", p->name,
		    curated_join(list, sizeof(list), categories, NELEM(categories)));
	p->category = categories[i];
	return 0;
}

/* Parse buf (owned, NUL-terminated at len; freed here) as one file. */
static int
curated_parse_owned(struct curated *cur, char *buf, size_t len, const char *name,
                    enum import_curated_kind kind, struct err *e)
{
	struct parse p = {.cur = cur, .name = name, .kind = kind, .buf = buf, .len = len};
	int rc;

	if (kind == IMPORT_CURATED_USE)
		rc = curated_file_category(&p, e);
	else if (kind == IMPORT_CURATED_HISTORY || kind == IMPORT_CURATED_NOTE ||
	         kind == IMPORT_CURATED_LIKELY || kind == IMPORT_CURATED_EXPOSURE ||
	         kind == IMPORT_CURATED_ALIAS)
		rc = 0;
	else
		rc = err_internal(e, "%s: unknown curated file kind %d", name, (int)kind);
	if (rc == 0)
		rc = curated_check_text(&p, e);
	if (rc == 0)
		rc = kind == IMPORT_CURATED_NOTE ? curated_parse_note(&p, e)
		                                 : curated_parse_stanzas(&p, e);
	if (rc == 0 && cur->counts != NULL)
		cur->counts->files++;
	free(buf);
	return rc;
}

static int
curated_buffer(struct curated *cur, const char *data, size_t len, const char *name,
               enum import_curated_kind kind, struct err *e)
{
	char *buf;

	if (len > IMPORT_CURATED_MAX_FILE)
		return err_set(e, "%s: %zu bytes, more than the %u-byte limit", name, len,
		               IMPORT_CURATED_MAX_FILE);
	if ((buf = malloc(len + 1)) == NULL)
		return err_internal(e, "%s: out of memory", name);
	memcpy(buf, data, len);
	buf[len] = '\0';
	return curated_parse_owned(cur, buf, len, name, kind, e);
}

/* Read a whole regular file, at most IMPORT_CURATED_MAX_FILE bytes. */
static int
curated_read(struct curated *cur, const char *path, char **bufp, size_t *lenp, struct err *e)
{
	struct stat sb;
	char *buf = NULL;
	size_t len = 0;
	ssize_t n = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd == -1)
		return err_set(e, "%s: %s", path, strerror(errno));
	if (fstat(fd, &sb) == -1 || !S_ISREG(sb.st_mode)) {
		err_set(e, "%s: not a regular file", path);
		goto fail;
	}
	if (sb.st_size > (off_t)IMPORT_CURATED_MAX_FILE) {
		err_set(e, "%s: %lld bytes, more than the %u-byte limit", path,
		        (long long)sb.st_size, IMPORT_CURATED_MAX_FILE);
		goto fail;
	}
	/* Room for one byte more than stat said tells a file that grew meanwhile. */
	if ((buf = malloc((size_t)sb.st_size + 2)) == NULL) {
		err_internal(e, "%s: out of memory", path);
		goto fail;
	}
	while (len <= (size_t)sb.st_size &&
	       (n = read(fd, buf + len, (size_t)sb.st_size + 1 - len)) > 0)
		len += (size_t)n;
	if (n == -1) {
		err_internal(e, "%s: %s", path, strerror(errno));
		goto fail;
	}
	if (len != (size_t)sb.st_size) {
		err_set(e, "%s: file changed while being read", path);
		goto fail;
	}
	buf[len] = '\0';
	close(fd);
	if (sb.st_mtime > cur->newest)
		cur->newest = sb.st_mtime;
	*bufp = buf;
	*lenp = len;
	return 0;
fail:
	free(buf);
	close(fd);
	return -1;
}

static int
curated_file(struct curated *cur, const char *path, struct err *e)
{
	const char *base = curated_basename(path);
	enum import_curated_kind kind;
	char *buf = NULL;
	size_t len = 0;

	if (strcmp(base, "history.txt") == 0)
		kind = IMPORT_CURATED_HISTORY;
	else if (strcmp(base, "exposure.txt") == 0)
		kind = IMPORT_CURATED_EXPOSURE;
	else if (strcmp(base, "aliases.txt") == 0)
		kind = IMPORT_CURATED_ALIAS;
	else if (strcmp(base, "likely.txt") == 0)
		kind = IMPORT_CURATED_LIKELY;
	else if (curated_has_suffix(base, ".md"))
		kind = IMPORT_CURATED_NOTE;
	else if (curated_has_suffix(base, ".txt"))
		kind = IMPORT_CURATED_USE;
	else
		return err_set(
		    e,
		    "%s: not a curated data file (expected unofficial/<category>.txt, "
		    "history.txt, exposure.txt, aliases.txt, notes/<ports>.md or likely.txt)",
		    path);
	if (curated_read(cur, path, &buf, &len, e) == -1)
		return -1;
	return curated_parse_owned(cur, buf, len, path, kind, e);
}

static int
curated_not_hidden(const struct dirent *d)
{
	return d->d_name[0] != '.';
}

/* Byte order, not the locale's, so every machine reads files in one order. */
static int
curated_byname(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

/*
 * A translated note ("notes/22.ko.md") translates an English one: refused
 * when "notes/22.md" is missing, so no language has a note English lacks.
 */
static int
curated_untranslated(const char *path, struct err *e)
{
	const char *base = curated_basename(path), *dot = strchr(base, '.');
	char english[PATH_MAX];

	if (dot == NULL || strcmp(dot, ".md") == 0 || !curated_has_suffix(base, ".md"))
		return 0;
	snprintf(english, sizeof(english), "%.*s.md", (int)(dot - path), path);
	if (access(english, F_OK) == -1)
		return err_set(e, "%s: translates %s, which does not exist", path, english);
	return 0;
}

/* Every file in datadir/sub, each of which must end in suffix.  No directory is no data. */
static int
curated_subdir(struct curated *cur, const char *datadir, const char *sub, const char *suffix,
               struct err *e)
{
	char dir[PATH_MAX], path[PATH_MAX];
	struct dirent **list;
	int n, i, rc = 0;

	if ((size_t)snprintf(dir, sizeof(dir), "%s/%s", datadir, sub) >= sizeof(dir))
		return err_set(e, "%s: path too long", datadir);
	if ((n = scandir(dir, &list, curated_not_hidden, curated_byname)) == -1) {
		if (errno == ENOENT)
			return 0;
		return err_set(e, "%s: %s", dir, strerror(errno));
	}
	for (i = 0; i < n && rc == 0; i++) {
		if (!curated_has_suffix(list[i]->d_name, suffix))
			rc = err_set(e, "%s/%s: unexpected file (only *%s belongs here)", dir,
			             list[i]->d_name, suffix);
		else if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, list[i]->d_name) >=
		         sizeof(path))
			rc = err_set(e, "%s/%s: path too long", dir, list[i]->d_name);
		else if ((rc = curated_untranslated(path, e)) == 0)
			rc = curated_file(cur, path, e);
	}
	for (i = 0; i < n; i++)
		free(list[i]);
	free(list);
	return rc;
}

static int
curated_dir(struct curated *cur, const char *datadir, struct err *e)
{
	char path[PATH_MAX];
	struct stat sb;

	if (stat(datadir, &sb) == -1)
		return err_set(e, "%s: %s", datadir, strerror(errno));
	if (!S_ISDIR(sb.st_mode))
		return err_set(e, "%s: not a directory", datadir);
	if (curated_subdir(cur, datadir, "unofficial", ".txt", e) == -1)
		return -1;
	if ((size_t)snprintf(path, sizeof(path), "%s/history.txt", datadir) >= sizeof(path))
		return err_set(e, "%s: path too long", datadir);
	if (access(path, F_OK) == 0 && curated_file(cur, path, e) == -1)
		return -1;
	if ((size_t)snprintf(path, sizeof(path), "%s/exposure.txt", datadir) >= sizeof(path))
		return err_set(e, "%s: path too long", datadir);
	if (access(path, F_OK) == 0 && curated_file(cur, path, e) == -1)
		return -1;
	if ((size_t)snprintf(path, sizeof(path), "%s/aliases.txt", datadir) >= sizeof(path))
		return err_set(e, "%s: path too long", datadir);
	if (access(path, F_OK) == 0 && curated_file(cur, path, e) == -1)
		return -1;
	if (curated_subdir(cur, datadir, "notes", ".md", e) == -1)
		return -1;
	if ((size_t)snprintf(path, sizeof(path), "%s/likely.txt", datadir) >= sizeof(path))
		return err_set(e, "%s: path too long", datadir);
	if (access(path, F_OK) == 0 && curated_file(cur, path, e) == -1)
		return -1;
	return 0;
}

/* A NULL sink validates only. */
static const struct reg_sink *
curated_sink(const struct reg_sink *sink)
{
	static const struct reg_sink validate_only = {0};

	return sink != NULL ? sink : &validate_only;
}

static void
curated_free(struct curated *cur)
{
	tdestroy(cur->seen, free);
	cur->seen = NULL;
	free(cur->likely_at);
	cur->likely_at = NULL;
}

/* The data's own date: the newest modification of what was read (see import_curated.h). */
static int
curated_dated(struct curated *cur, struct err *e)
{
	char date[16];
	struct tm tm;

	if (cur->newest <= 0 || cur->sink->meta == NULL || gmtime_r(&cur->newest, &tm) == NULL)
		return 0;
	strftime(date, sizeof(date), "%Y-%m-%d", &tm);
	return cur->sink->meta(cur->sink->ctx, "updated", date, e);
}

int
import_curated_dir(const char *datadir, const struct reg_sink *sink, struct err *e)
{
	struct curated cur = {.sink = curated_sink(sink)};
	int rc = curated_dir(&cur, datadir, e);

	if (rc == 0)
		rc = curated_dated(&cur, e);
	curated_free(&cur);
	return rc;
}

int
import_curated_file(const char *path, const struct reg_sink *sink, struct err *e)
{
	struct curated cur = {.sink = curated_sink(sink)};
	int rc = curated_file(&cur, path, e);

	if (rc == 0)
		rc = curated_dated(&cur, e);
	curated_free(&cur);
	return rc;
}

int
import_curated_buffer(const char *data, size_t len, const char *name, enum import_curated_kind kind,
                      const struct reg_sink *sink, struct err *e)
{
	struct curated cur = {.sink = curated_sink(sink)};
	int rc = curated_buffer(&cur, data, len, name, kind, e);

	curated_free(&cur);
	return rc;
}

int
import_curated_counts(const char *datadir, struct curated_counts *out, struct err *e)
{
	struct curated cur = {.sink = curated_sink(NULL), .counts = out};
	int rc;

	memset(out, 0, sizeof(*out));
	rc = curated_dir(&cur, datadir, e);
	curated_free(&cur);
	return rc;
}
