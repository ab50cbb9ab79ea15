/*
 * test_import_csv.c - the IANA CSV importer against inline buffers, and
 * against the snapshot vendored in data/iana/.
 *
 * The sink here copies the last record it saw and counts them, which is
 * enough to assert both what a row becomes and that a bad row stops the
 * import with a message naming file, line and column.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "collect_sink.h"

#include "registry/import_csv.h"

#define HEADER                                                                                     \
	"Service Name,Port Number,Transport Protocol,Description,Assignee,Contact,"                \
	"Registration Date,Modification Date,Reference,Service Code,"                              \
	"Unauthorized Use Reported,Assignment Notes\n"

static int
refuse_record(void *ctx, const struct reg_record *r, struct err *e)
{
	(void)ctx;
	(void)r;
	return err_set(e, "sink is full");
}

static int
run(const char *csv, struct collect *c, struct err *e)
{
	struct reg_sink sink = {.ctx = c, .record = collect_record, .meta = collect_meta};

	memset(c, 0, sizeof(*c));
	memset(e, 0, sizeof(*e));
	return import_csv_buffer(csv, strlen(csv), "t.csv", &sink, e);
}

/* Import must fail, with exactly this message. */
static void
expect_error(const char *csv, const char *msg)
{
	struct collect c;
	struct err e;

	assert_int_equal(run(csv, &c, &e), -1);
	assert_int_equal(e.kind, ERR_INPUT);
	assert_string_equal(e.msg, msg);
}

static void
test_simple_rows(void **state)
{
	struct collect c;
	struct err e;

	(void)state;
	assert_int_equal(run(HEADER "tcpmux,1,tcp,TCP Port Service Multiplexer,[Mark_Lottor],"
	                            "[Mark_Lottor],,,,,,\n"
	                            ",6000-6063,udp,  X Window System ,,,2002-05,2024-01-03,,,,\n",
	                     &c, &e),
	                 0);
	assert_int_equal(c.n, 2);
	assert_string_equal(c.service, "");
	assert_int_equal(c.lo, 6000);
	assert_int_equal(c.hi, 6063);
	assert_string_equal(c.description, "X Window System");
	assert_int_equal(c.line, 3);
	assert_string_equal(c.latest, "2024-01-03");
	assert_int_equal(c.metas, 1);
}

static void
test_no_port_no_protocol(void **state)
{
	struct collect c;
	struct err e;

	(void)state;
	assert_int_equal(run(HEADER "apple-xsrvr,,,Apple Xserve,,,,,,,,", &c, &e), 0);
	assert_int_equal(c.n, 1);
	assert_int_equal(c.lo, PORT_NONE);
	assert_int_equal(c.hi, PORT_NONE);
	assert_string_equal(c.protocol, "");
	/* No dates at all: no meta call. */
	assert_int_equal(c.metas, 0);
}

static void
test_quotes_span_lines(void **state)
{
	struct collect c;
	struct err e;

	(void)state;
	assert_int_equal(run(HEADER ",2,tcp,Reserved,,,,2025-02-13,,,,\"De-assigned, see\n"
	                            "  \"\"compressnet\"\"\r\n  \"\n"
	                            "rje,5,tcp,\"Remote \"\"Job\"\" Entry\",[Jon_Postel],,,,,,,\n",
	                     &c, &e),
	                 0);
	assert_int_equal(c.n, 2);
	assert_string_equal(c.description, "Remote \"Job\" Entry");
	assert_int_equal(c.line, 5);

	assert_int_equal(run(HEADER ",2,tcp,Reserved,,,,2025-02-13,,,,\"De-assigned, see\r\n"
	                            "  \"\"compressnet\"\"\r\n  \" \r\n",
	                     &c, &e),
	                 0);
	/* CRLF inside the quotes becomes LF; outer white space is trimmed. */
	assert_string_equal(c.notes, "De-assigned, see\n  \"compressnet\"");
	assert_int_equal(c.line, 2);
}

static void
test_crlf_bom_blank_lines(void **state)
{
	struct collect c;
	struct err e;

	(void)state;
	assert_int_equal(run("\xef\xbb\xbf"
	                     "Service Name,Port Number,Transport Protocol,Description,Assignee,"
	                     "Contact,Registration Date,Modification Date,Reference,Service Code,"
	                     "Unauthorized Use Reported,Assignment Notes\r\n"
	                     "\r\n"
	                     "echo,7,udp,Echo,,,,,,,,\"\"\r\n\n",
	                     &c, &e),
	                 0);
	assert_int_equal(c.n, 1);
	assert_string_equal(c.service, "echo");
	assert_int_equal(c.line, 3);
}

