/*
 * cstore_impl.h - what a claims store backend provides (cstore.c writes
 * the rules once over these).  Private to src/claims/.
 *
 * Each backend's struct starts with a struct cstore.  begin() opens a
 * write transaction holding the write lock; load(), put() and del() run
 * inside it (or, load() alone, outside one); commit()/rollback() end it.
 * A backend sets st->lost when the failure was a lost connection, and
 * reconnect() (NULL for SQLite) makes a new one: cstore.c then retries the
 * whole transaction.
 */
#ifndef PORTOLAN_CSTORE_IMPL_H
#define PORTOLAN_CSTORE_IMPL_H

#include "cstore.h"

struct cstore_ops {
	const char *kind;
	/* lock: also take the claims' write lock (claims writes; votes need none). */
	int (*begin)(struct cstore *st, int lock, struct err *e);
	int (*commit)(struct cstore *st, struct err *e);
	void (*rollback)(struct cstore *st);
	int (*load)(struct cstore *st, struct claim_list *out, struct err *e);
	/* Insert c, or replace the claim with c's key. */
	int (*put)(struct cstore *st, const struct claim *c, struct err *e);
	/* Delete the claim with c's key. */
	int (*del)(struct cstore *st, const struct claim *c, struct err *e);
	int (*reconnect)(struct cstore *st, struct err *e);
	/* The votes (NULL where the backend keeps none: SQLite, whose votes are votes.c's). */
	int (*votes_put)(struct cstore *st, const struct cstore_vote *v, size_t n, struct err *e);
	int (*votes_salt)(struct cstore *st, const char *day, const char *keep_from,
	                  const unsigned char *fresh, unsigned char *out, size_t len,
	                  struct err *e);
	int (*votes_tally)(struct cstore *st, cstore_tally_fn fn, void *arg, struct err *e);
	void (*close)(struct cstore *st);
};

struct cstore {
	const struct cstore_ops *ops;
	int lost;    /* the last failure was a lost connection: reconnect, retry */
	int retries; /* attempts per operation (cstore_set_retries()) */
	cstore_notify_fn notify;
	void *notify_arg;
};

/* The tables, as both backends create them (column types aside). */
#define CSTORE_COLUMNS                                                                             \
	"port_lo, port_hi, protos, service, owner, contact, hosts, note, made_by, made_at, ack"

int cstore_sqlite_open(const char *path, enum cstore_mode mode, struct cstore **out, struct err *e);
/* Set by cstore_postgresql_enable(); NULL when the backend is not linked. */
extern int (*cstore_pg_open)(const char *url, struct cstore **out, struct err *e);

#endif
