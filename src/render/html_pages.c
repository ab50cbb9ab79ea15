/*
 * html_pages.c - every page but the port's (html.h): home, search
 * results, the three ranges with their chart, a service's ports, and the
 * error pages.  Built with the page writer (html_page.h).
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "html_page.h"

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
		html_put(p, "<li><a class=\"range-card\" href=\"");
		html_url(p, "range", html_str(r, "name"));
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
	p.own_search = 1;
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
	if (strcmp(kind, "curated-alias") == 0)
		return _(p->t, "alias");
	if (strcmp(kind, "port") == 0)
		return _(p->t, "port number");
	return _(p->t, "note");
}

/* The other names a hit matched under (search.h: its matches), with their kinds. */
static void
html_hit_matches(struct page *p, const json_t *hit)
{
	const json_t *matches = json_object_get(hit, "matches"), *m;
	const char *name = html_str(hit, "name");
	size_t i;
	int said = 0;

	json_array_foreach(matches, i, m)
	{
		const char *mname = html_str(m, "name");

		if (strcasecmp(mname, name) == 0 || strcmp(html_str(m, "kind"), "port") == 0)
			continue;
		if (!said) {
			html_put(p, "<p class=\"meta\">");
			html_esc(p, _(p->t, "Also matched:"));
		}
		html_put(p, said ? ", " : " ");
		html_esc(p, mname);
		html_put(p, " <span class=\"badge\">");
		html_esc(p, html_hit_kind(p, html_str(m, "kind")));
		html_put(p, "</span>");
		said = 1;
	}
	if (said)
		html_put(p, "</p>");
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
	p.own_search = 1;
	p.search_q = q;
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
		html_esc(
		    &p, html_hit_kind(&p, html_str(json_array_get(json_object_get(h, "matches"), 0),
		                                   "kind")));
		html_put(&p, "</span><p>");
		html_snippet(&p, html_str(h, "snippet"));
		html_put(&p, "</p>");
		html_hit_matches(&p, h);
		html_put(&p, "</li>");
	}
	html_put(&p, "</ol>");
	html_end(&p);
	return html_page_done(&p);
}

/*
 * A link to a block's page (/range/LO-HI).  A static export has no block
 * pages (a page per block and language would outweigh the site), so there
 * the label stands alone.
 */
static int
html_block_href(struct page *p, const json_t *b, const char *attrs)
{
	if (p->c->site != NULL)
		return 0;
	html_put(p, "<a href=\"");
	html_url(p, "range", html_str(b, "name"));
	html_put(p, "\"");
	html_put(p, attrs);
	html_put(p, ">");
	return 1;
}

/*
 * The range's crowding as an inline SVG bar chart, one stacked bar per
 * block (assigned at the bottom, then reserved, unassigned on top), each
 * bar a link to its block's list of ports.  The axes are HTML around the
 * SVG, so their text keeps its size at any width: the share of a block's
 * ports up the side, port numbers at five block boundaries along the
 * bottom.  The colours come from style.css classes, so the strict CSP
 * needs no inline style.  The table after it carries the same numbers and
 * the same links for keyboards and screen readers, so the SVG is hidden
 * from them and its links are out of the tab order.
 */
