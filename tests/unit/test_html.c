/*
 * test_html.c - the site's pages rendered from real reports (3516, an
 * assigned port with a note; 3126, unassigned with history and a use)
 * and from a hostile report whose every string is markup, plus the
 * Markdown filter and the other pages.  Checks are on what a reader or a
 * browser would get: sections present and labelled, facts on the page,
 * nothing from the data unescaped, no script URL in any href.
 *
 * Languages are the real catalogs in po/; a tree without them still tests
 * every page in English (the built-in source language).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "render/html.h"
#include "render/markdown_html.h"
#include "render/words.h"
#include "report/pages.h"
#include "report/report.h"
#include "report/search.h"
#include "test_db.h"

#define TEST_PODIR PORTOLAN_DATADIR "/../po"

struct fixture {
	struct test_db db;
	int have_db;
	struct i18n_set *langs;
	struct html_ctx c;
	struct strbuf out;
};

static int
setup(void **state)
{
	static struct fixture f;
	struct err e = {0};

	char empty[] = "/tmp/portolan-po-XXXXXX";

	f.have_db = test_db_open(&f.db) == 0;
	if (i18n_load(TEST_PODIR, &f.langs, &e) == -1) {
		/* No po/ at all: English alone, from an empty catalog directory. */
		if (mkdtemp(empty) == NULL || i18n_load(empty, &f.langs, &e) == -1) {
			fprintf(stderr, "i18n_load: %s\n", e.msg);
			return -1;
		}
		rmdir(empty);
	}
	*state = &f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	if (f->have_db)
		test_db_close(&f->db);
	i18n_free(f->langs);
	return 0;
}

/* A fresh English context and an empty output buffer for each case. */
static int
each(void **state)
{
	struct fixture *f = *state;

	f->c = (struct html_ctx){
	    .t = i18n_get(f->langs, "en"), .langs = f->langs, .path = "/port/3516"};
	strbuf_init(&f->out, 4u << 20);
	return 0;
}

static int
each_done(void **state)
{
	struct fixture *f = *state;

	strbuf_free(&f->out);
	return 0;
}

static json_t *
report_for(struct fixture *f, const char *text)
{
	struct report_env env;
	struct query q;
	struct err e = {0};
	json_t *rep;

	assert_int_equal(query_parse(text, &q, &e), 0);
	report_env_init(&env);
	rep = report_port(f->db.st, &q, &env, &e);
	assert_non_null(rep);
	return rep;
}

#define assert_has(hay, needle)                                                                    \
	do {                                                                                       \
		if (strstr((hay), (needle)) == NULL)                                               \
			fail_msg("page lacks: %s", (needle));                                      \
	} while (0)
#define assert_lacks(hay, needle)                                                                  \
	do {                                                                                       \
		if (strstr((hay), (needle)) != NULL)                                               \
			fail_msg("page has: %s", (needle));                                        \
	} while (0)

/* Every href and src on the page is same-site, a fragment, http(s) or mailto. */
static void
assert_safe_urls(const char *page)
{
	static const char *const attrs[] = {"href=\"", "src=\""};
	const char *at;
	size_t i;

	for (i = 0; i < 2; i++)
		for (at = page; (at = strstr(at, attrs[i])) != NULL; at++) {
			const char *v = at + strlen(attrs[i]);

			if (!(v[0] == '/' && v[1] != '/') && v[0] != '#' &&
			    strncmp(v, "http://", 7) != 0 && strncmp(v, "https://", 8) != 0 &&
			    strncmp(v, "mailto:", 7) != 0)
				fail_msg("unsafe URL: %.40s", v);
		}
}

static size_t
count(const char *hay, const char *needle)
{
	size_t n = 0;

	while ((hay = strstr(hay, needle)) != NULL) {
		n++;
		hay += strlen(needle);
	}
	return n;
}

/* Every section of the port page, each a labelled landmark, in the order of the brief. */
static void
check_port_sections(const char *page)
{
	static const char *const ids[] = {"what",    "record", "range",   "common", "check",
	                                  "concern", "faq",    "sources", "vote"};
	const char *at = page;
	char want[64];
	size_t i;

	for (i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
		snprintf(want, sizeof(want), "id=\"%s\" ", ids[i]);
		at = strstr(at, want);
		if (at == NULL)
			fail_msg("section %s missing or out of order", ids[i]);
		snprintf(want, sizeof(want), "aria-labelledby=\"%s-h\"", ids[i]);
		assert_has(page, want);
		snprintf(want, sizeof(want), "<h2 id=\"%s-h\">", ids[i]);
		assert_has(page, want);
	}
	assert_has(page, "<header class=\"site\">");
	assert_has(page, "<main id=\"main\">");
	assert_has(page, "<footer class=\"site\">");
	assert_has(page, "<nav ");
}

