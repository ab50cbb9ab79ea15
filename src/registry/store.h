/*
 * store.h - the SQLite database every answer comes from.
 *
 * One file holds everything portolan knows: registry records, people,
 * footnotes, other databases' names for ports (nmap-services, /etc/services),
 * the curated knowledge, and where each fact came from (table source).  The
 * schema is documented in docs/database.md and versioned with PRAGMA
 * user_version; a database from another schema version is refused with a
 * message that says to run `portolan update`.
 *
 * Writers never modify a live database: store_create() makes a fresh file
 * (the caller, update.c, builds it beside the live one and renames it over),
 * and everything is written inside one transaction.  Readers open read-only,
 * so a lookup can never damage the database and many can run at once.
 *
 * The struct store owns its sqlite3 handle and prepared statements;
 * store_close() frees both.  Strings returned by store_* query helpers are
 * owned by the caller unless the comment says otherwise.
 */
#ifndef PORTOLAN_STORE_H
#define PORTOLAN_STORE_H

#include <sqlite3.h>

#include "model.h"

#define STORE_SCHEMA_VERSION                                                                       \
	5 /* 2: table likely; 3: table exposure; 4: curated_alias, search by field;                \
	     5: translation */

struct store;

/*
 * Open an existing database read-only.  Missing file or wrong schema: -1,
 * ERR_INPUT ("no database at FILE: build it with `portolan update`").  A
 * file that cannot be read ("cannot read FILE: Permission denied") or is
 * damaged ("FILE: not a portolan database (...)"): -1, ERR_INTERNAL.
 */
int store_open(const char *path, struct store **out, struct err *e);
/* Create a new, empty database at path (which must not exist) with the current schema. */
int store_create(const char *path, struct store **out, struct err *e);
void store_close(struct store *st);
/* The raw handle, for src/registry/ only: queries elsewhere go through rows.h. */
sqlite3 *store_db(struct store *st);
/* The file st was opened or created as, for messages that name it. */
const char *store_path(const struct store *st);

int store_begin(struct store *st, struct err *e);
int store_commit(struct store *st, struct err *e);

/*
 * Register a source of facts ("IANA XML", kind "iana-xml", the path or URL)
 * and return its id; every fact added afterwards through store_sink() is
 * attributed to it.  as_of is the source's own date ("" when unknown).
 */
int store_add_source(struct store *st, const char *name, const char *kind, const char *location,
                     const char *as_of, long long *id, struct err *e);
int store_set_source_date(struct store *st, long long id, const char *as_of, struct err *e);
int store_set_source_count(struct store *st, long long id, long long count, struct err *e);

/* A sink (see model.h) that writes into st, attributing facts to source_id. */
struct store_sink_ctx {
	struct store *st;
	long long source_id;
	long long count; /* facts written so far through this sink */
};
struct reg_sink store_sink(struct store_sink_ctx *ctx);

int store_set_meta(struct store *st, const char *key, const char *value, struct err *e);
/* Copy meta value into buf; returns 0 if found, -1 if not (buf set to ""). */
int store_get_meta(struct store *st, const char *key, char *buf, size_t len);

/* Run a statement that takes no parameters and returns no rows. */
int store_exec(struct store *st, const char *sql, struct err *e);
/* Prepare a statement; on failure fills e with SQLite's message. */
int store_prepare(struct store *st, const char *sql, sqlite3_stmt **out, struct err *e);

/*
 * The widest port range (port_hi - port_lo) in a table, recorded by
 * store_index().  A range lookup "port_lo <= P AND port_hi >= P" cannot use
 * the (port_lo, port_hi) index well on its own: it scans every row below P.
 * Knowing no row is wider than W, "port_lo BETWEEN P - W AND P" bounds the
 * scan to the few rows that can overlap.  Unknown tables give PORT_MAX.
 */
long store_span(struct store *st, const char *table);

/*
 * Build the lookup indexes (idempotent).  A new database has none, so bulk
 * inserts need not keep them in order; call this before the first query
 * that needs one.  store_index() calls it too.
 */
int store_create_indexes(struct store *st, struct err *e);
/* Build the indexes and the full-text index from the tables.  Call once, after all imports. */
int store_index(struct store *st, struct err *e);

#endif
