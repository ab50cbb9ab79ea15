/*
 * test_claims.c - the claims text format and the rules two claims collide
 * by (src/claims/claims.h): what parses, what is refused and where, the
 * quoting that makes export(import(f)) == f, and host-pattern overlap.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "claims/claims.h"

static struct claim
one(const char *line)
{
	struct claim_list l = {0};
	struct err e = {0};
	struct claim c;

	assert_int_equal(claims_parse("t", line, strlen(line), &l, &e), 0);
	assert_int_equal(l.n, 1);
	c = l.v[0];
	claims_free(&l);
	return c;
}

static void
test_fields(void **state)
{
	struct claim c = one("  9100-9110/tcp,udp metrics owner=sre note=\"one \\\"hot\\\" shard\""
	                     " hosts=web-*,db-1 by=alice at=2026-01-02T03:04:05Z ack=iana\r\n");

	(void)state;
	assert_int_equal(c.lo, 9100);
	assert_int_equal(c.hi, 9110);
	assert_int_equal(c.protos, CLAIM_TCP | CLAIM_UDP);
	assert_string_equal(c.service, "metrics");
	assert_string_equal(c.note, "one \"hot\" shard");
	assert_string_equal(c.hosts, "web-*,db-1");
	assert_string_equal(c.ack, "iana");
	c = one("8443 api owner=payments");
	assert_int_equal(c.protos, CLAIM_TCP); /* tcp when no protocol is given */
	assert_string_equal(c.hosts, "*");     /* every host when none is given */
}

static void
refuse(const char *text, const char *where)
{
	struct claim_list l = {0};
	struct err e = {0};

	assert_int_equal(claims_parse("f.claims", text, strlen(text), &l, &e), -1);
	assert_int_equal(e.kind, ERR_INPUT);
	if (strstr(e.msg, where) == NULL)
		fail_msg("\"%s\": message \"%s\" lacks \"%s\"", text, e.msg, where);
	claims_free(&l);
}

static void
test_refusals(void **state)
{
	(void)state;
	refuse("# c\n80/sctp svc owner=t\n", "f.claims:2:");
	refuse("0 svc owner=t", "1-65535");
	refuse("90-80 svc owner=t", "LO-HI");
	refuse("80 svc", "owner");
	refuse("80", "no service");
	refuse("80 svc owner=t nope", "key=value");
	refuse("80 svc owner=t colour=red", "no such field");
	refuse("80 svc owner=t note=\"open", "not closed");
	refuse("80 svc owner=t note=\"a\\nb\"", "escapes");
	refuse("80 svc owner=t\n79-81 other owner=u\n", "f.claims:2: other overlaps");
	refuse("80 svc owner=t note=a\x01", "control");
}

static void
test_nul_byte(void **state)
{
	static const char text[] = "80 svc owner=t\n81 \0x owner=t\n";
	struct claim_list l = {0};
	struct err e = {0};

	(void)state;
	assert_int_equal(claims_parse("f", text, sizeof(text) - 1, &l, &e), -1);
	assert_non_null(strstr(e.msg, "f:2: a NUL byte"));
	claims_free(&l);
}

static void
test_round_trip(void **state)
{
	const char *text = "# portolan claims/1 (PORT[-HI][/PROTO] SERVICE key=value ...; see "
	                   "`portolan claim --help`)\n"
	                   "22/tcp         ssh owner=it note=\"a \\\\ and \\\" quote\"\n"
	                   "8000-8010/udp  video owner=media hosts=cam-*\n";
	struct claim_list l = {0};
	struct strbuf sb;
	struct err e = {0};

	(void)state;
	strbuf_init(&sb, 0);
	assert_int_equal(claims_parse("t", text, strlen(text), &l, &e), 0);
	assert_int_equal(claims_format(&l, &sb, &e), 0);
	assert_string_equal(sb.buf, text);
	strbuf_free(&sb);
	claims_free(&l);
}

static void
test_overlap(void **state)
{
	struct claim a = one("8000-8010/tcp a owner=t hosts=web-*");
	struct claim b = one("8010/tcp b owner=t hosts=web-3");
	struct claim c = one("8010/udp c owner=t hosts=web-3");
	struct claim d = one("8005/tcp d owner=t hosts=db-*,cache-1");
	struct claim f = one("8005/tcp f owner=t hosts=db-2,web-1");

	(void)state;
	assert_true(claims_overlap(&a, &b));  /* a range and a pattern over the same host */
	assert_false(claims_overlap(&a, &c)); /* another protocol */
	assert_false(claims_overlap(&a, &d)); /* other hosts */
	assert_true(claims_overlap(&a, &f));  /* one alternative meets the pattern */
	assert_true(claims_overlap(&d, &f));
	assert_true(claims_hosts_match("web-*,db-1", "DB-1"));
	assert_false(claims_hosts_match("web-*", "db-1"));
	assert_true(claims_hosts_overlap("*", "anything"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_fields),   cmocka_unit_test(test_refusals),
	    cmocka_unit_test(test_nul_byte), cmocka_unit_test(test_round_trip),
	    cmocka_unit_test(test_overlap),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
