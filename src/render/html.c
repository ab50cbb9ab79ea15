/*
 * html.c - the page writer (html_page.h): output with a sticky failure
 * flag, escaping, translated sentences, links that keep ?lang=, the chrome
 * around every page (head, language menu, search form, footer) and the
 * report vocabulary more than one page words.  The pages themselves are
 * in html_port.c and html_pages.c.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "html_page.h"
#include "words.h"

/* ---- output primitives ---- */

static void
html_putn(struct page *p, const char *s, size_t n)
{
	if (strbuf_append(p->out, s, n) == -1)
		p->fail = 1;
}

/* Trusted markup from this file. */
void
html_put(struct page *p, const char *s)
{
	html_putn(p, s, strlen(s));
}

/* Trusted markup with numbers in it (ids, SVG coordinates). */
void
html_putf(struct page *p, const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(buf))
		p->fail = 1;
	else
		html_putn(p, buf, (size_t)n);
}

int
html_escape(struct strbuf *out, const char *s)
{
	const char *run = s;
	const char *rep;

	for (; *s; s++) {
		switch (*s) {
		case '&':
			rep = "&amp;";
			break;
		case '<':
			rep = "&lt;";
			break;
		case '>':
			rep = "&gt;";
			break;
		case '"':
			rep = "&quot;";
			break;
		case '\'':
			rep = "&#39;";
			break;
		default:
			continue;
		}
		if (strbuf_append(out, run, (size_t)(s - run)) == -1 ||
		    strbuf_appends(out, rep) == -1)
			return -1;
		run = s + 1;
	}
	return strbuf_append(out, run, (size_t)(s - run));
}

void
html_esc(struct page *p, const char *s)
{
	if (html_escape(p->out, s ? s : "") == -1)
		p->fail = 1;
}

void
html_escn(struct page *p, const char *s, size_t n)
{
	char buf[256];

	while (n > 0) {
		size_t k = n < sizeof(buf) - 1 ? n : sizeof(buf) - 1;

		memcpy(buf, s, k);
		buf[k] = '\0';
		html_esc(p, buf);
		s += k;
		n -= k;
	}
}

/* 1 when the page is not in English: English text from the report then needs lang="en". */
int
html_foreign(const struct page *p)
{
	return strcmp(i18n_code(p->t), "en") != 0;
}

/*
 * English text from the report (curated text and names, and the report's
 * sentences for a value this file does not know) on a page in another
 * language, marked so screen readers pronounce it as English.
 */
void
html_en(struct page *p, const char *text)
{
	if (html_foreign(p))
		html_put(p, "<span lang=\"en\">");
	html_esc(p, text);
	if (html_foreign(p))
		html_put(p, "</span>");
}

/*
 * A curated text is still English on this page: its "lang" (report_set_lang())
 * is "en" or missing while the page is in another language.
 */
int
html_curated_english(const struct page *p, const json_t *item)
{
	const char *lang = html_str(item, "lang");

	return html_foreign(p) && (lang[0] == '\0' || strcmp(lang, "en") == 0);
}

/* The visible tag after text left in English, in the page's language (inside lang="en"). */
void
html_in_english(struct page *p)
{
	html_put(p, " <small class=\"in-en\" lang=\"");
	html_esc(p, i18n_code(p->t));
	html_put(p, "\">");
	html_esc(p, _(p->t, "in English"));
	html_put(p, "</small>");
}

/*
 * A curated text (a use's or a history claim's) in the page's language
 * where data/ translates it; otherwise in English, marked lang="en" and
 * tagged "in English" so the reader knows it is not a mistake.
 */
void
html_curated(struct page *p, const json_t *item, const char *text)
{
	if (!html_curated_english(p, item)) {
		html_esc(p, text);
		return;
	}
	html_en(p, text);
	html_in_english(p);
}

