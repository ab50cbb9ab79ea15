/*
 * rows.h - a checked row cursor over one query of the store.
 *
 * SQLite's own rule is that every sqlite3_step() result is checked: a
 * loop that stops at "anything but SQLITE_ROW" reads a corrupt page as the
 * end of the rows and answers from half the data.  Every query outside
 * src/registry/ goes through a struct rows, which tells the three apart:
 *
 *	struct rows r;
 *
 *	if (rows_open(st, &r, "SELECT a FROM t WHERE c = ?1", e) == -1)
 *		return -1;
 *	sqlite3_bind_int64(r.stmt, 1, c);
 *	while (rows_next(&r) == 1)
 *		use(sqlite3_column_int64(r.stmt, 0));
 *	if (rows_close(&r) == -1)
 *		return -1;
 *
 * The error is sticky: the first failed step fills the struct err given to
 * rows_open() with the database file's path and SQLite's message, and
 * rows_close() returns -1 however the loop ended (a loop that stops early,
 * or a lookup reset and reused many times, needs no check of its own).  A
 * failure is ERR_INTERNAL (exit 3): the database is damaged or unreadable,
 * which no query can work around.
 *
 * The caller binds parameters and reads columns through r.stmt with
 * sqlite3_bind_*() and sqlite3_column_*(); it never steps, resets or
 * finalizes the statement itself.  The struct lives on the caller's stack;
 * rows_close() frees the statement, and may be called after a failed
 * rows_open() too.
 */
#ifndef PORTOLAN_ROWS_H
#define PORTOLAN_ROWS_H

#include <sqlite3.h>

#include "store.h"
#include "util/err.h"

struct rows {
	sqlite3_stmt *stmt; /* bind and read columns only */
	struct store *st;
	struct err *e; /* where a failure is reported (may be NULL) */
	int failed;    /* a step failed: rows_close() returns -1 */
};

/* Prepare sql on st.  -1 with e filled when SQLite refuses it (a damaged schema). */
int rows_open(struct store *st, struct rows *r, const char *sql, struct err *e);
/* 1: a row is ready in r->stmt; 0: no more rows; -1: SQLite failed, e filled. */
int rows_next(struct rows *r);
/* Rewind to run the query again (with new bindings); an earlier failure is kept. */
void rows_reset(struct rows *r);
/* Free the statement: 0, or -1 when any step failed (e was filled then). */
int rows_close(struct rows *r);

#endif
