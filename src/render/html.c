/*
 * html.c - the site's pages (see html.h).
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
 * without cookies; external links are written only for http(s) and mailto.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "html.h"
#include "markdown_html.h"

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
};

/* A formatted number or date, returned by value so it can be an argument. */
struct html_word {
	char s[96];
};

/* ---- output primitives ---- */

static void
html_putn(struct page *p, const char *s, size_t n)
{
	if (strbuf_append(p->out, s, n) == -1)
		p->fail = 1;
}

/* Trusted markup from this file. */
static void
html_put(struct page *p, const char *s)
{
	html_putn(p, s, strlen(s));
}

static void html_putf(struct page *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Trusted markup with numbers in it (ids, SVG coordinates). */
static void
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

static void
html_esc(struct page *p, const char *s)
{
	if (html_escape(p->out, s ? s : "") == -1)
		p->fail = 1;
}

static void
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
static int
html_foreign(const struct page *p)
{
	return strcmp(i18n_code(p->t), "en") != 0;
}

/*
 * English text from the report (curated text and names, and the report's
 * sentences for a value this file does not know) on a page in another
 * language, marked so screen readers pronounce it as English.
 */
static void
html_en(struct page *p, const char *text)
{
	if (html_foreign(p))
		html_put(p, "<span lang=\"en\">");
	html_esc(p, text);
	if (html_foreign(p))
		html_put(p, "</span>");
}

/* text as an HTML fragment in tmp (escaped; marked English if english), for HTML_SAY_HTML. */
static const char *
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
static void
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

static struct html_word
html_number(const struct page *p, long long n)
{
	struct html_word w;

	i18n_number(p->t, n, w.s, sizeof(w.s));
	return w;
}

/* Port numbers are identifiers, not quantities: never grouped ("3516", not "3,516"). */
static struct html_word
html_portnum(long long n)
{
	struct html_word w;

	snprintf(w.s, sizeof(w.s), "%lld", n);
	return w;
}

static struct html_word
html_date(const struct page *p, const char *iso)
{
	struct html_word w;

	i18n_date(p->t, iso, w.s, sizeof(w.s));
	return w;
}

/* ---- JSON access: absent or mistyped keys read as "" / fallback ---- */

static const char *
html_str(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s ? s : "";
}

static long long
html_int(const json_t *o, const char *key, long long fallback)
{
	const json_t *v = json_object_get(o, key);

	return json_is_integer(v) ? (long long)json_integer_value(v) : fallback;
}

/* ---- links ---- */

/* Percent-encode a path segment or query value. */
static void
html_urlenc(struct page *p, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	char buf[4];

	if (s == NULL) /* a report value of the wrong type */
		return;
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;

		if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		    (ch >= '0' && ch <= '9') || ch == '-' || ch == '_' || ch == '.' || ch == '~') {
			html_putn(p, s, 1);
		} else {
			buf[0] = '%';
			buf[1] = hex[ch >> 4];
			buf[2] = hex[ch & 15];
			html_putn(p, buf, 3);
		}
	}
}

static void
html_lang_query(struct page *p, char sep)
{
	html_putn(p, &sep, 1);
	html_put(p, "lang=");
	html_urlenc(p, i18n_code(p->t));
}

/* <a href="/port/N?lang=xx"> */
static void
html_port_href(struct page *p, long long port)
{
	html_putf(p, "<a href=\"/port/%lld", port);
	html_lang_query(p, '?');
	html_put(p, "\">");
}

/* <a href="/service/NAME?lang=xx"> */
static void
html_service_href(struct page *p, const char *name)
{
	html_put(p, "<a href=\"/service/");
	html_urlenc(p, name);
	html_lang_query(p, '?');
	html_put(p, "\">");
}

/* An external link for http(s) and mailto only; other addresses are text. */
static void
html_ext_link(struct page *p, const char *url, const char *text)
{
	if (strncasecmp(url, "http://", 7) == 0 || strncasecmp(url, "https://", 8) == 0 ||
	    strncasecmp(url, "mailto:", 7) == 0) {
		html_put(p, "<a href=\"");
		html_esc(p, url);
		html_put(p, "\" rel=\"noopener noreferrer\">");
		html_esc(p, text);
		html_put(p, "</a>");
	} else {
		html_esc(p, text);
	}
}

/* ---- footnotes ---- */

/* The footnote number for key, adding {label, url} on first use. */
static long long
html_cite(struct page *p, const char *key, const char *label, const char *url)
{
	const json_t *n = json_object_get(p->fn_keys, key);
	long long num;

	if (n)
		return (long long)json_integer_value(n);
	num = (long long)json_array_size(p->fn_list) + 1;
	json_object_set_new(p->fn_keys, key, json_integer(num));
	json_array_append_new(p->fn_list,
	                      json_pack("{s:s, s:s}", "label", label, "url", url ? url : ""));
	return num;
}

static void
html_cite_mark(struct page *p, long long num)
{
	html_putf(p, "<sup class=\"fn\"><a href=\"#fn-%lld\">[%lld]</a></sup>", num, num);
}

/* The footnote number of report.sources[] entry id ("IANA registry (XML), 2026-08-17"); -1 if
 * absent. */
static long long
html_source_note(struct page *p, const json_t *report, long long id)
{
	const json_t *s;
	char key[48], label[512];
	const char *loc;
	size_t i;

	json_array_foreach(json_object_get(report, "sources"), i, s)
	{
		if (html_int(s, "id", -1) != id)
			continue;
		snprintf(key, sizeof(key), "source:%lld", id);
		if (html_str(s, "as_of")[0])
			snprintf(label, sizeof(label), "%s, %s", html_str(s, "name"),
			         html_str(s, "as_of"));
		else
			snprintf(label, sizeof(label), "%s", html_str(s, "name"));
		loc = html_str(s, "location");
		return html_cite(p, key, label,
		                 strncmp(loc, "http://", 7) == 0 || strncmp(loc, "https://", 8) == 0
		                     ? loc
		                     : NULL);
	}
	return -1;
}

static void
html_cite_source(struct page *p, const json_t *report, long long id)
{
	long long num = html_source_note(p, report, id);

	if (num > 0)
		html_cite_mark(p, num);
}

/* Cite every URL of a curated fact's sources[] list. */
static void
html_cite_urls(struct page *p, const json_t *sources)
{
	const json_t *u;
	size_t i;

	json_array_foreach(sources, i, u)
	{
		const char *url = json_string_value(u);

		if (url && *url)
			html_cite_mark(p, html_cite(p, url, url, url));
	}
}

/* ---- chrome shared by every page ---- */

