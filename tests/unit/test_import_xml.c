/*
 * test_import_xml.c - the IANA XML importer against small inline documents,
 * and against the registry vendored in data/iana/.
 *
 * The sink copies every record, person and footnote it is given into fixed
 * arrays (inline documents hold a handful), so a test can assert exactly
 * what each element became, and that a bad document stops the import with
 * a message naming file, line and field.  For the full registry the sink
 * only counts and checks one well-known row, smartcard-port 3516/tcp.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "registry/import_xml.h"

#define MAXREC 8
#define HEAD                                                                                       \
	"<?xml version='1.0' encoding='UTF-8'?>\n<registry "                                       \
	"xmlns=\"http://www.iana.org/assignments\">\n"
#define TAIL "</registry>\n"

struct rec {
	char service[64], protocol[16], description[256], assignee[128], contact[128];
	char registered[16], modified[16], reference[256], sc[32], unauthorized[128];
	char notes[512];
	long lo, hi, line;
};

struct collect {
	int nrec, nperson, nfootnote, nmeta;
	struct rec rec[MAXREC];
	char person_id[MAXREC][64], person_name[MAXREC][64], person_org[MAXREC][64];
	char person_uri[MAXREC][128], person_updated[MAXREC][16];
	char fn_anchor[16], fn_text[256];
	char title[128], updated[16];
	int stop_after;   /* refuse the record after this many; 0 never */
	int smartcard_ok; /* full file: smartcard-port 3516/tcp as expected */
};

#define COPY(dst, src) snprintf((dst), sizeof(dst), "%s", (src))

static int
collect_record(void *ctx, const struct reg_record *r, struct err *e)
{
	struct collect *c = ctx;
	struct rec *d;

	if (c->stop_after > 0 && c->nrec == c->stop_after)
		return err_set(e, "sink is full");
	if (c->nrec++ >= MAXREC)
		return 0;
	d = &c->rec[c->nrec - 1];
	COPY(d->service, r->service);
	COPY(d->protocol, r->protocol);
	COPY(d->description, r->description);
	COPY(d->assignee, r->assignee);
	COPY(d->contact, r->contact);
	COPY(d->registered, r->registered);
	COPY(d->modified, r->modified);
	COPY(d->reference, r->reference);
	COPY(d->sc, r->service_code);
	COPY(d->unauthorized, r->unauthorized);
	COPY(d->notes, r->notes);
	d->lo = r->port_lo;
	d->hi = r->port_hi;
	d->line = r->line;
	return 0;
}

static int
collect_person(void *ctx, const struct reg_person *p, struct err *e)
{
	struct collect *c = ctx;
	int i = c->nperson++;

	(void)e;
	if (i >= MAXREC)
		return 0;
	COPY(c->person_id[i], p->id);
	COPY(c->person_name[i], p->name);
	COPY(c->person_org[i], p->org);
	COPY(c->person_uri[i], p->uri);
	COPY(c->person_updated[i], p->updated);
	return 0;
}

static int
collect_footnote(void *ctx, const struct reg_footnote *f, struct err *e)
{
	struct collect *c = ctx;

	(void)e;
	c->nfootnote++;
	COPY(c->fn_anchor, f->anchor);
	COPY(c->fn_text, f->text);
	return 0;
}

static int
collect_meta(void *ctx, const char *key, const char *value, struct err *e)
{
	struct collect *c = ctx;

	(void)e;
	c->nmeta++;
	if (strcmp(key, "title") == 0)
		COPY(c->title, value);
	else if (strcmp(key, "updated") == 0)
		COPY(c->updated, value);
	return 0;
}

static int
run(const char *xml, struct collect *c, struct err *e)
{
	struct reg_sink sink = {
	    .ctx = c,
	    .record = collect_record,
	    .person = collect_person,
	    .footnote = collect_footnote,
	    .meta = collect_meta,
	};

	memset(e, 0, sizeof(*e));
	return import_xml_buffer(xml, strlen(xml), "t.xml", &sink, e);
}

/* Run a document that must fail; return its message for asserts. */
static const char *
must_fail(const char *xml, struct collect *c, struct err *e)
{
	assert_int_equal(run(xml, c, e), -1);
	assert_int_equal(e->kind, ERR_INPUT);
	return e->msg;
}

