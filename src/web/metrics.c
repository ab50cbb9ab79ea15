/*
 * metrics.c - counters and their Prometheus text exposition (metrics.h).
 *
 * Statuses are counted in a fixed table of the codes the server sends
 * (plus "other") rather than a map, so recording a request is two atomic
 * additions and an index computation, and the memory is fixed.
 */
#include <stdio.h>
#include <string.h>

#include "metrics.h"

static const int metrics_statuses[METRICS_STATUSES - 1] = {200, 204, 301, 303, 304, 400, 404,
                                                           405, 413, 414, 429, 500, 503};
static const unsigned long long metrics_le_us[METRICS_BUCKETS] = {
    500, 1000, 2500, 5000, 10000, 25000, 50000, 100000, 250000, 1000000};
static const char *const metrics_le[METRICS_BUCKETS] = {
    "0.0005", "0.001", "0.0025", "0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "1"};
static const char *const metrics_rejects[4] = {"malformed", "rate_limited", "not_committed",
                                               "cross_site"};

void
metrics_init(struct metrics *m)
{
	memset(m, 0, sizeof(*m)); /* all-zero bits are zero atomics on every ABI we build for */
}

static size_t
metrics_status_index(int status)
{
	size_t i;

	for (i = 0; i < METRICS_STATUSES - 1; i++)
		if (metrics_statuses[i] == status)
			return i;
	return METRICS_STATUSES - 1;
}

void
metrics_request(struct metrics *m, enum route r, int status, unsigned long long micros)
{
	size_t b;

	if (r >= ROUTE_COUNT)
		r = ROUTE_OTHER;
	atomic_fetch_add_explicit(&m->requests[r][metrics_status_index(status)], 1,
	                          memory_order_relaxed);
	for (b = 0; b < METRICS_BUCKETS && micros > metrics_le_us[b]; b++)
		;
	atomic_fetch_add_explicit(&m->buckets[r][b], 1, memory_order_relaxed);
	atomic_fetch_add_explicit(&m->micros[r], micros, memory_order_relaxed);
}

void
metrics_vote_rejected(struct metrics *m, enum metrics_reject why)
{
	atomic_fetch_add_explicit(&m->votes_rejected[why], 1, memory_order_relaxed);
}

void
metrics_cache(struct metrics *m, int hit)
{
	atomic_fetch_add_explicit(hit ? &m->cache_hits : &m->cache_misses, 1, memory_order_relaxed);
}

static unsigned long long
metrics_get(atomic_ullong *a)
{
	return atomic_load_explicit(a, memory_order_relaxed);
}

static void
metrics_render_requests(struct metrics *m, struct strbuf *out)
{
	unsigned long long n;
	size_t r, s;

	strbuf_appends(out, "# HELP portolan_http_requests_total Requests answered, by route and "
	                    "status.\n# TYPE portolan_http_requests_total counter\n");
	for (r = 0; r < ROUTE_COUNT; r++)
		for (s = 0; s < METRICS_STATUSES; s++) {
			if ((n = metrics_get(&m->requests[r][s])) == 0)
				continue;
			if (s < METRICS_STATUSES - 1)
				strbuf_appendf(
				    out,
				    "portolan_http_requests_total{route=\"%s\",status=\"%d\"} "
				    "%llu\n",
				    routes_name((enum route)r), metrics_statuses[s], n);
			else
				strbuf_appendf(
				    out,
				    "portolan_http_requests_total{route=\"%s\",status=\"other\"}"
				    " %llu\n",
				    routes_name((enum route)r), n);
		}
}

static void
metrics_render_durations(struct metrics *m, struct strbuf *out)
{
	unsigned long long cum;
	size_t r, b;

	strbuf_appends(out, "# HELP portolan_http_request_duration_seconds Time from the request "
	                    "line until the answer is queued.\n"
	                    "# TYPE portolan_http_request_duration_seconds histogram\n");
	for (r = 0; r < ROUTE_COUNT; r++) {
		const char *name = routes_name((enum route)r);

		if (metrics_get(&m->micros[r]) == 0 && metrics_get(&m->buckets[r][0]) == 0)
			continue; /* a route never asked for: no series */
		cum = 0;
		for (b = 0; b <= METRICS_BUCKETS; b++) {
			cum += metrics_get(&m->buckets[r][b]);
			strbuf_appendf(out,
			               "portolan_http_request_duration_seconds_bucket{route=\"%s\","
			               "le=\"%s\"} %llu\n",
			               name, b < METRICS_BUCKETS ? metrics_le[b] : "+Inf", cum);
		}
		strbuf_appendf(out,
		               "portolan_http_request_duration_seconds_sum{route=\"%s\"} %.6f\n",
		               name, (double)metrics_get(&m->micros[r]) / 1e6);
		strbuf_appendf(out,
		               "portolan_http_request_duration_seconds_count{route=\"%s\"} %llu\n",
		               name, cum);
	}
}

int
metrics_render(struct metrics *m, unsigned long long votes_committed, struct strbuf *out)
{
	size_t i;

	metrics_render_requests(m, out);
	metrics_render_durations(m, out);
	strbuf_appendf(out,
	               "# HELP portolan_votes_committed_total Votes durably committed.\n"
	               "# TYPE portolan_votes_committed_total counter\n"
	               "portolan_votes_committed_total %llu\n"
	               "# HELP portolan_votes_rejected_total Votes refused, by reason.\n"
	               "# TYPE portolan_votes_rejected_total counter\n",
	               votes_committed);
	for (i = 0; i < 4; i++)
		strbuf_appendf(out, "portolan_votes_rejected_total{reason=\"%s\"} %llu\n",
		               metrics_rejects[i], metrics_get(&m->votes_rejected[i]));
	return strbuf_appendf(out,
	                      "# HELP portolan_page_cache_total Page cache look-ups, by result.\n"
	                      "# TYPE portolan_page_cache_total counter\n"
	                      "portolan_page_cache_total{result=\"hit\"} %llu\n"
	                      "portolan_page_cache_total{result=\"miss\"} %llu\n",
	                      metrics_get(&m->cache_hits), metrics_get(&m->cache_misses));
}

int
metrics_render_connections(const int *per_thread, size_t n, struct strbuf *out)
{
	size_t i;
	int rc = strbuf_appends(out, "# HELP portolan_connections Client connections open, by "
	                             "server thread.\n# TYPE portolan_connections gauge\n");

	for (i = 0; rc == 0 && i < n; i++)
		rc = strbuf_appendf(out, "portolan_connections{thread=\"%zu\"} %d\n", i,
		                    per_thread[i]);
	return rc;
}
