/*
 * search.c - see search.h.
 *
 * Why score in C rather than with bm25().  bm25 answers "which document
 * is most about these words", weighing rare words and short documents;
 * a person typing "http" means the port named http, not the row where
 * "http" is the rarest or the text the shortest, and bm25 ranked 443
 * (https, a prefix match) above 80.  So the index only finds the rows
 * (all words, as quoted prefix terms), and each row is scored here from
 * where the words sit in it (search_score()).  Reading rows rather than
 * asking FTS5 to order them also bounds the work: the index hands over
 * rows in rowid order and the query stops after SEARCH_MAX_ROWS, so a
 * word that matches half the index costs the same as one that matches
 * a few thousand rows.  Registry rows have the lowest rowids (store.c
 * indexes them first), so a bound that bites keeps them.
 *
 * A second, small query finds the rows whose name holds every word whole
 * ({name} : ...), so the bound never drops the row a name query means.
 *
 * Ownership: rows and their strings are malloc'd here and freed before
 * search_run() returns; the result is a new JSON object.
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "query.h"
#include "registry/fold.h"
#include "registry/rows.h"
#include "search.h"

/* The query's words: as typed (for FTS5) and as the index sees them (folded). */
struct words {
	char raw[SEARCH_MAX_WORDS][SEARCH_MAX_WORD + 1];
	char fold[SEARCH_MAX_WORDS][SEARCH_MAX_WORD + 1];
	size_t len[SEARCH_MAX_WORDS]; /* of fold[] */
	size_t n;
	char joined[(SEARCH_MAX_WORD + 1) * SEARCH_MAX_WORDS]; /* fold[] joined by ' ' */
};

/* One index row that matched (or the port the query names). */
struct row {
	long long rowid; /* 0 for the port the query names */
	char kind[16], source[24];
	long lo, hi;       /* the hit it belongs to; -1 for a name-only registration */
	long at_lo, at_hi; /* its own ports */
	double freq;
	char *name, *description;
	double score;
	int expr; /* which expression found it (for its snippet) */
};

struct found {
	struct row *v;
	size_t n, cap;
};

/* One hit: a run of rows (sorted by unit) for one port, range or name. */
struct hit {
	size_t first, n;
	size_t best; /* index of the best row */
	double score;
};

/* Where a query word sits in a row, best first; the weights are its worth. */
enum {
	W_NAME = 10,
	W_NAME_PREFIX = 7,
	W_DESC = 5,
	W_DESC_PREFIX = 3,
	W_NOTES = 2,
	W_NOTES_PREFIX = 1,
};

#define SEARCH_PORT_SCORE  200.0 /* the port a query names: above any word match */
#define SEARCH_EXACT       100.0 /* the row's name is the whole query */
#define SEARCH_MAX_SNIP    12    /* tokens of context in a snippet */
#define SEARCH_MAX_MATCHES 8     /* names listed under a hit */

static int
search_is_word(unsigned char c)
{
	return isalnum(c) || c >= 0x80;
}

/* Is the word being added (q->n) one the query already has? */
static int
search_repeated(const struct words *q)
{
	for (size_t i = 0; i < q->n; i++)
		if (strcmp(q->fold[i], q->fold[q->n]) == 0)
			return 1;
	return 0;
}

/* Split text into words, each once; -1 with e when there are none or too many. */
static int
search_words(const char *text, struct words *q, struct err *e)
{
	const unsigned char *p = (const unsigned char *)text;
	size_t o = 0, typed = 0;

	memset(q, 0, sizeof(*q));
	while (*p) {
		size_t n = 0;

		while (*p && !search_is_word(*p))
			p++;
		if (*p == '\0')
			break;
		if (++typed > SEARCH_MAX_WORDS)
			return err_set(e, "search: at most %d words", SEARCH_MAX_WORDS);
		/* A longer word is cut: as a prefix it still finds what it names. */
		for (; search_is_word(*p); p++)
			if (n < SEARCH_MAX_WORD) {
				q->raw[q->n][n] = (char)*p;
				q->fold[q->n][n++] = (char)tolower(*p);
			}
		q->raw[q->n][n] = '\0';
		q->len[q->n] = n;
		fold_word(q->fold[q->n], &q->len[q->n]);
		q->fold[q->n][q->len[q->n]] = '\0';
		if (search_repeated(q))
			continue; /* "server server" asks no more than "server" */
		o += (size_t)snprintf(q->joined + o, sizeof(q->joined) - o, "%s%s", o ? " " : "",
		                      q->fold[q->n]);
		q->n++;
	}
	if (q->n == 0)
		return err_set(e, "search: give at least one word to look for");
	return 0;
}