static void
test_port_3516(void **state)
{
	struct fixture *f = *state;
	json_t *rep;
	const char *p;

	if (!f->have_db)
		skip();
	rep = report_for(f, "3516");
	assert_int_equal(html_port(&f->out, rep, &f->c), 0);
	p = f->out.buf;
	check_port_sections(p);
	assert_has(p, "<html lang=\"en\">");
	assert_has(p, "smartcard-port");
	assert_has(p, "Smartcard Port");
	assert_has(p, "Scott Guthery registered it in May 2002.");
	assert_has(p, "<a href=\"mailto:sguthery@mobile-mind.com\">Scott Guthery</a>");
	assert_has(p, "Registered ports");
	/* The summary comes first, before the breadcrumb's page and the first section. */
	assert_true(strstr(p, "class=\"glance\"") < strstr(p, "id=\"what\""));
	assert_true(strstr(p, "<nav class=\"crumbs\"") < strstr(p, "class=\"glance\""));
	assert_has(p, "<dt>Protocol</dt><dd class=\"proto\">TCP and UDP</dd>");
	assert_has(p, ">No particular concern</a>");
	assert_has(p, "<nav class=\"toc\"");
	/* The registry's TCP and UDP rows are one entry: one row, no contact column (the
	 * contact is the assignee), no port column (every row is this port). */
	assert_int_equal(count(p, "<td data-label=\"Protocol\">"), 1);
	assert_has(p, "<td data-label=\"Protocol\">TCP, UDP</td>");
	assert_lacks(p, ">Contact</th>");
	assert_lacks(p, ">Port</th>");
	/* Commands that name exactly this port, TCP and UDP (the registry says both). */
	assert_has(p, "ss -Htulpn &#39;sport = :3516&#39;");
	assert_has(p, "lsof -nP -i :3516");
	assert_has(p, "netstat -ano | findstr /R /C:&quot;:3516 &quot;");
	assert_has(p, "Get-NetTCPConnection -LocalPort 3516\nGet-NetUDPEndpoint -LocalPort 3516");
	assert_has(p, "Get-Process -Id &lt;PID&gt;");
	assert_lacks(p, "grep 3516");
	assert_int_equal(count(p, "class=\"copy\""), 5);
	/* The note's Markdown became HTML. */
	assert_has(p, "<strong>How likely you are to meet it:</strong>");
	/* An English page marks nothing as English. */
	assert_lacks(p, "<span lang=\"en\">");
	assert_lacks(p, "<article class=\"note\" lang=\"en\">");
	assert_has(p, "<a href=\"https://pcsclite.apdu.fr/\" rel=\"noopener noreferrer\">");
	assert_has(p, "<li id=\"fn-1\">");
	/* The vote, as a form that works without JavaScript. */
	assert_has(p, "<form class=\"vote-form\" method=\"post\" action=\"/vote\"");
	assert_has(p, "name=\"page\" value=\"/port/3516\"");
	assert_has(p, "name=\"lang\" value=\"en\"");
	assert_has(p, "value=\"sad\"");
	assert_has(p, "value=\"meh\"");
	assert_has(p, "value=\"happy\"");
	assert_has(p, "Was this page helpful?");
	/* Neighbours and the same service's other ports; related ports before the vote. */
	assert_true(strstr(p, "id=\"related\"") < strstr(p, "id=\"vote\""));
	assert_has(p, "href=\"/port/3515?lang=en\"");
	assert_has(p, "href=\"/port/3517?lang=en\"");
	assert_has(p, "href=\"/port/4116?lang=en\"");
	assert_has(p, "href=\"/service/smartcard-port?lang=en\"");
	/* FAQ from the data. */
	assert_has(p, "Is port 3516 TCP or UDP?");
	assert_has(p, "The registry lists it for TCP and UDP.");
	/* Not asked for: no machine section. */
	assert_lacks(p, "id=\"machine\"");
	json_decref(rep);
}