static void
test_simple_record(void **state)
{
	static struct collect c;
	struct err e;
	const char *xml = HEAD "  <title>Service Name Registry</title>\n"
	                       "  <updated>2026-08-17</updated>\n"
	                       "  <record date=\"2002-05\" updated=\"2024-12-20\">\n"
	                       "    <name>smartcard-port</name>\n"
	                       "    <protocol>tcp</protocol>\n"
	                       "    <xref type=\"person\" data=\"Scott_Guthery\"/>\n"
	                       "    <description>Smartcard Port</description>\n"
	                       "    <number>3516</number>\n"
	                       "    <xref type=\"rfc\" data=\"rfc3501\"/>\n"
	                       "    <xref type=\"rfc\" data=\"rfc9051\"/>\n"
	                       "  </record>\n" TAIL;

	(void)state;
	memset(&c, 0, sizeof(c));
	assert_int_equal(run(xml, &c, &e), 0);
	assert_int_equal(c.nrec, 1);
	assert_string_equal(c.rec[0].service, "smartcard-port");
	assert_string_equal(c.rec[0].protocol, "tcp");
	assert_string_equal(c.rec[0].description, "Smartcard Port");
	assert_int_equal(c.rec[0].lo, 3516);
	assert_int_equal(c.rec[0].hi, 3516);
	assert_string_equal(c.rec[0].assignee, "[Scott_Guthery]");
	assert_string_equal(c.rec[0].contact, "[Scott_Guthery]");
	assert_string_equal(c.rec[0].registered, "2002-05");
	assert_string_equal(c.rec[0].modified, "2024-12-20");
	assert_string_equal(c.rec[0].reference, "[RFC3501][RFC9051]");
	assert_string_equal(c.rec[0].notes, "");
	assert_int_equal(c.rec[0].line, 5);
	assert_int_equal(c.nmeta, 2);
	assert_string_equal(c.title, "Service Name Registry");
	assert_string_equal(c.updated, "2026-08-17");
}

static void
test_range_and_uppercase_protocol(void **state)
{
	static struct collect c;
	struct err e;
	const char *xml = HEAD "<record><name>x11</name><protocol>TCP</protocol>"
	                       "<number> 6000-6063 </number></record>\n" TAIL;

	(void)state;
	memset(&c, 0, sizeof(c));
	assert_int_equal(run(xml, &c, &e), 0);
	assert_int_equal(c.nrec, 1);
	assert_int_equal(c.rec[0].lo, 6000);
	assert_int_equal(c.rec[0].hi, 6063);
	assert_string_equal(c.rec[0].protocol, "tcp");
}

static void
test_name_only_record(void **state)
{
	static struct collect c;
	struct err e;
	const char *xml = HEAD "<record date=\"2012-11-14\">\n<name>workgroup</name>\n"
	                       "<description>Novell collaboration workgroup</description>\n"
	                       "<future-field>ignored</future-field>\n"
	                       "<note>Defined TXT keys: None</note></record>\n" TAIL;

	(void)state;
	memset(&c, 0, sizeof(c));
	assert_int_equal(run(xml, &c, &e), 0);
	assert_int_equal(c.nrec, 1);
	assert_string_equal(c.rec[0].service, "workgroup");
	assert_int_equal(c.rec[0].lo, PORT_NONE);
	assert_int_equal(c.rec[0].hi, PORT_NONE);
	assert_string_equal(c.rec[0].protocol, "");
	assert_string_equal(c.rec[0].assignee, "");
	assert_string_equal(c.rec[0].notes, "Defined TXT keys: None");
	assert_string_equal(c.rec[0].registered, "2012-11-14");
}

static void
test_people(void **state)
{
	static struct collect c;
	struct err e;
	const char *xml =
	    HEAD "<people>\n"
	         "<person id=\"_3GPP\"><org>3GPP</org>"
	         "<uri>mailto:a&amp;etsi.org</uri><updated>2026-01-23</updated></person>\n"
	         "<person id=\"David_Walend\"><name>David Walend</name>"
	         "<uri>mailto:one&amp;x.net</uri><uri>mailto:two&amp;x.net</uri></"
	         "person>\n"
	         "</people>\n" TAIL;

	(void)state;
	memset(&c, 0, sizeof(c));
	assert_int_equal(run(xml, &c, &e), 0);
	assert_int_equal(c.nperson, 2);
	assert_int_equal(c.nrec, 0);
	assert_string_equal(c.person_id[0], "_3GPP");
	assert_string_equal(c.person_name[0], "");
	assert_string_equal(c.person_org[0], "3GPP");
	assert_string_equal(c.person_uri[0], "mailto:a&etsi.org");
	assert_string_equal(c.person_updated[0], "2026-01-23");
	assert_string_equal(c.person_name[1], "David Walend");
	/* The model holds one URI: the first wins. */
	assert_string_equal(c.person_uri[1], "mailto:one&x.net");
}

