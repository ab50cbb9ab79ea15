/*
 * cstore_sqlite.c - the claims store in a SQLite file of its own, the
 * embedded default (cstore.h).
 *
 * Never the registry file: that one is an immutable snapshot, replaced
 * whole by `portolan update` with a rename, which would take every claim
 * with it.  The file keeps a rollback journal, not a WAL: claims are
 * written rarely, by a person, and read by every lookup, and a reader of a
 * WAL file opens, locks and extends its -wal and -shm files too (forty
 * syscalls, 0.15 ms of a 1.4 ms lookup, where the journal costs a read lock
 * and a stat).  Readers still read while a writer holds BEGIN IMMEDIATE;
 * only its commit makes them wait (busy_timeout), for milliseconds.  A
 * store made in WAL mode by an older portolan is turned back on its next
 * write.  synchronous=FULL makes a claim that was answered "added" survive
 * a power cut.  The schema version lives in a table
 * (schema_version), as in the PostgreSQL backend, so both migrate alike.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <sqlite3.h>

#include "cstore_impl.h"

struct cstore_sqlite {
	struct cstore base;
	sqlite3 *db;
	char path[CSTORE_MAX_URL];
};

static const char cstore_sqlite_schema[] =
    "CREATE TABLE IF NOT EXISTS schema_version(version INTEGER NOT NULL);"
    "CREATE TABLE IF NOT EXISTS claim("
    " port_lo INTEGER NOT NULL, port_hi INTEGER NOT NULL, protos INTEGER NOT NULL,"
    " service TEXT NOT NULL, owner TEXT NOT NULL, contact TEXT NOT NULL, hosts TEXT NOT NULL,"
    " note TEXT NOT NULL, made_by TEXT NOT NULL, made_at TEXT NOT NULL, ack TEXT NOT NULL,"
    " UNIQUE (port_lo, port_hi, protos, hosts));"
    "INSERT INTO schema_version SELECT 1 WHERE NOT EXISTS (SELECT 1 FROM schema_version);";

static int
cstore_sqlite_fail(struct cstore_sqlite *s, const char *what, struct err *e)
{
	return err_internal(e, "%s: %s: %s", s->path, what, sqlite3_errmsg(s->db));
}

static int
cstore_sqlite_exec(struct cstore *st, const char *sql, struct err *e)
{
	struct cstore_sqlite *s = (struct cstore_sqlite *)st;

	if (sqlite3_exec(s->db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return cstore_sqlite_fail(s, sql, e);
	return 0;
}

static int
cstore_sqlite_begin(struct cstore *st, int lock, struct err *e)
{
	(void)lock; /* BEGIN IMMEDIATE takes SQLite's one write lock */
	return cstore_sqlite_exec(st, "BEGIN IMMEDIATE", e);
}

static int
cstore_sqlite_commit(struct cstore *st, struct err *e)
{
	return cstore_sqlite_exec(st, "COMMIT", e);
}

static void
cstore_sqlite_rollback(struct cstore *st)
{
	sqlite3_exec(((struct cstore_sqlite *)st)->db, "ROLLBACK", NULL, NULL, NULL);
}

static void
cstore_sqlite_text(sqlite3_stmt *q, int col, char *buf, size_t len)
{
	const unsigned char *t = sqlite3_column_text(q, col);

	snprintf(buf, len, "%s", t ? (const char *)t : "");
}

static int
cstore_sqlite_load(struct cstore *st, struct claim_list *out, struct err *e)
{
	struct cstore_sqlite *s = (struct cstore_sqlite *)st;
	sqlite3_stmt *q;
	int rc;

	if (sqlite3_prepare_v2(s->db, "SELECT " CSTORE_COLUMNS " FROM claim", -1, &q, NULL) !=
	    SQLITE_OK)
		return cstore_sqlite_fail(s, "reading the claims", e);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		struct claim c = {0};

		c.lo = sqlite3_column_int(q, 0);
		c.hi = sqlite3_column_int(q, 1);
		c.protos = (unsigned)sqlite3_column_int(q, 2);
		cstore_sqlite_text(q, 3, c.service, sizeof(c.service));
		cstore_sqlite_text(q, 4, c.owner, sizeof(c.owner));
		cstore_sqlite_text(q, 5, c.contact, sizeof(c.contact));
		cstore_sqlite_text(q, 6, c.hosts, sizeof(c.hosts));
		cstore_sqlite_text(q, 7, c.note, sizeof(c.note));
		cstore_sqlite_text(q, 8, c.by, sizeof(c.by));
		cstore_sqlite_text(q, 9, c.at, sizeof(c.at));
		cstore_sqlite_text(q, 10, c.ack, sizeof(c.ack));
		if (claims_append(out, &c, e) == -1) {
			sqlite3_finalize(q);
			return -1;
		}
	}
	sqlite3_finalize(q);
	return rc == SQLITE_DONE ? 0 : cstore_sqlite_fail(s, "reading the claims", e);
}