static void
html_range_chart(struct page *p, const json_t *range)
{
	const json_t *blocks = json_object_get(range, "blocks"), *b;
	size_t n = json_array_size(blocks), i, k;
	const int height = 160, width = 640;
	double bw = n ? (double)width / (double)n : 0;

	html_put(p, "<figure class=\"chart\"><div class=\"plot\"><div class=\"yaxis\" "
	            "aria-hidden=\"true\"><span>100%</span><span>50%</span><span>0%</span></div>");
	html_putf(p,
	          "<svg viewBox=\"0 0 %d %d\" aria-hidden=\"true\" focusable=\"false\" "
	          "preserveAspectRatio=\"none\"><line class=\"grid\" x1=\"0\" y1=\"%d\" "
	          "x2=\"%d\" y2=\"%d\"/>",
	          width, height, height / 2, width, height / 2);
	json_array_foreach(blocks, i, b)
	{
		long long lo = html_int(b, "lo", 0), hi = html_int(b, "hi", 0);
		double total = (double)(hi - lo + 1);
		double ha = height * (double)html_int(b, "assigned", 0) / total;
		double hr = height * (double)html_int(b, "reserved", 0) / total;
		double x = bw * (double)i;
		int link = html_block_href(p, b, " tabindex=\"-1\"");

		html_putf(p, "<rect class=\"u\" x=\"%.1f\" y=\"0\" width=\"%.1f\" height=\"%d\"/>",
		          x, bw - 1, height);
		html_putf(
		    p, "<rect class=\"r\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"/>",
		    x, height - ha - hr, bw - 1, hr);
		html_putf(
		    p, "<rect class=\"a\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"/>",
		    x, height - ha, bw - 1, ha);
		if (link)
			html_put(p, "</a>");
	}
	html_put(p, "<line class=\"grid\" x1=\"0\" y1=\"160\" x2=\"640\" y2=\"160\"/></svg>"
	            "</div><div class=\"xaxis\" aria-hidden=\"true\">");
	/* Port numbers where blocks 0, n/4, n/2 and 3n/4 start, and where the last ends. */
	for (k = 0; n > 0 && k <= 4; k++) {
		b = json_array_get(blocks, k < 4 ? k * n / 4 : n - 1);
		html_putf(p, "<span>%s</span>",
		          html_portnum(html_int(b, k < 4 ? "lo" : "hi", 0)).s);
	}
	html_put(p, "</div><figcaption><span class=\"key a\"></span>");
	html_esc(p, _(p->t, "assigned"));
	html_put(p, " <span class=\"key r\"></span>");
	html_esc(p, _(p->t, "reserved"));
	html_put(p, " <span class=\"key u\"></span>");
	html_esc(p, _(p->t, "unassigned"));
	html_put(p, "<br>");
	html_esc(p, _(p->t, "Up: the share of a block's ports. Along: port numbers. Choose a bar "
	                    "to list its ports."));
	html_put(p, "</figcaption></figure>");
}

static void
html_range_table(struct page *p, const json_t *range)
{
	const json_t *b;
	size_t i;
	int link;

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
		link = html_block_href(p, b, "");
		HTML_SAY(p, _(p->t, "%1$s to %2$s"), html_portnum(html_int(b, "lo", 0)).s,
		         html_portnum(html_int(b, "hi", 0)).s);
		html_put(p, link ? "</a></td>" : "</td>");
		html_td_text(p, _(p->t, "Assigned"), html_number(p, html_int(b, "assigned", 0)).s);
		html_td_text(p, _(p->t, "Reserved"), html_number(p, html_int(b, "reserved", 0)).s);
		html_td_text(p, _(p->t, "Unassigned"),
		             html_number(p, html_int(b, "unassigned", 0)).s);
		html_put(p, "</tr>");
	}
	html_put(p, "</tbody></table></div></details>");
}

/* The neighbouring blocks, "← 3008 to 3071 · 3136 to 3199 →". */
static void
html_block_nav(struct page *p, const json_t *block)
{
	static const char *const keys[] = {"prev", "next"};
	const json_t *b;
	size_t i;

	html_put(p, "<nav class=\"blocks\" aria-label=\"");
	html_esc(p, _(p->t, "Neighbouring blocks"));
	html_put(p, "\"><ul>");
	for (i = 0; i < 2; i++) {
		if ((b = json_object_get(block, keys[i])) == NULL)
			continue;
		html_putf(p, "<li class=\"%s\">", keys[i]);
		html_block_href(p, b, i == 0 ? " rel=\"prev\"" : " rel=\"next\"");
		HTML_SAY(p, _(p->t, "%1$s to %2$s"), html_portnum(html_int(b, "lo", 0)).s,
		         html_portnum(html_int(b, "hi", 0)).s);
		html_put(p, "</a></li>");
	}
	html_put(p, "</ul></nav>");
}