static void
test_header_errors(void **state)
{
	(void)state;
	expect_error("Service Name,Port,Transport Protocol\n",
	             "t.csv:1: Description: missing (the header has 3 fields, expected 12)");
	expect_error("Service Name,Port Number,Proto,Description,Assignee,Contact,"
	             "Registration Date,Modification Date,Reference,Service Code,"
	             "Unauthorized Use Reported,Assignment Notes\n",
	             "t.csv:1: header column 3: expected \"Transport Protocol\", found \"Proto\"");
	expect_error("", "t.csv: empty file, expected IANA's CSV header");
	expect_error("\n\n", "t.csv: empty file, expected IANA's CSV header");
}

static void
test_field_count_errors(void **state)
{
	(void)state;
	expect_error(HEADER "echo,7,tcp\n",
	             "t.csv:2: Description: missing (the row has 3 fields, expected 12)");
	expect_error(HEADER "echo,7,tcp,,,,,,,,,,extra\n",
	             "t.csv:2: row has more than 12 fields (a ',' after Assignment Notes)");
}

static void
test_quote_errors(void **state)
{
	(void)state;
	expect_error(HEADER "echo,7,tcp,\"Echo\n\nmore,,,,,,,,\n",
	             "t.csv:2: Description: quoted field is never closed (end of file)");
	expect_error(HEADER "echo,7,tcp,Ec\"ho,,,,,,,,\n",
	             "t.csv:2: Description: '\"' inside an unquoted field");
	expect_error(HEADER "echo,7,tcp,\"Echo\"x,,,,,,,,\n",
	             "t.csv:2: Description: text after the closing '\"' (write a quote as \"\")");
}

static void
test_port_errors(void **state)
{
	(void)state;
	expect_error(HEADER "x,70000,tcp,,,,,,,,,\n",
	             "t.csv:2: Port Number: \"70000\" is out of range 0-65535");
	expect_error(HEADER "x,99999999999999999999999,tcp,,,,,,,,,\n",
	             "t.csv:2: Port Number: \"99999999999999999999999\" is out of range 0-65535");
	expect_error(HEADER "x,abc,tcp,,,,,,,,,\n",
	             "t.csv:2: Port Number: \"abc\" is not a port number or range N-M");
	expect_error(HEADER "x,5-,tcp,,,,,,,,,\n",
	             "t.csv:2: Port Number: \"5-\" is not a port number or range N-M");
	expect_error(HEADER "x,-5,tcp,,,,,,,,,\n",
	             "t.csv:2: Port Number: \"-5\" is not a port number or range N-M");
	expect_error(HEADER "x,5 6,tcp,,,,,,,,,\n",
	             "t.csv:2: Port Number: \"5 6\" is not a port number or range N-M");
	expect_error(HEADER "x,5-3,tcp,,,,,,,,,\n",
	             "t.csv:2: Port Number: range \"5-3\" is reversed (5 > 3)");
	expect_error(HEADER "x,1-65536,tcp,,,,,,,,,\n",
	             "t.csv:2: Port Number: \"1-65536\" is out of range 0-65535");
}

static void
test_port_bounds(void **state)
{
	struct err e;
	long lo, hi;

	(void)state;
	assert_int_equal(import_csv_port("0", &lo, &hi, &e), 0);
	assert_int_equal(lo, 0);
	assert_int_equal(import_csv_port("65535", &lo, &hi, &e), 0);
	assert_int_equal(hi, 65535);
	assert_int_equal(import_csv_port("7-7", &lo, &hi, &e), 0);
	assert_int_equal(lo, 7);
	assert_int_equal(hi, 7);
}

static void
test_protocol_and_date_errors(void **state)
{
	(void)state;
	expect_error(HEADER "x,5,TCP,,,,,,,,,\n",
	             "t.csv:2: Transport Protocol: \"TCP\" is not tcp, udp, sctp or dccp");
	expect_error(HEADER "x,5,tcp,,,,2002-13,,,,,\n",
	             "t.csv:2: Registration Date: \"2002-13\" is not a date YYYY-MM or YYYY-MM-DD");
	expect_error(HEADER "x,5,tcp,,,,,2002/01/01,,,,\n",
	             "t.csv:2: Modification Date: \"2002/01/01\" is not a date YYYY-MM or "
	             "YYYY-MM-DD");
	expect_error(HEADER "x,5,tcp,,,,,2002-01-32,,,,\n",
	             "t.csv:2: Modification Date: \"2002-01-32\" is not a date YYYY-MM or "
	             "YYYY-MM-DD");
}

