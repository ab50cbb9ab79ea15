/*
 * search.c - see search.h.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "registry/rows.h"
#include "search.h"

int
search_expression(const char *text, int any, char *out, size_t len, struct err *e)
{
	size_t o = 0, words = 0;
	const unsigned char *p = (const unsigned char *)text;

	out[0] = '\0';
	while (*p) {
		/* A word: letters, digits and any non-ASCII byte (unicode61 tokenises those). */
		while (*p && !(isalnum(*p) || *p >= 0x80))
			p++;
		if (*p == '\0')
			break;
		if (++words > SEARCH_MAX_WORDS)
			return err_set(e, "search: at most %d words", SEARCH_MAX_WORDS);
		if (o + 8 >= len)
			return err_set(e, "search: query too long");
		if (words > 1)
			o += (size_t)snprintf(out + o, len - o, any ? " OR " : " ");
		out[o++] = '"';
		while (*p && (isalnum(*p) || *p >= 0x80) && o + 4 < len)
			out[o++] = (char)*p++;
		o += (size_t)snprintf(out + o, len - o, "\"*");
	}
	if (words == 0)
		return err_set(e, "search: give at least one word to look for");
	return 0;
}

static int
search_collect(struct store *st, const char *expr, int limit, json_t *hits, json_t *seen,
               struct err *e)
{
	static const char sql[] =
	    "SELECT kind, port_lo, port_hi, name,"
	    " snippet(search, 5, '[', ']', '...', 12), bm25(search, 0, 0, 0, 0, 10.0, 1.0)"
	    " FROM search WHERE search MATCH ?1 ORDER BY rank LIMIT ?2";
	struct rows r;
	sqlite3_stmt *stmt; /* r's, to bind and read */
	char key[128];

	if (rows_open(st, &r, sql, e) == -1)
		return -1;
	stmt = r.stmt;
	sqlite3_bind_text(stmt, 1, expr, -1, SQLITE_STATIC);
	sqlite3_bind_int(stmt, 2, limit * 4); /* room for folding duplicates */
	while (rows_next(&r) == 1 && (int)json_array_size(hits) < limit) {
		const char *name = (const char *)sqlite3_column_text(stmt, 3);
		json_t *lo = sqlite3_column_type(stmt, 1) == SQLITE_NULL
		                 ? json_null()
		                 : json_integer(sqlite3_column_int64(stmt, 1));
		json_t *hi = sqlite3_column_type(stmt, 2) == SQLITE_NULL
		                 ? json_null()
		                 : json_integer(sqlite3_column_int64(stmt, 2));

		snprintf(key, sizeof(key), "%lld-%lld/%s", (long long)sqlite3_column_int64(stmt, 1),
		         (long long)sqlite3_column_int64(stmt, 2), name ? name : "");
		if (json_object_get(seen, key)) {
			json_decref(lo);
			json_decref(hi);
			continue;
		}
		json_object_set_new(seen, key, json_true());
		json_array_append_new(hits, json_pack("{s:s, s:o, s:o, s:s, s:s, s:f}", "kind",
		                                      sqlite3_column_text(stmt, 0), "port_lo", lo,
		                                      "port_hi", hi, "name", name ? name : "",
		                                      "snippet", sqlite3_column_text(stmt, 4),
		                                      "score", -sqlite3_column_double(stmt, 5)));
	}
	return rows_close(&r);
}

json_t *
search_run(struct store *st, const char *text, int limit, struct err *e)
{
	char expr[1024];
	json_t *hits = json_array(), *seen = json_object(), *res = NULL;
	int any = 0;

	if (limit <= 0 || limit > SEARCH_MAX_LIMIT)
		limit = SEARCH_MAX_LIMIT;
	if (search_expression(text, 0, expr, sizeof(expr), e) == -1 ||
	    search_collect(st, expr, limit, hits, seen, e) == -1)
		goto done;
	if (json_array_size(hits) == 0) {
		any = 1;
		if (search_expression(text, 1, expr, sizeof(expr), e) == -1 ||
		    search_collect(st, expr, limit, hits, seen, e) == -1)
			goto done;
	}
	res = json_pack("{s:s, s:s, s:s, s:O}", "schema", SEARCH_SCHEMA, "query", text, "match",
	                any ? "any word" : "all words", "hits", hits);
done:
	json_decref(hits);
	json_decref(seen);
	return res;
}