/*
 * May word i match as the start of a longer word: long enough, and not a
 * number ("443" is port 443, not the start of 44323).
 */
static int
search_prefix_word(const struct words *q, size_t i)
{
	return q->len[i] >= SEARCH_MIN_PREFIX && strspn(q->fold[i], "0123456789") < q->len[i];
}

/*
 * Only the last word is a prefix term: it is the one still being typed
 * ("remote desk"), and a prefix term costs a merge of every indexed word
 * it starts, so sixteen of them cost sixteen merges.  In the any-word
 * fallback no word is: it is the broad query, and it must stay cheap.
 */
static int
search_expr(const struct words *q, int any, char *out, size_t len)
{
	size_t o = 0, i;

	out[0] = '\0';
	for (i = 0; i < q->n && o < len; i++)
		o += (size_t)snprintf(out + o, len - o, "%s\"%s\"%s", i ? (any ? " OR " : " ") : "",
		                      q->raw[i],
		                      !any && i + 1 == q->n && search_prefix_word(q, i) ? "*" : "");
	return o < len ? 0 : -1;
}

int
search_expression(const char *text, int any, char *out, size_t len, struct err *e)
{
	struct words q;

	if (search_words(text, &q, e) == -1)
		return -1;
	if (search_expr(&q, any, out, len) == -1)
		return err_set(e, "search: query too long");
	return 0;
}

/*
 * How well each query word sits in one field of a row: best[i] is raised
 * to whole (a token equal to the word) or prefix (a token starting with
 * it, for words long enough to be prefix terms).
 */
static void
search_field(const struct words *q, const char *text, int whole, int prefix, int *best)
{
	const unsigned char *p = (const unsigned char *)text;
	size_t i;
	char tok[SEARCH_MAX_WORD + 1];

	while (p != NULL && *p) {
		size_t n = 0;

		while (*p && !search_is_word(*p))
			p++;
		if (*p == '\0')
			break;
		for (; search_is_word(*p); p++)
			if (n < SEARCH_MAX_WORD)
				tok[n++] = (char)tolower(*p);
		fold_word(tok, &n);
		tok[n] = '\0';
		for (i = 0; i < q->n; i++) {
			if (n == q->len[i] && memcmp(tok, q->fold[i], n) == 0) {
				if (best[i] < whole)
					best[i] = whole;
			} else if (search_prefix_word(q, i) && n > q->len[i] &&
			           memcmp(tok, q->fold[i], q->len[i]) == 0) {
				if (best[i] < prefix)
					best[i] = prefix;
			}
		}
	}
}

static int
search_worst(const struct words *q, const int *best)
{
	int w = W_NAME;

	for (size_t i = 0; i < q->n; i++)
		if (best[i] < w)
			w = best[i];
	return w;
}

/* Equal but for the spaces ("ms sql" is "mssql"); with prefix, a starts b so. */
static int
search_same_squashed(const char *a, const char *b, int prefix)
{
	for (;; a++, b++) {
		while (*a == ' ')
			a++;
		while (*b == ' ')
			b++;
		if (*a == '\0' && prefix)
			return 1;
		if (*a != *b)
			return 0;
		if (*a == '\0')
			return 1;
	}
}

/*
 * A name as a query would spell it, to tell whether the query is the whole
 * name: lower case, folded, separators (white space, '-', '_', '.', ':',
 * '/', ',') as one space, a parenthesised qualifier dropped ("Minecraft
 * Java Edition (Mojang)" is "minecraft java edition"), and any other
 * character kept, so "whois++" is not "whois".  Returns the word count;
 * with want, 0 as soon as the name can no longer be want but for the
 * spaces, so testing a long description costs its first word or two.
 */