static void
test_person_without_id(void **state)
{
	static struct collect c;
	struct err e;

	(void)state;
	memset(&c, 0, sizeof(c));
	assert_string_equal(
	    must_fail(HEAD "<people>\n<person><name>X</name></person></people>" TAIL, &c, &e),
	    "t.xml:4: <person>: missing id attribute");
}

static void
test_footnote(void **state)
{
	static struct collect c;
	struct err e;
	const char *xml = HEAD "<record><name>exp1</name><protocol>tcp</protocol>\n"
	                       "<assignee><xref type=\"person\" data=\"IESG\"/></assignee>\n"
	                       "<xref type=\"person\" data=\"IETF_Chair\"/>\n"
	                       "<number>1021</number><xref type=\"note\" data=\"1\"/>\n"
	                       "<xref type=\"rfc\" data=\"rfc4727\"/></record>\n"
	                       "<footnote anchor=\"1\">It is only appropriate to use these values "
	                       "in explicitly-\nconfigured experiments.</footnote>\n" TAIL;

	(void)state;
	memset(&c, 0, sizeof(c));
	assert_int_equal(run(xml, &c, &e), 0);
	assert_int_equal(c.nfootnote, 1);
	assert_string_equal(c.fn_anchor, "1");
	assert_string_equal(c.fn_text, "It is only appropriate to use these values in "
	                               "explicitly-\nconfigured experiments.");
	assert_string_equal(c.rec[0].reference, "[1][RFC4727]");
}

static void
test_assignee_vs_contact(void **state)
{
	static struct collect c;
	struct err e;
	const char *xml = HEAD "<record><name>imap</name><protocol>tcp</protocol>\n"
	                       "<assignee>\n  <xref type=\"person\" data=\"IESG\"/>\n</assignee>\n"
	                       "<xref type=\"person\" data=\"IETF_Chair\"/><number>143</number>"
	                       "</record>\n"
	                       "<record><name>nas</name><protocol>udp</protocol>\n"
	                       "<xref type=\"person\" data=\"Vera_Heinau\"/>\n"
	                       "<xref type=\"person\" data=\"Heiko_Schlichting\"/>\n"
	                       "<number>991</number></record>\n"
	                       "<record><name>x510</name><protocol>tcp</protocol>"
	                       "<assignee><xref type=\"person\" data=\"ITU\"/></assignee>"
	                       "<number>9877</number></record>\n" TAIL;

	(void)state;
	memset(&c, 0, sizeof(c));
	assert_int_equal(run(xml, &c, &e), 0);
	assert_int_equal(c.nrec, 3);
	assert_string_equal(c.rec[0].assignee, "[IESG]");
	assert_string_equal(c.rec[0].contact, "[IETF_Chair]");
	/* No <assignee>: the record-level persons are both, as in IANA's CSV. */
	assert_string_equal(c.rec[1].assignee, "[Vera_Heinau][Heiko_Schlichting]");
	assert_string_equal(c.rec[1].contact, "[Vera_Heinau][Heiko_Schlichting]");
	/* An <assignee> and no contact leaves the contact empty. */
	assert_string_equal(c.rec[2].assignee, "[ITU]");
	assert_string_equal(c.rec[2].contact, "");
}

