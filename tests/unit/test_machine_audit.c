/*
 * test_machine_audit.c - the expect-file format: what it accepts, how it
 * refuses (file:line and field), the comparison's additions and
 * disappearances, and that a snapshot reads back as a clean audit.
 */
#include <sys/socket.h>
#include <arpa/inet.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "machine/audit.h"

static int
parse(const char *text, struct expect_set *x, struct err *e)
{
	memset(x, 0, sizeof(*x));
	return audit_parse("expect.txt", text, strlen(text), x, e);
}

static void
test_parse_ok(void **state)
{
	struct expect_set x;
	struct err e = {0};
	char line[128];

	(void)state;
	assert_int_equal(parse("# header\n"
	                       "\n"
	                       "22/tcp  sshd  0.0.0.0   # comment\n"
	                       "  22/tcp\tsshd\t[::]\r\n"
	                       "53/udp * 127.0.0.53\n"
	                       "443/tcp nginx\n"
	                       "8080/tcp",
	                       &x, &e),
	                 0);
	assert_int_equal(x.n, 5);
	assert_int_equal(x.v[0].port, 22);
	assert_int_equal(x.v[0].proto, PROTO_TCP);
	assert_string_equal(x.v[0].process, "sshd");
	assert_int_equal(x.v[0].family, AF_INET);
	assert_int_equal(x.v[0].line, 3);
	assert_int_equal(x.v[1].family, AF_INET6);
	assert_int_equal(x.v[1].line, 4);
	assert_string_equal(x.v[2].process, "");
	assert_int_equal(x.v[3].family, 0);
	assert_int_equal(x.v[4].port, 8080);
	assert_int_equal(x.v[4].line, 7);
	audit_expect_str(&x.v[2], line, sizeof(line));
	assert_string_equal(line, "53/udp * 127.0.0.53");
	audit_free(&x);
}

static void
refuse(const char *text, const char *want)
{
	struct expect_set x;
	struct err e = {0};

	assert_int_equal(parse(text, &x, &e), -1);
	assert_int_equal(e.kind, ERR_INPUT);
	if (strstr(e.msg, want) == NULL)
		fail_msg("message \"%s\" lacks \"%s\"", e.msg, want);
	audit_free(&x);
}

static void
test_parse_errors(void **state)
{
	char big[2048];

	(void)state;
	refuse("22/tcp\n0/tcp\n", "expect.txt:2: port: \"0/tcp\": port out of range");
	refuse("80/xyz", "expect.txt:1: port: \"80/xyz\": unknown protocol");
	refuse("\n\n22", "expect.txt:3: port: \"22\" needs a protocol");
	refuse("abc/tcp", "expect.txt:1: port:");
	refuse("22/tcp sshd 1.2.3", "expect.txt:1: address: \"1.2.3\"");
	refuse("22/tcp sshd [::1", "address: \"[::1\"");
	refuse("22/tcp a-very-long-process-name", "expect.txt:1: process:");
	refuse("22/tcp sshd ::1 extra", "too many fields");
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	refuse(big, "expect.txt:1: line longer than");
}

static void
test_parse_nul_in_buffer(void **state)
{
	static const char text[] = "22/tcp\n\0\n";
	struct expect_set x = {0};
	struct err e = {0};

	(void)state;
	assert_int_equal(audit_parse("f", text, sizeof(text) - 1, &x, &e), -1);
	assert_non_null(strstr(e.msg, "f:2: NUL"));
	audit_free(&x);
}

/* Two listeners: sshd on 0.0.0.0:22/tcp, an unknown holder on [::1]:5353/udp. */
static void
fake_set(struct listener_set *ls, struct listener *v, struct owner *o)
{
	memset(ls, 0, sizeof(*ls));
	memset(v, 0, 2 * sizeof(*v));
	memset(o, 0, sizeof(*o));
	strcpy(o->comm, "sshd");
	o->pid = 1;
	v[0].s.proto = PROTO_TCP;
	v[0].s.family = AF_INET;
	v[0].s.port = 22;
	v[0].holders = o;
	v[0].nholders = 1;
	v[1].s.proto = PROTO_UDP;
	v[1].s.family = AF_INET6;
	v[1].s.port = 5353;
	inet_pton(AF_INET6, "::1", v[1].s.addr);
	ls->v = v;
	ls->n = 2;
}

static void
test_compare(void **state)
{
	struct listener_set ls;
	struct listener v[2];
	struct owner o;
	struct expect_set x;
	struct audit_result r;
	struct err e = {0};

	(void)state;
	fake_set(&ls, v, &o);
	assert_int_equal(parse("22/tcp sshd 0.0.0.0\n"
	                       "22/tcp nginx\n" /* wrong process: disappears */
	                       "25/tcp\n"       /* nothing there */
	                       "5353/udp * ::2\n",
	                       &x, &e),
	                 0);
	assert_int_equal(audit_compare(&x, &ls, &r, &e), 0);
	assert_int_equal(r.nadded, 1);
	assert_int_equal(r.added[0], 1); /* the udp listener on ::1 was not expected */
	assert_int_equal(r.nmissing, 3);
	assert_int_equal(r.missing[0], 1);
	assert_int_equal(r.missing[1], 2);
	assert_int_equal(r.missing[2], 3);
	audit_result_free(&r);
	audit_free(&x);
}

static void
test_snapshot_round_trip(void **state)
{
	struct listener_set ls;
	struct listener v[2];
	struct owner o;
	struct expect_set x;
	struct audit_result r;
	struct strbuf sb;
	struct err e = {0};

	(void)state;
	fake_set(&ls, v, &o);
	strbuf_init(&sb, 0);
	assert_int_equal(audit_snapshot(&ls, &sb, &e), 0);
	assert_non_null(strstr(sb.buf, "22/tcp sshd 0.0.0.0\n"));
	assert_non_null(strstr(sb.buf, "5353/udp * ::1\n"));
	assert_int_equal(parse(sb.buf, &x, &e), 0);
	assert_int_equal(x.n, 2);
	assert_int_equal(audit_compare(&x, &ls, &r, &e), 0);
	assert_int_equal(r.nadded, 0);
	assert_int_equal(r.nmissing, 0);
	audit_result_free(&r);
	audit_free(&x);
	strbuf_free(&sb);
}

static void
test_load_missing_file(void **state)
{
	struct expect_set x = {0};
	struct err e = {0};

	(void)state;
	assert_int_equal(audit_load("/nonexistent/expect", &x, &e), -1);
	assert_int_equal(e.kind, ERR_INPUT);
	assert_non_null(strstr(e.msg, "/nonexistent/expect: No such file"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_parse_ok),
	    cmocka_unit_test(test_parse_errors),
	    cmocka_unit_test(test_parse_nul_in_buffer),
	    cmocka_unit_test(test_compare),
	    cmocka_unit_test(test_snapshot_round_trip),
	    cmocka_unit_test(test_load_missing_file),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
