/*
 * html_page.h - the page writer every page of the site is built with,
 * internal to src/render/: html.c (output, links, the chrome around every
 * page, the vocabulary pages share), html_port.c (the port page) and
 * html_pages.c (home, search, ranges, services, errors).  html.h is the
 * interface the rest of the program sees.
 *
 * A page is written front to back into one strbuf.  Appends fail only when
 * the buffer reaches its limit, so instead of checking each of several
 * hundred appends the writer keeps a sticky failure flag (struct page.fail)
 * and each html_* function reports it once at the end, the way stdio's
 * ferror() works.
 *
 * Every sentence is a translatable template, looked up with the string
 * literal as msgid through _() and N_() (xgettext: -k_:2 -kN_:2,3), then
 * filled by html_say(), a formatter of our own that knows only %s, %N$s
 * and %%.  It escapes the template's own text and every argument, so
 * neither a catalog nor the report can inject markup, and a catalog whose
 * conversions are wrong can at worst drop an argument, never read a wrong
 * one.  All arguments are strings because numbers and dates are formatted
 * per language first (i18n_number(), i18n_date()).
 *
 * The renderer looks nothing up and decides nothing about a port: it reads
 * the report's keys (docs/json-schema.md) and picks a template by the
 * report's own values (status, range class, frequency class, concern level
 * and codes, category).  The report's English sentences (frequency words,
 * concern reasons, range meanings) are never shown translated by lookup:
 * the page has its own templates keyed on those values, and shows the
 * English sentence, marked lang="en", only for a value it does not know
 * (a newer report).  Curated text and names stay English.
 *
 * Internal links carry ?lang= so a language picked from the menu sticks
 * without cookies (a static export links files per language instead, see
 * struct html_site); external links are written only for http(s) and mailto.
 */
#ifndef PORTOLAN_HTML_PAGE_H
#define PORTOLAN_HTML_PAGE_H

#include <stddef.h>

#include <jansson.h>

#include "html.h"
#include "i18n.h"
#include "util/strbuf.h"

/* Translatable text: the msgid must be a string literal (xgettext finds it). */
#define _(t, s)         i18n_text((t), (s))
#define N_(t, s, pl, n) i18n_ntext((t), (s), (pl), (n))

/* Fill a template with string arguments: HTML_SAY(p, _(p->t, "%1$s ..."), a, b). */
#define HTML_ARGS(...)  ((const char *const[]){__VA_ARGS__})
#define HTML_NARGS(...) (sizeof(HTML_ARGS(__VA_ARGS__)) / sizeof(const char *))
#define HTML_SAY(p, tmpl, ...)                                                                     \
	html_say((p), (tmpl), 0, HTML_ARGS(__VA_ARGS__), HTML_NARGS(__VA_ARGS__))
/* The same with arguments that are already HTML (links, <code>). */
#define HTML_SAY_HTML(p, tmpl, ...)                                                                \
	html_say((p), (tmpl), 1, HTML_ARGS(__VA_ARGS__), HTML_NARGS(__VA_ARGS__))

#define HTML_FRAGMENT_LIMIT (64u << 10) /* a link or list built for one sentence */

struct page {
	struct strbuf *out;
	const struct html_ctx *c;
	const struct i18n *t;
	int fail;
	json_t *fn_keys; /* footnote key -> its number */
	json_t *fn_list; /* footnotes in order: {label, url} */
	json_t *iana_fn; /* IANA's own footnotes printed so far: anchor -> true */
	/* Set before html_begin(): */
	int own_search;           /* 1: the page has its own search box; none in the header */
	const char *search_q;     /* a search page's query, kept by the language menu's links */
	const char *desc;         /* the meta description's template (NULL: the site's) */
	const char *desc_args[2]; /* and its arguments */
};

/* A formatted number or date, returned by value so it can be an argument. */
struct html_word {
	char s[96];
};

/* ---- output (html.c) ---- */
void html_put(struct page *p, const char *s);
void html_putf(struct page *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void html_esc(struct page *p, const char *s);
void html_escn(struct page *p, const char *s, size_t n);

/* ---- sentences: templates filled with escaped arguments ---- */
int html_foreign(const struct page *p);
void html_en(struct page *p, const char *text);
int html_curated_english(const struct page *p, const json_t *item);
void html_in_english(struct page *p);
void html_curated(struct page *p, const json_t *item, const char *text);
const char *html_fragment(struct page *p, struct strbuf *tmp, const char *text, int english);
void html_say(struct page *p, const char *tmpl, int raw, const char *const *argv, size_t argc);
struct html_word html_number(const struct page *p, long long n);
struct html_word html_portnum(long long n);
struct html_word html_date(const struct page *p, const char *iso);

/* ---- reading the report ---- */
const char *html_str(const json_t *o, const char *key);
long long html_int(const json_t *o, const char *key, long long fallback);

/* ---- links that keep the page's language ---- */
void html_urlenc(struct page *p, const char *s);
void html_url(struct page *p, const char *kind, const char *name);
void html_href(struct page *p, const char *kind, const char *name);
void html_port_href(struct page *p, long long port);
void html_service_href(struct page *p, const char *name);

/* ---- the chrome around every page ---- */
void html_search_form(struct page *p, const char *query, const char *id);
const char *html_self_path(const struct page *p);
void html_begin(struct page *p, const char *title, size_t argc, const char *const *argv);
void html_end(struct page *p);
void html_section(struct page *p, const char *id, const char *heading);
void html_breadcrumb(struct page *p, const char *range, const char *here, const char *label);
int html_page_init(struct page *p, struct strbuf *out, const struct html_ctx *c);
int html_page_done(struct page *p);

/* ---- the report's vocabulary, as more than one page words it ---- */
const char *html_range_title(const struct page *p, const char *name);
const char *html_range_meaning(const struct page *p, const json_t *cls);
void html_frequency(struct page *p, const json_t *freq);
void html_port_label(const json_t *report, char *buf, size_t len);

/* ---- parts of the port page that other pages reuse (html_port.c) ---- */
void html_td(struct page *p, const char *label);
void html_td_text(struct page *p, const char *label, const char *text);

/* ---- the organisation's claims (html_claims.c) ---- */
void html_sec_claims(struct page *p, const json_t *report);
void html_record_table(struct page *p, const json_t *report, const json_t *records,
                       const char *caption);
void html_sec_sources(struct page *p, const json_t *report);
void html_port_heading(struct page *p, const json_t *o, const char *label);
/* A registry status ("assigned", "reserved", ...), a concern level's title and CSS class. */
const char *html_status_word(const struct page *p, const char *status);
const char *html_concern_title(const struct page *p, const char *level);
const char *html_concern_class(const char *level);

#endif