static void
test_reference_kinds(void **state)
{
	static struct collect c;
	struct err e;
	const char *xml = HEAD "<record><name>a</name>"
	                       "<xref type=\"draft\" data=\"RFC-ietf-emailcore-rfc5321bis-43\"/>"
	                       "<xref type=\"uri\" data=\"https://example.com/p\"/>"
	                       "<xref type=\"uri\" data=\"http://3gpp.org/x\">3GPP TS 24.379</xref>"
	                       "<xref type=\"rfc\" data=\"rfc8765\">RFC8765, Section 6.1</xref>"
	                       "<xref type=\"text\">Ari\xc3\xabn &lt;x&amp;h.nl&gt;</xref>"
	                       "<xref type=\"text\"/></record>\n" TAIL;

	(void)state;
	memset(&c, 0, sizeof(c));
	assert_int_equal(run(xml, &c, &e), 0);
	assert_string_equal(c.rec[0].reference,
	                    "[RFC-ietf-emailcore-rfc5321bis-43][https://example.com/p]"
	                    "[3GPP TS 24.379][RFC8765, Section 6.1][Ari\xc3\xabn <x&h.nl>]");
}

static void
test_inline_xref_in_note(void **state)
{
	static struct collect c;
	struct err e;
	const char *xml = HEAD "<record updated=\"2025-02-13\"><protocol>tcp</protocol>"
	                       "<description>Reserved</description><number>2</number>\n"
	                       "<note>De-assigned on 2025-02-13, previously compressnet by "
	                       "<xref type=\"person\" data=\"Bernie_Volz\"/></note>\n"
	                       "<unauthorized>Unauthorized use (see <xref type=\"rfc\" "
	                       "data=\"rfc4146\"/> for details)</unauthorized></record>\n" TAIL;

	(void)state;
	memset(&c, 0, sizeof(c));
	assert_int_equal(run(xml, &c, &e), 0);
	assert_string_equal(c.rec[0].notes,
	                    "De-assigned on 2025-02-13, previously compressnet by [Bernie_Volz]");
	assert_string_equal(c.rec[0].unauthorized, "Unauthorized use (see [RFC4146] for details)");
	/* An inline xref is not the record's contact or reference. */
	assert_string_equal(c.rec[0].contact, "");
	assert_string_equal(c.rec[0].reference, "");
}

static void
test_br_and_wrapped_lines(void **state)
{
	static struct collect c;
	struct err e;
	const char *xml =
	    HEAD "<record><name>whoispp</name>\n"
	         "<description>whois++<br/><br/>\nIANA assigned this name.</description>\n"
	         "<note>The UDP port was assigned for \n      \"RadSec\", early.\n"
	         "Kept line\n  <paragraph>para</paragraph></note></record>\n" TAIL;

	(void)state;
	memset(&c, 0, sizeof(c));
	assert_int_equal(run(xml, &c, &e), 0);
	assert_string_equal(c.rec[0].description, "whois++\nIANA assigned this name.");
	/* A line ending in a space joins the indented next line, as IANA's CSV. */
	assert_string_equal(c.rec[0].notes,
	                    "The UDP port was assigned for \"RadSec\", early.\nKept line\n  para");
}

static void
test_truncated(void **state)
{
	static struct collect c;
	struct err e;

	(void)state;
	memset(&c, 0, sizeof(c));
	assert_string_equal(must_fail(HEAD "<record><name>tcpmux</name>\n<protocol>tc", &c, &e),
	                    "t.xml:4: XML: no element found");
	assert_int_equal(c.nrec, 0);
	assert_string_equal(must_fail("", &c, &e), "t.xml:1: XML: no element found");
	assert_non_null(strstr(must_fail(HEAD "<record></recrod>" TAIL, &c, &e),
	                       "t.xml:3: XML: mismatched tag"));
}

static void
test_port_out_of_range(void **state)
{
	static struct collect c;
	struct err e;
	const char *msg;

	(void)state;
	memset(&c, 0, sizeof(c));
	msg = must_fail(HEAD "<record>\n<name>big</name>\n<number>70000</number>\n</record>" TAIL,
	                &c, &e);
	assert_non_null(strstr(msg, "t.xml:5: <number>: "));
	assert_non_null(strstr(msg, "70000"));
	assert_int_equal(c.nrec, 0);
	assert_non_null(
	    strstr(must_fail(HEAD "<record><number>10-5</number></record>" TAIL, &c, &e),
	           "t.xml:3: <number>: "));
	assert_non_null(strstr(must_fail(HEAD "<record><number>8x</number></record>" TAIL, &c, &e),
	                       "t.xml:3: <number>: "));
	assert_non_null(strstr(
	    must_fail(HEAD "<record><number>1</number><number>2</number></record>" TAIL, &c, &e),
	    "t.xml:3: <number>: appears twice"));
}

