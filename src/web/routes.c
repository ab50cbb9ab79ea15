/*
 * routes.c - from a request to a reply (routes.h).
 *
 * Each route is one small function: validate the path's argument with the
 * same strict parsers the command line uses (query.h), ask the report
 * layer for the object, hand it to the renderer.  An invalid argument is a
 * 404, not a 400: /port/abc names no page, whatever it was meant to be.
 * The API routes serve the report object itself, exactly as `portolan
 * lookup --json` prints it, so the site and the command line cannot
 * disagree.
 *
 * Who listens on this machine is private to the machine: unless the
 * server was told to show it (loopback or --show-machine), the report's
 * "listening" member is removed before anything is rendered.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "render/html.h"
#include "render/i18n.h"
#include "render/words.h"
#include "report/freeports.h"
#include "report/pages.h"
#include "report/query.h"
#include "report/search.h"
#include "canon.h"
#include "claimcache.h"
#include "public.h"
#include "routes.h"

#define ROUTES_HTML_HITS 50
#define ROUTES_API_HITS  20

static const char routes_html[] = "text/html; charset=utf-8";
static const char routes_json[] = "application/json";
static const char routes_cache_pages[] = "public, max-age=300";
#define ROUTES_STR(x)  ROUTES_STR_(x)
#define ROUTES_STR_(x) #x
/* Who listens here is neither shareable nor lasting. */
static const char routes_cache_live[] = "private, max-age=" ROUTES_STR(ROUTES_LIVE_TTL);
static const char routes_no_store[] = "no-store";

static const char *const routes_names[ROUTE_COUNT] = {
    "index",   "port",    "search", "range", "service", "api_port",   "api_search", "api_free",
    "healthz", "metrics", "asset",  "vote",  "claims",  "api_claims", "other",
};

static int
routes_prefix(const char *path, const char *prefix, const char **rest)
{
	size_t n = strlen(prefix);

	if (strncmp(path, prefix, n) != 0)
		return 0;
	*rest = path + n;
	return 1;
}

enum route
routes_match(const char *path)
{
	const char *rest;

	if (strcmp(path, "/") == 0)
		return ROUTE_INDEX;
	if (routes_prefix(path, "/port/", &rest))
		return ROUTE_PORT;
	if (strcmp(path, "/search") == 0)
		return ROUTE_SEARCH;
	if (routes_prefix(path, "/range/", &rest))
		return ROUTE_RANGE;
	if (routes_prefix(path, "/service/", &rest))
		return ROUTE_SERVICE;
	if (routes_prefix(path, "/api/v1/ports/", &rest))
		return ROUTE_API_PORT;
	if (strcmp(path, "/api/v1/search") == 0)
		return ROUTE_API_SEARCH;
	if (strcmp(path, "/api/v1/free") == 0)
		return ROUTE_API_FREE;
	if (strcmp(path, "/healthz") == 0)
		return ROUTE_HEALTHZ;
	if (strcmp(path, "/metrics") == 0)
		return ROUTE_METRICS;
	if (routes_prefix(path, "/assets/", &rest) || strcmp(path, "/favicon.ico") == 0)
		return ROUTE_ASSET;
	if (strcmp(path, "/vote") == 0 || strcmp(path, "/feedback") == 0)
		return ROUTE_VOTE;
	if (strcmp(path, "/claims") == 0)
		return ROUTE_CLAIMS;
	if (strcmp(path, "/api/v1/claims") == 0)
		return ROUTE_API_CLAIMS;
	return ROUTE_OTHER;
}

const char *
routes_name(enum route r)
{
	return r < ROUTE_COUNT ? routes_names[r] : "other";
}

void
routes_reply_init(struct route_reply *rp)
{
	memset(rp, 0, sizeof(*rp));
	rp->status = 500;
	rp->type = routes_html;
	rp->cache = routes_no_store;
	strbuf_init(&rp->body, ROUTES_BODY_LIMIT);
}

void
routes_reply_free(struct route_reply *rp)
{
	strbuf_free(&rp->body);
}