static void
test_port_3126_unassigned(void **state)
{
	struct fixture *f = *state;
	json_t *rep;
	const char *p;

	if (!f->have_db)
		skip();
	rep = report_for(f, "3126");
	f->c.path = "/port/3126";
	assert_int_equal(html_port(&f->out, rep, &f->c), 0);
	p = f->out.buf;
	check_port_sections(p);
	assert_has(p, "Port 3126 is unassigned");
	assert_has(p, "4 October 2007");
	assert_has(p, "Microsoft .NETster Port");
	assert_has(p, "Rainbow Six Vegas");
	assert_has(p, "UDP, ports 3074\xe2\x80\x93"
	              "3174");
	/* Only a known use says UDP, and the checks cover it. */
	assert_has(p, "ss -Htulpn &#39;sport = :3126&#39;");
	assert_has(p, "Get-NetUDPEndpoint -LocalPort 3126");
	assert_has(p, "class=\"concern concern-none\"");
	assert_has(p, "Yes, privately: it is unassigned.");
	json_decref(rep);
}

static void
test_voted_shows_thanks(void **state)
{
	struct fixture *f = *state;
	json_t *rep;

	if (!f->have_db)
		skip();
	rep = report_for(f, "3516");
	f->c.voted = 1;
	assert_int_equal(html_port(&f->out, rep, &f->c), 0);
	assert_has(f->out.buf, "Thank you for your feedback!");
	assert_lacks(f->out.buf, "action=\"/vote\"");
	json_decref(rep);
}

/* A report carrying every hostile string we can think of, in every field a page shows. */
static json_t *
hostile_report(void)
{
	const char *x = "<script>alert(1)</script>\"'&";
	json_t *person =
	    json_pack("{s:s, s:s, s:s, s:s, s:s}", "id", x, "name", x, "org", x, "uri",
	              "javascript:alert(1)", "email", "\"><script>alert(1)</script>@x");
	json_t *rec = json_pack(
	    "{s:s, s:i, s:i, s:s, s:s, s:s, s:[O], s:[o], s:s, s:s, s:[{s:s, s:s, s:s}], s:s, s:s, "
	    "s:s, s:i}",
	    "service", x, "port_lo", 3516, "port_hi", 3516, "protocol", x, "status", "assigned",
	    "description", x, "assignee", person, "contact", person, "registered", x, "modified", x,
	    "references", "text", x, "url", "javascript:alert(1)", "footnote", x, "service_code", x,
	    "unauthorized", x, "notes", x, "source", 1);
	json_t *rep = json_pack(
	    "{s:s, s:{s:s}, s:i, s:i, s:[o], s:{s:[s], s:[s], s:[s], s:s}, s:{s:[{s:s, s:s, s:i, "
	    "s:i, s:s}], s:b, s:{s:i, s:i, s:b}, s:i}, s:{s:s, s:[{s:s, s:s}]}, s:[{s:s, s:s, s:s, "
	    "s:s, s:i, s:i, s:[s]}], s:[{s:s, s:s, s:s, s:s, s:[s]}], s:[{s:s, s:s, s:b, s:i}], "
	    "s:[{s:i, s:s, s:s, s:s}], s:{s:s, s:s, s:[s]}, s:{s:s, s:[s]}, s:[{s:i, s:s, s:s, "
	    "s:s, s:s}], s:{s:[{s:s, s:s, s:i, s:[{s:i, s:s, s:s}]}]}}",
	    "schema", "portolan.report/2", "query", "text", x, "port_lo", 3516, "port_hi", 3516,
	    "records", rec, "identity", "services", x, "descriptions", x, "protocols", x, "status",
	    "assigned", "range", "classes", "name", x, "iana", x, "lo", 1024, "hi", 49151,
	    "meaning", x, "privileged", 0, "ephemeral", "lo", 1, "hi", 2, "overlaps", 1,
	    "unprivileged_start", 1024, "frequency", "words", x, "per_protocol", "protocol", x,
	    "words", x, "uses", "who", x, "category", x, "text", x, "protocols", x, "port_lo", 3516,
	    "port_hi", 3516, "sources", "javascript:alert(1)", "history", "former", x, "date", x,
	    "text", x, "kind", x, "sources", x, "other_names", "service", x, "database", x,
	    "in_registry", 0, "source", 1, "siblings", "port", 1, "service", x, "relation", x,
	    "description", x, "note", "title", x, "markdown",
	    "<script>alert(1)</script>\n\n[x](javascript:alert(1)) <b onclick=x>b</b>", "sources",
	    x, "concern", "level", x, "reasons", x, "sources", "id", 1, "name", x, "kind", x,
	    "location", "javascript:alert(1)", "as_of", x, "listening", "listeners", "proto", x,
	    "address", x, "port", 3516, "holders", "pid", 1, "command", x, "user", x);

	assert_non_null(rep);
	return rep;
}