static void
test_bad_protocol(void **state)
{
	static struct collect c;
	struct err e;
	const char *msg;

	(void)state;
	memset(&c, 0, sizeof(c));
	msg = must_fail(HEAD "<record>\n<protocol>xtp</protocol><number>80</number></record>" TAIL,
	                &c, &e);
	assert_non_null(strstr(msg, "t.xml:4: <protocol>: "));
	assert_non_null(strstr(msg, "xtp"));
}

static void
test_bad_date(void **state)
{
	static struct collect c;
	struct err e;

	(void)state;
	memset(&c, 0, sizeof(c));
	assert_non_null(strstr(
	    must_fail(HEAD "\n<record date=\"May 2002\"><name>a</name></record>" TAIL, &c, &e),
	    "t.xml:4: <record date=>: "));
}

static void
test_bad_utf8(void **state)
{
	static struct collect c;
	struct err e;
	const char *msg;

	(void)state;
	memset(&c, 0, sizeof(c));
	msg = must_fail(HEAD "<record>\n<description>caf\xc3\x28 \xff</description></record>" TAIL,
	                &c, &e);
	assert_non_null(strstr(msg, "t.xml:4: XML: "));
	assert_int_equal(c.nrec, 0);
}

static void
test_doctype_refused(void **state)
{
	static struct collect c;
	struct err e;
	const char *laughs =
	    "<?xml version=\"1.0\"?>\n"
	    "<!DOCTYPE registry [\n"
	    " <!ENTITY lol \"lol\">\n"
	    " <!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n"
	    " <!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">\n"
	    "]>\n"
	    "<registry><record><description>&lol3;</description></record></registry>";
	const char *external = "<?xml version=\"1.0\"?>\n"
	                       "<!DOCTYPE registry SYSTEM \"file:///etc/passwd\">\n"
	                       "<registry><record><description>x</description></record></registry>";

	(void)state;
	memset(&c, 0, sizeof(c));
	assert_non_null(strstr(must_fail(laughs, &c, &e), "t.xml:2: <!DOCTYPE>: refused"));
	assert_non_null(strstr(must_fail(external, &c, &e), "t.xml:2: <!DOCTYPE>: refused"));
	assert_int_equal(c.nrec, 0);
	/* Without a DTD an entity reference is merely undefined. */
	assert_non_null(strstr(must_fail(HEAD "<record><name>&xxe;</name></record>" TAIL, &c, &e),
	                       "t.xml:3: XML: "));
}

static void
test_wrong_document(void **state)
{
	static struct collect c;
	struct err e;

	(void)state;
	memset(&c, 0, sizeof(c));
	assert_non_null(strstr(must_fail("<html><record/></html>", &c, &e),
	                       "t.xml:1: <html>: not an IANA registry"));
}

static void
test_huge_text_node(void **state)
{
	static const char head[] = HEAD "<record>\n<description>";
	static const char tail[] = "</description></record>" TAIL;
	const size_t big = 100u << 20;
	static struct collect c;
	struct err e;
	char *xml;

	(void)state;
	memset(&c, 0, sizeof(c));
	xml = malloc(sizeof(head) + big + sizeof(tail));
	assert_non_null(xml);
	memcpy(xml, head, sizeof(head) - 1);
	memset(xml + sizeof(head) - 1, 'a', big);
	memcpy(xml + sizeof(head) - 1 + big, tail, sizeof(tail));
	assert_int_equal(run(xml, &c, &e), -1);
	free(xml);
	assert_int_equal(e.kind, ERR_INPUT);
	assert_non_null(strstr(e.msg, "t.xml:4: <description>: text longer than"));
	assert_int_equal(c.nrec, 0);
}

static void
test_sink_stops_import(void **state)
{
	static struct collect c;
	struct err e;
	const char *xml = HEAD "<record><name>a</name></record>\n<record><name>b</name></record>\n"
	                       "<record><name>c</name></record>\n" TAIL;

	(void)state;
	memset(&c, 0, sizeof(c));
	c.stop_after = 1;
	assert_int_equal(run(xml, &c, &e), -1);
	assert_string_equal(e.msg, "t.xml:4: sink is full");
	assert_int_equal(c.nrec, 1);
	assert_string_equal(c.rec[0].service, "a");
}