static void
html_search_form(struct page *p, const char *query, const char *id)
{
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
static const char *
html_self_path(const struct page *p)
{
	const char *path = p->c->path;

	if (path == NULL || path[0] != '/' || path[1] == '/' || strpbrk(path, "?#\"<>'\\ \t\r\n"))
		return "/";
	return path;
}

static void
html_lang_menu(struct page *p)
{
	size_t i, n = p->c->langs ? i18n_count(p->c->langs) : 0;

	if (n < 2)
		return;
	html_put(
	    p,
	    "<nav class=\"langs\" aria-labelledby=\"langs-h\"><details><summary id=\"langs-h\">");
	html_esc(p, _(p->t, "Language"));
	html_put(p, "</summary><ul>");
	for (i = 0; i < n; i++) {
		const struct i18n *l = i18n_at(p->c->langs, i);

		html_put(p, "<li><a href=\"");
		html_esc(p, html_self_path(p));
		html_put(p, "?lang=");
		html_urlenc(p, i18n_code(l));
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

/* <!doctype html> ... <main>; the title is a template with its arguments. */
static void
html_begin(struct page *p, const char *title, size_t argc, const char *const *argv)
{
	html_put(p, "<!doctype html>\n<html lang=\"");
	html_esc(p, i18n_code(p->t));
	html_put(p, "\"><head><meta charset=\"utf-8\">"
	            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
	            "<title>");
	html_say(p, title, 0, argv, argc);
	html_put(p, " \xe2\x80\x93 portolan</title>"
	            "<link rel=\"stylesheet\" href=\"/assets/style.css\">"
	            "<link rel=\"icon\" href=\"/assets/icon.svg\" type=\"image/svg+xml\">"
	            "<script src=\"/assets/vote.js\" defer></script></head>\n<body>"
	            "<a class=\"skip\" href=\"#main\">");
	html_esc(p, _(p->t, "Skip to the content"));
	html_put(p, "</a><header class=\"site\"><div class=\"bar\"><a class=\"brand\" href=\"/");
	html_lang_query(p, '?');
	html_put(p, "\"><img src=\"/assets/icon.svg\" alt=\"\" width=\"28\" height=\"28\">"
	            "<span>portolan</span></a>");
	html_search_form(p, "", "q-top");
	html_lang_menu(p);
	html_put(p, "</div></header>\n<main id=\"main\">");
}

static void
html_end(struct page *p)
{
	html_put(p, "</main>\n<footer class=\"site\"><p>");
	html_esc(p, _(p->t, "portolan explains TCP and UDP port numbers from the IANA registry, "
	                    "other port databases and curated notes."));
	html_put(p, "</p><p><a href=\"/");
	html_lang_query(p, '?');
	html_put(p, "\">");
	html_esc(p, _(p->t, "Home"));
	html_put(p, "</a> \xc2\xb7 <a href=\"/range/well-known");
	html_lang_query(p, '?');
	html_put(p, "\">");
	html_esc(p, _(p->t, "Well-known ports"));
	html_put(p, "</a> \xc2\xb7 <a href=\"/range/registered");
	html_lang_query(p, '?');
	html_put(p, "\">");
	html_esc(p, _(p->t, "Registered ports"));
	html_put(p, "</a> \xc2\xb7 <a href=\"/range/dynamic");
	html_lang_query(p, '?');
	html_put(p, "\">");
	html_esc(p, _(p->t, "Dynamic ports"));
	html_put(p, "</a></p></footer>\n</body></html>\n");
}

/* <section aria-labelledby="id-h"><h2 id="id-h">heading</h2> */
static void
html_section(struct page *p, const char *id, const char *heading)
{
	html_putf(p, "<section id=\"%s\" aria-labelledby=\"%s-h\"><h2 id=\"%s-h\">", id, id, id);
	html_esc(p, heading);
	html_put(p, "</h2>");
}

static int
html_page_init(struct page *p, struct strbuf *out, const struct html_ctx *c)
{
	*p = (struct page){.out = out, .c = c, .t = c->t};
	p->fn_keys = json_object();
	p->fn_list = json_array();
	return p->fn_keys && p->fn_list ? 0 : -1;
}

static int
html_page_done(struct page *p)
{
	json_decref(p->fn_keys);
	json_decref(p->fn_list);
	return p->fail ? -1 : 0;
}

/* ---- translated names for the report's fixed vocabulary ---- */

static const char *
html_range_title(const struct page *p, const char *name)
{
	if (strcmp(name, "well-known") == 0)
		return _(p->t, "Well-known ports");
	if (strcmp(name, "registered") == 0)
		return _(p->t, "Registered ports");
	if (strcmp(name, "dynamic") == 0)
		return _(p->t, "Dynamic ports");
	return name;
}

/*
 * What a range class means, keyed on the class name alone.  The English
 * is the same as range.c's range_classes[].meaning (what the report and the
 * terminal show): keep the two identical, test_html.c checks it.  The page
 * never shows the report's "meaning" itself, so a class this file does not
 * know gets no sentence rather than an untranslated one.
 */
static const char *
html_range_meaning(const struct page *p, const json_t *cls)
{
	const char *name = html_str(cls, "name");

	if (strcmp(name, "well-known") == 0)
		return _(p->t,
		         "Assigned by IETF review; on Linux, binding below 1024 needs root or "
		         "CAP_NET_BIND_SERVICE, so a listener here was started with privilege.");
	if (strcmp(name, "registered") == 0)
		return _(p->t,
		         "Assigned by IANA on request to a vendor or project; any user may bind "
		         "them, so the registration says what a port was meant for, not what is "
		         "using it.");
	if (strcmp(name, "dynamic") == 0)
		return _(p->t,
		         "Never assigned: meant for temporary client-side ports and private use, "
		         "so no registry can say what uses one.");
	return "";
}

/* The translated word for a frequency class, NULL for a class not known here. */
static const char *
html_frequency_word(const struct page *p, const char *class)
{
	if (strcmp(class, "very-common") == 0)
		/* TRANSLATORS: how often a port is found open, as %1$s of the next messages. */
		return _(p->t, "very common");
	if (strcmp(class, "common") == 0)
		return _(p->t, "common");
	if (strcmp(class, "uncommon") == 0)
		return _(p->t, "uncommon");
	if (strcmp(class, "rare") == 0)
		return _(p->t, "rare");
	if (strcmp(class, "very-rare") == 0)
		return _(p->t, "very rare");
	if (strcmp(class, "almost-never") == 0)
		return _(p->t, "almost never seen");
	return NULL;
}

/*
 * How often a port is found open, from a frequency object's class and
 * one_in (the report's "frequency" or one of its "per_protocol").  Without
 * a class known here (a newer report, or a list that carries only words)
 * the report's English words are shown, marked as English.
 */
static void
html_frequency(struct page *p, const json_t *freq)
{
	const char *class = html_str(freq, "class");
	const char *word = html_frequency_word(p, class), *tmpl;
	long long one_in = html_int(freq, "one_in", 0);

	if (strcmp(class, "never") == 0)
		html_esc(p, _(p->t, "never seen open in nmap's scans of the Internet"));
	else if (strcmp(class, "unlisted") == 0)
		html_esc(p, _(p->t, "not listed in nmap-services (or nmap is not installed)"));
	else if (word == NULL || one_in < 1)
		html_en(p, html_str(freq, "words"));
	else if (one_in == 1)
		/* TRANSLATORS: %1$s is a frequency word: "very common". */
		HTML_SAY(p, _(p->t, "%1$s: open on nearly every scanned host"), word);
	else {
		/* TRANSLATORS: %1$s is a frequency word ("rare"), %2$s a number: 26,000. */
		tmpl = N_(p->t, "%1$s: open on about 1 in %2$s scanned host",
		          "%1$s: open on about 1 in %2$s scanned hosts", (unsigned long)one_in);
		HTML_SAY(p, tmpl, word, html_number(p, one_in).s);
	}
}

/* The same as an HTML fragment in tmp, for HTML_SAY_HTML. */
static const char *
html_frequency_fragment(struct page *p, struct strbuf *tmp, const json_t *freq)
{
	struct strbuf *out = p->out;

	strbuf_reset(tmp);
	p->out = tmp;
	html_frequency(p, freq);
	p->out = out;
	return tmp->buf;
}

/*
 * One reason for concern, from its entry in concern.codes; the English
 * reason (same index in concern.reasons) only for a code not known here.
 * The variable parts are curated names and IANA's notes, which stay
 * English.
 */
static void
html_concern_reason(struct page *p, const json_t *code, const char *english, struct strbuf *tmp)
{
	const char *name = html_str(code, "code");

	if (strcmp(name, "malware") == 0)
		/* TRANSLATORS: %1$s names the malware, in English: "Back Orifice". */
		HTML_SAY_HTML(p, _(p->t, "associated with malware: %1$s"),
		              html_fragment(p, tmp, html_str(code, "who"), 1));
	else if (strcmp(name, "unauthorized") == 0)
		/* TRANSLATORS: %1$s is IANA's own note, in English. */
		HTML_SAY_HTML(p, _(p->t, "IANA records unauthorized use: %1$s"),
		              html_fragment(p, tmp, html_str(code, "text"), 1));
	else if (strcmp(name, "unassigned-used") == 0)
		html_esc(p, _(p->t, "unassigned at IANA, yet software is known to use it"));
	else if (strcmp(name, "scanner") == 0)
		html_esc(p, _(p->t, "a common target of Internet scanners"));
	else
		html_en(p, english);
}

static const char *
html_category(const struct page *p, const char *cat)
{
	static const char *const known[] = {"game", "development", "vendor", "p2p",
	                                    "iot",  "malware",     "scanner"};
	const char *names[] = {
	    _(p->t, "Game"),         _(p->t, "Development"),        _(p->t, "Vendor"),
	    _(p->t, "Peer-to-peer"), _(p->t, "Internet of things"), _(p->t, "Malware"),
	    _(p->t, "Scanner")};
	size_t i;

	for (i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (strcmp(cat, known[i]) == 0)
			return names[i];
	return _(p->t, "Other");
}

/* A CSS class for the category: one of ours, never the data's own text. */
static const char *
html_category_class(const char *cat)
{
	static const char *const known[] = {"game", "development", "vendor", "p2p",
	                                    "iot",  "malware",     "scanner"};
	size_t i;

	for (i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (strcmp(cat, known[i]) == 0)
			return known[i];
	return "other";
}

static const char *
html_concern_title(const struct page *p, const char *level)
{
	if (strcmp(level, "high") == 0)
		return _(p->t, "High concern");
	if (strcmp(level, "elevated") == 0)
		return _(p->t, "Elevated concern");
	if (strcmp(level, "low") == 0)
		return _(p->t, "Low concern");
	return _(p->t, "No particular concern");
}

static const char *
html_concern_class(const char *level)
{
	if (strcmp(level, "high") == 0 || strcmp(level, "elevated") == 0 ||
	    strcmp(level, "low") == 0)
		return level;
	return "none";
}

/* "tcp" -> "TCP" into buf. */
static const char *
html_upper(const char *s, char *buf, size_t len)
{
	size_t i;

	for (i = 0; s[i] && i + 1 < len; i++)
		buf[i] = (s[i] >= 'a' && s[i] <= 'z') ? (char)(s[i] - 32) : s[i];
	buf[i] = '\0';
	return buf;
}

/*
 * Append ", item" (or "item" first) to the list in buf, which holds *k
 * bytes; a list that no longer fits stays cut where it was, never past
 * len (snprintf's return is the length it wanted, not what it wrote).
 */
static void
html_list_add(char *buf, size_t len, size_t *k, const char *item)
{
	int n;

	if (*k + 1 >= len)
		return;
	n = snprintf(buf + *k, len - *k, "%s%s", *k ? ", " : "", item ? item : "");
	if (n > 0)
		*k += (size_t)n < len - *k ? (size_t)n : len - *k - 1;
}

/* A JSON array of strings (or a "tcp udp"/"tcp,udp" string) as "TCP, UDP". */
static void
html_protocols(const json_t *v, char *buf, size_t len)
{
	char tmp[128], *tok, *save = NULL;
	const json_t *x;
	size_t i, k = 0;

	buf[0] = '\0';
	if (json_is_string(v)) {
		snprintf(tmp, sizeof(tmp), "%s", json_string_value(v));
		for (tok = strtok_r(tmp, " ,", &save); tok; tok = strtok_r(NULL, " ,", &save))
			html_list_add(buf, len, &k, tok);
	} else {
		json_array_foreach(v, i, x) html_list_add(buf, len, &k, json_string_value(x));
	}
	html_upper(buf, buf, len);
}

/* The report's port (or range) as text: "3516", "6000–6063"; "" for a name-only report. */
static void
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

/* Names of a record's people ("Scott Guthery, Example Org") as text. */
static void
html_people_text(const json_t *people, char *buf, size_t len)
{
	const json_t *x;
	size_t i, k = 0;

	buf[0] = '\0';
	json_array_foreach(people, i, x)
	{
		const char *name = html_str(x, "name"), *org = html_str(x, "org");

		html_list_add(buf, len, &k, name[0] ? name : org[0] ? org : html_str(x, "id"));
	}
}

/* ---- the port page, section by section ---- */

/* The first record named service, for who registered it and when. */
static const json_t *
html_first_record(const json_t *report, const char *service)
{
	const json_t *r;
	size_t i;

	json_array_foreach(json_object_get(report, "records"), i,
	                   r) if (strcmp(html_str(r, "service"), service) == 0) return r;
	return NULL;
}

/* "TCP, UDP" for every record under service. */
static void
html_service_protocols(const json_t *report, const char *service, char *buf, size_t len)
{
	json_t *protos = json_array();
	const json_t *r;
	size_t i;

	json_array_foreach(json_object_get(report, "records"), i,
	                   r) if (strcmp(html_str(r, "service"), service) == 0 &&
	                          html_str(r, "protocol")[0])
	    json_array_append_new(protos, json_string(html_str(r, "protocol")));
	html_protocols(protos, buf, len);
	json_decref(protos);
}

static void
html_what_assigned(struct page *p, const json_t *report, const char *port)
{
	const json_t *names = json_object_get(json_object_get(report, "identity"), "services");
	const json_t *v, *rec;
	char protos[128], people[512];
	size_t i;

	json_array_foreach(names, i, v)
	{
		const char *svc = json_string_value(v);

		if (svc == NULL || (rec = html_first_record(report, svc)) == NULL)
			continue;
		html_service_protocols(report, svc, protos, sizeof(protos));
		html_people_text(json_object_get(rec, "assignee"), people, sizeof(people));
		html_put(p, "<p class=\"lead\">");
		HTML_SAY(p, _(p->t, "Port %1$s is registered to %2$s (%3$s) for %4$s."), port, svc,
		         html_str(rec, "description"), protos[0] ? protos : _(p->t, "no protocol"));
		html_cite_source(p, report, html_int(rec, "source", -1));
		html_put(p, "</p><p>");
		if (people[0] && html_str(rec, "registered")[0])
			HTML_SAY(p, _(p->t, "%1$s registered it in %2$s."), people,
			         html_date(p, html_str(rec, "registered")).s);
		else if (people[0])
			HTML_SAY(p, _(p->t, "It was registered by %1$s."), people);
		else if (html_str(rec, "registered")[0])
			HTML_SAY(p, _(p->t, "It was registered in %1$s."),
			         html_date(p, html_str(rec, "registered")).s);
		if (html_str(rec, "modified")[0]) {
			html_put(p, " ");
			HTML_SAY(p, _(p->t, "The record was last changed in %1$s."),
			         html_date(p, html_str(rec, "modified")).s);
		}
		html_put(p, "</p>");
	}
}

/* Unassigned or reserved: when it became so and what older databases called it. */
static void
html_what_unassigned(struct page *p, const json_t *report, const char *port, const char *status)
{
	const json_t *r, *h;
	size_t i;
	const char *modified = "";

	json_array_foreach(json_object_get(report, "records"), i, r) if (html_str(r, "modified")[0])
	    modified = html_str(r, "modified");
	html_put(p, "<p class=\"lead\">");
	if (strcmp(status, "reserved") == 0)
		HTML_SAY(p,
		         _(p->t, "Port %1$s is reserved: IANA keeps it out of use and registers "
		                 "no service on it."),
		         port);
	else if (strcmp(status, "unassigned") == 0)
		HTML_SAY(p, _(p->t, "Port %1$s is unassigned: no service is registered on it."),
		         port);
	else if (strcmp(status, "unnamed") == 0)
		HTML_SAY(p, _(p->t, "The registry lists port %1$s without a service name."), port);
	else
		HTML_SAY(p, _(p->t, "No registry lists port %1$s."), port);
	html_put(p, "</p>");
	if (modified[0]) {
		html_put(p, "<p>");
		HTML_SAY(p,
		         _(p->t, "It has been so at least since %1$s, when the registry entry last "
		                 "changed."),
		         html_date(p, modified).s);
		html_put(p, "</p>");
	}
	json_array_foreach(json_object_get(report, "history"), i, h)
	{
		html_put(p, "<p>");
		if (html_str(h, "former")[0])
			HTML_SAY(p, _(p->t, "Formerly: %1$s."), html_str(h, "former"));
		html_put(p, " ");
		html_en(p, html_str(h, "text"));
		html_cite_urls(p, json_object_get(h, "sources"));
		html_put(p, "</p>");
	}
	json_array_foreach(json_object_get(report, "other_names"), i, r)
	{
		if (json_is_true(json_object_get(r, "in_registry")))
			continue;
		html_put(p, "<p>");
		HTML_SAY(p, _(p->t, "%1$s calls it %2$s."), html_str(r, "database"),
		         html_str(r, "service"));
		html_cite_source(p, report, html_int(r, "source", -1));
		html_put(p, "</p>");
	}
}

static void
html_sec_what(struct page *p, const json_t *report, const char *port)
{
	const char *status = html_str(json_object_get(report, "identity"), "status");

	html_section(p, "what", _(p->t, "What this port is"));
	if (strcmp(status, "assigned") == 0)
		html_what_assigned(p, report, port);
	else
		html_what_unassigned(p, report, port, status);
	html_put(p, "</section>");
}

static void
html_sec_range(struct page *p, const json_t *report, const char *port)
{
	const json_t *range = json_object_get(report, "range"), *cls, *eph;
	size_t i;

	if (!json_is_object(range))
		return;
	html_section(p, "range", _(p->t, "The range it belongs to"));
	json_array_foreach(json_object_get(range, "classes"), i, cls)
	{
		html_put(p, "<p class=\"lead\">");
		HTML_SAY(p,
		         _(p->t, "Port %1$s lies in the %2$s range, %3$s to %4$s, which IANA calls "
		                 "\xe2\x80\x9c%5$s\xe2\x80\x9d."),
		         port, html_range_title(p, html_str(cls, "name")),
		         html_portnum(html_int(cls, "lo", 0)).s,
		         html_portnum(html_int(cls, "hi", 0)).s, html_str(cls, "iana"));
		html_put(p, "</p><p>");
		html_esc(p, html_range_meaning(p, cls));
		html_put(p, " <a href=\"/range/");
		html_urlenc(p, html_str(cls, "name"));
		html_lang_query(p, '?');
		html_put(p, "\">");
		html_esc(p, _(p->t, "How crowded this range is"));
		html_put(p, "</a></p>");
	}
	html_put(p, "<ul>");
	html_put(p, "<li>");
	if (json_is_true(json_object_get(range, "privileged")))
		HTML_SAY(p,
		         _(p->t,
		           "On this machine, only root or a program with "
		           "CAP_NET_BIND_SERVICE may listen on it (unprivileged ports start at "
		           "%1$s)."),
		         html_portnum(html_int(range, "unprivileged_start", 1024)).s);
	else
		HTML_SAY(p,
		         _(p->t, "On this machine, any user may listen on it (unprivileged ports "
		                 "start at %1$s)."),
		         html_portnum(html_int(range, "unprivileged_start", 1024)).s);
	html_put(p, "</li><li>");
	eph = json_object_get(range, "ephemeral");
	if (json_is_true(json_object_get(eph, "overlaps")))
		HTML_SAY(p,
		         _(p->t, "It is inside the ephemeral range (%1$s to %2$s): the kernel may "
		                 "also pick it as the source port of an outgoing connection."),
		         html_portnum(html_int(eph, "lo", 0)).s,
		         html_portnum(html_int(eph, "hi", 0)).s);
	else
		HTML_SAY(p,
		         _(p->t, "It is outside the ephemeral range (%1$s to %2$s), so the kernel "
		                 "does not pick it for outgoing connections."),
		         html_portnum(html_int(eph, "lo", 0)).s,
		         html_portnum(html_int(eph, "hi", 0)).s);
	html_put(p, "</li></ul></section>");
}

static void
html_person_cell(struct page *p, const json_t *people)
{
	const json_t *x;
	size_t i;

	json_array_foreach(people, i, x)
	{
		const char *name = html_str(x, "name"), *org = html_str(x, "org");
		const char *email = html_str(x, "email");
		const char *label = name[0] ? name : org[0] ? org : html_str(x, "id");

		if (i > 0)
			html_put(p, "<br>");
		/* email comes from IANA's mailto: URI; refuse anything that is not an address. */
		if (email[0] && strchr(email, '@') && !strpbrk(email, "?&\"<> \t\r\n:/")) {
			html_put(p, "<a href=\"mailto:");
			html_esc(p, email);
			html_put(p, "\">");
			html_esc(p, label);
			html_put(p, "</a>");
		} else {
			html_esc(p, label);
		}
		if (name[0] && org[0]) {
			html_put(p, " (");
			html_esc(p, org);
			html_put(p, ")");
		}
	}
}

static void
html_refs_cell(struct page *p, const json_t *refs)
{
	const json_t *x;
	size_t i;

	json_array_foreach(refs, i, x)
	{
		if (i > 0)
			html_put(p, "<br>");
		if (json_is_string(json_object_get(x, "url")))
			html_ext_link(p, html_str(x, "url"), html_str(x, "text"));
		else
			html_esc(p, html_str(x, "text"));
		if (html_str(x, "footnote")[0]) {
			html_put(p, ": ");
			html_esc(p, html_str(x, "footnote"));
		}
	}
}

static void
html_td(struct page *p, const char *label)
{
	html_put(p, "<td data-label=\"");
	html_esc(p, label);
	html_put(p, "\">");
}

static void
html_td_text(struct page *p, const char *label, const char *text)
{
	html_td(p, label);
	html_esc(p, text);
	html_put(p, "</td>");
}

static void
html_td_date(struct page *p, const char *label, const char *iso)
{
	html_td(p, label);
	if (iso[0]) {
		html_put(p, "<time datetime=\"");
		html_esc(p, iso);
		html_put(p, "\">");
		html_esc(p, html_date(p, iso).s);
		html_put(p, "</time>");
	}
	html_put(p, "</td>");
}

/* Columns of the record table; those after REC_ALWAYS show only when some row has data. */
enum rec_col {
	REC_PORT,
	REC_PROTOCOL,
	REC_NAME,
	REC_DESCRIPTION,
	REC_ASSIGNEE,
	REC_CONTACT,
	REC_REGISTERED,
	REC_ALWAYS, /* the first optional column */
	REC_MODIFIED = REC_ALWAYS,
	REC_REFERENCES,
	REC_NOTES,
	REC_UNAUTHORIZED,
	REC_NCOLS
};

/* 1 when record r has something to show in optional column col. */
static int
html_rec_has(const json_t *r, enum rec_col col)
{
	switch (col) {
	case REC_MODIFIED:
		return html_str(r, "modified")[0] != '\0';
	case REC_REFERENCES:
		return json_array_size(json_object_get(r, "references")) > 0;
	case REC_NOTES:
		return html_str(r, "notes")[0] != '\0';
	case REC_UNAUTHORIZED:
		return html_str(r, "unauthorized")[0] != '\0';
	default:
		return 1;
	}
}

/* One row; only the columns in show[]. */
static void
html_record_row(struct page *p, const json_t *report, const json_t *r, const char *const *cols,
                const int *show)
{
	char buf[64], port[48];

	html_port_label(r, port, sizeof(port));
	html_put(p, "<tr>");
	html_td_text(p, cols[REC_PORT], json_is_integer(json_object_get(r, "port_lo")) ? port : "");
	html_td_text(p, cols[REC_PROTOCOL], html_upper(html_str(r, "protocol"), buf, sizeof(buf)));
	html_td(p, cols[REC_NAME]);
	if (html_str(r, "service")[0]) {
		html_service_href(p, html_str(r, "service"));
		html_esc(p, html_str(r, "service"));
		html_put(p, "</a>");
	}
	html_put(p, "</td>");
	html_td(p, cols[REC_DESCRIPTION]);
	html_esc(p, html_str(r, "description"));
	html_cite_source(p, report, html_int(r, "source", -1));
	html_put(p, "</td>");
	html_td(p, cols[REC_ASSIGNEE]);
	html_person_cell(p, json_object_get(r, "assignee"));
	html_put(p, "</td>");
	html_td(p, cols[REC_CONTACT]);
	html_person_cell(p, json_object_get(r, "contact"));
	html_put(p, "</td>");
	html_td_date(p, cols[REC_REGISTERED], html_str(r, "registered"));
	if (show[REC_MODIFIED])
		html_td_date(p, cols[REC_MODIFIED], html_str(r, "modified"));
	if (show[REC_REFERENCES]) {
		html_td(p, cols[REC_REFERENCES]);
		html_refs_cell(p, json_object_get(r, "references"));
		html_put(p, "</td>");
	}
	if (show[REC_NOTES])
		html_td_text(p, cols[REC_NOTES], html_str(r, "notes"));
	if (show[REC_UNAUTHORIZED])
		html_td_text(p, cols[REC_UNAUTHORIZED], html_str(r, "unauthorized"));
	html_put(p, "</tr>");
}

/*
 * The registry rows as a table.  Each cell names its column (data-label)
 * for the phone layout, and optional columns empty in every row are left
 * out: most ports have no notes, references or unauthorized-use report,
 * and four empty columns would squeeze the ones that matter.
 */
static void
html_record_table(struct page *p, const json_t *report, const json_t *records, const char *caption)
{
	const char *cols[REC_NCOLS] = {
	    _(p->t, "Port"),        _(p->t, "Protocol"),        _(p->t, "Name"),
	    _(p->t, "Description"), _(p->t, "Assignee"),        _(p->t, "Contact"),
	    _(p->t, "Registered"),  _(p->t, "Modified"),        _(p->t, "References"),
	    _(p->t, "Notes"),       _(p->t, "Unauthorized use")};
	int show[REC_NCOLS];
	const json_t *r;
	size_t i, k;

	for (k = 0; k < REC_NCOLS; k++) {
		show[k] = k < REC_ALWAYS;
		json_array_foreach(records, i, r) if (!show[k] && html_rec_has(r, (enum rec_col)k))
		    show[k] = 1;
	}
	html_put(p, "<div class=\"table-wrap\"><table class=\"records\"><caption>");
	html_esc(p, caption);
	html_put(p, "</caption><thead><tr>");
	for (k = 0; k < REC_NCOLS; k++) {
		if (!show[k])
			continue;
		html_put(p, "<th scope=\"col\">");
		html_esc(p, cols[k]);
		html_put(p, "</th>");
	}
	html_put(p, "</tr></thead><tbody>");
	json_array_foreach(records, i, r) html_record_row(p, report, r, cols, show);
	html_put(p, "</tbody></table></div>");
}

static void
html_sec_record(struct page *p, const json_t *report, const char *port)
{
	const json_t *records = json_object_get(report, "records");

	html_section(p, "record", _(p->t, "The registry record"));
	if (json_array_size(records) == 0) {
		html_put(p, "<p>");
		HTML_SAY(p, _(p->t, "IANA's registry has no row for port %1$s."), port);
		html_put(p, "</p>");
	} else {
		html_record_table(p, report, records,
		                  _(p->t, "Every row of IANA's registry for this port, as IANA "
		                          "wrote it."));
	}
	if (json_is_true(json_object_get(report, "truncated"))) {
		html_put(p, "<p class=\"warn\">");
		html_esc(p, _(p->t, "Only the first 500 rows are shown."));
		html_put(p, "</p>");
	}
	html_put(p, "</section>");
}

/* The nmap-services source id, if the report cites one. */
static long long
html_source_of_kind(const json_t *report, const char *kind)
{
	const json_t *s;
	size_t i;

	json_array_foreach(json_object_get(report, "sources"), i,
	                   s) if (strcmp(html_str(s, "kind"), kind) == 0) return html_int(s, "id",
	                                                                                  -1);
	return -1;
}

static void
html_sec_common(struct page *p, const json_t *report)
{
	const json_t *freq = json_object_get(report, "frequency"), *x;
	const json_t *note = json_object_get(report, "note");
	struct strbuf proto, words;
	char buf[32];
	size_t i;

	strbuf_init(&proto, HTML_FRAGMENT_LIMIT);
	strbuf_init(&words, HTML_FRAGMENT_LIMIT);

	html_section(p, "common", _(p->t, "What actually happens on it"));
	if (json_is_object(freq)) {
		const json_t *per = json_object_get(freq, "per_protocol");

		html_put(p, "<p class=\"lead\">");
		html_esc(
		    p, _(p->t, "How often it is found open, according to nmap's Internet scans:"));
		html_put(p, "</p><ul>");
		if (json_array_size(per) == 0) {
			html_put(p, "<li>");
			html_frequency(p, freq);
			html_put(p, "</li>");
		}
		json_array_foreach(per, i, x)
		{
			html_put(p, "<li>");
			HTML_SAY_HTML(
			    p, _(p->t, "%1$s: %2$s"),
			    html_fragment(p, &proto,
			                  html_upper(html_str(x, "protocol"), buf, sizeof(buf)), 0),
			    html_frequency_fragment(p, &words, x));
			html_cite_source(p, report, html_source_of_kind(report, "nmap-services"));
			html_put(p, "</li>");
		}
		html_put(p, "</ul>");
	}
	if (json_is_object(note)) {
		html_put(p, html_foreign(p) ? "<article class=\"note\" lang=\"en\"><h3>"
		                            : "<article class=\"note\"><h3>");
		html_esc(p, html_str(note, "title"));
		html_put(p, "</h3>");
		if (markdown_html(p->out, html_str(note, "markdown")) == -1)
			p->fail = 1;
		html_put(p, "<p class=\"cite\" lang=\"");
		html_esc(p, i18n_code(p->t));
		html_put(p, "\">");
		html_esc(p, _(p->t, "Sources:"));
		html_cite_urls(p, json_object_get(note, "sources"));
		html_put(p, "</p></article>");
	} else if (!json_is_object(freq)) {
		html_put(p, "<p>");
		html_esc(p, _(p->t, "We have no observations for this port."));
		html_put(p, "</p>");
	}
	html_put(p, "</section>");
	strbuf_free(&proto);
	strbuf_free(&words);
}

static void
html_sec_uses(struct page *p, const json_t *report)
{
	const json_t *uses = json_object_get(report, "uses"), *u;
	char protos[64], range[64];
	size_t i;

	html_section(p, "uses", _(p->t, "Known unofficial uses"));
	if (json_array_size(uses) == 0) {
		html_put(p, "<p>");
		html_esc(p, _(p->t, "We know of no software that uses this port outside its "
		                    "registration."));
		html_put(p, "</p></section>");
		return;
	}
	html_put(p, "<ul class=\"uses\">");
	json_array_foreach(uses, i, u)
	{
		const char *cat = html_str(u, "category");

		html_protocols(json_object_get(u, "protocols"), protos, sizeof(protos));
		html_port_label(u, range, sizeof(range));
		html_putf(p,
		          "<li class=\"use\"><p class=\"use-head\"><span class=\"badge cat-%s\">",
		          html_category_class(cat));
		html_esc(p, html_category(p, cat));
		html_put(p, "</span> <strong>");
		html_esc(p, html_str(u, "who"));
		html_put(p, "</strong> <span class=\"meta\">");
		if (html_int(u, "port_lo", -1) == html_int(u, "port_hi", -1))
			HTML_SAY(p, _(p->t, "%1$s, port %2$s"), protos, range);
		else
			HTML_SAY(p, _(p->t, "%1$s, ports %2$s"), protos, range);
		html_put(p, "</span></p><p>");
		html_en(p, html_str(u, "text"));
		html_cite_urls(p, json_object_get(u, "sources"));
		html_put(p, "</p></li>");
	}
	html_put(p, "</ul></section>");
}

/* One command in a code block, with a copy button that vote.js reveals. */
static void
html_command(struct page *p, const char *label, const char *cmd, int n)
{
	html_putf(p, "<div class=\"cmd\"><p class=\"cmd-label\" id=\"cmd-%d-l\">", n);
	html_esc(p, label);
	html_putf(p, "</p><pre><code id=\"cmd-%d\">", n);
	html_esc(p, cmd);
	html_putf(p,
	          "</code></pre><button type=\"button\" class=\"copy\" data-copy=\"cmd-%d\" "
	          "aria-describedby=\"cmd-%d-l\" data-done=\"",
	          n, n);
	html_esc(p, _(p->t, "Copied"));
	html_put(p, "\" hidden>");
	html_esc(p, _(p->t, "Copy"));
	html_put(p, "</button></div>");
}

static void
html_sec_check(struct page *p, const json_t *report)
{
	long long port = html_int(report, "port_lo", -1);
	char cmd[128];

	if (port < 0)
		return;
	html_section(p, "check", _(p->t, "How to check what is listening"));
	html_put(p, "<div class=\"os\"><h3>");
	html_esc(p, _(p->t, "Linux and macOS"));
	html_put(p, "</h3>");
	snprintf(cmd, sizeof(cmd), "ss -tlnp | grep %lld", port);
	html_command(p, _(p->t, "Listening TCP sockets and their processes (Linux):"), cmd, 1);
	snprintf(cmd, sizeof(cmd), "lsof -i :%lld", port);
	html_command(p, _(p->t, "Every process using the port (Linux and macOS):"), cmd, 2);
	html_put(p, "</div><div class=\"os\"><h3>");
	html_esc(p, _(p->t, "Windows"));
	html_put(p, "</h3>");
	snprintf(cmd, sizeof(cmd), "netstat -ano | findstr :%lld", port);
	html_command(p, _(p->t, "Connections on the port, with the process id in the last column:"),
	             cmd, 3);
	html_command(p, _(p->t, "Then name the process (PowerShell), with that id:"),
	             "Get-Process -Id <PID>", 4);
	html_put(p, "</div></section>");
}

/* report["listening"]: a list of listeners, or an object holding one under "listeners". */
static void
html_sec_machine(struct page *p, const json_t *report, const char *port)
{
	const json_t *l = json_object_get(report, "listening"), *x, *h;
	char proto[16], num[32];
	size_t i, j;

	if (!p->c->show_machine || l == NULL)
		return;
	if (json_is_object(l))
		l = json_object_get(l, "listeners");
	if (!json_is_array(l))
		return;
	html_section(p, "machine", _(p->t, "On this machine now"));
	if (json_array_size(l) == 0) {
		html_put(p, "<p>");
		HTML_SAY(p, _(p->t, "Nothing is listening on port %1$s on this machine."), port);
		html_put(p, "</p></section>");
		return;
	}
	html_put(p, "<ul class=\"listeners\">");
	json_array_foreach(l, i, x)
	{
		const json_t *holders = json_object_get(x, "holders");

		html_put(p, "<li><code>");
		html_esc(p, html_upper(html_str(x, "proto"), proto, sizeof(proto)));
		html_put(p, " ");
		html_esc(p, html_str(x, "address"));
		html_putf(p, ":%lld</code> ", html_int(x, "port", 0));
		if (json_array_size(holders) == 0)
			html_esc(p, _(p->t, "no process we can see holds it"));
		json_array_foreach(holders, j, h)
		{
			snprintf(num, sizeof(num), "%lld", html_int(h, "pid", 0));
			if (j > 0)
				html_put(p, "; ");
			HTML_SAY(p, _(p->t, "%1$s (PID %2$s, user %3$s)"), html_str(h, "command"),
			         num, html_str(h, "user"));
		}
		html_put(p, "</li>");
	}
	html_put(p, "</ul></section>");
}

static void
html_sec_concern(struct page *p, const json_t *report, const char *port)
{
	const json_t *concern = json_object_get(report, "concern"), *r;
	const json_t *codes = json_object_get(concern, "codes");
	const char *level = html_str(concern, "level");
	struct strbuf tmp;
	size_t i;

	strbuf_init(&tmp, HTML_FRAGMENT_LIMIT);
	html_section(p, "concern", _(p->t, "Why it matters"));
	html_putf(p, "<p class=\"concern concern-%s\"><strong>", html_concern_class(level));
	html_esc(p, html_concern_title(p, level));
	html_put(p, "</strong> ");
	if (strcmp(level, "high") == 0)
		HTML_SAY(p,
		         _(p->t, "Port %1$s is associated with malware: find out which program "
		                 "listens on it before anything else."),
		         port);
	else if (strcmp(level, "elevated") == 0)
		HTML_SAY(p, _(p->t, "Port %1$s deserves a second look, for the reasons below."),
		         port);
	else if (strcmp(level, "low") == 0)
		HTML_SAY(p,
		         _(p->t,
		           "Internet scanners probe port %1$s: expect it in firewall logs and "
		           "expose it only on purpose."),
		         port);
	else
		HTML_SAY(p,
		         _(p->t, "Nothing we know makes port %1$s riskier than any other: the risk "
		                 "is whatever program listens on it."),
		         port);
	html_put(p, "</p>");
	if (json_array_size(json_object_get(concern, "reasons")) > 0) {
		html_put(p, "<ul>");
		json_array_foreach(json_object_get(concern, "reasons"), i, r)
		{
			html_put(p, "<li>");
			html_concern_reason(p, json_array_get(codes, i), json_string_value(r),
			                    &tmp);
			html_put(p, "</li>");
		}
		html_put(p, "</ul>");
	}
	html_put(p, "</section>");
	strbuf_free(&tmp);
}

/* Up to max distinct names joined with ", ": list's strings, or its objects' key. */
static void
html_join_names(const json_t *list, const char *key, char *buf, size_t len, size_t max)
{
	json_t *seen = json_object(); /* names already written, as an object used as a set */
	const json_t *x;
	size_t i, k = 0, n = 0;

	buf[0] = '\0';
	json_array_foreach(list, i, x)
	{
		const char *s = key ? html_str(x, key) : json_string_value(x);

		if (n >= max)
			break;
		if (s == NULL || *s == '\0' || json_object_get(seen, s))
			continue;
		json_object_set_new(seen, s, json_true());
		html_list_add(buf, len, &k, s);
		n++;
	}
	json_decref(seen);
}

static void
html_faq_q(struct page *p, const char *q, const char *port)
{
	html_put(p, "<dt>");
	HTML_SAY(p, q, port);
	html_put(p, "</dt><dd>");
}

static void
html_faq_safe(struct page *p, const json_t *report, const char *port, const char *status)
{
	const char *level = html_str(json_object_get(report, "concern"), "level");
	char names[256];

	html_join_names(json_object_get(json_object_get(report, "identity"), "services"), NULL,
	                names, sizeof(names), 3);
	html_faq_q(p, _(p->t, "Is it safe to open port %1$s?"), port);
	if (strcmp(level, "high") == 0)
		HTML_SAY(p,
		         _(p->t, "Be careful: our data associates port %1$s with malware. Open it "
		                 "only for a program you know needs it."),
		         port);
	else if (strcmp(status, "assigned") == 0)
		HTML_SAY(p,
		         _(p->t,
		           "An open port is as safe as the program listening on it. Port %1$s "
		           "belongs to %2$s; open it only if you run that service, and check "
		           "what listens on it first."),
		         port, names);
	else
		HTML_SAY(p,
		         _(p->t, "No service is registered on port %1$s, so nothing needs it by "
		                 "default. Open it only for a program you know uses it."),
		         port);
	if (strcmp(level, "low") == 0) {
		html_put(p, " ");
		html_esc(p, _(p->t, "Scanners probe it, so expect unsolicited connections."));
	}
	html_put(p, "</dd>");
}

static void
html_faq_uses(struct page *p, const json_t *report, const char *port, const char *status)
{
	char names[256], who[512];

	html_join_names(json_object_get(json_object_get(report, "identity"), "services"), NULL,
	                names, sizeof(names), 3);
	html_join_names(json_object_get(report, "uses"), "who", who, sizeof(who), 5);
	html_faq_q(p, _(p->t, "What uses port %1$s?"), port);
	if (strcmp(status, "assigned") == 0)
		HTML_SAY(p, _(p->t, "IANA registers %1$s on it."), names);
	else
		HTML_SAY(p, _(p->t, "No registered service: IANA lists port %1$s as %2$s."), port,
		         strcmp(status, "reserved") == 0 ? _(p->t, "reserved")
		                                         : _(p->t, "unassigned"));
	if (who[0]) {
		html_put(p, " ");
		HTML_SAY(p, _(p->t, "Also known to use it: %1$s."), who);
	}
	html_put(p, "</dd>");
}

static void
html_faq_proto(struct page *p, const json_t *report, const char *port)
{
	char protos[128];

	html_protocols(json_object_get(json_object_get(report, "identity"), "protocols"), protos,
	               sizeof(protos));
	html_faq_q(p, _(p->t, "Is port %1$s TCP or UDP?"), port);
	if (protos[0])
		HTML_SAY(p, _(p->t, "The registry lists it for %1$s."), protos);
	else
		html_esc(p, _(p->t, "The registry names no protocol for it; any program may use it "
		                    "with either."));
	html_put(p, "</dd>");
}

static void
html_faq_own(struct page *p, const json_t *report, const char *port, const char *status)
{
	const json_t *cls =
	    json_array_get(json_object_get(json_object_get(report, "range"), "classes"), 0);
	const char *range = html_str(cls, "name");

	html_faq_q(p, _(p->t, "Can I use port %1$s for my own service?"), port);
	if (strcmp(range, "dynamic") == 0)
		html_esc(p,
		         _(p->t, "Yes, privately: the dynamic range is never assigned. But the "
		                 "kernel may hand the port to an outgoing connection, so a fixed "
		                 "service here can collide with one."));
	else if (strcmp(status, "assigned") == 0)
		html_esc(p, _(p->t,
		              "On your own network, if the registered service does not run there. "
		              "A service for the public should ask IANA for its own port."));
	else if (strcmp(status, "reserved") == 0)
		html_esc(p, _(p->t, "Better not: a reserved port is kept out of use on purpose."));
	else
		html_esc(p,
		         _(p->t, "Yes, privately: it is unassigned. To publish a service on it, "
		                 "register it with IANA, since it may be assigned to someone else "
		                 "later."));
	if (strcmp(range, "well-known") == 0) {
		html_put(p, " ");
		html_esc(p, _(p->t, "Listening on it needs privilege."));
	}
	html_put(p, "</dd>");
}

static void
html_sec_faq(struct page *p, const json_t *report, const char *port)
{
	const char *status = html_str(json_object_get(report, "identity"), "status");

	html_section(p, "faq", _(p->t, "Questions and answers"));
	html_put(p, "<dl class=\"faq\">");
	html_faq_safe(p, report, port, status);
	html_faq_uses(p, report, port, status);
	html_faq_proto(p, report, port);
	if (json_is_object(json_object_get(report, "range")))
		html_faq_own(p, report, port, status);
	html_put(p, "</dl></section>");
}

/* Every footnote cited above, plus the report's sources nobody cited inline. */
static void
html_sec_sources(struct page *p, const json_t *report)
{
	const json_t *s, *f;
	size_t i;

	/* Sources no sentence cited (the curated data's own entry, say) still belong in the list.
	 */
	json_array_foreach(json_object_get(report, "sources"), i, s)
	    html_source_note(p, report, html_int(s, "id", -1));
	html_section(p, "sources", _(p->t, "Sources"));
	html_put(p, "<ol class=\"sources\">");
	json_array_foreach(p->fn_list, i, f)
	{
		const char *url = html_str(f, "url");

		html_putf(p, "<li id=\"fn-%zu\">", i + 1);
		if (url[0])
			html_ext_link(p, url, html_str(f, "label"));
		else
			html_esc(p, html_str(f, "label"));
		html_put(p, "</li>");
	}
	html_put(p, "</ol></section>");
}

static void
html_vote(struct page *p)
{
	static const char *const values[] = {"sad", "meh", "happy"};
	static const char *const faces[] = {"\xf0\x9f\x98\x94", "\xf0\x9f\xa4\xa8",
	                                    "\xf0\x9f\x98\x83"};
	const char *labels[] = {_(p->t, "Not helpful"), _(p->t, "Somewhat helpful"),
	                        _(p->t, "Helpful")};
	size_t i;

	html_put(p, "<section id=\"vote\" class=\"vote\" aria-labelledby=\"vote-h\">"
	            "<h2 id=\"vote-h\">");
	html_esc(p, _(p->t, "Was this page helpful?"));
	html_put(p, "</h2>");
	if (p->c->voted) {
		html_put(p, "<p class=\"thanks\" role=\"status\">");
		html_esc(p, _(p->t, "Thank you for your feedback!"));
		html_put(p, "</p></section>");
		return;
	}
	html_put(p, "<form class=\"vote-form\" method=\"post\" action=\"/vote\" data-thanks=\"");
	html_esc(p, _(p->t, "Thank you for your feedback!"));
	html_put(p, "\" data-error=\"");
	html_esc(p, _(p->t, "Your vote could not be saved. Please try again later."));
	html_put(p, "\"><input type=\"hidden\" name=\"page\" value=\"");
	html_esc(p, html_self_path(p));
	html_put(p, "\"><input type=\"hidden\" name=\"lang\" value=\"");
	html_esc(p, i18n_code(p->t));
	html_put(p, "\">");
	for (i = 0; i < 3; i++) {
		html_putf(p, "<button type=\"submit\" name=\"answer\" value=\"%s\" title=\"",
		          values[i]);
		html_esc(p, labels[i]);
		html_put(p, "\" aria-label=\"");
		html_esc(p, labels[i]);
		html_putf(p, "\"><span aria-hidden=\"true\">%s</span></button>", faces[i]);
	}
	html_put(p, "<p class=\"vote-status\" role=\"status\" aria-live=\"polite\"></p></form>"
	            "</section>");
}

static void
html_port_link_item(struct page *p, long long port, const char *text)
{
	html_put(p, "<li>");
	html_port_href(p, port);
	html_esc(p, text);
	html_put(p, "</a></li>");
}

static void
html_sec_related(struct page *p, const json_t *report)
{
	long long lo = html_int(report, "port_lo", -1), hi = html_int(report, "port_hi", -1);
	const json_t *names = json_object_get(json_object_get(report, "identity"), "services");
	const json_t *x;
	char label[256];
	size_t i;

	html_put(p, "<nav id=\"related\" class=\"related\" aria-labelledby=\"related-h\">"
	            "<h2 id=\"related-h\">");
	html_esc(p, _(p->t, "Related ports"));
	html_put(p, "</h2><ul>");
	if (lo > 0)
		html_port_link_item(p, lo - 1, html_portnum(lo - 1).s);
	if (hi >= 0 && hi < 65535) {
		snprintf(label, sizeof(label), "%s", html_portnum(hi + 1).s);
		html_port_link_item(p, hi + 1, label);
	}
	json_array_foreach(json_object_get(report, "siblings"), i, x)
	{
		html_put(p, "<li>");
		html_port_href(p, html_int(x, "port", 0));
		HTML_SAY(p, _(p->t, "%1$s (%2$s)"), html_portnum(html_int(x, "port", 0)).s,
		         html_str(x, "service"));
		html_put(p, " <span class=\"meta\">");
		html_esc(p, strcmp(html_str(x, "relation"), "same assignee") == 0
		                ? _(p->t, "same assignee")
		                : _(p->t, "same name family"));
		html_put(p, "</span></a></li>");
	}
	json_array_foreach(json_object_get(report, "service_ports"), i, x)
	{
		if (html_int(x, "port_lo", -1) == lo)
			continue;
		html_port_link_item(p, html_int(x, "port_lo", 0),
		                    html_portnum(html_int(x, "port_lo", 0)).s);
	}
	json_array_foreach(names, i, x)
	{
		if (!json_is_string(x))
			continue;
		html_put(p, "<li>");
		html_service_href(p, json_string_value(x));
		HTML_SAY(p, _(p->t, "Every port of %1$s"), json_string_value(x));
		html_put(p, "</a></li>");
	}
	html_put(p, "</ul></nav>");
}

/* "Port 3516", or "Ports 6000–6063" for a range. */
static void
html_port_heading(struct page *p, const json_t *o, const char *label)
{
	if (html_int(o, "port_hi", -1) > html_int(o, "port_lo", -1))
		HTML_SAY(p, _(p->t, "Ports %1$s"), label);
	else
		HTML_SAY(p, _(p->t, "Port %1$s"), label);
}

int
html_port(struct strbuf *out, const json_t *report, const struct html_ctx *c)
{
	const json_t *names = json_object_get(json_object_get(report, "identity"), "services");
	char port[96];
	struct page p;

	if (html_page_init(&p, out, c) == -1)
		return -1;
	html_port_label(report, port, sizeof(port));
	if (json_array_size(names) > 0)
		html_begin(&p, _(p.t, "Port %1$s: %2$s"), 2,
		           HTML_ARGS(port, json_string_value(json_array_get(names, 0))));
	else
		html_begin(&p, _(p.t, "Port %1$s"), 1, HTML_ARGS(port));
	html_put(&p, "<article class=\"port\"><h1>");
	html_port_heading(&p, report, port);
	if (json_array_size(names) > 0) {
		html_put(&p, " <span class=\"svc\">");
		html_esc(&p, json_string_value(json_array_get(names, 0)));
		html_put(&p, "</span>");
	}
	html_put(&p, "</h1>");
	html_sec_what(&p, report, port);
	html_sec_range(&p, report, port);
	html_sec_record(&p, report, port);
	html_sec_common(&p, report);
	html_sec_uses(&p, report);
	html_sec_check(&p, report);
	html_sec_machine(&p, report, port);
	html_sec_concern(&p, report, port);
	html_sec_faq(&p, report, port);
	html_sec_sources(&p, report);
	html_vote(&p);
	html_put(&p, "</article>");
	html_sec_related(&p, report);
	html_end(&p);
	return html_page_done(&p);
}

/* ---- the other pages ---- */

static void
html_snapshot(struct page *p, const json_t *snap)
{
	const char *as_of = html_str(snap, "registry_as_of");
	long long age = html_int(snap, "age_days", -1);

	if (!as_of[0])
		return;
	html_put(p, "<p class=\"snapshot\">");
	HTML_SAY(p, _(p->t, "Registry snapshot: %1$s, as of %2$s."),
	         html_str(snap, "registry_source"), html_date(p, as_of).s);
	if (age >= 0) {
		html_put(p, " ");
		HTML_SAY(
		    p,
		    N_(p->t, "That is %1$s day ago.", "That is %1$s days ago.", (unsigned long)age),
		    html_number(p, age).s);
	}
	html_put(p, "</p>");
}

static void
html_index_ranges(struct page *p, const json_t *ranges)
{
	const json_t *r;
	size_t i;

	html_section(p, "ranges", _(p->t, "The three ranges"));
	html_put(p, "<ul class=\"ranges\">");
	json_array_foreach(ranges, i, r)
	{
		html_put(p, "<li><a class=\"range-card\" href=\"/range/");
		html_urlenc(p, html_str(r, "name"));
		html_lang_query(p, '?');
		html_put(p, "\"><strong>");
		html_esc(p, html_range_title(p, html_str(r, "name")));
		html_put(p, "</strong> <span class=\"bounds\">");
		HTML_SAY(p, _(p->t, "%1$s to %2$s"), html_portnum(html_int(r, "lo", 0)).s,
		         html_portnum(html_int(r, "hi", 0)).s);
		html_put(p, "</span><span class=\"meta\">");
		HTML_SAY(p, _(p->t, "%1$s assigned, %2$s unassigned, %3$s reserved"),
		         html_number(p, html_int(r, "assigned", 0)).s,
		         html_number(p, html_int(r, "unassigned", 0)).s,
		         html_number(p, html_int(r, "reserved", 0)).s);
		html_put(p, "</span></a></li>");
	}
	html_put(p, "</ul></section>");
}

static void
html_index_common(struct page *p, const json_t *common)
{
	const json_t *x;
	size_t i;

	if (json_array_size(common) == 0)
		return;
	html_section(p, "common", _(p->t, "The most common ports"));
	html_put(p, "<div class=\"table-wrap\"><table class=\"common\"><caption>");
	html_esc(p, _(p->t, "Ports most often found open in nmap's Internet scans."));
	html_put(p, "</caption><thead><tr><th scope=\"col\">");
	html_esc(p, _(p->t, "Port"));
	html_put(p, "</th><th scope=\"col\">");
	html_esc(p, _(p->t, "Name"));
	html_put(p, "</th><th scope=\"col\">");
	html_esc(p, _(p->t, "How common"));
	html_put(p, "</th></tr></thead><tbody>");
	json_array_foreach(common, i, x)
	{
		const char *name =
		    html_str(x, "service")[0] ? html_str(x, "service") : html_str(x, "name");

		html_put(p, "<tr>");
		html_td(p, _(p->t, "Port"));
		html_port_href(p, html_int(x, "port", 0));
		html_putf(p, "%lld</a>/", html_int(x, "port", 0));
		html_esc(p, html_str(x, "protocol"));
		html_put(p, "</td>");
		html_td_text(p, _(p->t, "Name"), name);
		html_td(p, _(p->t, "How common"));
		html_frequency(p, x);
		html_put(p, "</td>");
		html_put(p, "</tr>");
	}
	html_put(p, "</tbody></table></div></section>");
}

int
html_index(struct strbuf *out, const json_t *index, const struct html_ctx *c)
{
	struct page p;

	if (html_page_init(&p, out, c) == -1)
		return -1;
	html_begin(&p, _(p.t, "Every TCP and UDP port, explained"), 0, NULL);
	html_put(&p, "<div class=\"hero\"><h1>");
	html_esc(&p, _(p.t, "Every TCP and UDP port, explained"));
	html_put(&p, "</h1><p>");
	html_esc(&p, _(p.t, "What a port number is registered for, who uses it in practice, and "
	                    "how to see what is listening on it."));
	html_put(&p, "</p>");
	html_search_form(&p, "", "q-main");
	html_snapshot(&p, json_object_get(index, "snapshot"));
	html_put(&p, "</div>");
	html_index_ranges(&p, json_object_get(index, "ranges"));
	html_index_common(&p, json_object_get(index, "most_common"));
	html_end(&p);
	return html_page_done(&p);
}

/* A search snippet: FTS5 marks matched words with [ and ], shown as <mark>. */
static void
html_snippet(struct page *p, const char *s)
{
	const char *mark;

	while ((mark = strpbrk(s, "[]")) != NULL) {
		html_escn(p, s, (size_t)(mark - s));
		html_put(p, *mark == '[' ? "<mark>" : "</mark>");
		s = mark + 1;
	}
	html_esc(p, s);
}

static const char *
html_hit_kind(const struct page *p, const char *kind)
{
	if (strcmp(kind, "record") == 0)
		return _(p->t, "registry");
	if (strcmp(kind, "alias") == 0)
		return _(p->t, "other database");
	if (strcmp(kind, "use") == 0)
		return _(p->t, "unofficial use");
	if (strcmp(kind, "history") == 0)
		return _(p->t, "history");
	return _(p->t, "note");
}

int
html_search(struct strbuf *out, const json_t *result, const struct html_ctx *c)
{
	const json_t *hits = json_object_get(result, "hits"), *h;
	const char *q = html_str(result, "query");
	char port[64];
	struct page p;
	size_t i;

	if (html_page_init(&p, out, c) == -1)
		return -1;
	html_begin(&p, _(p.t, "Search: %1$s"), 1, HTML_ARGS(q));
	html_put(&p, "<h1>");
	HTML_SAY(&p, _(p.t, "Search results for \xe2\x80\x9c%1$s\xe2\x80\x9d"), q);
	html_put(&p, "</h1>");
	html_search_form(&p, q, "q-main");
	html_put(&p, "<p class=\"meta\">");
	HTML_SAY(&p, N_(p.t, "%1$s result", "%1$s results", (unsigned long)json_array_size(hits)),
	         html_number(&p, (long long)json_array_size(hits)).s);
	if (strcmp(html_str(result, "match"), "any word") == 0 && json_array_size(hits) > 0) {
		html_put(&p, " ");
		html_esc(&p, _(p.t, "Nothing had every word; these have some of them."));
	}
	html_put(&p, "</p><ol class=\"hits\">");
	json_array_foreach(hits, i, h)
	{
		const char *name = html_str(h, "name");

		html_put(&p, "<li>");
		if (json_is_integer(json_object_get(h, "port_lo"))) {
			html_port_label(h, port, sizeof(port));
			html_port_href(&p, html_int(h, "port_lo", 0));
			HTML_SAY(&p, name[0] ? _(p.t, "Port %1$s: %2$s") : _(p.t, "Port %1$s"),
			         port, name);
		} else {
			html_service_href(&p, name);
			html_esc(&p, name);
		}
		html_put(&p, "</a> <span class=\"badge\">");
		html_esc(&p, html_hit_kind(&p, html_str(h, "kind")));
		html_put(&p, "</span><p>");
		html_snippet(&p, html_str(h, "snippet"));
		html_put(&p, "</p></li>");
	}
	html_put(&p, "</ol>");
	html_end(&p);
	return html_page_done(&p);
}

/*
 * The range's crowding as an inline SVG bar chart, one stacked bar per
 * block (assigned at the bottom, then reserved, unassigned on top).  The
 * colours come from style.css classes, so the strict CSP needs no inline
 * style; the table after it carries the same numbers for screen readers.
 */
static void
html_range_chart(struct page *p, const json_t *range)
{
	const json_t *blocks = json_object_get(range, "blocks"), *b;
	size_t n = json_array_size(blocks), i;
	const int height = 160, width = 640;
	double bw = n ? (double)width / (double)n : 0;

	html_putf(p,
	          "<figure class=\"chart\"><svg viewBox=\"0 0 %d %d\" role=\"img\" "
	          "aria-labelledby=\"chart-t\" preserveAspectRatio=\"none\"><title id=\"chart-t\">",
	          width, height + 2);
	html_esc(p, _(p->t, "Assigned and unassigned ports per block"));
	html_put(p, "</title>");
	json_array_foreach(blocks, i, b)
	{
		long long lo = html_int(b, "lo", 0), hi = html_int(b, "hi", 0);
		double total = (double)(hi - lo + 1);
		double ha = height * (double)html_int(b, "assigned", 0) / total;
		double hr = height * (double)html_int(b, "reserved", 0) / total;
		double x = bw * (double)i;

		html_putf(p, "<rect class=\"u\" x=\"%.1f\" y=\"0\" width=\"%.1f\" height=\"%d\"/>",
		          x, bw - 1, height);
		html_putf(
		    p, "<rect class=\"r\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"/>",
		    x, height - ha - hr, bw - 1, hr);
		html_putf(
		    p, "<rect class=\"a\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"/>",
		    x, height - ha, bw - 1, ha);
	}
	html_put(p, "</svg><figcaption><span class=\"key a\"></span>");
	html_esc(p, _(p->t, "assigned"));
	html_put(p, " <span class=\"key r\"></span>");
	html_esc(p, _(p->t, "reserved"));
	html_put(p, " <span class=\"key u\"></span>");
	html_esc(p, _(p->t, "unassigned"));
	html_put(p, "</figcaption></figure>");
}

static void
html_range_table(struct page *p, const json_t *range)
{
	const json_t *b;
	size_t i;

	html_put(p, "<details class=\"numbers\"><summary>");
	html_esc(p, _(p->t, "The same numbers as a table"));
	html_put(p, "</summary><div class=\"table-wrap\"><table><thead><tr><th scope=\"col\">");
	html_esc(p, _(p->t, "Ports"));
	html_put(p, "</th><th scope=\"col\">");
	html_esc(p, _(p->t, "Assigned"));
	html_put(p, "</th><th scope=\"col\">");
	html_esc(p, _(p->t, "Reserved"));
	html_put(p, "</th><th scope=\"col\">");
	html_esc(p, _(p->t, "Unassigned"));
	html_put(p, "</th></tr></thead><tbody>");
	json_array_foreach(json_object_get(range, "blocks"), i, b)
	{
		html_put(p, "<tr>");
		html_td(p, _(p->t, "Ports"));
		html_port_href(p, html_int(b, "lo", 0));
		HTML_SAY(p, _(p->t, "%1$s to %2$s"), html_portnum(html_int(b, "lo", 0)).s,
		         html_portnum(html_int(b, "hi", 0)).s);
		html_put(p, "</a></td>");
		html_td_text(p, _(p->t, "Assigned"), html_number(p, html_int(b, "assigned", 0)).s);
		html_td_text(p, _(p->t, "Reserved"), html_number(p, html_int(b, "reserved", 0)).s);
		html_td_text(p, _(p->t, "Unassigned"),
		             html_number(p, html_int(b, "unassigned", 0)).s);
		html_put(p, "</tr>");
	}
	html_put(p, "</tbody></table></div></details>");
}

int
html_range(struct strbuf *out, const json_t *range, const struct html_ctx *c)
{
	const json_t *tot = json_object_get(range, "totals");
	const char *title;
	struct page p;

	if (html_page_init(&p, out, c) == -1)
		return -1;
	title = html_range_title(&p, html_str(range, "name"));
	html_begin(&p, "%1$s", 1, HTML_ARGS(title));
	html_put(&p, "<h1>");
	html_esc(&p, title);
	html_put(&p, "</h1><p class=\"lead\">");
	HTML_SAY(&p, _(p.t, "Ports %1$s to %2$s, which IANA calls \xe2\x80\x9c%3$s\xe2\x80\x9d."),
	         html_portnum(html_int(range, "lo", 0)).s, html_portnum(html_int(range, "hi", 0)).s,
	         html_str(range, "iana"));
	html_put(&p, "</p><p>");
	html_esc(&p, html_range_meaning(&p, range));
	html_put(&p, "</p>");
	html_section(&p, "crowding", _(p.t, "How crowded it is"));
	html_put(&p, "<p>");
	HTML_SAY(&p, _(p.t, "%1$s assigned, %2$s unassigned, %3$s reserved."),
	         html_number(&p, html_int(tot, "assigned", 0)).s,
	         html_number(&p, html_int(tot, "unassigned", 0)).s,
	         html_number(&p, html_int(tot, "reserved", 0)).s);
	html_put(&p, " ");
	HTML_SAY(&p,
	         N_(p.t, "Each bar is a block of %1$s port.", "Each bar is a block of %1$s ports.",
	            (unsigned long)html_int(range, "block_width", 0)),
	         html_number(&p, html_int(range, "block_width", 0)).s);
	html_put(&p, "</p>");
	html_range_chart(&p, range);
	html_range_table(&p, range);
	html_put(&p, "</section>");
	html_end(&p);
	return html_page_done(&p);
}

static void
html_service_others(struct page *p, const json_t *others)
{
	const json_t *x;
	size_t i;

	if (json_array_size(others) == 0)
		return;
	html_section(p, "others", _(p->t, "In other databases"));
	html_put(p, "<ul>");
	json_array_foreach(others, i, x)
	{
		html_put(p, "<li>");
		html_port_href(p, html_int(x, "port", 0));
		html_putf(p, "%lld</a> ", html_int(x, "port", 0));
		HTML_SAY(p, _(p->t, "%1$s calls it %2$s."), html_str(x, "database"),
		         html_str(x, "service"));
		html_put(p, "</li>");
	}
	html_put(p, "</ul></section>");
}

int
html_service(struct strbuf *out, const json_t *service, const struct html_ctx *c)
{
	const char *name = html_str(service, "service");
	const json_t *g;
	char port[64];
	struct page p;
	size_t i;

	if (html_page_init(&p, out, c) == -1)
		return -1;
	html_begin(&p, _(p.t, "Service %1$s"), 1, HTML_ARGS(name));
	html_put(&p, "<h1>");
	HTML_SAY(&p, _(p.t, "Service %1$s"), name);
	html_put(&p, "</h1>");
	json_array_foreach(json_object_get(service, "ports"), i, g)
	{
		html_putf(&p, "<section aria-labelledby=\"port-%zu-h\"><h2 id=\"port-%zu-h\">", i,
		          i);
		if (json_is_integer(json_object_get(g, "port_lo"))) {
			html_port_label(g, port, sizeof(port));
			html_port_href(&p, html_int(g, "port_lo", 0));
			html_port_heading(&p, g, port);
			html_put(&p, "</a>");
		} else {
			html_esc(&p, _(p.t, "Without a port"));
		}
		html_put(&p, "</h2>");
		html_record_table(&p, service, json_object_get(g, "records"),
		                  _(p.t, "The registry's rows under this name."));
		html_put(&p, "</section>");
	}
	html_service_others(&p, json_object_get(service, "other_names"));
	html_sec_sources(&p, service);
	html_end(&p);
	return html_page_done(&p);
}

int
html_error(struct strbuf *out, int status, const struct html_ctx *c)
{
	const char *title, *why;
	char code[16];
	struct page p;

	if (html_page_init(&p, out, c) == -1)
		return -1;
	switch (status) {
	case 400:
		title = _(p.t, "Bad request");
		why = _(p.t, "The request was malformed: check the address or the form.");
		break;
	case 404:
		title = _(p.t, "Not found");
		why = _(p.t, "There is no such page. Ports go from 0 to 65535: try /port/3516.");
		break;
	case 405:
		title = _(p.t, "Method not allowed");
		why = _(p.t, "This address does not accept that kind of request.");
		break;
	case 413:
		title = _(p.t, "Request too large");
		why = _(p.t, "The request carried more data than this site accepts.");
		break;
	case 429:
		title = _(p.t, "Too many requests");
		why = _(p.t, "Please wait a moment and try again.");
		break;
	default:
		title = _(p.t, "Something went wrong");
		why = _(p.t, "The server could not answer this request. Please try again later.");
		break;
	}
	snprintf(code, sizeof(code), "%d", status);
	html_begin(&p, "%1$s %2$s", 2, HTML_ARGS(code, title));
	html_put(&p, "<div class=\"error\"><p class=\"status\">");
	html_esc(&p, code);
	html_put(&p, "</p><h1>");
	html_esc(&p, title);
	html_put(&p, "</h1><p>");
	html_esc(&p, why);
	html_put(&p, "</p><p><a href=\"/");
	html_lang_query(&p, '?');
	html_put(&p, "\">");
	html_esc(&p, _(p.t, "Back to the home page"));
	html_put(&p, "</a></p></div>");
	html_end(&p);
	return html_page_done(&p);
}