/* "3516" or "3516/udp": exactly one port, digits only.  0 when valid. */
static int
routes_port_arg(const char *arg, struct query *q)
{
	if (!isdigit((unsigned char)arg[0]) || query_parse(arg, q, NULL) == -1)
		return -1;
	return q->service[0] == '\0' && q->port_lo == q->port_hi && q->port_lo != PORT_NONE ? 0
	                                                                                    : -1;
}

static int
routes_is_api(const char *path)
{
	return strncmp(path, "/api/", 5) == 0;
}

static void
routes_html_ctx(const struct routes_env *env, const struct route_request *rq, struct html_ctx *c)
{
	const char *voted = params_get(rq->query, "voted");

	*c = (struct html_ctx){
	    .t = rq->lang,
	    .langs = env->langs,
	    .path = rq->path,
	    .voted = voted != NULL && strcmp(voted, "1") == 0,
	    .show_machine = env->show_machine,
	    .base = env->base_url,
	    .vote_token = rq->vote_token,
	};
}

/* What an API error says when the caller has nothing more particular: never null. */
static const char *
routes_status_text(int status)
{
	switch (status) {
	case 400:
		return "bad request";
	case 403:
		return "forbidden";
	case 404:
		return "not found: no such page, port or service here";
	case 405:
		return "method not allowed";
	case 413:
		return "request body too large";
	case 414:
		return "request target too long";
	case 429:
		return "too many requests; try later";
	case 503:
		return "unavailable for now; try later";
	default:
		return "internal error";
	}
}

void
routes_error(const struct routes_env *env, const struct route_request *rq, int status,
             const char *detail, struct route_reply *rp)
{
	struct html_ctx c;
	json_t *o;
	char *s;

	strbuf_reset(&rp->body);
	rp->status = status;
	rp->cache = routes_no_store;
	rp->cacheable = 0;
	if (status == 405)
		rp->allow = routes_match(rq->path) == ROUTE_VOTE ? "POST" : "GET, HEAD";
	if (routes_is_api(rq->path) || rq->want_json) {
		rp->type = routes_json;
		o = json_pack("{s:b, s:i, s:s}", "ok", 0, "status", status, "error",
		              detail != NULL ? detail : routes_status_text(status));
		if (o != NULL && (s = json_dumps(o, 0)) != NULL) {
			strbuf_appends(&rp->body, s);
			free(s);
		}
		json_decref(o);
		strbuf_appendc(&rp->body, '\n');
		return;
	}
	rp->type = routes_html;
	routes_html_ctx(env, rq, &c);
	if (html_error(&rp->body, status, &c) == -1) {
		strbuf_reset(&rp->body);
		strbuf_appendf(&rp->body, "<!doctype html><title>%d</title>\n", status);
	}
}

/* A 200 (cacheable) from a renderer's result, or a 500. */
static void
routes_done(const struct routes_env *env, const struct route_request *rq, int rc,
            struct route_reply *rp)
{
	if (rc == -1) {
		routes_error(env, rq, 500, NULL, rp);
		return;
	}
	rp->status = 200;
	rp->cache = routes_cache_pages;
	rp->cacheable = 1;
}

static void
routes_json_body(const struct routes_env *env, const struct route_request *rq, json_t *obj,
                 struct route_reply *rp)
{
	char *s = json_dumps(obj, JSON_INDENT(2));
	int rc = -1;

	if (s != NULL && strbuf_appends(&rp->body, s) == 0 && strbuf_appendc(&rp->body, '\n') == 0)
		rc = 0;
	free(s);
	rp->type = routes_json;
	routes_done(env, rq, rc, rp);
}

/* ERR_INPUT from the report layer names no page: 404; anything else is ours: 500. */
static void
routes_failed(const struct routes_env *env, const struct route_request *rq, const struct err *e,
              struct route_reply *rp)
{
	routes_error(env, rq, e->kind == ERR_INPUT ? 404 : 500, e->msg, rp);
}

/*
 * One URL per page: /port/03106, /port/3106/TCP and /port/3106/ redirect
 * to /port/3106[/tcp] (keeping ?lang=), so caches and search engines see
 * one page and the links built from the path are the canonical ones.
 * 1 when rp is now that redirect.
 */