/* text as an HTML fragment in tmp (escaped; marked English if english), for HTML_SAY_HTML. */
const char *
html_fragment(struct page *p, struct strbuf *tmp, const char *text, int english)
{
	strbuf_reset(tmp);
	if ((english && html_foreign(p) && strbuf_appends(tmp, "<span lang=\"en\">") == -1) ||
	    html_escape(tmp, text ? text : "") == -1 ||
	    (english && html_foreign(p) && strbuf_appends(tmp, "</span>") == -1))
		p->fail = 1;
	return tmp->buf;
}

/*
 * The template formatter (see the top of the file).  A conversion that
 * names a missing argument writes nothing; anything else after '%' is
 * written as it stands.
 */
void
html_say(struct page *p, const char *tmpl, int raw, const char *const *argv, size_t argc)
{
	const char *s = tmpl, *run = tmpl, *arg;
	size_t next = 0, idx;
	char *end;

	while ((s = strchr(s, '%')) != NULL) {
		html_escn(p, run, (size_t)(s - run));
		if (s[1] == '%') {
			html_put(p, "%");
			s += 2;
		} else if (s[1] == 's') {
			idx = next++;
			s += 2;
			goto argument;
		} else if (s[1] >= '1' && s[1] <= '9') {
			idx = (size_t)strtoul(s + 1, &end, 10) - 1;
			if (end[0] != '$' || end[1] != 's') {
				html_put(p, "%");
				s++;
				run = s;
				continue;
			}
			s = end + 2;
			goto argument;
		} else {
			html_put(p, "%");
			s++;
		}
		run = s;
		continue;
	argument:
		arg = idx < argc && argv[idx] ? argv[idx] : "";
		if (raw)
			html_put(p, arg);
		else
			html_esc(p, arg);
		run = s;
	}
	html_esc(p, run);
}

struct html_word
html_number(const struct page *p, long long n)
{
	struct html_word w;

	i18n_number(p->t, n, w.s, sizeof(w.s));
	return w;
}

/* Port numbers are identifiers, not quantities: never grouped ("3516", not "3,516"). */
struct html_word
html_portnum(long long n)
{
	struct html_word w;

	snprintf(w.s, sizeof(w.s), "%lld", n);
	return w;
}

struct html_word
html_date(const struct page *p, const char *iso)
{
	struct html_word w;

	i18n_date(p->t, iso, w.s, sizeof(w.s));
	return w;
}

/* ---- JSON access: absent or mistyped keys read as "" / fallback ---- */

const char *
html_str(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s ? s : "";
}

long long
html_int(const json_t *o, const char *key, long long fallback)
{
	const json_t *v = json_object_get(o, key);

	return json_is_integer(v) ? (long long)json_integer_value(v) : fallback;
}

/* ---- links ---- */

/*
 * Percent-encode s (a path segment or query value) into out, writing an
 * unsafe byte as pct followed by two hex digits: pct "%" encodes once;
 * "%25" encodes the once-encoded form again, which is how a link names a
 * static export's file whose name is itself percent-encoded.
 */
static int
html_urlenc_to(struct strbuf *out, const char *s, const char *pct)
{
	static const char hex[] = "0123456789ABCDEF";
	char buf[2];
	int rc = 0;

	for (; *s && rc == 0; s++) {
		unsigned char ch = (unsigned char)*s;

		if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		    (ch >= '0' && ch <= '9') || ch == '-' || ch == '_' || ch == '.' || ch == '~') {
			rc = strbuf_appendc(out, (char)ch);
		} else {
			buf[0] = hex[ch >> 4];
			buf[1] = hex[ch & 15];
			rc = strbuf_appends(out, pct) == 0 ? strbuf_append(out, buf, 2) : -1;
		}
	}
	return rc;
}

void
html_urlenc(struct page *p, const char *s)
{
	if (s != NULL && html_urlenc_to(p->out, s, "%") == -1) /* NULL: a value of the wrong type */
		p->fail = 1;
}

int
html_site_file(struct strbuf *out, const char *kind, const char *name)
{
	if (kind == NULL)
		return strbuf_appends(out, "index.html");
	if (strbuf_appends(out, kind) == -1 || strbuf_appendc(out, '/') == -1 ||
	    html_urlenc_to(out, name, "%") == -1)
		return -1;
	return strbuf_appends(out, ".html");
}