static size_t
search_norm_name(const char *name, const char *want, char *out, size_t len)
{
	const unsigned char *p = (const unsigned char *)name;
	size_t o = 0, words = 0, start;
	int depth = 0;

	out[0] = '\0';
	while (*p && o + SEARCH_MAX_WORD + 2 < len) {
		if (*p == '(' || *p == ')') {
			depth += *p++ == '(' ? 1 : (depth > 0 ? -1 : 0);
			continue;
		}
		if (depth > 0 || strchr(" \t-_.:/,", *p) != NULL) {
			p++;
			continue;
		}
		if (o > 0)
			out[o++] = ' ';
		start = o;
		while (*p && !strchr(" \t-_.:/,()", *p) && o - start < SEARCH_MAX_WORD)
			out[o++] = (char)tolower(*p++);
		o -= start;
		fold_word(out + start, &o);
		o += start;
		out[o] = '\0';
		words++;
		if (want != NULL && !search_same_squashed(out, want, 1))
			return 0;
	}
	return words;
}

/* How much a kind of row counts when its words match equally well. */
static double
search_kind_weight(const char *kind)
{
	if (strcmp(kind, "record") == 0)
		return 1.0;
	if (strcmp(kind, "curated-alias") == 0)
		return 1.02; /* someone wrote down that this name means this port */
	if (strcmp(kind, "alias") == 0 || strcmp(kind, "use") == 0)
		return 0.95;
	if (strcmp(kind, "note") == 0)
		return 0.9;
	return 0.8; /* history: a former name */
}

/*
 * A row's score (see search.h).  The name weighs most: the whole query
 * equal to the name is SEARCH_EXACT; otherwise each word scores by where
 * it sits (W_*) and the mean, scaled to at most 60, gets up to 10 more
 * for how much of the name the query covers ("ssh" is all of "ssh" but
 * half of "netconf-ssh").  A word FTS5 matched only by its stem scores 1.
 *
 * A registry row's description is exact too: IANA's description is the
 * service's name written out ("RADIUS Accounting" is radius-acct), and a
 * person types that long name as often as the short one.  Other
 * databases' comments and curated texts are sentences, not names.
 *
 * A withdrawn name (a history row for a port IANA de-assigned or gave to
 * another service) counts half, as a name-only registration does: the
 * service no longer lives on that port, so its old port must not outrank
 * where it lives now on the same words ("imap ssl": 993, not 585).
 */
static double
search_score(const struct words *q, const char *kind, int withdrawn, long lo, long hi, double freq,
             const char *name, const char *description, const char *notes)
{
	int best[SEARCH_MAX_WORDS] = {0}, in_name = 1;
	char norm[512];
	size_t ntok, i;
	double sum = 0, m;

	search_field(q, name, W_NAME, W_NAME_PREFIX, best);
	for (i = 0; i < q->n; i++)
		if (best[i] == 0)
			in_name = 0;
	ntok = search_norm_name(name, NULL, norm, sizeof(norm));
	if (search_same_squashed(norm, q->joined, 0) ||
	    (strcmp(kind, "record") == 0 &&
	     search_norm_name(description, q->joined, norm, sizeof(norm)) > 0 &&
	     search_same_squashed(norm, q->joined, 0))) {
		m = SEARCH_EXACT;
	} else {
		/* A field is read only if it can still raise some word's place. */
		if (search_worst(q, best) < W_DESC)
			search_field(q, description, W_DESC, W_DESC_PREFIX, best);
		if (search_worst(q, best) < W_NOTES)
			search_field(q, notes, W_NOTES, W_NOTES_PREFIX, best);
		for (i = 0; i < q->n; i++)
			sum += best[i] ? best[i] : 1;
		m = 6.0 * sum / (double)q->n;
		if (in_name && ntok > 0)
			m += 10.0 * (double)(q->n < ntok ? q->n : ntok) / (double)ntok;
	}
	m *= search_kind_weight(kind);
	if (lo < 0 || withdrawn)
		m *= 0.5; /* a name-only registration is no port to use or find */
	/*
	 * Among equals, the port found open more often, where the row is a
	 * name for the port (nmap's frequency is the port's, not a product's
	 * that also uses it); not for wide ranges.
	 */
	if (lo >= 0 && hi - lo < 100 && freq > 0 && strcmp(kind, "use") != 0 &&
	    strcmp(kind, "note") != 0 && strcmp(kind, "history") != 0)
		m += 8.0 * sqrt((freq < 0.5 ? freq : 0.5) / 0.5);
	return m;
}

