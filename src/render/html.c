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

/* Percent-encode a path segment or query value. */
void
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

void
html_lang_query(struct page *p, char sep)
{
	html_putn(p, &sep, 1);
	html_put(p, "lang=");
	html_urlenc(p, i18n_code(p->t));
}

/* <a href="/port/N?lang=xx"> */
void
html_port_href(struct page *p, long long port)
{
	html_putf(p, "<a href=\"/port/%lld", port);
	html_lang_query(p, '?');
	html_put(p, "\">");
}

/* <a href="/service/NAME?lang=xx"> */
void
html_service_href(struct page *p, const char *name)
{
	html_put(p, "<a href=\"/service/");
	html_urlenc(p, name);
	html_lang_query(p, '?');
	html_put(p, "\">");
}

/* ---- chrome shared by every page ---- */

void
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
const char *
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
void
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

void
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
	return p->fn_keys && p->fn_list ? 0 : -1;
}

int
html_page_done(struct page *p)
{
	json_decref(p->fn_keys);
	json_decref(p->fn_list);
	return p->fail ? -1 : 0;
}

/* ---- translated names for the report's fixed vocabulary ---- */

const char *
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
const char *
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
void
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
