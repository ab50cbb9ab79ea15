/*
 * feedback.c - the votes file read back for `portolan feedback` (feedback.h).
 *
 * Only the server writes votes (votes.c); this side opens the file read-only
 * and lets SQLite do the counting.  It lives apart from the writer so that
 * the `portolan` binary, which only reads tallies, links neither the
 * writer's thread and queue nor the HMAC behind its client keys: nettle's
 * start-up CPU probing alone cost every lookup 0.2 ms (bench/lookup).
 */
#include <string.h>

#include <sqlite3.h>

#include "canon.h"
#include "claims/cstore.h"
#include "feedback.h"
#include "votes.h"

/*
 * SQL canonical(page): 1 when page is a page's one name (canon.h).  Rows
 * under an alias - /port/022, /service/SSH - come from servers before
 * votes were stored canonically; they would count one client's vote on
 * one page once per spelling, so the tallies leave them out.
 */
static void
feedback_canonical(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const char *page = (const char *)sqlite3_value_text(argv[0]);
	char canon[CANON_MAX];

	(void)argc;
	sqlite3_result_int(ctx, page != NULL && canon_page(page, canon, sizeof(canon)) == 0 &&
	                            strcmp(canon, page) == 0);
}

static json_t *
feedback_row(sqlite3_stmt *s)
{
	json_int_t sad = sqlite3_column_int64(s, 2), meh = sqlite3_column_int64(s, 3),
	           happy = sqlite3_column_int64(s, 4), n = sqlite3_column_int64(s, 5);

	return json_pack("{s:s, s:s, s:I, s:I, s:I, s:I, s:f}", "page",
	                 (const char *)sqlite3_column_text(s, 0), "lang",
	                 (const char *)sqlite3_column_text(s, 1), "sad", sad, "meh", meh, "happy",
	                 happy, "votes", n, "score", sqlite3_column_double(s, 6));
}

json_t *
feedback_tally(const char *path, size_t worst, struct err *e)
{
	static const char sql[] =
	    "SELECT page, lang, sum(answer = 'sad'), sum(answer = 'meh'), sum(answer = 'happy'),"
	    " count(*), (sum(answer = 'happy') - sum(answer = 'sad')) * 1.0 / count(*) AS score"
	    " FROM vote WHERE canonical(page) GROUP BY page, lang"
	    " ORDER BY score, count(*) DESC, page, lang LIMIT ?";
	sqlite3 *db = NULL;
	sqlite3_stmt *s = NULL;
	json_t *res = NULL, *rows, *row;
	json_int_t total = 0;
	int rc;

	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
		err_set(e, "%s: no votes database (%s); `portolan serve` creates it", path,
		        sqlite3_errmsg(db));
		goto done;
	}
	sqlite3_busy_timeout(db, VOTES_BUSY_MS);
	if (sqlite3_create_function(db, "canonical", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL,
	                            feedback_canonical, NULL, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK) {
		err_internal(e, "%s: %s", path, sqlite3_errmsg(db));
		goto done;
	}
	sqlite3_bind_int64(s, 1, worst ? (sqlite3_int64)worst : -1);
	res = json_pack("{s:s, s:I, s:[]}", "schema", "portolan.feedback/1", "votes", (json_int_t)0,
	                "tallies");
	rows = json_object_get(res, "tallies");
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		row = feedback_row(s);
		total += sqlite3_column_int64(s, 5);
		json_array_append_new(rows, row);
	}
	if (rc != SQLITE_DONE) {
		err_internal(e, "%s: %s", path, sqlite3_errmsg(db));
		json_decref(res);
		res = NULL;
		goto done;
	}
	json_object_set_new(res, "votes", json_integer(total));
done:
	sqlite3_finalize(s);
	sqlite3_close(db);
	return res;
}

struct feedback_acc {
	json_t *rows;
	json_int_t total;
	size_t worst;
};

/* One tally from the store: canonical pages only, as feedback_tally() counts them. */
static int
feedback_store_row(void *arg, const char *page, const char *lang, long long sad, long long meh,
                   long long happy)
{
	struct feedback_acc *a = arg;
	char canon[CANON_MAX];
	long long n = sad + meh + happy;

	if (canon_page(page, canon, sizeof(canon)) != 0 || strcmp(canon, page) != 0 || n == 0)
		return 0;
	json_array_append_new(a->rows,
	                      json_pack("{s:s, s:s, s:I, s:I, s:I, s:I, s:f}", "page", page, "lang",
	                                lang, "sad", (json_int_t)sad, "meh", (json_int_t)meh,
	                                "happy", (json_int_t)happy, "votes", (json_int_t)n, "score",
	                                (double)(happy - sad) / (double)n));
	a->total += n;
	return a->worst && json_array_size(a->rows) >= a->worst;
}

json_t *
feedback_tally_store(struct cstore *st, size_t worst, struct err *e)
{
	struct feedback_acc a = {json_array(), 0, worst};

	if (cstore_votes_tally(st, feedback_store_row, &a, e) == -1) {
		json_decref(a.rows);
		return NULL;
	}
	return json_pack("{s:s, s:I, s:o}", "schema", "portolan.feedback/1", "votes", a.total,
	                 "tallies", a.rows);
}