static int
search_row_add(struct found *rs, struct row *r)
{
	if (rs->n == rs->cap) {
		size_t cap = rs->cap ? rs->cap * 2 : 64;
		struct row *v = realloc(rs->v, cap * sizeof(*v));

		if (v == NULL)
			return -1;
		rs->v = v;
		rs->cap = cap;
	}
	rs->v[rs->n++] = *r;
	return 0;
}

static void
search_rows_free(struct found *rs)
{
	for (size_t i = 0; i < rs->n; i++) {
		free(rs->v[i].name);
		free(rs->v[i].description);
	}
	free(rs->v);
}

static const char *
search_col(sqlite3_stmt *stmt, int col)
{
	const char *s = (const char *)sqlite3_column_text(stmt, col);

	return s ? s : "";
}

static int
search_rowid_cmp(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;

	return x < y ? -1 : x > y;
}

/* The rowids already read, sorted, so a later query skips them. */
static long long *
search_seen(const struct found *rs)
{
	long long *ids = malloc((rs->n + 1) * sizeof(*ids));

	if (ids == NULL)
		return NULL;
	for (size_t i = 0; i < rs->n; i++)
		ids[i] = rs->v[i].rowid;
	qsort(ids, rs->n, sizeof(*ids), search_rowid_cmp);
	return ids;
}

/*
 * Is the index's history row rowid a name IANA withdrew from its port (a
 * de-assigned or reassigned one)?  1, 0, or -1 with e.  Asked of history
 * rows only, a few per query, rather than joined into every row read.
 */
static int
search_withdrawn(struct store *st, long long rowid, struct err *e)
{
	static const char sql[] = "SELECT h.kind IN ('de-assigned', 'reassigned') FROM search s"
	                          " JOIN history h ON h.id = s.ref WHERE s.rowid = ?1";
	struct rows cur;
	int w = 0;

	if (rows_open(st, &cur, sql, e) == -1)
		return rows_close(&cur);
	sqlite3_bind_int64(cur.stmt, 1, rowid);
	if (rows_next(&cur) == 1)
		w = sqlite3_column_int(cur.stmt, 0);
	return rows_close(&cur) == -1 ? -1 : w;
}

/* Read the rows expr matches (at most SEARCH_MAX_ROWS) and score them. */
static int
search_collect(struct store *st, const struct words *q, const char *expr, int which,
               struct found *rs, struct err *e)
{
	static const char sql[] =
	    "SELECT rowid, kind, source, port_lo, port_hi, at_lo, at_hi, freq, name, description,"
	    " notes FROM search WHERE search MATCH ?1 LIMIT ?2";
	struct rows cur;
	sqlite3_stmt *stmt; /* cur's, to bind and read */
	size_t nseen = rs->n;
	long long *seen = search_seen(rs);
	int rc = 0;