int
html_site_url(struct strbuf *out, const char *prefix, const struct i18n *t, const char *file)
{
	const char *f;

	if (html_escape(out, prefix) == -1 || html_urlenc_to(out, i18n_code(t), "%") == -1 ||
	    strbuf_appendc(out, '/') == -1)
		return -1;
	for (f = file; *f; f++) /* a file name's '%' is "%25" in a URL */
		if (*f == '%' ? strbuf_appends(out, "%25") == -1 : strbuf_appendc(out, *f) == -1)
			return -1;
	return 0;
}

/* A static export's directory for language t, from this page: "../../ko/". */
static void
html_site_dir(struct page *p, const struct i18n *t)
{
	if (html_site_url(p->out, p->c->site->root, t, "") == -1)
		p->fail = 1;
}

/*
 * The URL of one of the site's pages in language t, kind and name as
 * html_site_file(): "/port/3516?lang=ko" when served (the language rides
 * in the query so a choice sticks without cookies), "../../ko/port/3516.html"
 * in a static export.
 */
static void
html_lang_url(struct page *p, const struct i18n *t, const char *kind, const char *name)
{
	const struct html_site *site = p->c->site;

	if (site == NULL) {
		html_put(p, "/");
		if (kind != NULL) {
			html_put(p, kind);
			html_put(p, "/");
			html_urlenc(p, name);
		}
		html_put(p, "?lang=");
		html_urlenc(p, i18n_code(t));
		return;
	}
	html_site_dir(p, t);
	if (kind == NULL) {
		html_put(p, "index.html");
		return;
	}
	html_put(p, kind);
	html_put(p, "/");
	if (name != NULL && html_urlenc_to(p->out, name, "%25") == -1)
		p->fail = 1;
	html_put(p, ".html");
}

/* The URL of a page in this page's language. */
void
html_url(struct page *p, const char *kind, const char *name)
{
	html_lang_url(p, p->t, kind, name);
}

/* <a href="..."> to a page in this page's language. */
void
html_href(struct page *p, const char *kind, const char *name)
{
	html_put(p, "<a href=\"");
	html_url(p, kind, name);
	html_put(p, "\">");
}

/* <a href="/port/N?lang=xx">; in an export, a port without a page gets <a> alone. */
void
html_port_href(struct page *p, long long port)
{
	const struct html_site *site = p->c->site;
	char num[24];

	if (site != NULL && (port < site->port_lo || port > site->port_hi)) {
		html_put(p, "<a>");
		return;
	}
	snprintf(num, sizeof(num), "%lld", port);
	html_href(p, "port", num);
}

/* <a href="/service/NAME?lang=xx">; an export notes the name, to write its page. */
void
html_service_href(struct page *p, const char *name)
{
	const struct html_site *site = p->c->site;

	if (site != NULL && json_object_set_new(site->services, name, json_true()) == -1)
		p->fail = 1;
	html_href(p, "service", name);
}

/* ---- chrome shared by every page ---- */

/*
 * A static export has nothing to answer a search, but a port number names
 * a file: vote.js turns this form's number into root/LANG/port/N.html and
 * shows the form, which stays hidden without JavaScript (it could not
 * work).  A port outside the export reaches the host's 404 page.
 */
static void
html_port_jump(struct page *p, const char *id)
{
	html_put(p, "<form class=\"search port-jump\" role=\"search\" hidden data-base=\"");
	html_site_dir(p, p->t);
	html_put(p, "port/\" aria-label=\"");
	html_esc(p, strcmp(id, "q-top") == 0 ? _(p->t, "Go to a port")
	                                     : _(p->t, "Go to a port by its number"));
	html_putf(p, "\"><label class=\"vh\" for=\"%s\">", id);
	html_esc(p, _(p->t, "Port number"));
	html_putf(p,
	          "</label><input id=\"%s\" name=\"port\" type=\"number\" min=\"0\" "
	          "max=\"65535\" required placeholder=\"3516\"><button type=\"submit\">",
	          id);
	html_esc(p, _(p->t, "Go"));
	html_put(p, "</button></form>");
}

