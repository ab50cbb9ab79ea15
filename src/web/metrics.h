/*
 * metrics.h - what /metrics reports, in Prometheus' text format: requests
 * by route and status, their durations as a histogram per route, votes,
 * the page cache, and the connections each server thread holds.
 *
 * Counters are C11 atomics updated with relaxed ordering: each is a sum
 * read by a scraper that tolerates a counter being a request behind, so
 * no lock is worth taking on the request path.  The struct is owned by
 * the server (no global state); metrics_render() appends the text.
 */
#ifndef PORTOLAN_METRICS_H
#define PORTOLAN_METRICS_H

#include <stdatomic.h>

#include "routes.h"
#include "util/strbuf.h"

#define METRICS_STATUSES 14 /* 200 204 301 303 304 400 404 405 413 414 429 500 503, other */
#define METRICS_BUCKETS  10 /* 0.5 ms ... 1 s, then +Inf */

struct metrics {
	atomic_ullong requests[ROUTE_COUNT][METRICS_STATUSES];
	atomic_ullong buckets[ROUTE_COUNT][METRICS_BUCKETS + 1];
	atomic_ullong micros[ROUTE_COUNT]; /* sum of durations, microseconds */
	atomic_ullong votes_rejected[4];   /* malformed, rate-limited, not committed, cross-site */
	atomic_ullong cache_hits, cache_misses;
};

enum metrics_reject {
	METRICS_VOTE_MALFORMED,
	METRICS_VOTE_RATE,
	METRICS_VOTE_FAILED,
	METRICS_VOTE_CROSS_SITE
};

void metrics_init(struct metrics *m);
/* One answered request: its route, status and duration in microseconds. */
void metrics_request(struct metrics *m, enum route r, int status, unsigned long long micros);
void metrics_vote_rejected(struct metrics *m, enum metrics_reject why);
void metrics_cache(struct metrics *m, int hit);
/* Append the exposition text; votes_committed as reported by votes.h. */
int metrics_render(struct metrics *m, unsigned long long votes_committed, struct strbuf *out);
/* Append the gauge of open connections, one series per server thread. */
int metrics_render_connections(const int *per_thread, size_t n, struct strbuf *out);

#endif
