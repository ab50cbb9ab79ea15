/*
 * test_query.c - the query parser guards the command line and the web
 * server alike, so every shape of bad input gets a test here.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "render/words.h"
#include "report/query.h"
#include "report/range.h"
#include "report/report.h"
#include "report/search.h"

static void
test_single_port(void **state)
{
	struct query q;
	struct err e = {0};

	(void)state;
	assert_int_equal(query_parse("3516", &q, &e), 0);
	assert_int_equal(q.port_lo, 3516);
	assert_int_equal(q.port_hi, 3516);
	assert_string_equal(q.protocol, "");
	assert_string_equal(q.service, "");
	assert_int_equal(query_parse("0", &q, &e), 0);
	assert_int_equal(q.port_lo, 0);
	assert_int_equal(query_parse("65535", &q, &e), 0);
	assert_int_equal(q.port_hi, 65535);
}

static void
test_port_and_protocol(void **state)
{
	struct query q;
	struct err e = {0};

	(void)state;
	assert_int_equal(query_parse("3516/UDP", &q, &e), 0);
	assert_int_equal(q.port_lo, 3516);
	assert_string_equal(q.protocol, "udp");
	assert_int_equal(query_parse("9/dccp", &q, &e), 0);
	assert_string_equal(q.protocol, "dccp");
}

static void
test_range(void **state)
{
	struct query q;
	struct err e = {0};

	(void)state;
	assert_int_equal(query_parse("6000-6063", &q, &e), 0);
	assert_int_equal(q.port_lo, 6000);
	assert_int_equal(q.port_hi, 6063);
	assert_int_equal(query_parse("6000-6063/tcp", &q, &e), 0);
	assert_string_equal(q.protocol, "tcp");
}

/* arg parses as the name service over protocol ("" for any), with no port. */
static void
assert_service(const char *arg, const char *service, const char *protocol)
{
	struct query q;
	struct err e = {0};

	if (query_parse(arg, &q, &e) == -1)
		fail_msg("'%s' refused: %s", arg, e.msg);
	assert_string_equal(q.service, service);
	assert_string_equal(q.protocol, protocol);
	assert_int_equal(q.port_lo, PORT_NONE);
	assert_int_equal(q.port_hi, PORT_NONE);
}

static void
test_service_name(void **state)
{
	(void)state;
	assert_service("smartcard-port", "smartcard-port", "");
	assert_service("http/tcp", "http", "tcp");
	assert_service("whois++", "whois++", "");
}

/* IANA names may start with a digit or hold a '/': neither makes them a port. */
static void
test_service_name_shapes(void **state)
{
	static const char *const names[] = {"9pfs",          "1password", "802-11-iapp", "3Com-nsd",
	                                    "EtherNet/IP-1", "914c/g",    "cl/1"};
	struct query q;
	struct err e = {0};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		assert_service(names[i], names[i], "");
	/* A '/' followed by a protocol is the protocol's, whatever comes before. */
	assert_service("EtherNet/IP-1/UDP", "EtherNet/IP-1", "udp");
	assert_service("9pfs/tcp", "9pfs", "tcp");
	/* Digits and '-' alone stay a range. */
	assert_int_equal(query_parse("802-811", &q, &e), 0);
	assert_int_equal(q.port_lo, 802);
	assert_int_equal(q.port_hi, 811);
	assert_string_equal(q.service, "");
}

static void
assert_refused(const char *arg, const char *needle)
{
	struct query q;
	struct err e = {0};

	assert_int_equal(query_parse(arg, &q, &e), -1);
	assert_int_equal(e.kind, ERR_INPUT);
	if (strstr(e.msg, needle) == NULL)
		fail_msg("query '%s': message '%s' lacks '%s'", arg, e.msg, needle);
}

static void
test_refusals(void **state)
{
	(void)state;
	assert_refused("70000", "out of range");
	assert_refused("65536", "out of range");
	assert_refused("99999999999999999999", "out of range");
	assert_refused("-1", "not a port number");
	assert_refused("80/xyz", "unknown protocol");
	assert_refused("5-3", "above the last");
	assert_refused("5-", "empty port");
	assert_refused("", "empty query");
	assert_refused("/tcp", "nothing before");
	assert_refused("abc!", "neither");
	assert_refused("<script>", "neither");
	assert_refused("1.5", "not a port number");
	assert_refused("0x50", "not a port number");
	assert_refused("80/", "no protocol after");
	assert_refused("http/", "no protocol after");
	assert_refused("80/ip-1", "unknown protocol");
	assert_refused("802-11", "above the last");
	assert_refused("-", "not a port number");
	assert_refused("a/../b!", "neither");
	assert_refused("80 ", "not a port number");
	assert_refused("a-very-long-service-name-that-goes-on-and-on-beyond-sixty-three-bytes-x",
	               "neither");
}

static void
test_range_classes(void **state)
{
	(void)state;
	assert_string_equal(range_classify(0)->name, "well-known");
	assert_string_equal(range_classify(1023)->name, "well-known");
	assert_string_equal(range_classify(1024)->name, "registered");
	assert_string_equal(range_classify(49151)->name, "registered");
	assert_string_equal(range_classify(49152)->name, "dynamic");
	assert_string_equal(range_classify(65535)->name, "dynamic");
	assert_null(range_classify(65536));
	assert_null(range_classify(-1));
	assert_int_equal(range_by_name("registered")->lo, 1024);
	assert_null(range_by_name("private"));
}

