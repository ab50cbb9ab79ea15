/*
 * routes.h - what the site answers to a request, apart from HTTP itself.
 *
 * server.c speaks HTTP (libmicrohttpd, headers, compression, caching,
 * suspending a connection while its vote commits); this module decides
 * the answer: which page, from which report, with which status.  Keeping
 * the two apart lets routes be reasoned about as plain functions from a
 * request to a reply, and keeps every fact about a port in the report
 * (report.h, pages.h, search.h): routes only pick the function and the
 * renderer.
 *
 * Memory: struct route_reply owns its body (strbuf); routes_reply_free()
 * releases it.  The request's strings are borrowed.  Errors are replies
 * (4xx/5xx with an HTML or JSON body), never -1: every request gets one.
 */
#ifndef PORTOLAN_ROUTES_H
#define PORTOLAN_ROUTES_H

#include <stddef.h>
#include <time.h>

#include "params.h"
#include "registry/store.h"
#include "report/report.h"
#include "util/strbuf.h"
#include "votes.h"

struct i18n;
struct i18n_set;

enum route {
	ROUTE_INDEX,
	ROUTE_PORT,
	ROUTE_SEARCH,
	ROUTE_RANGE,
	ROUTE_SERVICE,
	ROUTE_API_PORT,
	ROUTE_API_SEARCH,
	ROUTE_API_FREE,
	ROUTE_HEALTHZ,
	ROUTE_METRICS,
	ROUTE_ASSET,
	ROUTE_VOTE,
	ROUTE_CLAIMS,     /* /claims: the organisation's claims, read-only */
	ROUTE_API_CLAIMS, /* /api/v1/claims */
	ROUTE_OTHER,      /* 404s */
	ROUTE_COUNT,
};

#define ROUTES_BODY_LIMIT  (4u << 20) /* no page comes close; a bound all the same */
#define ROUTES_MOST_COMMON 20         /* ports in the home page's "most common" table */

struct route_request {
	const char *method; /* "GET", "HEAD", "POST"... */
	const char *path;   /* decoded, without the query */
	const struct params *query;
	const struct i18n *lang; /* i18n_pick() of ?lang= and Accept-Language */
	int want_json;           /* Accept: application/json (the vote's fetch) */
	const char *vote_token;  /* votes_token() of this page, for its vote form; or NULL */
};

struct route_reply {
	int status;
	const char *type;     /* Content-Type */
	const char *cache;    /* Cache-Control */
	const char *allow;    /* Allow, for 405; NULL otherwise */
	char location[256];   /* for 303; "" otherwise */
	int cacheable;        /* 1: the same request gives the same bytes (server may cache) */
	int live;             /* 1: the body shows this machine now, true for ROUTES_LIVE_TTL s */
	unsigned retry_after; /* seconds, for a 429 or 503; 0: no Retry-After */
	int close;            /* 1: close the connection after this answer (Connection: close) */
	struct strbuf body;
};

/* How long an answer showing this machine's listeners may be reused (server and browser). */
#define ROUTES_LIVE_TTL 2

struct routes_env {
	const struct i18n_set *langs;
	const struct report_env *report;
	int show_machine;     /* "on this machine now" on port pages and in the API */
	const char *base_url; /* absolute URL of "/", for canonical links; NULL: none */
	/* The organisation's claims (claimcache.h); NULL: the server has no claims store. */
	struct claimcache *claims;
};

/* Which route a path belongs to (for metrics, the cache, and the method check). */
enum route routes_match(const char *path);
const char *routes_name(enum route r);

void routes_reply_init(struct route_reply *rp);
void routes_reply_free(struct route_reply *rp);

/*
 * Answer a GET or HEAD of every route but assets, /metrics and /vote
 * (server.c owns those).  st is a read-only store only this thread uses.
 */
void routes_get(const struct routes_env *env, struct store *st, const struct route_request *rq,
                struct route_reply *rp);

/* An error page (HTML, or JSON under /api/ and for fetch) for status; detail (may be NULL) goes in
 * JSON. */
void routes_error(const struct routes_env *env, const struct route_request *rq, int status,
                  const char *detail, struct route_reply *rp);

/*
 * Parse and check a vote body (page, answer, lang) into vt (client and day
 * are the caller's).  -1 with e naming the field when malformed (400).
 */
int routes_vote_parse(const struct routes_env *env, const char *body, size_t len, struct vote *vt,
                      struct err *e);
/*
 * The answer once the vote is committed (ok 1) or not: 303 back to the
 * page with ?voted=1&lang=.., or with want_json 200 {"ok":true,"thanks":..}.
 */
void routes_vote_reply(const struct routes_env *env, const struct route_request *rq,
                       const struct vote *vt, int ok, struct route_reply *rp);

#endif