	if (seen == NULL)
		return err_internal(e, "search: out of memory");
	if (rows_open(st, &cur, sql, e) == -1) {
		free(seen);
		return rows_close(&cur);
	}
	stmt = cur.stmt;
	sqlite3_bind_text(stmt, 1, expr, -1, SQLITE_STATIC);
	sqlite3_bind_int(stmt, 2, SEARCH_MAX_ROWS);
	while (rc == 0 && rows_next(&cur) == 1) {
		struct row r = {.rowid = sqlite3_column_int64(stmt, 0), .expr = which};
		int noport = sqlite3_column_type(stmt, 3) == SQLITE_NULL, withdrawn = 0;

		if (bsearch(&r.rowid, seen, nseen, sizeof(*seen), search_rowid_cmp) != NULL)
			continue;
		snprintf(r.kind, sizeof(r.kind), "%s", search_col(stmt, 1));
		snprintf(r.source, sizeof(r.source), "%s", search_col(stmt, 2));
		r.lo = noport ? -1 : (long)sqlite3_column_int64(stmt, 3);
		r.hi = noport ? -1 : (long)sqlite3_column_int64(stmt, 4);
		r.at_lo = noport ? -1 : (long)sqlite3_column_int64(stmt, 5);
		r.at_hi = noport ? -1 : (long)sqlite3_column_int64(stmt, 6);
		r.freq = sqlite3_column_double(stmt, 7);
		if (strcmp(r.kind, "history") == 0 &&
		    (withdrawn = search_withdrawn(st, r.rowid, e)) == -1) {
			rc = -1;
			continue;
		}
		r.name = strdup(search_col(stmt, 8));
		r.description = strdup(search_col(stmt, 9));
		if (r.name == NULL || r.description == NULL || search_row_add(rs, &r) == -1) {
			free(r.name);
			free(r.description);
			rc = err_internal(e, "search: out of memory");
			continue;
		}
		rs->v[rs->n - 1].score = search_score(q, r.kind, withdrawn, r.lo, r.hi, r.freq,
		                                      r.name, r.description, search_col(stmt, 10));
	}
	free(seen);
	return rows_close(&cur) == -1 ? -1 : rc;
}

/*
 * The entry a port stands for: the port where IANA names it, else the
 * narrowest named IANA range around it, else the port alone, described
 * as the IANA row around it describes it ("Unassigned", "Reserved").
 */
static int
search_port_unit(struct store *st, long lo, long hi, struct row *r, struct err *e)
{
	static const char sql[] = "SELECT port_lo, port_hi, service, description FROM record"
	                          " WHERE port_lo BETWEEN ?1 - ?3 AND ?1 AND port_hi >= ?2"
	                          " ORDER BY service = '', port_hi - port_lo, port_lo LIMIT 1";
	struct rows cur;
	sqlite3_stmt *stmt; /* cur's, to bind and read */

	r->lo = r->at_lo = lo;
	r->hi = r->at_hi = hi;
	if (rows_open(st, &cur, sql, e) == -1)
		return rows_close(&cur);
	stmt = cur.stmt;
	sqlite3_bind_int64(stmt, 1, lo);
	sqlite3_bind_int64(stmt, 2, hi);
	sqlite3_bind_int64(stmt, 3, store_span(st, "record"));
	if (rows_next(&cur) == 1) {
		if (*search_col(stmt, 2) != '\0') {
			r->lo = (long)sqlite3_column_int64(stmt, 0);
			r->hi = (long)sqlite3_column_int64(stmt, 1);
			r->name = strdup(search_col(stmt, 2));
		}
		r->description = strdup(search_col(stmt, 3));
	}
	if (rows_close(&cur) == -1) {
		free(r->name);
		free(r->description);
		r->name = r->description = NULL;
		return -1;
	}
	if (r->name == NULL)
		r->name = strdup("");
	if (r->description == NULL)
		r->description = strdup("");
	return 0;
}

/* The query as a port ("22", "6000-6063", "22/tcp"): that entry, first. */
static int
search_port(struct store *st, const char *text, struct found *rs, int *is_port, struct err *e)
{
	struct query qy;
	struct row r = {.score = SEARCH_PORT_SCORE, .expr = -1};

	*is_port = 0;
	while (*text == ' ' || *text == '\t')
		text++;
	if (query_parse(text, &qy, NULL) == -1 || qy.port_lo == PORT_NONE)
		return 0;
	*is_port = 1;
	snprintf(r.kind, sizeof(r.kind), "port");
	if (search_port_unit(st, qy.port_lo, qy.port_hi, &r, e) == -1)
		return -1;
	if (r.name == NULL || r.description == NULL || search_row_add(rs, &r) == -1) {
		free(r.name);
		free(r.description);
		return err_internal(e, "search: out of memory");
	}
	return 0;
}