static void
test_hostile_report_escaped(void **state)
{
	struct fixture *f = *state;
	json_t *rep = hostile_report();
	const char *p;

	f->c.show_machine = 1;
	f->c.path = "/port/3516\"><script>";
	assert_int_equal(html_port(&f->out, rep, &f->c), 0);
	p = f->out.buf;
	/* Our own script tag, and no other. */
	assert_int_equal(count(p, "<script"), 1);
	assert_has(p, "<script src=\"/assets/vote.js\" defer></script>");
	assert_lacks(p, "<b onclick");
	assert_safe_urls(p);
	assert_lacks(p, "href=\"javascript");
	assert_lacks(p, "\"'&<");
	assert_has(p, "&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&amp;");
	/* The summary rendered the hostile listener, escaped. */
	assert_has(p, "id=\"machine\"");
	/* A path that is not a plain path is not echoed into the form. */
	assert_has(p, "name=\"page\" value=\"/\"");
	json_decref(rep);
}

static void
test_machine_section(void **state)
{
	struct fixture *f = *state;
	json_t *rep = json_pack("{s:i, s:i, s:{s:s}, s:{s:[]}}", "port_lo", 3516, "port_hi", 3516,
	                        "identity", "status", "unassigned", "listening", "listeners");

	f->c.show_machine = 1;
	assert_int_equal(html_port(&f->out, rep, &f->c), 0);
	assert_has(f->out.buf, "Nothing is listening on port 3516 on this machine.");
	strbuf_reset(&f->out);
	f->c.show_machine = 0;
	assert_int_equal(html_port(&f->out, rep, &f->c), 0);
	assert_lacks(f->out.buf, "id=\"machine\"");
	json_decref(rep);
}

static void
test_markdown_filters(void **state)
{
	struct strbuf sb;

	(void)state;
	strbuf_init(&sb, 0);
	assert_int_equal(
	    markdown_html(&sb, "a <script>x</script> <img src=x onerror=y>\n\n"
	                       "[bad](javascript:alert(1)) [vb](VBScript:x) "
	                       "[proto](//evil.example/) [ok](https://example.org/a?b=1&c=2) "
	                       "[rel](/port/80) [mail](mailto:a@b.c) **bold**\n"),
	    0);
	assert_lacks(sb.buf, "<script");
	assert_lacks(sb.buf, "<img");
	assert_safe_urls(sb.buf);
	assert_lacks(sb.buf, "javascript:");
	assert_lacks(sb.buf, "VBScript");
	assert_lacks(sb.buf, "evil.example");
	assert_has(sb.buf, "&lt;script&gt;");
	assert_has(sb.buf, "<a href=\"#\">bad</a>");
	assert_has(sb.buf, "<a href=\"https://example.org/a?b=1&amp;c=2\">ok</a>");
	assert_has(sb.buf, "<a href=\"/port/80\">rel</a>");
	assert_has(sb.buf, "<a href=\"mailto:a@b.c\">mail</a>");
	assert_has(sb.buf, "<strong>bold</strong>");
	strbuf_free(&sb);
}

static void
test_escape(void **state)
{
	struct strbuf sb;

	(void)state;
	strbuf_init(&sb, 0);
	assert_int_equal(html_escape(&sb, "a&b<c>d\"e'f"), 0);
	assert_string_equal(sb.buf, "a&amp;b&lt;c&gt;d&quot;e&#39;f");
	strbuf_free(&sb);
}

static void
test_language_menu(void **state)
{
	struct fixture *f = *state;
	const struct i18n *ko = i18n_get(f->langs, "ko");

	if (ko == NULL)
		skip();
	f->c.t = ko;
	assert_int_equal(html_error(&f->out, 404, &f->c), 0);
	assert_has(f->out.buf, "<html lang=\"ko\">");
	assert_has(f->out.buf, "href=\"/port/3516?lang=en\" hreflang=\"en\" lang=\"en\"");
	assert_has(f->out.buf, "hreflang=\"ko\" lang=\"ko\" aria-current=\"true\">");
	assert_has(f->out.buf, i18n_name(ko));
}