static int
routes_port_redirect(const struct route_request *rq, const char *arg, const struct query *q,
                     struct route_reply *rp)
{
	char path[96];

	snprintf(path, sizeof(path), "%.*s%ld%s%s", (int)(arg - rq->path), rq->path, q->port_lo,
	         q->protocol[0] ? "/" : "", q->protocol);
	if (strcmp(path, rq->path) == 0)
		return 0;
	rp->status = 301;
	if (params_get(rq->query, "lang") != NULL)
		snprintf(rp->location, sizeof(rp->location), "%s?lang=%s", path,
		         i18n_code(rq->lang));
	else
		snprintf(rp->location, sizeof(rp->location), "%s", path);
	return 1;
}

static void
routes_port(const struct routes_env *env, struct store *st, const struct route_request *rq,
            const char *arg, int api, struct route_reply *rp)
{
	struct report_env renv = *env->report;
	struct html_ctx c;
	struct query q;
	struct err e = {0};
	char trimmed[16];
	size_t n = strlen(arg);
	json_t *rep;

	/* "3106/" is "3106" with a stray slash: parse it so as to redirect. */
	snprintf(trimmed, sizeof(trimmed), "%.*s", n > 1 && arg[n - 1] == '/' ? (int)n - 1 : (int)n,
	         arg);
	if (n >= sizeof(trimmed) || routes_port_arg(trimmed, &q) == -1) {
		routes_error(env, rq, 404, NULL, rp);
		return;
	}
	if (routes_port_redirect(rq, arg, &q, rp))
		return;
	renv.now = time(NULL);
	/* Who listens here is shown only on loopback or with --show-machine. */
	renv.with_listening = env->show_machine;
	/* The organisation's claims, as fresh as claimcache.h keeps them. */
	if (env->claims != NULL) {
		renv.claims = claimcache_hook;
		renv.claims_ctx = env->claims;
	}
	/* The reader's language: curated texts translated into it, and the API's words. */
	routes_html_ctx(env, rq, &c);
	renv.lang = i18n_file(c.t);
	if ((rep = report_port(st, &q, &renv, &e)) == NULL) {
		routes_failed(env, rq, &e, rp);
		return;
	}
	public_report(rep);
	if (api) {
		if (words_localize(rep, c.t) == -1) {
			json_decref(rep);
			routes_error(env, rq, 500, NULL, rp);
			return;
		}
		routes_json_body(env, rq, rep, rp);
	} else {
		routes_done(env, rq, html_port(&rp->body, rep, &c), rp);
	}
	/*
	 * A page showing claims (or this machine) is kept ROUTES_LIVE_TTL seconds: a
	 * claim removed elsewhere leaves it soon.  A page without claims is cached
	 * as usual, so a new claim shows on it once that copy expires.
	 */
	if ((renv.with_listening || json_object_get(rep, "claims")) && rp->status == 200) {
		rp->live = 1;
		rp->cache = routes_cache_live;
	}
	json_decref(rep);
}

static void
routes_search(const struct routes_env *env, struct store *st, const struct route_request *rq,
              int api, struct route_reply *rp)
{
	const char *q = params_get(rq->query, "q");
	struct html_ctx c;
	struct err e = {0};
	json_t *res;

	if (q == NULL || q[strspn(q, " \t")] == '\0') {
		if (api) {
			routes_error(env, rq, 400, "search: give words in ?q=", rp);
		} else { /* the search box is on the front page */
			rp->status = 303;
			snprintf(rp->location, sizeof(rp->location), "/");
		}
		return;
	}
	if ((res = search_run(st, q, api ? ROUTES_API_HITS : ROUTES_HTML_HITS, &e)) == NULL) {
		routes_error(env, rq, e.kind == ERR_INPUT ? 400 : 500, e.msg, rp);
		return;
	}
	public_report(res);
	if (api) {
		routes_json_body(env, rq, res, rp);
	} else {
		routes_html_ctx(env, rq, &c);
		routes_done(env, rq, html_search(&rp->body, res, &c), rp);
	}
	json_decref(res);
}