/* Run sql with c's columns bound in CSTORE_COLUMNS order (?1..?11). */
static int
cstore_sqlite_write(struct cstore *st, const char *sql, const struct claim *c, struct err *e)
{
	struct cstore_sqlite *s = (struct cstore_sqlite *)st;
	const char *text[] = {c->service, c->owner, c->contact, c->hosts,
	                      c->note,    c->by,    c->at,      c->ack};
	sqlite3_stmt *q;
	int rc;

	if (sqlite3_prepare_v2(s->db, sql, -1, &q, NULL) != SQLITE_OK)
		return cstore_sqlite_fail(s, "writing a claim", e);
	sqlite3_bind_int(q, 1, (int)c->lo);
	sqlite3_bind_int(q, 2, (int)c->hi);
	sqlite3_bind_int(q, 3, (int)c->protos);
	for (int i = 0; i < 8 && sqlite3_bind_parameter_count(q) > 3; i++)
		sqlite3_bind_text(q, 4 + i, text[i], -1, SQLITE_STATIC);
	rc = sqlite3_step(q);
	sqlite3_finalize(q);
	return rc == SQLITE_DONE ? 0 : cstore_sqlite_fail(s, "writing a claim", e);
}

static int
cstore_sqlite_put(struct cstore *st, const struct claim *c, struct err *e)
{
	return cstore_sqlite_write(st,
	                           "INSERT OR REPLACE INTO claim (" CSTORE_COLUMNS ") VALUES"
	                           " (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
	                           c, e);
}

static int
cstore_sqlite_del(struct cstore *st, const struct claim *c, struct err *e)
{
	return cstore_sqlite_write(st,
	                           "DELETE FROM claim WHERE port_lo = ?1 AND port_hi = ?2"
	                           " AND protos = ?3 AND hosts = ?7",
	                           c, e);
}

static void
cstore_sqlite_close(struct cstore *st)
{
	struct cstore_sqlite *s = (struct cstore_sqlite *)st;

	sqlite3_close(s->db);
	free(s);
}

static const struct cstore_ops cstore_sqlite_ops = {
    .kind = "sqlite",
    .begin = cstore_sqlite_begin,
    .commit = cstore_sqlite_commit,
    .rollback = cstore_sqlite_rollback,
    .load = cstore_sqlite_load,
    .put = cstore_sqlite_put,
    .del = cstore_sqlite_del,
    .reconnect = NULL,
    .close = cstore_sqlite_close,
};

int
cstore_sqlite_open(const char *path, enum cstore_mode mode, struct cstore **out, struct err *e)
{
	struct cstore_sqlite *s;
	struct stat sb;
	int flags = mode == CSTORE_WRITE ? SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE
	                                 : SQLITE_OPEN_READONLY;

	*out = NULL;
	if (mode == CSTORE_READ && stat(path, &sb) == -1 && errno == ENOENT)
		return 0; /* no claims file yet: no claims */
	if ((s = calloc(1, sizeof(*s))) == NULL)
		return err_internal(e, "store: out of memory");
	s->base.ops = &cstore_sqlite_ops;
	s->base.retries = CSTORE_RETRIES;
	snprintf(s->path, sizeof(s->path), "%s", path);
	if (sqlite3_open_v2(path, &s->db, flags | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		err_internal(e, "cannot open the claims database %s: %s", path,
		             s->db ? sqlite3_errmsg(s->db) : "out of memory");
		cstore_sqlite_close(&s->base);
		return -1;
	}
	sqlite3_busy_timeout(s->db, 5000);
	if (mode == CSTORE_WRITE &&
	    (cstore_sqlite_exec(&s->base, "PRAGMA journal_mode=DELETE; PRAGMA synchronous=FULL",
	                        e) == -1 ||
	     cstore_sqlite_exec(&s->base, cstore_sqlite_schema, e) == -1)) {
		cstore_sqlite_close(&s->base);
		return -1;
	}
	*out = &s->base;
	return 0;
}