static void
test_utf8(void **state)
{
	struct collect c;
	struct err e;

	(void)state;
	assert_int_equal(run(HEADER "x,5,tcp,Caf\xc3\xa9 \xe2\x82\xac,,,,,,,,\n", &c, &e), 0);
	assert_string_equal(c.description, "Caf\xc3\xa9 \xe2\x82\xac");
	expect_error(HEADER "x,5,tcp,Caf\xe9,,,,,,,,\n",
	             "t.csv:2: Description: invalid UTF-8 at byte 3 of the field");
	/* An overlong encoding of '/' and a UTF-16 surrogate are not UTF-8 either. */
	expect_error(HEADER "x,5,tcp,,,,,,,,,ab\xc0\xaf\n",
	             "t.csv:2: Assignment Notes: invalid UTF-8 at byte 2 of the field");
	expect_error(HEADER "\xed\xa0\x80,5,tcp,,,,,,,,,\n",
	             "t.csv:2: Service Name: invalid UTF-8 at byte 0 of the field");
}

static void
test_sink_error_is_prefixed(void **state)
{
	struct reg_sink sink = {.record = refuse_record};
	const char *csv = HEADER "echo,7,tcp,,,,,,,,,\n";
	struct err e;

	(void)state;
	assert_int_equal(import_csv_buffer(csv, strlen(csv), "t.csv", &sink, &e), -1);
	assert_string_equal(e.msg, "t.csv:2: sink is full");
}

static void
test_huge_line_fails_fast(void **state)
{
	size_t len = 100u << 20;
	char *big = malloc(len);
	struct reg_sink sink = {0};
	struct err e;
	clock_t t0 = clock();

	(void)state;
	assert_non_null(big);
	memcpy(big, HEADER, strlen(HEADER));
	memset(big + strlen(HEADER), 'a', len - strlen(HEADER));
	assert_int_equal(import_csv_buffer(big, len, "t.csv", &sink, &e), -1);
	assert_string_equal(e.msg, "t.csv:2: line longer than 1048576 bytes");
	/* Failing after the first MiB, not after 100: well under a second. */
	assert_true(clock() - t0 < CLOCKS_PER_SEC);

	/* A quoted field over many short lines hits the field bound instead. */
	memcpy(big + strlen(HEADER), "x,1,tcp,\"", 9);
	for (size_t i = strlen(HEADER) + 9; i < len; i += 64)
		big[i] = '\n';
	assert_int_equal(import_csv_buffer(big, len, "t.csv", &sink, &e), -1);
	assert_string_equal(e.msg, "t.csv:2: Description: field longer than 1048576 bytes");
	free(big);
}

static void
test_missing_file(void **state)
{
	struct reg_sink sink = {0};
	struct err e;

	(void)state;
	assert_int_equal(import_csv_file("/nonexistent/x.csv", &sink, &e), -1);
	assert_string_equal(e.msg, "/nonexistent/x.csv: No such file or directory");
}

static void
test_vendored_snapshot(void **state)
{
	struct collect c;
	struct reg_sink sink = {.ctx = &c, .record = collect_record, .meta = collect_meta};
	const char *path = PORTOLAN_DATADIR "/iana/service-names-port-numbers.csv";
	struct err e;

	(void)state;
	memset(&c, 0, sizeof(c));
	if (import_csv_file(path, &sink, &e) == -1)
		fail_msg("%s", e.msg);
	assert_int_equal(c.n, 14500);
	assert_true(c.smartcard_ok);
	assert_string_equal(c.latest, "2026-02-25");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_simple_rows),
	    cmocka_unit_test(test_no_port_no_protocol),
	    cmocka_unit_test(test_quotes_span_lines),
	    cmocka_unit_test(test_crlf_bom_blank_lines),
	    cmocka_unit_test(test_header_errors),
	    cmocka_unit_test(test_field_count_errors),
	    cmocka_unit_test(test_quote_errors),
	    cmocka_unit_test(test_port_errors),
	    cmocka_unit_test(test_port_bounds),
	    cmocka_unit_test(test_protocol_and_date_errors),
	    cmocka_unit_test(test_utf8),
	    cmocka_unit_test(test_sink_error_is_prefixed),
	    cmocka_unit_test(test_huge_line_fails_fast),
	    cmocka_unit_test(test_missing_file),
	    cmocka_unit_test(test_vendored_snapshot),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