static int
search_unit_cmp(const void *a, const void *b)
{
	const struct row *x = a, *y = b;

	if (x->lo != y->lo)
		return x->lo < y->lo ? -1 : 1;
	if (x->hi != y->hi)
		return x->hi < y->hi ? -1 : 1;
	if (x->lo < 0)
		return strcasecmp(x->name, y->name);
	return 0;
}

static int
search_same_unit(const struct row *x, const struct row *y)
{
	return search_unit_cmp(x, y) == 0;
}

/*
 * Hits best first.  Equal scores go by the best row's place in the index,
 * which is the order of the sources: IANA's rows by port, then the curated
 * files in the order their authors wrote them (data/README.md: the main
 * port of a product first).
 */
static int
search_hit_cmp(const void *a, const void *b, void *rows)
{
	const struct hit *x = a, *y = b;
	const struct row *v = rows, *rx = &v[x->best], *ry = &v[y->best];

	if (x->score != y->score)
		return x->score > y->score ? -1 : 1;
	if (rx->rowid != ry->rowid)
		return rx->rowid < ry->rowid ? -1 : 1;
	return strcasecmp(rx->name, ry->name);
}

/*
 * A hit scores as its best row, plus one for each further kind of row that
 * names it nearly as well (at least half the best): a registry row, an
 * other database's name and a curated note agreeing on a port count for
 * more than one alone.  At most three.  The hit shows it rounded to a
 * whole number (a JSON integer), so the scores shown never rise.
 */
static double
search_hit_score(const struct row *v, size_t n, size_t *bestp)
{
	const char *kinds[8];
	size_t nk = 0, best = 0, i, k;
	double bonus = 0;

	for (i = 1; i < n; i++)
		if (v[i].score > v[best].score)
			best = i;
	for (i = 0; i < n; i++) {
		if (v[i].score < v[best].score / 2)
			continue;
		for (k = 0; k < nk && strcmp(kinds[k], v[i].kind) != 0; k++)
			;
		if (k == nk && nk < 8)
			kinds[nk++] = v[i].kind;
	}
	bonus = nk > 1 ? (double)(nk - 1 < 3 ? nk - 1 : 3) : 0;
	*bestp = best;
	return round((v[best].score + bonus) * 100.0) / 100.0;
}

/*
 * The IANA name and description for a hit's port or range, where no
 * registry row matched: "rdp" finds 3389 through a curated alias, and
 * the hit still says what IANA calls the port (ms-wbt-server).
 */
static int
search_iana_name(struct store *st, const struct row *r, json_t *hit, struct err *e)
{
	static const char sql[] =
	    "SELECT service, description FROM record WHERE port_lo = ?1 AND port_hi = ?2"
	    " AND service <> '' ORDER BY id LIMIT 1";
	struct rows cur;

	if (rows_open(st, &cur, sql, e) == -1)
		return rows_close(&cur);
	sqlite3_bind_int64(cur.stmt, 1, r->lo);
	sqlite3_bind_int64(cur.stmt, 2, r->hi);
	if (rows_next(&cur) == 1) {
		json_object_set_new(hit, "name", json_string(search_col(cur.stmt, 0)));
		json_object_set_new(hit, "description", json_string(search_col(cur.stmt, 1)));
	}
	return rows_close(&cur);
}

/* text on one line: a note's paragraphs and line breaks become single spaces. */
static json_t *
search_one_line(const char *text)
{
	char *buf = strdup(text), *o = buf;
	const char *p;
	json_t *out;

	if (buf == NULL)
		return json_string(text);
	for (p = text; *p; p++) {
		int space = *p == '\n' || *p == '\r' || *p == '\t' || *p == ' ';

		if (!space)
			*o++ = *p;
		else if (o > buf && o[-1] != ' ')
			*o++ = ' ';
	}
	*o = '\0';
	out = json_string(buf);
	free(buf);
	return out;
}

/* The first of the texts given that is not empty ("" when all are). */
static const char *
search_first(const char *a, const char *b, const char *c)
{
	return *a ? a : *b ? b : c;
}

/*
 * The best row's matched words in context: its description, else its
 * notes; where neither holds a matched word (the name did), the hit's
 * description, else whatever text the row has.
 */
