/*
 * cstore.h - where an organisation's claims live: one interface, two
 * backends.
 *
 * The registry database is an immutable snapshot replaced whole by
 * `portolan update`, so what people write - claims - lives apart from it:
 * in a SQLite file of its own (the embedded default, "<db>.claims" beside
 * the registry), or in PostgreSQL when several hosts and servers must
 * share one list (`--store postgresql://...` or $PORTOLAN_STORE).  The
 * rules (no two claims overlap; import is atomic) are written once, here,
 * over a handful of primitives each backend provides (cstore_impl.h).
 *
 * Store URLs: "postgresql://..." or "postgres://..." (libpq's URI syntax,
 * https://www.postgresql.org/docs/current/libpq-connect.html), "sqlite:PATH",
 * or a plain PATH.  The PostgreSQL backend is linked into portolan-serve
 * only (libpq, like libcurl, wants a dynamic program); the static
 * portolan hands a command that names a PostgreSQL store to it
 * (cli_claims_open()).  cstore_postgresql_enable() is what links it.
 *
 * Every write is one transaction holding the store's write lock (SQLite:
 * BEGIN IMMEDIATE; PostgreSQL: a SHARE ROW EXCLUSIVE lock on the claim
 * table), so the overlap check and the insert cannot interleave with
 * another host's.  A lost PostgreSQL connection is retried with backoff
 * (CSTORE_RETRIES attempts, doubling from CSTORE_BACKOFF_MS) and each
 * retry is reported through the notify callback; when all fail the call
 * returns -1 with ERR_INTERNAL, never a crash.
 *
 * Memory: struct cstore owns its connection; cstore_close() frees it.
 * Lists returned are the caller's (claims_free()).  Thread safety: one
 * cstore per thread.
 */
#ifndef PORTOLAN_CSTORE_H
#define PORTOLAN_CSTORE_H

#include "claims.h"
#include "util/err.h"

#define CSTORE_SCHEMA_VERSION 1
#define CSTORE_RETRIES        6
#define CSTORE_BACKOFF_MS     100
#define CSTORE_MAX_URL        1024

struct cstore;

enum cstore_mode {
	CSTORE_WRITE, /* create the store (file, schema) when missing */
	CSTORE_READ,  /* a missing SQLite file is no store: *out is NULL, 0 returned */
};

/* 1 when url names a PostgreSQL server (postgresql:// or postgres://). */
int cstore_is_postgresql(const char *url);
/*
 * Check a store URL without connecting: bounded, a known scheme, no
 * control characters; -1 with ERR_INPUT.  cstore_open() calls it.
 */
int cstore_url_check(const char *url, struct err *e);
/* Parse a PostgreSQL URL as libpq will, without connecting; -1 with ERR_INPUT. */
int cstore_pg_url_check(const char *url, struct err *e);
/* Link the PostgreSQL backend in (portolan-serve and the tests call it). */
void cstore_postgresql_enable(void);
/* 1 when this program can open url (a PostgreSQL URL needs the backend linked). */
int cstore_can_open(const char *url);

int cstore_open(const char *url, enum cstore_mode mode, struct cstore **out, struct err *e);
void cstore_close(struct cstore *st);
/* "sqlite" or "postgresql". */
const char *cstore_kind(const struct cstore *st);

/* Called with a sentence for each retry of a lost connection. */
typedef void (*cstore_notify_fn)(void *arg, const char *msg);
void cstore_set_notify(struct cstore *st, cstore_notify_fn fn, void *arg);

/*
 * How many attempts an operation makes on a lost connection (default
 * CSTORE_RETRIES); 1: fail at once, as a web page that must not wait does.
 * A later call still reconnects first.
 */
void cstore_set_retries(struct cstore *st, int attempts);

/* Every claim, sorted by port.  A NULL store has none. */
int cstore_list(struct cstore *st, struct claim_list *out, struct err *e);

/*
 * Store c unless it overlaps a stored claim: then -1, ERR_INPUT, and the
 * claim it overlaps in *clash (when clash is not NULL; clash->service is
 * "" otherwise).
 */
int cstore_add(struct cstore *st, const struct claim *c, struct claim *clash, struct err *e);

/* Remove the claims on port (any protocol/hosts when protos is 0 / hosts NULL); *n removed. */
int cstore_remove(struct cstore *st, long port, unsigned protos, const char *hosts, long *n,
                  struct err *e);

struct cstore_counts {
	long added, updated, unchanged, removed;
};
/*
 * Make the store hold every claim of l, in one transaction: a claim with
 * the same key (ports, protocols, hosts) is updated, a new one added; with
 * replace, stored claims l lacks are removed.  A claim of l that overlaps
 * a stored claim with another key fails the whole import (ERR_INPUT).
 * Importing the same list twice changes nothing the second time.
 */
int cstore_import(struct cstore *st, const struct claim_list *l, int replace,
                  struct cstore_counts *counts, struct err *e);

/*
 * The site's votes in a PostgreSQL store (src/web/votes.c, when the
 * server's --store is PostgreSQL), so that several servers share them and
 * the one-vote-per-page-per-client-per-day rule holds across them.  The
 * SQLite votes file stays votes.c's own.
 */
struct cstore_vote {
	const char *page, *lang, *answer, *day;
	const unsigned char *client;
	size_t client_len;
};
/*
 * Store n votes in one transaction: a vote on a (page, client, day) already
 * voted replaces the answer.  That makes a retry after a lost connection
 * safe (a commit whose answer was lost is simply repeated), so nothing is
 * counted twice.  -1 when the store is not PostgreSQL or all retries failed.
 */
int cstore_votes_put(struct cstore *st, const struct cstore_vote *v, size_t n, struct err *e);
/*
 * The salt of day ("YYYY-MM-DD"): the stored one, else fresh (stored now;
 * the first server to store a day's salt wins, every other reads it), and
 * forget salts of days before keep_from.  len bytes into out.
 */
/* One page's tally, for cstore_votes_tally(). */
typedef int (*cstore_tally_fn)(void *arg, const char *page, const char *lang, long long sad,
                               long long meh, long long happy);
/*
 * The votes' tallies per page and language, least helpful first (score =
 * (happy - sad) / votes ascending, more votes first on a tie, then page
 * and language), each to fn until it returns non-zero.
 */
int cstore_votes_tally(struct cstore *st, cstore_tally_fn fn, void *arg, struct err *e);
int cstore_votes_salt(struct cstore *st, const char *day, const char *keep_from,
                      const unsigned char *fresh, unsigned char *out, size_t len, struct err *e);

#endif
