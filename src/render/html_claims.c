/*
 * html_claims.c - the organisation's claims on the site: the read-only
 * /claims page and the port page's "Claimed in this organisation"
 * section (html_page.h's writer; the data is claims_json()'s, through
 * the report's "claims" or src/web/claimcache.h).
 *
 * Read-only on purpose: a claim is made with `portolan claim add`, which
 * checks it for collisions and records who made it; the site has no
 * login to say who someone is.
 */
#include <stdio.h>
#include <string.h>

#include "html_page.h"

/* "/claims?lang=xx": the page listing every claim, in this page's language. */
static void
html_claims_href(struct page *p)
{
	html_put(p, "<a href=\"/claims?lang=");
	html_urlenc(p, i18n_code(p->t));
	html_put(p, "\">");
}

/* The port page's section: present only when the report carries claims on the port. */
void
html_sec_claims(struct page *p, const json_t *report)
{
	const json_t *claims = json_object_get(report, "claims"), *c;
	size_t i;

	if (json_array_size(claims) == 0)
		return;
	html_section(p, "claims", _(p->t, "Claimed in this organisation"));
	html_put(p, "<ul class=\"claims\">");
	json_array_foreach(claims, i, c)
	{
		html_put(p, "<li>");
		HTML_SAY(p, _(p->t, "%1$s is claimed for %2$s, owned by %3$s."),
		         html_str(c, "port"), html_str(c, "service"), html_str(c, "owner"));
		if (strcmp(html_str(c, "hosts"), "*") != 0) {
			html_put(p, " ");
			HTML_SAY(p, _(p->t, "Hosts: %1$s."), html_str(c, "hosts"));
		}
		if (html_str(c, "note")[0]) {
			html_put(p, " ");
			html_esc(p, html_str(c, "note"));
		}
		html_put(p, "</li>");
	}
	html_put(p, "</ul><p>");
	html_claims_href(p);
	html_esc(p, _(p->t, "All claims"));
	html_put(p, "</a></p></section>");
}

int
html_claims(struct strbuf *out, const json_t *all, const struct html_ctx *ctx)
{
	const json_t *claims = json_object_get(all, "claims"), *c;
	struct page p;
	size_t i;

	if (html_page_init(&p, out, ctx) == -1)
		return -1;
	html_begin(&p, _(p.t, "Claimed in this organisation"), 0, NULL);
	html_put(&p, "<h1>");
	html_esc(&p, _(p.t, "Claimed in this organisation"));
	html_put(&p, "</h1><p class=\"lead\">");
	html_esc(&p, _(p.t, "Claims are recorded with portolan claim; this page only shows them."));
	html_put(&p, "</p>");
	if (json_array_size(claims) == 0) {
		html_put(&p, "<p>");
		html_esc(&p, _(p.t, "No port is claimed in this organisation yet."));
		html_put(&p, "</p>");
		html_end(&p);
		return html_page_done(&p);
	}
	html_put(&p, "<div class=\"table-wrap\"><table class=\"claims\"><thead><tr>");
	{
		const char *cols[] = {_(p.t, "Port"),  _(p.t, "Service"), _(p.t, "Owner"),
		                      _(p.t, "Hosts"), _(p.t, "Contact"), _(p.t, "Claimed by")};

		for (i = 0; i < sizeof(cols) / sizeof(cols[0]); i++) {
			html_put(&p, "<th scope=\"col\">");
			html_esc(&p, cols[i]);
			html_put(&p, "</th>");
		}
	}
	html_put(&p, "</tr></thead><tbody>");
	json_array_foreach(claims, i, c)
	{
		char day[11];

		snprintf(day, sizeof(day), "%s", html_str(c, "at"));
		html_put(&p, "<tr>");
		html_td(&p, _(p.t, "Port"));
		html_port_href(&p, html_int(c, "port_lo", 0));
		html_esc(&p, html_str(c, "port"));
		html_put(&p, "</a></td>");
		html_td_text(&p, _(p.t, "Service"), html_str(c, "service"));
		html_td_text(&p, _(p.t, "Owner"), html_str(c, "owner"));
		html_td_text(&p, _(p.t, "Hosts"), html_str(c, "hosts"));
		html_td_text(&p, _(p.t, "Contact"), html_str(c, "contact"));
		html_td(&p, _(p.t, "Claimed by"));
		html_esc(&p, html_str(c, "by"));
		html_put(&p, ", ");
		html_esc(&p, html_date(&p, day).s);
		html_put(&p, "</td></tr>");
	}
	html_put(&p, "</tbody></table></div>");
	html_end(&p);
	return html_page_done(&p);
}