void
html_search_form(struct page *p, const char *query, const char *id)
{
	if (p->c->site != NULL) {
		html_port_jump(p, id);
		return;
	}
	/* Two search landmarks on a page (header and main) need different names. */
	html_put(p, "<form class=\"search\" role=\"search\" method=\"get\" action=\"/search\" "
	            "aria-label=\"");
	html_esc(p, strcmp(id, "q-top") == 0 ? _(p->t, "Site search") : _(p->t, "Search"));
	html_put(p, "\">");
	html_putf(p, "<label class=\"vh\" for=\"%s\">", id);
	html_esc(p, _(p->t, "Search ports and services"));
	html_putf(p,
	          "</label><input id=\"%s\" name=\"q\" type=\"search\" maxlength=\"200\" "
	          "required value=\"",
	          id);
	html_esc(p, query);
	html_put(p, "\" placeholder=\"");
	html_esc(p, _(p->t, "3516, smartcard, ssh..."));
	html_put(p, "\"><input type=\"hidden\" name=\"lang\" value=\"");
	html_esc(p, i18n_code(p->t));
	html_put(p, "\"><button type=\"submit\">");
	html_esc(p, _(p->t, "Search"));
	html_put(p, "</button></form>");
}

/* The page path for links to itself in another language; "/" unless it is a plain path. */
const char *
html_self_path(const struct page *p)
{
	const char *path = p->c->path;

	if (path == NULL || path[0] != '/' || path[1] == '/' || strpbrk(path, "?#\"<>'\\ \t\r\n"))
		return "/";
	return path;
}

/* This page in language t: its path with ?lang=, or its file in t's directory. */
static void
html_self_url(struct page *p, const struct i18n *t)
{
	const struct html_site *site = p->c->site;

	if (site == NULL) {
		html_esc(p, html_self_path(p));
		if (p->search_q !=
		    NULL) { /* a search page in another language is the same search */
			html_put(p, "?q=");
			html_urlenc(p, p->search_q);
		}
		html_put(p, p->search_q != NULL ? "&amp;lang=" : "?lang=");
		html_urlenc(p, i18n_code(t));
		return;
	}
	if (html_site_url(p->out, site->root, t, site->self) == -1)
		p->fail = 1;
}

static void
html_lang_menu(struct page *p)
{
	const struct html_site *site = p->c->site;
	size_t i, n = site ? site->nlangs : p->c->langs ? i18n_count(p->c->langs) : 0;

	if (n < 2)
		return;
	html_put(
	    p,
	    "<nav class=\"langs\" aria-labelledby=\"langs-h\"><details><summary id=\"langs-h\">");
	html_esc(p, _(p->t, "Language"));
	html_put(p, "</summary><ul>");
	for (i = 0; i < n; i++) {
		const struct i18n *l = site ? site->langs[i] : i18n_at(p->c->langs, i);

		html_put(p, "<li><a href=\"");
		html_self_url(p, l);
		html_put(p, "\" hreflang=\"");
		html_esc(p, i18n_code(l));
		html_put(p, "\" lang=\"");
		html_esc(p, i18n_code(l));
		html_put(p, l == p->t ? "\" aria-current=\"true\">" : "\">");
		html_esc(p, i18n_name(l));
		html_put(p, "</a></li>");
	}
	html_put(p, "</ul></details></nav>");
}

/* The URL of one of the site's assets: "/assets/NAME", or relative in an export. */
static void
html_asset_url(struct page *p, const char *name)
{
	html_esc(p, p->c->site != NULL ? p->c->site->root : "/");
	html_put(p, "assets/");
	html_put(p, name);
}

/*
 * When an export knows its public address (site->base), search engines
 * learn which URL is this page's own and where its other languages are:
 * rel=canonical, one rel=alternate per exported language, and x-default
 * for the first, the language of the export's root.  Absolute URLs, as
 * both require.  The sitemap (export.c) lists the same URLs.
 */