static int
search_snippet(struct store *st, const struct row *r, const char *const *exprs, json_t *hit,
               struct err *e)
{
	static const char sql[] = "SELECT snippet(search, 9, '[', ']', '...', ?3),"
	                          " snippet(search, 10, '[', ']', '...', ?3)"
	                          " FROM search WHERE search MATCH ?1 AND rowid = ?2";
	const char *desc = json_string_value(json_object_get(hit, "description"));
	struct rows cur;
	sqlite3_stmt *stmt; /* cur's, to bind and read */

	if (r->expr < 0) { /* the port the query names */
		json_object_set_new(hit, "snippet", json_string(desc));
		return 0;
	}
	if (rows_open(st, &cur, sql, e) == -1)
		return rows_close(&cur);
	stmt = cur.stmt;
	sqlite3_bind_text(stmt, 1, exprs[r->expr], -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 2, r->rowid);
	sqlite3_bind_int(stmt, 3, SEARCH_MAX_SNIP);
	if (rows_next(&cur) == 1) {
		const char *d = search_col(stmt, 0), *n = search_col(stmt, 1);

		json_object_set_new(hit, "snippet",
		                    search_one_line(strchr(d, '[')   ? d
		                                    : strchr(n, '[') ? n
		                                                     : search_first(desc, d, n)));
	} else {
		json_object_set_new(hit, "snippet", json_string(desc));
	}
	return rows_close(&cur);
}

static int
search_by_score(const void *a, const void *b, void *rows)
{
	const struct row *v = rows;
	const struct row *x = &v[*(const size_t *)a], *y = &v[*(const size_t *)b];

	if (x->score != y->score)
		return x->score > y->score ? -1 : 1;
	return x->rowid < y->rowid ? -1 : x->rowid > y->rowid;
}

static json_t *
search_port_json(long v)
{
	return v < 0 ? json_null() : json_integer(v);
}

/*
 * What matched under a hit, best first: each (kind, source, name) once,
 * with its own ports (nmap's X11:1 is 6001 under x11, 6000-6063), at most
 * SEARCH_MAX_MATCHES of them.
 */
static json_t *
search_matches(const struct row *v, size_t n)
{
	json_t *out = json_array(), *x;
	size_t *order = malloc(n * sizeof(*order)), i, k;

	if (order == NULL || out == NULL) {
		free(order);
		json_decref(out);
		return NULL;
	}
	for (i = 0; i < n; i++)
		order[i] = i;
	qsort_r(order, n, sizeof(*order), search_by_score, (void *)v);
	for (i = 0; i < n && json_array_size(out) < SEARCH_MAX_MATCHES; i++) {
		const struct row *r = &v[order[i]];
		int dup = 0;

		json_array_foreach(out, k, x)
		{
			if (strcmp(json_string_value(json_object_get(x, "kind")), r->kind) == 0 &&
			    strcmp(json_string_value(json_object_get(x, "source")), r->source) ==
			        0 &&
			    strcasecmp(json_string_value(json_object_get(x, "name")), r->name) ==
			        0) {
				dup = 1;
				break;
			}
		}
		if (!dup)
			json_array_append_new(out, json_pack("{s:s, s:s, s:s, s:o, s:o}", "kind",
			                                     r->kind, "source", r->source, "name",
			                                     r->name, "port_lo",
			                                     search_port_json(r->at_lo), "port_hi",
			                                     search_port_json(r->at_hi)));
	}
	free(order);
	return out;
}

static int
search_emit(struct store *st, struct found *rs, const char *const *exprs, int limit, json_t *hits,
            struct err *e)
{
	struct hit *hv = NULL;
	size_t nh = 0, i, j;
	int rc = 0;