/* A Korean port page: <html lang>, the vote in Korean, the form posting lang=ko. */
static void
test_port_korean(void **state)
{
	struct fixture *f = *state;
	const struct i18n *ko = i18n_get(f->langs, "ko");
	const char *helpful;
	json_t *rep;

	if (ko == NULL || !f->have_db)
		skip();
	rep = report_for(f, "3516");
	f->c.t = ko;
	assert_int_equal(html_port(&f->out, rep, &f->c), 0);
	helpful = i18n_text(ko, "Was this page helpful?");
	assert_has(f->out.buf, "<html lang=\"ko\">");
	assert_has(f->out.buf, "name=\"lang\" value=\"ko\"");
	assert_has(f->out.buf, "href=\"/port/3517?lang=ko\"");
	assert_has(f->out.buf, helpful);
	if (strcmp(helpful, "Was this page helpful?") != 0)
		assert_lacks(f->out.buf, "Was this page helpful?");
	/* The curated note is English: marked so, on a Korean page. */
	assert_has(f->out.buf, "<article class=\"note\" lang=\"en\">");
	json_decref(rep);
}

/* Whether the report has nmap's numbers (the test database got nmap-services). */
static int
has_frequency(const json_t *rep)
{
	return json_is_number(json_object_get(json_object_get(rep, "frequency"), "open_frequency"));
}

/* The frequency sentence a page in language t must show for one protocol's object. */
static void
expected_frequency(const struct i18n *t, const json_t *x, char *buf, size_t len)
{
	long long one_in = json_integer_value(json_object_get(x, "one_in"));
	const char *word = i18n_text(t, "very common");
	char num[64];

	assert_string_equal(json_string_value(json_object_get(x, "class")), "very-common");
	i18n_number(t, one_in, num, sizeof(num));
	snprintf(buf, len,
	         i18n_ntext(t, "%1$s: open on about 1 in %2$s scanned host",
	                    "%1$s: open on about 1 in %2$s scanned hosts", (unsigned long)one_in),
	         word, num);
}

/*
 * The English page says exactly what the report's English words say (the
 * templates are the same sentences); a Korean page for 80 says it in
 * Korean, number included, and no English frequency sentence is left.
 */
/* A TCP-only port is checked on TCP alone; 3106's neighbour 3105 is also its sibling: once. */
static void
test_port_checks_and_related(void **state)
{
	struct fixture *f = *state;
	json_t *rep;

	if (!f->have_db)
		skip();
	rep = report_for(f, "2376");
	f->c.path = "/port/2376";
	assert_int_equal(html_port(&f->out, rep, &f->c), 0);
	assert_has(f->out.buf, "ss -Htlpn &#39;sport = :2376&#39;");
	assert_has(f->out.buf, "Get-NetTCPConnection -LocalPort 2376");
	assert_lacks(f->out.buf, "Get-NetUDPEndpoint");
	json_decref(rep);
	strbuf_reset(&f->out);
	rep = report_for(f, "3106");
	f->c.path = "/port/3106";
	assert_int_equal(html_port(&f->out, rep, &f->c), 0);
	assert_int_equal(count(f->out.buf, "href=\"/port/3105?lang=en\""), 1);
	assert_has(f->out.buf, "href=\"/port/3107?lang=en\"");
	json_decref(rep);
}

/*
 * Korean chooses a particle by the sound before it (3516은, 3106는 would be
 * wrong); the catalog words sentences so that no "은(는)" fallback is left.
 */
static void
test_korean_particles(void **state)
{
	static const char *const ports[] = {"3516", "3126", "3106"};
	static const char *const fallbacks[] = {"(\xeb\x8a\x94)", "(\xea\xb0\x80)",
	                                        "(\xeb\xa5\xbc)", "(\xec\x9d\xb4)"};
	struct fixture *f = *state;
	const struct i18n *ko = i18n_get(f->langs, "ko");
	json_t *rep;
	size_t i, j;

	if (!f->have_db || ko == NULL)
		skip();
	f->c.t = ko;
	for (i = 0; i < sizeof(ports) / sizeof(ports[0]); i++) {
		strbuf_reset(&f->out);
		rep = report_for(f, ports[i]);
		assert_int_equal(html_port(&f->out, rep, &f->c), 0);
		for (j = 0; j < sizeof(fallbacks) / sizeof(fallbacks[0]); j++)
			assert_lacks(f->out.buf, fallbacks[j]);
		json_decref(rep);
	}
	/* "3106번 포트는": after 포트, which ends in a vowel, the particle is always 는. */
	assert_has(f->out.buf, "3106\xeb\xb2\x88 \xed\x8f\xac\xed\x8a\xb8");
}