/*
 * A served page does the same from the server's base URL (--base-url, or
 * the address it listens on): the page with its ?lang= is canonical and
 * each language an alternate.  No x-default: the page without ?lang=
 * follows Accept-Language, so it is no one language's page, and naming it
 * an alternate would make its canonical (the ?lang= page of the language
 * it was answered in) point away from an alternate, which search engines
 * (and Lighthouse) refuse.
 */
static void
html_served_head(struct page *p)
{
	const char *base = p->c->base;
	size_t i, n = p->c->langs ? i18n_count(p->c->langs) : 0;
	size_t len = strlen(base);

	/* base ends in '/' and the path starts with one: write it once. */
	html_put(p, "<link rel=\"canonical\" href=\"");
	html_escn(p, base, len - (len > 0 && base[len - 1] == '/'));
	html_self_url(p, p->t);
	html_put(p, "\">");
	for (i = 0; n > 1 && i < n; i++) {
		const struct i18n *l = i18n_at(p->c->langs, i);

		html_put(p, "<link rel=\"alternate\" hreflang=\"");
		html_esc(p, i18n_code(l));
		html_put(p, "\" href=\"");
		html_escn(p, base, len - (len > 0 && base[len - 1] == '/'));
		html_self_url(p, l);
		html_put(p, "\">");
	}
}

static void
html_site_head(struct page *p)
{
	const struct html_site *site = p->c->site;
	size_t i;

	if (site == NULL && p->c->base != NULL) {
		html_served_head(p);
		return;
	}
	if (site == NULL || site->base == NULL)
		return;
	html_put(p, "<link rel=\"canonical\" href=\"");
	if (html_site_url(p->out, site->base, p->t, site->self) == -1)
		p->fail = 1;
	html_put(p, "\">");
	for (i = 0; site->nlangs > 1 && i <= site->nlangs; i++) {
		const struct i18n *l = site->langs[i < site->nlangs ? i : 0];

		html_put(p, "<link rel=\"alternate\" hreflang=\"");
		html_esc(p, i < site->nlangs ? i18n_code(l) : "x-default");
		html_put(p, "\" href=\"");
		if (html_site_url(p->out, site->base, l, site->self) == -1)
			p->fail = 1;
		html_put(p, "\">");
	}
}

/* <!doctype html> ... <main>; the title is a template with its arguments. */
void
html_begin(struct page *p, const char *title, size_t argc, const char *const *argv)
{
	html_put(p, "<!doctype html>\n<html lang=\"");
	html_esc(p, i18n_code(p->t));
	html_put(p, "\"><head><meta charset=\"utf-8\">"
	            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
	            "<title>");
	html_say(p, title, 0, argv, argc);
	html_put(p, " \xe2\x80\x93 portolan</title><meta name=\"description\" content=\"");
	if (p->desc != NULL)
		html_say(p, p->desc, 0, p->desc_args, 2);
	else
		html_esc(p,
		         _(p->t, "What a port number is registered for, who uses it in practice, "
		                 "and how to see what is listening on it."));
	html_put(p, "\"><link rel=\"stylesheet\" href=\"");
	html_asset_url(p, "style.css");
	html_put(p, "\"><link rel=\"icon\" href=\"");
	html_asset_url(p, "icon.svg");
	html_put(p, "\" type=\"image/svg+xml\"><script src=\"");
	html_asset_url(p, "vote.js");
	html_put(p, "\" defer></script>");
	html_site_head(p);
	html_put(p, "</head>\n<body><a class=\"skip\" href=\"#main\">");
	html_esc(p, _(p->t, "Skip to the content"));
	html_put(p, "</a><header class=\"site\"><div class=\"bar\"><a class=\"brand\" href=\"");
	html_url(p, NULL, NULL);
	html_put(p, "\"><img src=\"");
	html_asset_url(p, "icon.svg");
	html_put(p, "\" alt=\"\" width=\"28\" height=\"28\"><span>portolan</span></a>");
	if (!p->own_search) /* one search box a page */
		html_search_form(p, "", "q-top");
	html_lang_menu(p);
	html_put(p, "</div></header>\n<main id=\"main\">");
}