static void
test_machine_ranges_are_sane(void **state)
{
	struct range_machine m;

	(void)state;
	range_machine_read(&m);
	assert_true(m.ephemeral_lo <= m.ephemeral_hi);
	assert_true(m.ephemeral_hi <= 65535);
	assert_true(m.unprivileged_start >= 0);
}

/* A frequency in words, as the report's class and one_in give it to words.c (English). */
static void
report_frequency_words(double f, char *buf, size_t len)
{
	long one_in;
	const char *class = report_frequency_class(f, &one_in);
	json_t *o = json_pack("{s:s, s:I}", "class", class, "one_in", (json_int_t)one_in);

	assert_int_equal(words_frequency(NULL, o, buf, len), 0);
	json_decref(o);
}

static void
test_frequency_words(void **state)
{
	char buf[160];

	(void)state;
	report_frequency_words(0.484143, buf, sizeof(buf));
	assert_string_equal(buf, "very common: open on about 1 in 2 scanned hosts");
	report_frequency_words(0.000038, buf, sizeof(buf));
	assert_string_equal(buf, "very rare: open on about 1 in 26,000 scanned hosts");
	report_frequency_words(0.0002, buf, sizeof(buf));
	assert_string_equal(buf, "rare: open on about 1 in 5,000 scanned hosts");
	report_frequency_words(0.00000038, buf, sizeof(buf));
	assert_string_equal(buf, "almost never seen: open on about 1 in 2,600,000 scanned hosts");
	report_frequency_words(0, buf, sizeof(buf));
	assert_string_equal(buf, "never seen open in nmap's scans of the Internet");
	report_frequency_words(1.0, buf, sizeof(buf));
	assert_string_equal(buf, "very common: open on nearly every scanned host");
}

/* The machine-readable twin of the words: same scale, same rounding. */
static void
test_frequency_class(void **state)
{
	long one_in = -1;

	(void)state;
	assert_string_equal(report_frequency_class(0.484143, &one_in), "very-common");
	assert_int_equal(one_in, 2);
	assert_string_equal(report_frequency_class(0.011469, &one_in), "common");
	assert_int_equal(one_in, 87);
	assert_string_equal(report_frequency_class(0.0015, &one_in), "uncommon");
	assert_int_equal(one_in, 670);
	assert_string_equal(report_frequency_class(0.0002, &one_in), "rare");
	assert_int_equal(one_in, 5000);
	assert_string_equal(report_frequency_class(0.000038, &one_in), "very-rare");
	assert_int_equal(one_in, 26000);
	assert_string_equal(report_frequency_class(0.00000038, &one_in), "almost-never");
	assert_int_equal(one_in, 2600000);
	assert_string_equal(report_frequency_class(1.0, &one_in), "very-common");
	assert_int_equal(one_in, 1);
	assert_string_equal(report_frequency_class(0, &one_in), "never");
	assert_int_equal(one_in, 0);
	assert_string_equal(report_frequency_class(-1, &one_in), "never");
	assert_int_equal(one_in, 0);
	/* A corrupt, absurdly small frequency is capped, not overflowed. */
	assert_string_equal(report_frequency_class(1e-300, &one_in), "almost-never");
	assert_int_equal(one_in, 1000000000);
}

static void
test_search_expression_quotes_every_word(void **state)
{
	char out[256];
	struct err e = {0};

	(void)state;
	/* Only the last word, the one still being typed, is a prefix. */
	assert_int_equal(search_expression("licence server", 0, out, sizeof(out), &e), 0);
	assert_string_equal(out, "\"licence\" \"server\"*");
	/* The any-word fallback has no prefix: it must stay cheap. */
	assert_int_equal(search_expression("licence server", 1, out, sizeof(out), &e), 0);
	assert_string_equal(out, "\"licence\" OR \"server\"");
	/* FTS5 syntax in the input is only ever a word separator. */
	assert_int_equal(search_expression("\"a\" AND(b) NEAR c:*", 0, out, sizeof(out), &e), 0);
	assert_string_equal(out, "\"a\" \"AND\" \"b\" \"NEAR\" \"c\"");
	/* A one- or two-letter last word matches whole: as a prefix it would match most words. */
	assert_int_equal(search_expression("ms sq", 0, out, sizeof(out), &e), 0);
	assert_string_equal(out, "\"ms\" \"sq\"");
	/* A number is a port, not the start of a longer one: 443 does not find 44323. */
	assert_int_equal(search_expression("https 443", 0, out, sizeof(out), &e), 0);
	assert_string_equal(out, "\"https\" \"443\"");
	assert_int_equal(search_expression("<>\"!", 0, out, sizeof(out), &e), -1);
	assert_int_equal(e.kind, ERR_INPUT);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_single_port),
	    cmocka_unit_test(test_port_and_protocol),
	    cmocka_unit_test(test_range),
	    cmocka_unit_test(test_service_name),
	    cmocka_unit_test(test_service_name_shapes),
	    cmocka_unit_test(test_refusals),
	    cmocka_unit_test(test_range_classes),
	    cmocka_unit_test(test_machine_ranges_are_sane),
	    cmocka_unit_test(test_frequency_words),
	    cmocka_unit_test(test_frequency_class),
	    cmocka_unit_test(test_search_expression_quotes_every_word),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