static void
test_port_80_frequency_localized(void **state)
{
	struct fixture *f = *state;
	const struct i18n *ko = i18n_get(f->langs, "ko");
	const json_t *per, *x;
	struct strbuf esc;
	char want[256];
	json_t *rep;
	size_t i;

	if (!f->have_db)
		skip();
	rep = report_for(f, "80");
	if (!has_frequency(rep)) {
		json_decref(rep);
		skip();
	}
	f->c.path = "/port/80";
	assert_int_equal(html_port(&f->out, rep, &f->c), 0);
	assert_int_equal(words_localize(rep, NULL), 0); /* the English words, to look for */
	per = json_object_get(json_object_get(rep, "frequency"), "per_protocol");
	assert_true(json_array_size(per) >= 2);
	strbuf_init(&esc, 0);
	json_array_foreach(per, i, x)
	{
		strbuf_reset(&esc);
		assert_int_equal(html_escape(&esc, json_string_value(json_object_get(x, "words"))),
		                 0);
		assert_has(f->out.buf, esc.buf);
	}
	strbuf_free(&esc);
	assert_has(f->out.buf, "very common: open on about 1 in 2 scanned hosts");
	if (ko == NULL || strcmp(i18n_text(ko, "very common"), "very common") == 0) {
		json_decref(rep);
		return;
	}
	strbuf_reset(&f->out);
	f->c.t = ko;
	assert_int_equal(html_port(&f->out, rep, &f->c), 0);
	expected_frequency(ko, json_array_get(per, 0), want, sizeof(want));
	assert_has(f->out.buf, want);
	/* (No apostrophe in the Korean, so the escaped page holds it as is.) */
	assert_has(f->out.buf, i18n_text(ko, "never seen open in nmap's scans of the Internet"));
	assert_lacks(f->out.buf, "scanned host");
	assert_lacks(f->out.buf, "very common");
	assert_lacks(f->out.buf, "never seen open");
	json_decref(rep);
}

/*
 * 31337 is Back Orifice's port: on a Korean page each concern reason is a
 * Korean sentence around the English name (marked lang="en"); on a German
 * page the "1 in N" is grouped the German way.
 */
static void
test_port_31337_concern_translated(void **state)
{
	struct fixture *f = *state;
	const struct i18n *ko = i18n_get(f->langs, "ko"), *de = i18n_get(f->langs, "de");
	const json_t *codes, *per, *x;
	char want[256], num[64], *cut;
	json_t *rep;
	size_t i;

	if (ko == NULL || de == NULL || !f->have_db)
		skip();
	rep = report_for(f, "31337");
	assert_int_equal(words_localize(rep, NULL), 0); /* the English words, to look for */
	codes = json_object_get(json_object_get(rep, "concern"), "codes");
	assert_true(json_array_size(codes) > 0);
	f->c.path = "/port/31337";
	f->c.t = ko;
	assert_int_equal(html_port(&f->out, rep, &f->c), 0);
	assert_has(f->out.buf, "class=\"concern concern-high\"");
	json_array_foreach(codes, i, x)
	{
		assert_lacks(f->out.buf, json_string_value(json_object_get(x, "words")));
	}
	assert_lacks(f->out.buf, "associated with malware");
	/* The Korean template up to its conversion, then the English name. */
	snprintf(want, sizeof(want), "%s", i18n_text(ko, "associated with malware: %1$s"));
	cut = strstr(want, "%1$s");
	assert_non_null(cut);
	snprintf(cut, sizeof(want) - (size_t)(cut - want), "<span lang=\"en\">Back Orifice");
	assert_has(f->out.buf, want);
	assert_has(f->out.buf, "<span lang=\"en\">Back Orifice");
	if (has_frequency(rep)) {
		strbuf_reset(&f->out);
		f->c.t = de;
		assert_int_equal(html_port(&f->out, rep, &f->c), 0);
		per = json_object_get(json_object_get(rep, "frequency"), "per_protocol");
		json_array_foreach(per, i, x)
		{
			if (json_integer_value(json_object_get(x, "one_in")) < 1000)
				continue;
			i18n_number(de, json_integer_value(json_object_get(x, "one_in")), num,
			            sizeof(num));
			assert_non_null(strchr(num, '.')); /* German groups with a dot */
			assert_has(f->out.buf, num);
		}
		assert_lacks(f->out.buf, "scanned hosts");
	}
	json_decref(rep);
}

/*
 * The range page says what its class means, in the words the terminal and
 * the JSON use too (words.c), in the page's language.
 */
