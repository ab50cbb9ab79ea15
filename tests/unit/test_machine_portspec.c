/*
 * test_machine_portspec.c - the port argument parser accepts exactly
 * 1..65535 with an optional known protocol, and says why it refuses.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "machine/portspec.h"

static void
test_valid(void **state)
{
	struct portspec ps;
	struct err e = {0};

	(void)state;
	assert_int_equal(portspec_parse("3106", &ps, &e), 0);
	assert_int_equal(ps.port, 3106);
	assert_int_equal(ps.protos, PROTO_DEFAULT);
	assert_int_equal(portspec_parse("1/udp", &ps, &e), 0);
	assert_int_equal(ps.port, 1);
	assert_int_equal(ps.protos, PROTO_UDP);
	assert_int_equal(portspec_parse("65535/tcp", &ps, &e), 0);
	assert_int_equal(ps.port, 65535);
	assert_int_equal(ps.protos, PROTO_TCP);
	assert_int_equal(portspec_parse("9899/sctp", &ps, &e), 0);
	assert_int_equal(ps.protos, PROTO_SCTP);
	assert_int_equal(portspec_parse("00080", &ps, &e), 0);
	assert_int_equal(ps.port, 80);
}

static void
refuse(const char *arg, const char *why)
{
	struct portspec ps;
	struct err e = {0};

	assert_int_equal(portspec_parse(arg, &ps, &e), -1);
	assert_int_equal(e.kind, ERR_INPUT);
	if (strstr(e.msg, why) == NULL)
		fail_msg("\"%s\": message \"%s\" lacks \"%s\"", arg, e.msg, why);
}

static void
test_invalid(void **state)
{
	(void)state;
	refuse("0", "out of range");
	refuse("65536", "out of range");
	refuse("100000", "out of range");
	refuse("99999999999999999999", "out of range");
	refuse("abc", "must be a number");
	refuse("-1", "must be a number");
	refuse("+80", "must be a number");
	refuse(" 80", "must be a number");
	refuse("80 ", "must be a number");
	refuse("0x50", "must be a number");
	refuse("80/xyz", "unknown protocol \"xyz\"");
	refuse("80/", "unknown protocol");
	refuse("80/TCP", "unknown protocol");
	refuse("/tcp", "missing port");
	refuse("", "missing port");
	refuse("80/tcp/udp", "unknown protocol");
	refuse("1234567890123456789012345678901234567890", "not a port");
}

static void
test_proto_names(void **state)
{
	(void)state;
	assert_int_equal(portspec_proto("tcp"), PROTO_TCP);
	assert_int_equal(portspec_proto("dccp"), 0);
	assert_string_equal(portspec_proto_name(PROTO_UDP), "udp");
	assert_string_equal(portspec_proto_name(PROTO_TCP | PROTO_UDP), "?");
}

static void
test_ranges_and_sets(void **state)
{
	struct portrange r;
	struct portset ps = {0};
	struct err e = {0};

	(void)state;
	assert_int_equal(portspec_parse_range("8000-8100/udp", &r, &e), 0);
	assert_int_equal(r.lo, 8000);
	assert_int_equal(r.hi, 8100);
	assert_int_equal(r.protos, PROTO_UDP);
	assert_int_equal(portspec_parse_range("22", &r, &e), 0);
	assert_int_equal(r.lo, 22);
	assert_int_equal(r.hi, 22);
	assert_int_equal(r.protos, PROTO_DEFAULT);
	assert_int_equal(portset_add(&ps, &r, &e), 0);
	assert_true(portset_has(&ps, 22, PROTO_UDP));
	assert_false(portset_has(&ps, 23, PROTO_TCP));
	assert_int_equal(portspec_parse_range("9-8", &r, &e), -1);
	assert_non_null(strstr(e.msg, "ends before it starts"));
	assert_int_equal(portspec_parse_range("1-65536", &r, &e), -1);
	assert_int_equal(portspec_parse_range("0-5", &r, &e), -1);
	assert_int_equal(portspec_parse_range("5-", &r, &e), -1);
	assert_int_equal(portspec_parse_range("-5", &r, &e), -1);
	assert_int_equal(portspec_parse_range("5-6/xyz", &r, &e), -1);
	for (size_t i = ps.n; i < PORTSET_MAX; i++)
		assert_int_equal(portset_add(&ps, &r, &e), 0);
	assert_int_equal(portset_add(&ps, &r, &e), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_valid),
	    cmocka_unit_test(test_invalid),
	    cmocka_unit_test(test_ranges_and_sets),
	    cmocka_unit_test(test_proto_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