void
html_end(struct page *p)
{
	static const char *const ranges[] = {"well-known", "registered", "dynamic"};
	size_t i;

	html_put(p, "</main>\n<footer class=\"site\"><p>");
	html_esc(p, _(p->t, "portolan explains TCP and UDP port numbers from the IANA registry, "
	                    "other port databases and curated notes."));
	html_put(p, "</p><p>");
	html_href(p, NULL, NULL);
	html_esc(p, _(p->t, "Home"));
	html_put(p, "</a>");
	for (i = 0; i < sizeof(ranges) / sizeof(ranges[0]); i++) {
		html_put(p, " \xc2\xb7 ");
		html_href(p, "range", ranges[i]);
		html_esc(p, html_range_title(p, ranges[i]));
		html_put(p, "</a>");
	}
	html_put(p, "</p></footer>\n</body></html>\n");
}

/*
 * Home > a range class's page (range: its name, or NULL for none) > this
 * page, named by the template here filled with label.
 */
void
html_breadcrumb(struct page *p, const char *range, const char *here, const char *label)
{
	html_put(p, "<nav class=\"crumbs\" aria-label=\"");
	html_esc(p, _(p->t, "Breadcrumb"));
	html_put(p, "\"><ol><li>");
	html_href(p, NULL, NULL);
	html_esc(p, _(p->t, "Home"));
	html_put(p, "</a></li>");
	if (range != NULL) {
		html_put(p, "<li>");
		html_href(p, "range", range);
		html_esc(p, html_range_title(p, range));
		html_put(p, "</a></li>");
	}
	html_put(p, "<li aria-current=\"page\">");
	HTML_SAY(p, here, label);
	html_put(p, "</li></ol></nav>");
}

/* <section aria-labelledby="id-h"><h2 id="id-h">heading</h2> */
void
html_section(struct page *p, const char *id, const char *heading)
{
	html_putf(p, "<section id=\"%s\" aria-labelledby=\"%s-h\"><h2 id=\"%s-h\">", id, id, id);
	html_esc(p, heading);
	html_put(p, "</h2>");
}

int
html_page_init(struct page *p, struct strbuf *out, const struct html_ctx *c)
{
	*p = (struct page){.out = out, .c = c, .t = c->t};
	p->fn_keys = json_object();
	p->fn_list = json_array();
	p->iana_fn = json_object();
	return p->fn_keys && p->fn_list && p->iana_fn ? 0 : -1;
}

int
html_page_done(struct page *p)
{
	json_decref(p->fn_keys);
	json_decref(p->fn_list);
	json_decref(p->iana_fn);
	return p->fail ? -1 : 0;
}

/* ---- translated names for the report's fixed vocabulary ---- */

const char *
html_range_title(const struct page *p, const char *name)
{
	return words_range_title(p->t, name);
}

/* What a range class means (words.c), keyed on the class name alone. */
const char *
html_range_meaning(const struct page *p, const json_t *cls)
{
	return words_range_meaning(p->t, html_str(cls, "name"));
}

/*
 * How often a port is found open, from a frequency object's class and
 * one_in (words.c).  Without a class known here (a newer report, or a list
 * that carries only words) the report's words are shown, marked as English.
 */
void
html_frequency(struct page *p, const json_t *freq)
{
	char buf[512];

	if (words_frequency(p->t, freq, buf, sizeof(buf)) == -1)
		html_en(p, html_str(freq, "words"));
	else
		html_esc(p, buf);
}

/* The report's port (or range) as text: "3516", "6000–6063"; "" for a name-only report. */
void
html_port_label(const json_t *report, char *buf, size_t len)
{
	long long lo = html_int(report, "port_lo", -1), hi = html_int(report, "port_hi", -1);

	if (lo < 0)
		snprintf(buf, len, "%s", html_str(json_object_get(report, "query"), "text"));
	else if (hi > lo)
		snprintf(buf, len, "%lld\xe2\x80\x93%lld", lo, hi);
	else
		snprintf(buf, len, "%lld", lo);
}