static void
test_range_meaning_matches_report(void **state)
{
	static const char *const names[] = {"well-known", "registered", "dynamic"};
	struct fixture *f = *state;
	struct err e = {0};
	json_t *v;
	size_t i;

	if (!f->have_db)
		skip();
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		strbuf_reset(&f->out);
		v = pages_range(f->db.st, names[i], &e);
		assert_non_null(v);
		assert_int_equal(html_range(&f->out, v, &f->c), 0);
		assert_has(f->out.buf, words_range_meaning(NULL, names[i]));
		json_decref(v);
	}
}

/* Codes and classes from a hostile or newer report: escaped, or the English fallback. */
static void
test_hostile_codes(void **state)
{
	struct fixture *f = *state;
	const char *x = "<script>alert(1)</script>";
	json_t *rep = hostile_report();

	json_object_set_new(rep, "concern",
	                    json_pack("{s:s, s:[{s:s, s:s}, {s:s, s:s}, {s:s}, s]}", "level",
	                              "high", "codes", "code", "malware", "who", x, "code",
	                              "unauthorized", "text", x, "code", "from-the-future",
	                              "not an object"));
	json_object_set_new(
	    rep, "frequency",
	    json_pack("{s:s, s:s, s:I, s:[{s:s, s:s, s:I}, {s:s, s:s, s:I}, {s:s, s:s}]}", "words",
	              "top words", "class", "rare", "one_in", (json_int_t)-5, "per_protocol",
	              "protocol", "tcp", "class", "rare", "one_in", (json_int_t)INT64_MAX,
	              "protocol", "udp", "class", "never", "one_in", (json_int_t)7, "protocol",
	              "sctp", "class", x));
	assert_non_null(json_object_get(rep, "frequency"));
	assert_int_equal(html_port(&f->out, rep, &f->c), 0);
	assert_int_equal(count(f->out.buf, "<script"), 1);
	assert_has(f->out.buf, "associated with malware: &lt;script&gt;");
	assert_has(f->out.buf, "IANA records unauthorized use: &lt;script&gt;");
	assert_has(f->out.buf, "from-the-future"); /* a code not known here: the code itself */
	assert_has(f->out.buf, "rare: open on about 1 in 9,223,372,036,854,775,807 scanned hosts");
	assert_has(f->out.buf, "never seen open in nmap&#39;s scans of the Internet");
	json_decref(rep);
}

static void
test_error_pages(void **state)
{
	struct fixture *f = *state;
	static const int codes[] = {400, 404, 405, 413, 429, 500};
	char want[32];
	size_t i;

	for (i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
		strbuf_reset(&f->out);
		assert_int_equal(html_error(&f->out, codes[i], &f->c), 0);
		snprintf(want, sizeof(want), "<p class=\"status\">%d</p>", codes[i]);
		assert_has(f->out.buf, want);
		assert_has(f->out.buf, "href=\"/?lang=en\"");
	}
}

/* A static export's page links files relative to itself, in its language's directory. */
static void
test_static_export_links(void **state)
{
	struct fixture *f = *state;
	const struct i18n *langs[] = {i18n_get(f->langs, "en"), i18n_get(f->langs, "ko")};
	struct html_site site = {.root = "../../",
	                         .self = "service/914c%2Fg.html",
	                         .port_lo = 10,
	                         .port_hi = 20,
	                         .services = json_object(),
	                         .langs = langs,
	                         .nlangs = langs[1] ? 2 : 1};
	struct strbuf file;

	f->c.site = &site;
	strbuf_init(&file, 256);
	assert_int_equal(html_site_file(&file, "service", "914c/g"), 0);
	assert_string_equal(file.buf, "service/914c%2Fg.html");
	strbuf_reset(&file);
	assert_int_equal(html_site_file(&file, NULL, NULL), 0);
	assert_string_equal(file.buf, "index.html");
	strbuf_free(&file);

	assert_int_equal(html_error(&f->out, 404, &f->c), 0);
	assert_has(f->out.buf, "href=\"../../en/index.html\"");
	assert_has(f->out.buf, "href=\"../../en/range/registered.html\"");
	assert_has(f->out.buf, "href=\"../../assets/style.css\"");
	assert_lacks(f->out.buf, "?lang=");
	/* No search (nothing would answer it): a hidden form that opens a port's file. */
	assert_lacks(f->out.buf, "action=\"/search\"");
	assert_has(f->out.buf, "class=\"search port-jump\" role=\"search\" hidden "
	                       "data-base=\"../../en/port/\"");
	if (langs[1] != NULL) /* the menu: this file in the other language, its '%' escaped */
		assert_has(f->out.buf, "href=\"../../ko/service/914c%252Fg.html\"");
	json_decref(site.services);
}