int
html_block(struct strbuf *out, const json_t *block, const struct html_ctx *c)
{
	const json_t *cls = json_object_get(block, "class"),
	             *tot = json_object_get(block, "totals");
	const json_t *x;
	char label[64];
	struct page p;
	size_t i;

	if (html_page_init(&p, out, c) == -1)
		return -1;
	snprintf(label, sizeof(label), "%lld\xe2\x80\x93%lld", html_int(block, "lo", 0),
	         html_int(block, "hi", 0));
	html_begin(&p, _(p.t, "Ports %1$s"), 1, HTML_ARGS(label));
	html_breadcrumb(&p, html_str(cls, "name"), _(p.t, "Ports %1$s"), label);
	html_put(&p, "<h1>");
	HTML_SAY(&p, _(p.t, "Ports %1$s"), label);
	html_put(&p, "</h1><p class=\"lead\">");
	HTML_SAY(&p, _(p.t, "%1$s assigned, %2$s unassigned, %3$s reserved."),
	         html_number(&p, html_int(tot, "assigned", 0)).s,
	         html_number(&p, html_int(tot, "unassigned", 0)).s,
	         html_number(&p, html_int(tot, "reserved", 0)).s);
	html_put(&p, "</p>");
	html_block_nav(&p, block);
	html_put(&p,
	         "<div class=\"table-wrap\"><table class=\"block\"><thead><tr><th scope=\"col\">");
	html_esc(&p, _(p.t, "Port"));
	html_put(&p, "</th><th scope=\"col\">");
	html_esc(&p, _(p.t, "Name"));
	html_put(&p, "</th><th scope=\"col\">");
	html_esc(&p, _(p.t, "Status"));
	html_put(&p, "</th><th scope=\"col\">");
	html_esc(&p, _(p.t, "Concern"));
	html_put(&p, "</th></tr></thead><tbody>");
	json_array_foreach(json_object_get(block, "ports"), i, x)
	{
		const char *status = html_str(x, "status"), *level = html_str(x, "concern");

		html_putf(&p, "<tr class=\"%s\"><td>",
		          strcmp(status, "assigned") == 0 ? "on" : "off");
		html_port_href(&p, html_int(x, "port", 0));
		html_putf(&p, "%lld</a></td><td>", html_int(x, "port", 0));
		if (html_str(x, "service")[0]) {
			html_esc(&p, html_str(x, "service"));
			if (html_str(x, "description")[0]) {
				html_put(&p, " <span class=\"meta\">");
				html_esc(&p, html_str(x, "description"));
				html_put(&p, "</span>");
			}
		}
		html_put(&p, "</td><td>");
		html_esc(&p, html_status_word(&p, status));
		/* "No particular concern" on hundreds of rows would hide the few that matter. */
		html_putf(&p, "</td><td class=\"level-%s\">", html_concern_class(level));
		if (strcmp(html_concern_class(level), "none") != 0)
			html_esc(&p, html_concern_title(&p, level));
		html_put(&p, "</td></tr>");
	}
	html_put(&p, "</tbody></table></div>");
	html_block_nav(&p, block);
	html_end(&p);
	return html_page_done(&p);
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
	case 403:
		title = _(p.t, "Vote not accepted");
		why = _(p.t, "Votes are taken only from this site's own pages. Reload the page and "
		             "vote again.");
		break;
	case 413:
		title = _(p.t, "Request too large");
		why = _(p.t, "The request carried more data than this site accepts.");
		break;
	case 414:
		title = _(p.t, "Address too long");
		why = _(p.t, "The address asked for is longer than this site accepts.");
		break;
	case 429:
		title = _(p.t, "Too many requests");
		why = _(p.t, "Please wait a moment and try again.");
		break;
	case 503:
		title = _(p.t, "Unavailable for now");
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
	html_put(&p, "</p><p>");
	html_href(&p, NULL, NULL);
	html_esc(&p, _(p.t, "Back to the home page"));
	html_put(&p, "</a></p></div>");
	html_end(&p);
	return html_page_done(&p);
}
