/*
 * claimcache.h - the organisation's claims as the web server shows them
 * (the /claims page, each port page, and /api/v1/free leaving them out).
 *
 * One claims store (src/claims/cstore.h) per server, behind a mutex, and
 * the list it last gave, refreshed at most every CLAIMCACHE_TTL_MS: a
 * request never waits for a store more than once a second, and several
 * servers on one PostgreSQL show a new claim within that second.  When a
 * refresh fails (PostgreSQL restarting) the last list keeps being served
 * and the failure is counted, never a crash; a store that did not exist
 * when the server started is looked for again at each refresh.
 *
 * Thread safety: every function may be called from any thread.  Memory:
 * JSON returned is a new reference; the struct owns its store.
 */
#ifndef PORTOLAN_CLAIMCACHE_H
#define PORTOLAN_CLAIMCACHE_H

#include <stddef.h>

#include <jansson.h>

#include "util/err.h"

#define CLAIMCACHE_TTL_MS 1000

struct claimcache;

/* Open url (read-only; a SQLite file not yet created is no claims, for now). */
int claimcache_open(const char *url, struct claimcache **out, struct err *e);
void claimcache_close(struct claimcache *cc);

/* Every claim, as claims_json() objects sorted by port: {"claims": [...], "stale": bool}. */
json_t *claimcache_all(struct claimcache *cc);
/* The report hook (report_env.claims): the claims on lo..hi; ctx is the claimcache. */
json_t *claimcache_hook(void *ctx, long lo, long hi);
/* The [lo, hi] of every claim into a new array (free() it), *n of them; NULL when none. */
long (*claimcache_ranges(struct claimcache *cc, size_t *n))[2];
/*
 * A number that changes whenever the claims do (refreshing first, as the
 * calls above do): the server keys its cached pages by it, so a page
 * cached before a claim was added or removed is not served after.  0
 * for no claims store (cc NULL).
 */
unsigned long claimcache_generation(struct claimcache *cc);
/* Refreshes that failed since the start (for /metrics and the tests). */
unsigned long claimcache_failures(struct claimcache *cc);

#endif
