/*
 * html.h - the site's pages, rendered from the same report objects the
 * command line prints (report.h, pages.h, search.h).
 *
 * Renderers compute no facts: every sentence on a page is a translatable
 * template (i18n.h) filled with values from the report.  Everything from
 * the report or the request is HTML-escaped on the way out; the only raw
 * HTML is what md4c makes of our own curated Markdown, with raw HTML in
 * the Markdown disabled.  Pages work without JavaScript (the vote is a form
 * POST to /vote answered by a 303 redirect) and link only same-origin
 * assets (/assets/...), so a strict Content-Security-Policy holds.
 *
 * Each function appends one complete document to out and returns 0, or -1
 * when out hits its limit.
 */
#ifndef PORTOLAN_HTML_H
#define PORTOLAN_HTML_H

#include <jansson.h>

#include "i18n.h"
#include "util/strbuf.h"

/*
 * A page of a static export (src/web/export.c) links files, not routes:
 * relative paths to .html files in a directory per language, so the tree
 * works on any static host, under any prefix, and from file://.  Such a
 * page has no search box and no vote (nothing would answer them), and a
 * link to a port outside the exported range becomes an <a> without href:
 * the same text, no dead link.  Each service a page links is added to
 * services, so the exporter writes a page for every one of them.
 */
struct html_site {
	const char *root; /* from this page to the export's root: "", "../", "../../" */
	const char *self; /* this page under its language directory: "port/3516.html" */
	const char *base; /* the export's public URL, ending in '/', or NULL: see html_begin() */
	long port_lo;     /* the ports that have a page */
	long port_hi;
	json_t *services;                /* object: every service name linked so far (keys) */
	const struct i18n *const *langs; /* the exported languages, for the menu */
	size_t nlangs;
};

struct html_ctx {
	const struct i18n *t;         /* the page's language */
	const struct i18n_set *langs; /* for the language menu */
	const char *path;             /* this page's path without query, e.g. "/port/3516" */
	int voted;                    /* 1: this client just voted here: show the thanks */
	int show_machine;             /* 1: render report["listening"] ("on this machine now") */
	const struct html_site *site; /* a static export's page; NULL when served */
	const char *base;             /* served: the site's absolute URL ending in '/', or NULL */
	const char *vote_token;       /* the vote form's token (votes.h), or NULL */
};

int html_port(struct strbuf *out, const json_t *report, const struct html_ctx *c);
int html_index(struct strbuf *out, const json_t *index, const struct html_ctx *c);
int html_search(struct strbuf *out, const json_t *result, const struct html_ctx *c);
int html_range(struct strbuf *out, const json_t *range, const struct html_ctx *c);
/* A block of a range (pages.h: pages_block()): every port with its name, status and concern. */
int html_block(struct strbuf *out, const json_t *block, const struct html_ctx *c);
int html_service(struct strbuf *out, const json_t *service, const struct html_ctx *c);
/* /claims: the organisation's claims ({"claims": [...]}, src/web/claimcache.h), read-only. */
int html_claims(struct strbuf *out, const json_t *all, const struct html_ctx *c);
/* 400, 404, 405, 413, 429, 500... with a short explanation and a link home. */
int html_error(struct strbuf *out, int status, const struct html_ctx *c);

/*
 * A static export's file for a page ("port/3516.html", "service/914c%2Fg.html"):
 * kind is "port", "range" or "service", or NULL for the home page
 * ("index.html").  The name is percent-encoded once, so every name makes
 * one safe file name.  -1 when out is full.
 */
int html_site_file(struct strbuf *out, const char *kind, const char *name);

/*
 * The URL of a static export's page: prefix (a page's relative way to the
 * root, or the export's public URL), the language's directory, and file as
 * html_site_file() made it, escaped for HTML and XML alike.  An empty file
 * gives the directory.  -1 when out is full.
 */
int html_site_url(struct strbuf *out, const char *prefix, const struct i18n *t, const char *file);

/* Append s with & < > " ' escaped. */
int html_escape(struct strbuf *out, const char *s);

#endif