static void
test_search_page(void **state)
{
	struct fixture *f = *state;
	struct err e = {0};
	json_t *res;

	if (!f->have_db)
		skip();
	res = search_run(f->db.st, "smartcard <script>", 20, &e);
	assert_non_null(res);
	f->c.path = "/search";
	assert_int_equal(html_search(&f->out, res, &f->c), 0);
	assert_int_equal(count(f->out.buf, "<script"), 1);
	assert_has(f->out.buf, "&lt;script&gt;");
	assert_has(f->out.buf, "href=\"/port/3516?lang=en\"");
	assert_has(f->out.buf, "<mark>");
	json_decref(res);
}

static void
test_index_range_service_pages(void **state)
{
	struct fixture *f = *state;
	struct err e = {0};
	json_t *v;

	if (!f->have_db)
		skip();
	v = pages_index(f->db.st, 10, &e);
	if (v == NULL)
		fail_msg("pages_index: %s", e.msg);
	f->c.path = "/";
	assert_int_equal(html_index(&f->out, v, &f->c), 0);
	assert_has(f->out.buf, "action=\"/search\"");
	assert_has(f->out.buf, "href=\"/range/well-known?lang=en\"");
	assert_has(f->out.buf, "href=\"/range/dynamic?lang=en\"");
	assert_has(f->out.buf, "Registry snapshot:");
	json_decref(v);

	strbuf_reset(&f->out);
	v = pages_range(f->db.st, "well-known", &e);
	assert_non_null(v);
	assert_int_equal(html_range(&f->out, v, &f->c), 0);
	assert_has(f->out.buf, "<svg viewBox=");
	assert_int_equal(count(f->out.buf, "<rect class=\"a\""), 64);
	assert_has(f->out.buf, "<table>");
	json_decref(v);

	strbuf_reset(&f->out);
	v = pages_service(f->db.st, "smartcard-port", &e);
	assert_non_null(v);
	assert_int_equal(html_service(&f->out, v, &f->c), 0);
	assert_has(f->out.buf, "href=\"/port/3516?lang=en\"");
	assert_has(f->out.buf, "Scott Guthery");
	json_decref(v);

	strbuf_reset(&f->out);
	v = pages_service(f->db.st, "x11", &e);
	assert_non_null(v);
	assert_int_equal(html_service(&f->out, v, &f->c), 0);
	assert_has(f->out.buf, "Ports 6000\xe2\x80\x93"
	                       "6063");
	assert_has(f->out.buf, "Known Unauthorized Use on port 6003");
	json_decref(v);
}

/* A buffer too small for the page fails cleanly. */
static void
test_small_buffer_fails(void **state)
{
	struct fixture *f = *state;
	struct strbuf small;

	strbuf_init(&small, 256);
	assert_int_equal(html_error(&small, 404, &f->c), -1);
	strbuf_free(&small);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_port_3516, each, each_done),
	    cmocka_unit_test_setup_teardown(test_port_3126_unassigned, each, each_done),
	    cmocka_unit_test_setup_teardown(test_voted_shows_thanks, each, each_done),
	    cmocka_unit_test_setup_teardown(test_hostile_report_escaped, each, each_done),
	    cmocka_unit_test_setup_teardown(test_machine_section, each, each_done),
	    cmocka_unit_test(test_markdown_filters),
	    cmocka_unit_test(test_escape),
	    cmocka_unit_test_setup_teardown(test_language_menu, each, each_done),
	    cmocka_unit_test_setup_teardown(test_port_korean, each, each_done),
	    cmocka_unit_test_setup_teardown(test_port_80_frequency_localized, each, each_done),
	    cmocka_unit_test_setup_teardown(test_port_checks_and_related, each, each_done),
	    cmocka_unit_test_setup_teardown(test_korean_particles, each, each_done),
	    cmocka_unit_test_setup_teardown(test_port_31337_concern_translated, each, each_done),
	    cmocka_unit_test_setup_teardown(test_range_meaning_matches_report, each, each_done),
	    cmocka_unit_test_setup_teardown(test_hostile_codes, each, each_done),
	    cmocka_unit_test_setup_teardown(test_error_pages, each, each_done),
	    cmocka_unit_test_setup_teardown(test_static_export_links, each, each_done),
	    cmocka_unit_test_setup_teardown(test_search_page, each, each_done),
	    cmocka_unit_test_setup_teardown(test_index_range_service_pages, each, each_done),
	    cmocka_unit_test_setup_teardown(test_small_buffer_fails, each, each_done),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