static void
test_null_callbacks(void **state)
{
	struct reg_sink sink = {0};
	struct err e = {0};
	const char *xml = HEAD "<title>T</title><record><name>a</name></record>"
	                       "<footnote anchor=\"1\">f</footnote>"
	                       "<people><person id=\"p\"/></people>" TAIL;

	(void)state;
	assert_int_equal(import_xml_buffer(xml, strlen(xml), "t.xml", &sink, &e), 0);
}

static void
test_file(void **state)
{
	static struct collect c;
	struct reg_sink sink = {.ctx = &c, .record = collect_record};
	char path[] = "/tmp/test_import_xml.XXXXXX";
	const char *xml = HEAD "<record><name>a</name><number>7</number></record>" TAIL;
	struct err e = {0};
	int fd;

	(void)state;
	memset(&c, 0, sizeof(c));
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, xml, strlen(xml)), (ssize_t)strlen(xml));
	close(fd);
	assert_int_equal(import_xml_file(path, &sink, &e), 0);
	unlink(path);
	assert_int_equal(c.nrec, 1);
	assert_int_equal(c.rec[0].lo, 7);
	assert_int_equal(import_xml_file("/nonexistent/registry.xml", &sink, &e), -1);
	assert_string_equal(e.msg, "/nonexistent/registry.xml: No such file or directory");
}

/* Full file: count, and check one row a reader can look up by hand. */
static int
count_record(void *ctx, const struct reg_record *r, struct err *e)
{
	struct collect *c = ctx;

	(void)e;
	c->nrec++;
	if (strcmp(r->service, "smartcard-port") == 0 && r->port_lo == 3516 &&
	    strcmp(r->protocol, "tcp") == 0)
		c->smartcard_ok = r->port_hi == 3516 &&
		                  strcmp(r->assignee, "[Scott_Guthery]") == 0 &&
		                  strcmp(r->contact, "[Scott_Guthery]") == 0 &&
		                  strcmp(r->registered, "2002-05") == 0 &&
		                  strcmp(r->description, "Smartcard Port") == 0;
	return 0;
}

static int
count_person(void *ctx, const struct reg_person *p, struct err *e)
{
	struct collect *c = ctx;

	(void)p;
	(void)e;
	c->nperson++;
	return 0;
}

static void
test_vendored_registry(void **state)
{
	static struct collect c;
	struct reg_sink sink = {.ctx = &c,
	                        .record = count_record,
	                        .person = count_person,
	                        .footnote = collect_footnote,
	                        .meta = collect_meta};
	const char *path = PORTOLAN_DATADIR "/iana/service-names-port-numbers.xml";
	struct err e = {0};

	(void)state;
	memset(&c, 0, sizeof(c));
	if (import_xml_file(path, &sink, &e) != 0)
		fail_msg("%s", e.msg);
	assert_int_equal(c.nrec, 14533);
	assert_int_equal(c.nperson, 5615);
	assert_int_equal(c.nfootnote, 1);
	assert_string_equal(c.updated, "2026-08-17");
	assert_true(c.smartcard_ok);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_simple_record),
	    cmocka_unit_test(test_range_and_uppercase_protocol),
	    cmocka_unit_test(test_name_only_record),
	    cmocka_unit_test(test_people),
	    cmocka_unit_test(test_person_without_id),
	    cmocka_unit_test(test_footnote),
	    cmocka_unit_test(test_assignee_vs_contact),
	    cmocka_unit_test(test_reference_kinds),
	    cmocka_unit_test(test_inline_xref_in_note),
	    cmocka_unit_test(test_br_and_wrapped_lines),
	    cmocka_unit_test(test_truncated),
	    cmocka_unit_test(test_port_out_of_range),
	    cmocka_unit_test(test_bad_protocol),
	    cmocka_unit_test(test_bad_date),
	    cmocka_unit_test(test_bad_utf8),
	    cmocka_unit_test(test_doctype_refused),
	    cmocka_unit_test(test_wrong_document),
	    cmocka_unit_test(test_huge_text_node),
	    cmocka_unit_test(test_sink_stops_import),
	    cmocka_unit_test(test_null_callbacks),
	    cmocka_unit_test(test_file),
	    cmocka_unit_test(test_vendored_registry),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
