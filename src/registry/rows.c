/*
 * rows.c - see rows.h.
 *
 * The message names the database file, since the reader's next step is
 * about that file (rebuild it, or restore it), and for a damaged file says
 * so: SQLite's "database disk image is malformed" alone does not say that
 * `portolan update` mends it.
 */
#include <stddef.h>

#include "rows.h"

static int
rows_fail(struct rows *r, int rc)
{
	const char *hint = "";

	r->failed = 1;
	/*
	 * The file is read-only and immutable, so a query that fails for any
	 * other reason than memory met a file that is not what update wrote
	 * (FTS5 says "vtable constructor failed" of a damaged index).
	 */
	if (rc == SQLITE_CORRUPT || rc == SQLITE_NOTADB)
		hint = "; rebuild it with `portolan update`";
	else if (rc != SQLITE_NOMEM)
		hint = " (is it damaged? rebuild it with `portolan update`)";
	return err_internal(r->e, "%s: cannot read the database: %s%s", store_path(r->st),
	                    sqlite3_errmsg(store_db(r->st)), hint);
}

int
rows_open(struct store *st, struct rows *r, const char *sql, struct err *e)
{
	int rc;

	*r = (struct rows){.st = st, .e = e};
	rc = sqlite3_prepare_v2(store_db(st), sql, -1, &r->stmt, NULL);
	if (rc != SQLITE_OK)
		return rows_fail(r, rc & 0xff);
	return 0;
}

int
rows_next(struct rows *r)
{
	int rc;

	if (r->failed)
		return -1;
	rc = sqlite3_step(r->stmt);
	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE)
		return 0;
	return rows_fail(r, rc & 0xff);
}

void
rows_reset(struct rows *r)
{
	sqlite3_reset(r->stmt);
}

int
rows_close(struct rows *r)
{
	sqlite3_finalize(r->stmt);
	r->stmt = NULL;
	return r->failed ? -1 : 0;
}