	if (rs->n == 0)
		return 0;
	qsort(rs->v, rs->n, sizeof(rs->v[0]), search_unit_cmp);
	if ((hv = calloc(rs->n, sizeof(*hv))) == NULL)
		return err_internal(e, "search: out of memory");
	for (i = 0; i < rs->n; i = j) {
		for (j = i + 1; j < rs->n && search_same_unit(&rs->v[i], &rs->v[j]); j++)
			;
		hv[nh].first = i;
		hv[nh].n = j - i;
		hv[nh].score = search_hit_score(rs->v + i, j - i, &hv[nh].best);
		hv[nh].best += i;
		nh++;
	}
	qsort_r(hv, nh, sizeof(hv[0]), search_hit_cmp, rs->v);
	for (i = 0; i < nh && (int)i < limit && rc == 0; i++) {
		const struct row *b = &rs->v[hv[i].best], *rec = NULL;
		json_t *hit =
		    json_pack("{s:o, s:o, s:s, s:s, s:I}", "port_lo", search_port_json(b->lo),
		              "port_hi", search_port_json(b->hi), "name", b->name, "description",
		              b->description, "score", (json_int_t)round(hv[i].score));

		for (j = hv[i].first; j < hv[i].first + hv[i].n; j++)
			if (strcmp(rs->v[j].kind, "record") == 0 &&
			    (rec == NULL || rs->v[j].score > rec->score))
				rec = &rs->v[j];
		if (rec != NULL) {
			json_object_set_new(hit, "name", json_string(rec->name));
			json_object_set_new(hit, "description", json_string(rec->description));
		} else if (b->lo >= 0 && search_iana_name(st, b, hit, e) == -1) {
			rc = -1;
		}
		if (rc == 0 && search_snippet(st, b, exprs, hit, e) == -1)
			rc = -1;
		json_object_set_new(hit, "matches", search_matches(rs->v + hv[i].first, hv[i].n));
		json_array_append_new(hits, hit);
	}
	free(hv);
	return rc;
}

json_t *
search_run(struct store *st, const char *text, int limit, struct err *e)
{
	char exprs[3][(SEARCH_MAX_WORD + 8) * SEARCH_MAX_WORDS + 16];
	const char *const ex[3] = {exprs[0], exprs[1], exprs[2]};
	struct found rs = {0};
	struct words q;
	json_t *hits = json_array(), *res = NULL;
	const char *match = "all words";
	int is_port = 0;
	char *slash, words[256];

	if (limit <= 0 || limit > SEARCH_MAX_LIMIT)
		limit = SEARCH_MAX_LIMIT;
	if (search_port(st, text, &rs, &is_port, e) == -1)
		goto done;
	/* "22/tcp": the words are the port's; the protocol is not a word to find. */
	snprintf(words, sizeof(words), "%s", text);
	if (is_port && (slash = strchr(words, '/')) != NULL)
		*slash = '\0';
	if (search_words(words, &q, e) == -1) {
		if (!is_port)
			goto done;
		q.n = 0;
	}
	if (q.n > 0) {
		/* 0: every word, as prefixes; 1: every word whole in the name; 2: any word. */
		snprintf(exprs[1], sizeof(exprs[1]), "{name} : (");
		if (search_expr(&q, 0, exprs[0], sizeof(exprs[0])) == -1 ||
		    search_expr(&q, 1, exprs[2], sizeof(exprs[2])) == -1) {
			err_set(e, "search: query too long");
			goto done;
		}
		for (size_t i = 0; i < q.n; i++) {
			size_t o = strlen(exprs[1]);

			snprintf(exprs[1] + o, sizeof(exprs[1]) - o, "%s\"%s\"", i ? " " : "",
			         q.raw[i]);
		}
		strcat(exprs[1], ")");
		if (search_collect(st, &q, exprs[1], 1, &rs, e) == -1 ||
		    search_collect(st, &q, exprs[0], 0, &rs, e) == -1)
			goto done;
		if (rs.n == (size_t)is_port) {
			match = "any word";
			if (search_collect(st, &q, exprs[2], 2, &rs, e) == -1)
				goto done;
		}
	}
	if (is_port)
		match = "port";
	if (search_emit(st, &rs, ex, limit, hits, e) == -1)
		goto done;
	res = json_pack("{s:s, s:s, s:s, s:O}", "schema", SEARCH_SCHEMA, "query", text, "match",
	                match, "hits", hits);
done:
	search_rows_free(&rs);
	json_decref(hits);
	return res;
}
