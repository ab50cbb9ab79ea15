/*
 * html_port.c - the port page (html.h: html_port()), section by section:
 * what the port is, its range, the registry record, how common it is,
 * unofficial uses, how to check what listens, this machine now, why it
 * matters, the FAQ, sources (footnoted) and the vote.  Every section reads
 * the report and decides nothing about the port (html_page.h).
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "html_page.h"
#include "markdown_html.h"
#include "words.h"

/* ---- links out, and footnotes ---- */

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

static const char *
html_category(const struct page *p, const char *cat)
{
	return words_category(p->t, cat);
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

/*
 * One reason for concern, from its entry in concern.codes, worded by
 * words_concern(); the variable parts are curated names and texts and
 * IANA's notes, which stay English (marked so); a and b are scratch buffers
 * for them.  A code not known here shows its report words, in English.
 */
static void
html_concern_reason(struct page *p, const json_t *code, struct strbuf *a, struct strbuf *b)
{
	struct words_sentence s;
	struct strbuf *tmp[WORDS_MAX_ARGS] = {a, b, NULL};
	const char *arg[WORDS_MAX_ARGS] = {NULL};
	size_t i;

	if (words_concern(p->t, code, &s) == -1) {
		html_en(p, html_str(code, "code"));
		return;
	}
	for (i = 0; i < s.n; i++)
		arg[i] = tmp[i] && s.english[i] ? html_fragment(p, tmp[i], s.arg[i], 1)
		         : tmp[i]               ? html_fragment(p, tmp[i], s.arg[i], 0)
		                                : s.arg[i];
	html_say(p, s.tmpl, 1, arg, s.n);
	if (strcmp(html_str(code, "code"), "exposure") == 0 && html_curated_english(p, code))
		html_in_english(p);
}

const char *
html_concern_title(const struct page *p, const char *level)
{
	return words_concern_title(p->t, level);
}

const char *
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
html_protocol_list(const json_t *v, char *buf, size_t len)
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

/*
 * The same as a sentence's list, "TCP and UDP": the last ", " becomes the
 * language's own "and" (a template, so word order is the translator's).
 */
static void
html_protocols(const struct page *p, const json_t *v, char *buf, size_t len)
{
	/* TRANSLATORS: the end of a list: "TCP and UDP", "A, B and C". */
	const char *tmpl = _(p->t, "%1$s and %2$s"), *s;
	char list[128], *last;
	size_t k = 0;

	html_protocol_list(v, list, sizeof(list));
	if ((last = strrchr(list, ',')) == NULL || last[1] != ' ') {
		snprintf(buf, len, "%s", list);
		return;
	}
	*last = '\0';
	buf[0] = '\0';
	for (s = tmpl; *s && k + 1 < len; s++) {
		const char *arg = strncmp(s, "%1$s", 4) == 0   ? list
		                  : strncmp(s, "%2$s", 4) == 0 ? last + 2
		                                               : NULL;
		int n;

		if (arg == NULL) {
			buf[k++] = *s;
			buf[k] = '\0';
			continue;
		}
		n = snprintf(buf + k, len - k, "%s", arg);
		k += n > 0 && (size_t)n < len - k ? (size_t)n : len - k - 1;
		s += 3;
	}
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

/* 1 when an ISO date names a day ("2021-10-01"), not only a month or a year. */
static int
html_has_day(const char *iso)
{
	return strlen(iso) >= 10;
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
html_service_protocols(const struct page *p, const json_t *report, const char *service, char *buf,
                       size_t len)
{
	json_t *protos = json_array();
	const json_t *r;
	size_t i;

	json_array_foreach(json_object_get(report, "records"), i,
	                   r) if (strcmp(html_str(r, "service"), service) == 0 &&
	                          html_str(r, "protocol")[0])
	    json_array_append_new(protos, json_string(html_str(r, "protocol")));
	html_protocols(p, protos, buf, len);
	json_decref(protos);
}

static void
html_what_assigned(struct page *p, const json_t *report, const char *port)
{
	const json_t *names = json_object_get(json_object_get(report, "identity"), "services");
	const json_t *v, *rec;
	const char *reg, *mod;
	char protos[128], people[512];
	size_t i;

	json_array_foreach(names, i, v)
	{
		const char *svc = json_string_value(v);

		if (svc == NULL || (rec = html_first_record(report, svc)) == NULL)
			continue;
		html_service_protocols(p, report, svc, protos, sizeof(protos));
		html_people_text(json_object_get(rec, "assignee"), people, sizeof(people));
		html_put(p, "<p class=\"lead\">");
		HTML_SAY(p, _(p->t, "Port %1$s is registered to %2$s (%3$s) for %4$s."), port, svc,
		         html_str(rec, "description"), protos[0] ? protos : _(p->t, "no protocol"));
		html_cite_source(p, report, html_int(rec, "source", -1));
		html_put(p, "</p><p>");
		reg = html_str(rec, "registered");
		mod = html_str(rec, "modified");
		/* A whole date is "on" a day; a month or a year alone is "in" it. */
		if (people[0] && reg[0])
			HTML_SAY(p,
			         html_has_day(reg) ? _(p->t, "%1$s registered it on %2$s.")
			                           : _(p->t, "%1$s registered it in %2$s."),
			         people, html_date(p, reg).s);
		else if (people[0])
			HTML_SAY(p, _(p->t, "It was registered by %1$s."), people);
		else if (reg[0])
			HTML_SAY(p,
			         html_has_day(reg) ? _(p->t, "It was registered on %1$s.")
			                           : _(p->t, "It was registered in %1$s."),
			         html_date(p, reg).s);
		if (mod[0]) {
			html_put(p, " ");
			HTML_SAY(p,
			         html_has_day(mod)
			             ? _(p->t, "The record was last changed on %1$s.")
			             : _(p->t, "The record was last changed in %1$s."),
			         html_date(p, mod).s);
		}
		html_put(p, "</p>");
	}
}

/* Unassigned or reserved: when it became so and what older databases called it. */
static void
html_what_unassigned(struct page *p, const json_t *report, const char *port, const char *status)
{
	const json_t *r;
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

/* The curated editorial note, in the reader's language where data/ has it, else in English, saying
 * so. */
static void
html_note(struct page *p, const json_t *note)
{
	if (!json_is_object(note))
		return;
	html_put(p, html_curated_english(p, note) ? "<article class=\"note\" lang=\"en\"><h3>"
	                                          : "<article class=\"note\"><h3>");
	html_esc(p, html_str(note, "title"));
	if (html_curated_english(p, note))
		html_in_english(p);
	html_put(p, "</h3>");
	if (markdown_html(p->out, html_str(note, "markdown")) == -1)
		p->fail = 1;
	html_put(p, "<p class=\"cite\" lang=\"");
	html_esc(p, i18n_code(p->t));
	html_put(p, "\">");
	html_esc(p, _(p->t, "Sources:"));
	html_cite_urls(p, json_object_get(note, "sources"));
	html_put(p, "</p></article>");
}

/*
 * The explanation: our line on the most likely answer (identity.headline),
 * the registration in sentences, then the editorial note.
 */
static void
html_sec_what(struct page *p, const json_t *report, const char *port)
{
	const json_t *identity = json_object_get(report, "identity");
	const json_t *h = json_object_get(identity, "headline");
	const char *status = html_str(identity, "status");

	html_section(p, "what", _(p->t, "What this port is"));
	if (json_is_object(h) && html_str(h, "text")[0]) {
		html_put(p, "<p class=\"lead\">");
		html_curated(p, h, html_str(h, "text"));
		html_cite_urls(p, json_object_get(h, "sources"));
		html_put(p, "</p>");
	}
	if (strcmp(status, "assigned") == 0)
		html_what_assigned(p, report, port);
	else
		html_what_unassigned(p, report, port, status);
	html_note(p, json_object_get(report, "note"));
	html_put(p, "</section>");
}

/* What the curated data knows of the port's past (report.history). */
static void
html_sec_history(struct page *p, const json_t *report)
{
	const json_t *history = json_object_get(report, "history"), *h;
	size_t i;

	if (json_array_size(history) == 0)
		return;
	html_section(p, "history", _(p->t, "History"));
	html_put(p, "<ul class=\"history\">");
	json_array_foreach(history, i, h)
	{
		html_put(p, "<li>");
		if (html_str(h, "former")[0]) {
			HTML_SAY(p, _(p->t, "Formerly: %1$s."), html_str(h, "former"));
			html_put(p, " ");
		}
		html_curated(p, h, html_str(h, "text"));
		html_cite_urls(p, json_object_get(h, "sources"));
		html_put(p, "</li>");
	}
	html_put(p, "</ul></section>");
}

static void
html_sec_range(struct page *p, const json_t *report, const char *port)
{
	const json_t *range = json_object_get(report, "range"), *cls, *eph;
	size_t i;
	int here;

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
		html_put(p, " ");
		html_href(p, "range", html_str(cls, "name"));
		html_esc(p, _(p->t, "How crowded this range is"));
		html_put(p, "</a></p>");
	}
	html_put(p, "<ul>");
	html_put(p, "<li>");
	/* Linux's defaults (the export, a server seen from elsewhere) are not "this machine". */
	here = !json_is_false(json_object_get(range, "this_machine"));
	if (json_is_true(json_object_get(range, "privileged")))
		HTML_SAY(p,
		         here ? _(p->t, "On this machine, only root or a program with "
		                        "CAP_NET_BIND_SERVICE may listen on it (unprivileged ports "
		                        "start at %1$s).")
		              : _(p->t, "On Linux, by default, only root or a program with "
		                        "CAP_NET_BIND_SERVICE may listen on it (unprivileged ports "
		                        "start at %1$s)."),
		         html_portnum(html_int(range, "unprivileged_start", 1024)).s);
	else
		HTML_SAY(p,
		         here ? _(p->t, "On this machine, any user may listen on it (unprivileged "
		                        "ports start at %1$s).")
		              : _(p->t, "On Linux, by default, any user may listen on it "
		                        "(unprivileged ports start at %1$s)."),
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

/*
 * IANA's own footnotes (a reference "[1]" in the registry) are marked "†1"
 * and anchored "iana-fn-1", so that neither the mark nor the anchor can be
 * taken for the page's source footnotes ("[1]", "fn-1").  The cell links
 * to the footnote's text, which follows the table (html_iana_footnotes()).
 */
static void
html_iana_mark(struct page *p, const char *anchor, int link)
{
	html_put(p,
	         link ? "<sup class=\"iana-fn\"><a href=\"#iana-fn-" : "<sup class=\"iana-fn\">");
	if (link) {
		html_esc(p, anchor);
		html_put(p, "\">");
	}
	html_put(p, "\xe2\x80\xa0"); /* U+2020 DAGGER */
	html_esc(p, anchor);
	html_put(p, link ? "</a></sup>" : "</sup>");
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
		if (html_str(x, "footnote")[0])
			html_iana_mark(p, html_str(x, "text"), 1);
		else if (json_is_string(json_object_get(x, "url")))
			html_ext_link(p, html_str(x, "url"), html_str(x, "text"));
		else
			html_esc(p, html_str(x, "text"));
	}
}

/* The text of each IANA footnote the rows cite, once per page, in order of first citation. */
static void
html_iana_footnotes(struct page *p, const json_t *records)
{
	const json_t *r, *x;
	size_t i, j;

	json_array_foreach(records, i, r) json_array_foreach(json_object_get(r, "references"), j, x)
	{
		const char *anchor = html_str(x, "text");

		if (!html_str(x, "footnote")[0] || json_object_get(p->iana_fn, anchor) != NULL)
			continue;
		json_object_set_new(p->iana_fn, anchor, json_true());
		html_put(p, "<p class=\"iana-fn\" id=\"iana-fn-");
		html_esc(p, anchor);
		html_put(p, "\">");
		html_iana_mark(p, anchor, 0);
		html_put(p, " ");
		html_esc(p, html_str(x, "footnote"));
		html_put(p, "</p>");
	}
}

void
html_td(struct page *p, const char *label)
{
	html_put(p, "<td data-label=\"");
	html_esc(p, label);
	html_put(p, "\">");
}

void
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
	REC_ALWAYS, /* the first optional column */
	REC_REGISTERED = REC_ALWAYS,
	REC_MODIFIED,
	REC_REFERENCES,
	REC_NOTES,
	REC_UNAUTHORIZED,
	REC_NCOLS
};

/* 1 when record r has something to show in column col (the port, contact and optional ones). */
static int
html_rec_has(const json_t *r, enum rec_col col)
{
	switch (col) {
	case REC_CONTACT: /* the contact is worth a column only where it is not the assignee */
		return json_array_size(json_object_get(r, "contact")) > 0 &&
		       !json_equal(json_object_get(r, "contact"), json_object_get(r, "assignee"));
	case REC_REGISTERED:
		return html_str(r, "registered")[0] != '\0';
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

/* One row (a group of records that differ only in protocol); only the columns in show[]. */
static void
html_record_row(struct page *p, const json_t *report, const json_t *g, const char *const *cols,
                const int *show)
{
	const json_t *r = json_object_get(g, "record");
	char buf[64], port[48];

	html_port_label(r, port, sizeof(port));
	html_put(p, "<tr>");
	if (show[REC_PORT])
		html_td_text(p, cols[REC_PORT],
		             json_is_integer(json_object_get(r, "port_lo")) ? port : "");
	html_protocol_list(json_object_get(g, "protocols"), buf, sizeof(buf));
	html_td_text(p, cols[REC_PROTOCOL], buf);
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
	html_cite_source(p, report, html_int(r, "refreshed_by", -1));
	html_put(p, "</td>");
	html_td(p, cols[REC_ASSIGNEE]);
	html_person_cell(p, json_object_get(r, "assignee"));
	html_put(p, "</td>");
	if (show[REC_CONTACT]) {
		html_td(p, cols[REC_CONTACT]);
		if (html_rec_has(r, REC_CONTACT))
			html_person_cell(p, json_object_get(r, "contact"));
		html_put(p, "</td>");
	}
	if (show[REC_REGISTERED])
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

/* r without what may differ between rows that are one entry: its protocol and its line. */
static json_t *
html_record_key(const json_t *r)
{
	json_t *k = json_deep_copy(r);

	json_object_del(k, "protocol");
	json_object_del(k, "line");
	return k;
}

/*
 * The registry's TCP and UDP rows for one service are usually the same
 * entry twice: rows that differ only in protocol become one group
 * {record, protocols}.  IANA writes such rows next to each other, so each
 * row is compared with the group before it only.
 */
static json_t *
html_record_groups(const json_t *records)
{
	json_t *groups = json_array(), *prev = NULL, *key = NULL, *k, *g;
	const json_t *r, *proto;
	size_t i;

	json_array_foreach(records, i, r)
	{
		proto =
		    json_object_get(r, "protocol") ? json_object_get(r, "protocol") : json_null();
		k = html_record_key(r);
		if (prev != NULL && json_equal(key, k)) {
			json_array_append(json_object_get(prev, "protocols"), (json_t *)proto);
			json_decref(k);
			continue;
		}
		g = json_pack("{s:O, s:[O]}", "record", r, "protocols", proto);
		json_array_append_new(groups, g);
		prev = g;
		json_decref(key);
		key = k;
	}
	json_decref(key);
	return groups;
}

/*
 * The registry rows as a compact table: one row per distinct entry,
 * protocols merged where the rows are otherwise identical.  Each cell
 * names its column (data-label) for the phone layout.  Columns empty in
 * every row are left out: the port where every row has the page's one
 * port, the contact where it is always the assignee, and the optional
 * ones most ports lack (notes, references, unauthorized use).
 */
void
html_record_table(struct page *p, const json_t *report, const json_t *records, const char *caption)
{
	const char *cols[REC_NCOLS] = {
	    _(p->t, "Port"),        _(p->t, "Protocol"),        _(p->t, "Name"),
	    _(p->t, "Description"), _(p->t, "Assignee"),        _(p->t, "Contact"),
	    _(p->t, "Registered"),  _(p->t, "Modified"),        _(p->t, "References"),
	    _(p->t, "Notes"),       _(p->t, "Unauthorized use")};
	json_t *groups = html_record_groups(records);
	const json_t *r, *g, *first = json_object_get(json_array_get(groups, 0), "record");
	int show[REC_NCOLS];
	size_t i, k;

	for (k = 0; k < REC_NCOLS; k++) {
		show[k] = k < REC_ALWAYS && k != REC_PORT && k != REC_CONTACT;
		json_array_foreach(groups, i, g)
		{
			r = json_object_get(g, "record");
			if (k == REC_PORT)
				show[k] |= !json_equal(json_object_get(r, "port_lo"),
				                       json_object_get(first, "port_lo")) ||
				           !json_equal(json_object_get(r, "port_hi"),
				                       json_object_get(first, "port_hi"));
			else if (!show[k])
				show[k] = html_rec_has(r, (enum rec_col)k);
		}
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
	json_array_foreach(groups, i, g) html_record_row(p, report, g, cols, show);
	html_put(p, "</tbody></table></div>");
	html_iana_footnotes(p, records);
	json_decref(groups);
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
		                  _(p->t,
		                    "IANA's registry entries for this port, as IANA wrote "
		                    "them; rows that differ only in protocol are shown once."));
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

/* The unofficial uses, a part of what actually happens on the port. */
static void
html_uses(struct page *p, const json_t *report)
{
	const json_t *uses = json_object_get(report, "uses"), *u;
	char protos[64], range[64];
	size_t i;

	html_put(p, "<h3 id=\"uses\">");
	html_esc(p, _(p->t, "Known unofficial uses"));
	html_put(p, "</h3>");
	if (json_array_size(uses) == 0) {
		html_put(p, "<p>");
		html_esc(p, _(p->t, "We know of no software that uses this port outside its "
		                    "registration."));
		html_put(p, "</p>");
		return;
	}
	html_put(p, "<ul class=\"uses\">");
	json_array_foreach(uses, i, u)
	{
		const char *cat = html_str(u, "category");

		html_protocols(p, json_object_get(u, "protocols"), protos, sizeof(protos));
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
		html_curated(p, u, html_str(u, "text"));
		html_cite_urls(p, json_object_get(u, "sources"));
		html_put(p, "</p></li>");
	}
	html_put(p, "</ul>");
}

/* 1 when every protocol is found open as often: one line says it for all. */
static int
html_same_frequency(const json_t *per)
{
	const json_t *x, *first = json_array_get(per, 0);
	size_t i;

	json_array_foreach(
	    per, i, x) if (strcmp(html_str(x, "class"), html_str(first, "class")) != 0 ||
	                   html_int(x, "one_in", 0) != html_int(first, "one_in", 0)) return 0;
	return 1;
}

static void
html_sec_common(struct page *p, const json_t *report)
{
	const json_t *freq = json_object_get(report, "frequency"), *x;
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
		if (json_array_size(per) == 0 || html_same_frequency(per)) {
			html_put(p, "<li>");
			html_frequency(p, freq);
			html_cite_source(p, report, html_source_of_kind(report, "nmap-services"));
			html_put(p, "</li>");
		}
		json_array_foreach(per, i, x)
		{
			if (html_same_frequency(per))
				break;
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
	if (!json_is_object(freq)) {
		html_put(p, "<p>");
		html_esc(p, _(p->t, "We have no observations for this port."));
		html_put(p, "</p>");
	}
	html_uses(p, report);
	html_put(p, "</section>");
	strbuf_free(&proto);
	strbuf_free(&words);
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

/* 1 when the registry or a known use puts the port on UDP (then the checks cover UDP too). */
static int
html_udp_known(const json_t *report)
{
	const json_t *x, *u;
	char list[128];
	size_t i;

	json_array_foreach(json_object_get(json_object_get(report, "identity"), "protocols"), i,
	                   x) if (strcmp(json_string_value(x) ? json_string_value(x) : "", "udp") ==
	                          0) return 1;
	json_array_foreach(json_object_get(report, "uses"), i, u)
	{
		html_protocol_list(json_object_get(u, "protocols"), list, sizeof(list));
		if (strstr(list, "UDP"))
			return 1;
	}
	return 0;
}

/*
 * Commands that name exactly this port: ss filters on the source port
 * itself, and findstr matches ":N " with its trailing space, so neither
 * reports 6391 for 639 or :2222 for :22.  TCP is always checked (anything
 * may listen there); UDP too when the registry or a known use says UDP.
 */
static void
html_sec_check(struct page *p, const json_t *report)
{
	long long port = html_int(report, "port_lo", -1);
	int udp = html_udp_known(report);
	char cmd[160];

	if (port < 0)
		return;
	html_section(p, "check", _(p->t, "How to check what is listening"));
	html_put(p, "<div class=\"os\"><h3>");
	html_esc(p, _(p->t, "Linux and macOS"));
	html_put(p, "</h3>");
	snprintf(cmd, sizeof(cmd), "ss -H%slpn 'sport = :%lld'", udp ? "tu" : "t", port);
	html_command(p,
	             udp ? _(p->t, "Listening TCP and UDP sockets on the port, with their "
	                           "processes (Linux):")
	                 : _(p->t, "Listening TCP sockets on the port, with their processes "
	                           "(Linux):"),
	             cmd, 1);
	snprintf(cmd, sizeof(cmd), "lsof -nP -i :%lld", port);
	html_command(p, _(p->t, "Every process using the port (Linux and macOS):"), cmd, 2);
	html_put(p, "</div><div class=\"os\"><h3>");
	html_esc(p, _(p->t, "Windows"));
	html_put(p, "</h3>");
	snprintf(cmd, sizeof(cmd), "netstat -ano | findstr /R /C:\":%lld \"", port);
	html_command(p, _(p->t, "Connections on the port, with the process id in the last column:"),
	             cmd, 3);
	if (udp)
		snprintf(cmd, sizeof(cmd),
		         "Get-NetTCPConnection -LocalPort %lld\nGet-NetUDPEndpoint -LocalPort %lld",
		         port, port);
	else
		snprintf(cmd, sizeof(cmd), "Get-NetTCPConnection -LocalPort %lld", port);
	html_command(p, _(p->t, "The same in PowerShell:"), cmd, 4);
	html_command(p, _(p->t, "Then name the process (PowerShell), with that id:"),
	             "Get-Process -Id <PID>", 5);
	html_put(p, "</div></section>");
}

/* report["listening"]'s listeners: a list, or an object holding one under "listeners". */
static const json_t *
html_listeners(const struct page *p, const json_t *report)
{
	const json_t *l = json_object_get(report, "listening");

	if (!p->c->show_machine || l == NULL)
		return NULL;
	if (json_is_object(l))
		l = json_object_get(l, "listeners");
	return json_is_array(l) ? l : NULL;
}

/* "TCP 0.0.0.0:22 sshd (PID 812, user root)" */
static void
html_listener(struct page *p, const json_t *x)
{
	const json_t *holders = json_object_get(x, "holders"), *h;
	char proto[16], num[32];
	size_t j;

	html_put(p, "<code>");
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
		HTML_SAY(p, _(p->t, "%1$s (PID %2$s, user %3$s)"), html_str(h, "command"), num,
		         html_str(h, "user"));
	}
}

/* Whether one of the concern's reasons has this code. */
static int
html_concern_has(const json_t *report, const char *code)
{
	const json_t *c;
	size_t i;

	json_array_foreach(json_object_get(json_object_get(report, "concern"), "codes"), i,
	                   c) if (strcmp(html_str(c, "code"), code) == 0) return 1;
	return 0;
}

/* The protocols a reason concerns, "(TCP, UDP)", when the page is not about one protocol. */
static void
html_concern_protocols(struct page *p, const json_t *report, const json_t *code)
{
	const json_t *x;
	char up[16];
	size_t i;

	if (!json_is_null(json_object_get(json_object_get(report, "query"), "protocol")))
		return;
	json_array_foreach(json_object_get(code, "protocols"), i, x)
	{
		html_put(p, i ? ", " : " (");
		html_esc(p, html_upper(json_string_value(x), up, sizeof(up)));
	}
	if (i > 0)
		html_put(p, ")");
}

static void
html_sec_concern(struct page *p, const json_t *report, const char *port)
{
	const json_t *concern = json_object_get(report, "concern"), *code;
	const json_t *codes = json_object_get(concern, "codes");
	const char *level = html_str(concern, "level");
	struct strbuf a, b;
	char why[2048];
	size_t i;

	strbuf_init(&a, HTML_FRAGMENT_LIMIT);
	strbuf_init(&b, HTML_FRAGMENT_LIMIT);
	html_section(p, "concern", _(p->t, "Why it matters"));
	html_putf(p, "<p class=\"concern concern-%s\"><strong>", html_concern_class(level));
	html_esc(p, html_concern_title(p, level));
	html_put(p, "</strong> ");
	if (strcmp(level, "high") == 0)
		HTML_SAY(p,
		         _(p->t,
		           "Port %1$s is a serious risk where it can be reached: find out which "
		           "program listens on it before anything else."),
		         port);
	else if (strcmp(level, "elevated") == 0)
		HTML_SAY(p, _(p->t, "Port %1$s deserves a second look, for the reasons below."),
		         port);
	else if (strcmp(level, "low") == 0)
		HTML_SAY(p,
		         _(p->t, "Port %1$s is worth a look: expect it in firewall logs and expose "
		                 "it only on purpose."),
		         port);
	else
		HTML_SAY(p,
		         _(p->t, "Nothing we know makes port %1$s riskier than any other: the risk "
		                 "is whatever program listens on it."),
		         port);
	html_put(p, "</p>");
	/* The port's place in the system, from its class and status (words.c). */
	words_why(p->t, report, why, sizeof(why));
	if (why[0]) {
		html_put(p, "<p class=\"why\">");
		html_esc(p, why);
		html_put(p, "</p>");
	}
	if (json_array_size(codes) > 0) {
		html_put(p, "<ul class=\"concern-reasons\">");
		json_array_foreach(codes, i, code)
		{
			html_putf(p, "<li class=\"concern-%s\">",
			          html_concern_class(html_str(code, "level")));
			html_concern_reason(p, code, &a, &b);
			html_concern_protocols(p, report, code);
			if (json_array_size(json_object_get(code, "sources")))
				html_cite_urls(p, json_object_get(code, "sources"));
			else if (json_is_integer(json_object_get(code, "source")))
				html_cite_source(p, report, html_int(code, "source", -1));
			html_put(p, "</li>");
		}
		html_put(p, "</ul>");
	}
	html_put(p, "</section>");
	strbuf_free(&a);
	strbuf_free(&b);
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

/* A question, folded: the questions fit a screen, and each answer is one click away. */
static void
html_faq_q(struct page *p, const char *q, const char *port)
{
	html_put(p, "<details><summary>");
	HTML_SAY(p, q, port);
	html_put(p, "</summary><p>");
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
		         _(p->t, "Be careful: our data rates port %1$s a high concern, for the "
		                 "reasons above. Open it only for a program you know needs it."),
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
	if (html_concern_has(report, "scanner")) {
		html_put(p, " ");
		html_esc(p, _(p->t, "Scanners probe it, so expect unsolicited connections."));
	}
	html_put(p, "</p></details>");
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
	html_put(p, "</p></details>");
}

static void
html_faq_proto(struct page *p, const json_t *report, const char *port)
{
	char protos[128];

	html_protocols(p, json_object_get(json_object_get(report, "identity"), "protocols"), protos,
	               sizeof(protos));
	html_faq_q(p, _(p->t, "Is port %1$s TCP or UDP?"), port);
	if (protos[0])
		HTML_SAY(p, _(p->t, "The registry lists it for %1$s."), protos);
	else
		html_esc(p, _(p->t, "The registry names no protocol for it; any program may use it "
		                    "with either."));
	html_put(p, "</p></details>");
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
	html_put(p, "</p></details>");
}

static void
html_sec_faq(struct page *p, const json_t *report, const char *port)
{
	const char *status = html_str(json_object_get(report, "identity"), "status");

	html_section(p, "faq", _(p->t, "Questions and answers"));
	html_put(p, "<div class=\"faq\">");
	html_faq_safe(p, report, port, status);
	html_faq_uses(p, report, port, status);
	html_faq_proto(p, report, port);
	if (json_is_object(json_object_get(report, "range")))
		html_faq_own(p, report, port, status);
	html_put(p, "</div></section>");
}

/* Every footnote cited above, plus the report's sources nobody cited inline. */
void
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

	if (p->c->site != NULL) /* a static export has no server to take the vote */
		return;
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
	if (p->c->vote_token != NULL) { /* proves the form is this site's (votes.h) */
		html_put(p, "<input type=\"hidden\" name=\"token\" value=\"");
		html_esc(p, p->c->vote_token);
		html_put(p, "\">");
	}
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

/* A port link in the related list, unless the list has that port already (seen). */
static void
html_port_link_item(struct page *p, json_t *seen, long long port, const char *text)
{
	char key[24];

	snprintf(key, sizeof(key), "%lld", port);
	if (json_object_get(seen, key) != NULL)
		return;
	json_object_set_new(seen, key, json_true());
	html_put(p, "<li>");
	html_port_href(p, port);
	html_esc(p, text);
	html_put(p, "</a></li>");
}

/*
 * Neighbours, siblings (same assignee or name family), the service's
 * other ports and its service pages; each port once, a sibling's fuller
 * label winning over a bare neighbour's number.
 */
static void
html_sec_related(struct page *p, const json_t *report)
{
	long long lo = html_int(report, "port_lo", -1), hi = html_int(report, "port_hi", -1);
	const json_t *names = json_object_get(json_object_get(report, "identity"), "services");
	const json_t *x;
	json_t *seen = json_object();
	char key[24];
	size_t i;

	html_put(p, "<nav id=\"related\" class=\"related\" aria-labelledby=\"related-h\">"
	            "<h2 id=\"related-h\">");
	html_esc(p, _(p->t, "Related ports"));
	html_put(p, "</h2><ul>");
	snprintf(key, sizeof(key), "%lld", lo);
	json_object_set_new(seen, key, json_true()); /* this page */
	json_array_foreach(json_object_get(report, "siblings"), i, x)
	{
		snprintf(key, sizeof(key), "%lld", html_int(x, "port", 0));
		if (json_object_get(seen, key) != NULL)
			continue;
		json_object_set_new(seen, key, json_true());
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
	if (lo > 0)
		html_port_link_item(p, seen, lo - 1, html_portnum(lo - 1).s);
	if (hi >= 0 && hi < 65535)
		html_port_link_item(p, seen, hi + 1, html_portnum(hi + 1).s);
	json_array_foreach(json_object_get(report, "service_ports"), i, x) html_port_link_item(
	    p, seen, html_int(x, "port_lo", 0), html_portnum(html_int(x, "port_lo", 0)).s);
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
	json_decref(seen);
}

/* IANA's registration beside an answer that is not IANA's service (identity.headline.iana). */
static void
html_headline_iana(struct page *p, const json_t *iana)
{
	const char *service = html_str(iana, "service"), *desc = html_str(iana, "description");

	if (service[0] && desc[0])
		HTML_SAY(p, _(p->t, "IANA registers %1$s (%2$s) here."), service, desc);
	else if (service[0])
		HTML_SAY(p, _(p->t, "IANA registers %1$s on it."), service);
	else if (strcmp(html_str(iana, "status"), "various") == 0)
		html_esc(p, _(p->t, "IANA registers different services across these ports."));
	else
		html_esc(p, _(p->t, "IANA registers no service here."));
}

/*
 * The answer at the top of the summary: what you will most likely find
 * (the curated identity.headline), IANA's registration beside it when the
 * answer is not IANA's service; without a headline, the registry's
 * description of the first service.
 */
static void
html_glance_answer(struct page *p, const json_t *identity)
{
	const json_t *h = json_object_get(identity, "headline");
	const char *answer = html_str(h, "answer");
	const char *desc =
	    json_string_value(json_array_get(json_object_get(identity, "descriptions"), 0));

	if (!json_is_object(h)) {
		if (desc != NULL && desc[0]) {
			html_put(p, "<p class=\"answer\">");
			html_esc(p, desc);
			html_put(p, "</p>");
		}
		return;
	}
	html_put(p, "<p class=\"answer\">");
	if (strcmp(answer, "official") == 0) {
		HTML_SAY(p, _(p->t, "Most likely: %1$s (%2$s), the service IANA registers here."),
		         html_str(h, "name"), html_str(h, "description"));
	} else {
		if (strcmp(answer, "mixed") == 0)
			HTML_SAY(p, _(p->t, "No single use dominates: %1$s."), html_str(h, "name"));
		else
			HTML_SAY(p, _(p->t, "Most likely: %1$s, an unofficial use."),
			         html_str(h, "name"));
		html_put(p, " ");
		html_headline_iana(p, json_object_get(h, "iana"));
	}
	html_put(p, "</p>");
}

const char *
html_status_word(const struct page *p, const char *status)
{
	if (strcmp(status, "assigned") == 0)
		return _(p->t, "assigned");
	if (strcmp(status, "reserved") == 0)
		return _(p->t, "reserved");
	if (strcmp(status, "unassigned") == 0)
		return _(p->t, "unassigned");
	if (strcmp(status, "unnamed") == 0)
		return _(p->t, "listed without a service name");
	return _(p->t, "in no registry");
}

/* <div><dt>term</dt><dd class="cls"> */
static void
html_glance_term(struct page *p, const char *term, const char *cls)
{
	html_put(p, strcmp(cls, "wide machine") == 0 ? "<div id=\"machine\"><dt>" : "<div><dt>");
	html_esc(p, term);
	html_putf(p, "</dt><dd class=\"%s\">", cls);
}

/* The first registration date of the first service, and its last change. */
static void
html_glance_dates(struct page *p, const json_t *report)
{
	const json_t *identity = json_object_get(report, "identity");
	const char *svc =
	    json_string_value(json_array_get(json_object_get(identity, "services"), 0));
	const json_t *rec = svc ? html_first_record(report, svc) : NULL;
	const char *dates[] = {html_str(rec, "registered"), html_str(rec, "modified")};
	const char *terms[] = {_(p->t, "Registered"), _(p->t, "Modified")};
	size_t i;

	for (i = 0; i < 2; i++) {
		if (!dates[i][0])
			continue;
		html_glance_term(p, terms[i], "date");
		html_put(p, "<time datetime=\"");
		html_esc(p, dates[i]);
		html_put(p, "\">");
		html_esc(p, html_date(p, dates[i]).s);
		html_put(p, "</time></dd></div>");
	}
}

/* The concern level and its first (main) reason. */
static void
html_glance_concern(struct page *p, const json_t *report)
{
	const json_t *concern = json_object_get(report, "concern");
	const json_t *code = json_array_get(json_object_get(concern, "codes"), 0);
	const char *level = html_str(concern, "level");
	struct strbuf a, b;

	html_glance_term(p, _(p->t, "Concern"), "wide");
	html_putf(p, "<a class=\"level level-%s\" href=\"#concern\">", html_concern_class(level));
	html_esc(p, html_concern_title(p, level));
	html_put(p, "</a>");
	if (code != NULL) {
		strbuf_init(&a, HTML_FRAGMENT_LIMIT);
		strbuf_init(&b, HTML_FRAGMENT_LIMIT);
		html_put(p, "<span class=\"reason\">");
		html_concern_reason(p, code, &a, &b);
		html_put(p, "</span>");
		strbuf_free(&a);
		strbuf_free(&b);
	}
	html_put(p, "</dd></div>");
}

/* Who listens here now, when the page may show this machine. */
static void
html_glance_machine(struct page *p, const json_t *report, const char *port)
{
	const json_t *l = html_listeners(p, report), *x;
	size_t i;

	if (l == NULL)
		return;
	html_glance_term(p, _(p->t, "On this machine now"), "wide machine");
	if (json_array_size(l) == 0)
		HTML_SAY(p, _(p->t, "Nothing is listening on port %1$s on this machine."), port);
	json_array_foreach(l, i, x)
	{
		if (i > 0)
			html_put(p, "<br>");
		html_listener(p, x);
	}
	html_put(p, "</dd></div>");
}

/*
 * The answer at a glance, before anything else: the most likely use,
 * status, protocols, dates, how common, the concern with its main reason
 * and who listens here now.  Every value is one the sections below
 * explain; the summary only gathers them.
 */
static void
html_sec_glance(struct page *p, const json_t *report, const char *port)
{
	const json_t *identity = json_object_get(report, "identity");
	const json_t *freq = json_object_get(report, "frequency");
	char protos[128];

	html_put(p, "<div class=\"glance\">");
	html_glance_answer(p, identity);
	html_put(p, "<dl>");
	html_glance_term(p, _(p->t, "Status"), "cap");
	html_esc(p, html_status_word(p, html_str(identity, "status")));
	html_put(p, "</dd></div>");
	html_protocols(p, json_object_get(identity, "protocols"), protos, sizeof(protos));
	if (protos[0]) {
		html_glance_term(p, _(p->t, "Protocol"), "proto");
		html_esc(p, protos);
		html_put(p, "</dd></div>");
	}
	html_glance_dates(p, report);
	if (json_is_object(freq)) {
		html_glance_term(p, _(p->t, "How common"), "cap wide");
		html_frequency(p, freq);
		html_put(p, "</dd></div>");
	}
	html_glance_concern(p, report);
	html_glance_machine(p, report, port);
	html_put(p, "</dl></div>");
}

/* Home > the port's range > this port. */
static void
html_crumbs(struct page *p, const json_t *report, const char *port)
{
	const json_t *cls =
	    json_array_get(json_object_get(json_object_get(report, "range"), "classes"), 0);

	html_breadcrumb(p, cls != NULL ? html_str(cls, "name") : NULL,
	                html_int(report, "port_hi", -1) > html_int(report, "port_lo", -1)
	                    ? _(p->t, "Ports %1$s")
	                    : _(p->t, "Port %1$s"),
	                port);
}

/* A short list of the sections below, each present one linked by its id. */
static void
html_toc(struct page *p, const json_t *report)
{
	const char *ids[] = {"what",  "record",  "uses", "history",
	                     "check", "concern", "faq",  "sources"};
	const char *names[] = {_(p->t, "What this port is"),
	                       _(p->t, "The registry record"),
	                       _(p->t, "Known unofficial uses"),
	                       _(p->t, "History"),
	                       _(p->t, "How to check what is listening"),
	                       _(p->t, "Why it matters"),
	                       _(p->t, "Questions and answers"),
	                       _(p->t, "Sources")};
	size_t i;

	html_put(p, "<nav class=\"toc\" aria-labelledby=\"toc-h\"><h2 id=\"toc-h\" class=\"vh\">");
	html_esc(p, _(p->t, "Contents"));
	html_put(p, "</h2><ol>");
	for (i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
		if ((strcmp(ids[i], "history") == 0 &&
		     json_array_size(json_object_get(report, "history")) == 0) ||
		    (strcmp(ids[i], "check") == 0 && html_int(report, "port_lo", -1) < 0))
			continue;
		html_putf(p, "<li><a href=\"#%s\">", ids[i]);
		html_esc(p, names[i]);
		html_put(p, "</a></li>");
	}
	html_put(p, "</ol></nav>");
}

/* "Port 3516", or "Ports 6000–6063" for a range. */
void
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
	const json_t *h = json_object_get(json_object_get(report, "identity"), "headline");
	const char *answer = html_str(h, "answer");
	/* The page names what you will most likely find, when the curated data knows. */
	const char *svc = json_is_object(h) && strcmp(answer, "mixed") != 0
	                      ? html_str(h, "name")
	                      : json_string_value(json_array_get(names, 0));
	char port[96];
	struct page p;

	if (html_page_init(&p, out, c) == -1)
		return -1;
	html_port_label(report, port, sizeof(port));
	p.desc_args[0] = port;
	p.desc_args[1] = svc;
	p.desc =
	    svc != NULL && strcmp(answer, "mixed") != 0
	        ? _(p.t, "Port %1$s (%2$s): what it is registered for, who uses it in practice, "
	                 "and how to check what is listening on it.")
	        : _(p.t, "Port %1$s: what it is registered for, who uses it in practice, and how "
	                 "to check what is listening on it.");
	if (strcmp(answer, "mixed") == 0)
		html_begin(&p, _(p.t, "Port %1$s: no single use dominates"), 1, HTML_ARGS(port));
	else if (strcmp(answer, "unofficial") == 0)
		html_begin(&p, _(p.t, "Port %1$s: %2$s (unofficial)"), 2, HTML_ARGS(port, svc));
	else if (svc != NULL)
		html_begin(&p, _(p.t, "Port %1$s: %2$s"), 2, HTML_ARGS(port, svc));
	else
		html_begin(&p, _(p.t, "Port %1$s"), 1, HTML_ARGS(port));
	html_put(&p, "<article class=\"port\">");
	html_crumbs(&p, report, port);
	html_put(&p, "<h1>");
	html_port_heading(&p, report, port);
	if (svc != NULL) {
		html_put(&p, " <span class=\"svc\">");
		html_esc(&p, svc);
		html_put(&p, "</span>");
	}
	html_put(&p, "</h1>");
	html_sec_glance(&p, report, port);
	html_toc(&p, report);
	html_sec_what(&p, report, port);
	html_sec_record(&p, report, port);
	html_sec_range(&p, report, port);
	html_sec_common(&p, report);
	html_sec_history(&p, report);
	html_sec_check(&p, report);
	html_sec_claims(&p, report);
	html_sec_concern(&p, report, port);
	html_sec_faq(&p, report, port);
	html_sec_sources(&p, report);
	html_put(&p, "</article>");
	html_sec_related(&p, report);
	html_vote(&p);
	html_end(&p);
	return html_page_done(&p);
}