/*
 * /api/v1/free?count=&near=&range=: `portolan free --json`, with the same
 * rules for the options.  Ports bound here are left out only where the
 * server may show this machine; the answer says whether it checked, and
 * then lives ROUTES_LIVE_TTL seconds.  An answer costs about 10 ms of
 * SQLite, so it is cached like a page (server.c keys it by the three
 * parameters).
 */
static void
routes_free(const struct routes_env *env, struct store *st, const struct route_request *rq,
            struct route_reply *rp)
{
	static const char *const options[] = {"count", "near", "range"};
	struct freeports_query q = FREEPORTS_QUERY_DEFAULT;
	struct err e = {0};
	const char *v;
	json_t *res;
	size_t i;
	int claimed;

	q.machine = env->show_machine;
	q.facts = &env->report->machine; /* Linux's defaults where this machine is not shown */
	for (i = 0; i < sizeof(options) / sizeof(options[0]); i++)
		if ((v = params_get(rq->query, options[i])) != NULL &&
		    freeports_option(&q, options[i], v, options[i], &e) == -1) {
			routes_error(env, rq, 400, e.msg, rp);
			return;
		}
	q.claimed = (const long(*)[2])claimcache_ranges(env->claims, &q.nclaimed);
	claimed = q.nclaimed > 0;
	res = freeports_find(st, &q, &e);
	free((void *)q.claimed);
	if (res == NULL) {
		routes_error(env, rq, e.kind == ERR_INPUT ? 400 : 500, e.msg, rp);
		return;
	}
	public_report(res);
	routes_json_body(env, rq, res, rp);
	json_decref(res);
	if ((q.machine || claimed) && rp->status == 200) {
		rp->live = 1;
		rp->cache = routes_cache_live;
	}
}

/* /, /range/NAME and /service/NAME: a pages.h object rendered by html_*(). */
static void
routes_page(const struct routes_env *env, struct store *st, const struct route_request *rq,
            enum route r, struct route_reply *rp)
{
	struct html_ctx c;
	struct query q;
	struct err e = {0};
	json_t *obj = NULL;
	const char *arg = NULL;
	long lo, hi;
	int rc = -1, block = 0;

	if (r == ROUTE_INDEX) {
		obj = pages_index(st, ROUTES_MOST_COMMON, &e);
	} else if (r == ROUTE_RANGE) {
		arg = rq->path + strlen("/range/");
		/* /range/3072-3135: one block of the chart, every port listed */
		block = pages_block_parse(arg, &lo, &hi) == 0;
		obj = block ? pages_block(st, arg, &e) : pages_range(st, arg, &e);
	} else {
		arg = rq->path + strlen("/service/");
		/* The command line's rule for a service name, and nothing after it. */
		if (query_parse(arg, &q, NULL) == -1 || q.service[0] == '\0' ||
		    q.protocol[0] != '\0') {
			routes_error(env, rq, 404, NULL, rp);
			return;
		}
		obj = pages_service(st, q.service, &e);
	}
	if (obj == NULL) {
		routes_failed(env, rq, &e, rp);
		return;
	}
	public_report(obj);
	routes_html_ctx(env, rq, &c);
	if (r == ROUTE_INDEX)
		rc = html_index(&rp->body, obj, &c);
	else if (r == ROUTE_RANGE)
		rc = block ? html_block(&rp->body, obj, &c) : html_range(&rp->body, obj, &c);
	else
		rc = html_service(&rp->body, obj, &c);
	routes_done(env, rq, rc, rp);
	json_decref(obj);
}

/* /claims and /api/v1/claims: the organisation's claims, read-only (`portolan claim` writes). */
static void
routes_claims(const struct routes_env *env, const struct route_request *rq, int api,
              struct route_reply *rp)
{
	struct html_ctx c;
	json_t *all = claimcache_all(env->claims);

	if (api) {
		routes_json_body(env, rq, all, rp);
	} else {
		routes_html_ctx(env, rq, &c);
		routes_done(env, rq, html_claims(&rp->body, all, &c), rp);
	}
	json_decref(all);
	rp->cacheable = 0; /* a claim added anywhere shows at once */
	rp->cache = routes_no_store;
}

void
routes_get(const struct routes_env *env, struct store *st, const struct route_request *rq,
           struct route_reply *rp)
{
	enum route r = routes_match(rq->path);

	switch (r) {
	case ROUTE_PORT:
		routes_port(env, st, rq, rq->path + strlen("/port/"), 0, rp);
		break;
	case ROUTE_API_PORT:
		routes_port(env, st, rq, rq->path + strlen("/api/v1/ports/"), 1, rp);
		break;
	case ROUTE_SEARCH:
	case ROUTE_API_SEARCH:
		routes_search(env, st, rq, r == ROUTE_API_SEARCH, rp);
		break;
	case ROUTE_API_FREE:
		routes_free(env, st, rq, rp);
		break;
	case ROUTE_INDEX:
	case ROUTE_RANGE:
	case ROUTE_SERVICE:
		routes_page(env, st, rq, r, rp);
		break;
	case ROUTE_CLAIMS:
	case ROUTE_API_CLAIMS:
		routes_claims(env, rq, r == ROUTE_API_CLAIMS, rp);
		break;
	case ROUTE_HEALTHZ:
		rp->status = 200;
		rp->type = "text/plain; charset=utf-8";
		strbuf_appends(&rp->body, "ok\n");
		break;
	default:
		routes_error(env, rq, r == ROUTE_VOTE ? 405 : 404, NULL, rp);
		break;
	}
}

int
routes_vote_parse(const struct routes_env *env, const char *body, size_t len, struct vote *vt,
                  struct err *e)
{
	const struct i18n *t;
	struct params ps;
	const char *page, *answer, *lang, *token;

	if (params_parse(&ps, "vote", body, len, e) == -1)
		return -1;
	if ((page = params_get(&ps, "page")) == NULL ||
	    (answer = params_get(&ps, "answer")) == NULL)
		return err_set(e, "vote: the fields page and answer are required");
	/* Aliases (/port/022, /service/SSH) are one page: stored under one name. */
	if (canon_page(page, vt->page, sizeof(vt->page)) == -1)
		return err_set(e, "vote: field 'page': not a page of this site");
	if ((token = params_get(&ps, "token")) != NULL)
		snprintf(vt->token, sizeof(vt->token), "%s", token);
	if (votes_answer_parse(answer, &vt->answer) == -1)
		return err_set(e, "vote: field 'answer': must be sad, meh or happy");
	if ((lang = params_get(&ps, "lang")) == NULL || lang[0] == '\0')
		lang = "en";
	t = i18n_pick(env->langs, lang, NULL);
	if (strcasecmp(i18n_code(t), lang) != 0 && i18n_get(env->langs, lang) == NULL)
		return err_set(e, "vote: field 'lang': no language '%.16s' here", lang);
	snprintf(vt->lang, sizeof(vt->lang), "%s", i18n_code(t));
	return 0;
}

void
routes_vote_reply(const struct routes_env *env, const struct route_request *rq,
                  const struct vote *vt, int ok, struct route_reply *rp)
{
	const struct i18n *t = i18n_pick(env->langs, vt->lang, NULL);
	json_t *o;
	char *s;

	if (!ok) {
		routes_error(env, rq, 503, NULL, rp);
		return;
	}
	rp->cache = routes_no_store;
	if (!rq->want_json) {
		/* page and lang were validated: path and language-code characters only. */
		rp->status = 303;
		snprintf(rp->location, sizeof(rp->location), "%s?voted=1&lang=%s", vt->page,
		         i18n_code(t));
		return;
	}
	o = json_pack("{s:b, s:s}", "ok", 1, "thanks",
	              i18n_text(t, "Thank you for your feedback!"));
	if (o == NULL || (s = json_dumps(o, 0)) == NULL) {
		json_decref(o);
		routes_error(env, rq, 500, NULL, rp);
		return;
	}
	rp->status = 200;
	rp->type = routes_json;
	strbuf_appends(&rp->body, s);
	strbuf_appendc(&rp->body, '\n');
	free(s);
	json_decref(o);
}
