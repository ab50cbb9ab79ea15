/*
 * test_import_services.c - nmap-services and /etc/services lines, inline
 * and, when installed, the real /usr/share/nmap/nmap-services and
 * /etc/services.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "registry/import_services.h"

#define MAX_SEEN 8

struct collect {
	int n;
	struct {
		char service[32], protocol[8], comment[64];
		long port, line;
		double frequency;
	} seen[MAX_SEEN]; /* the first MAX_SEEN facts */
	int unknown;      /* nmap's "unknown" names passed through */
	int http_alias;   /* "www" seen as an alias of http on 80/tcp */
};

static int
collect_alias(void *ctx, const struct reg_alias *a, struct err *e)
{
	struct collect *c = ctx;

	(void)e;
	if (c->n < MAX_SEEN) {
		snprintf(c->seen[c->n].service, sizeof(c->seen[0].service), "%s", a->service);
		snprintf(c->seen[c->n].protocol, sizeof(c->seen[0].protocol), "%s", a->protocol);
		snprintf(c->seen[c->n].comment, sizeof(c->seen[0].comment), "%s", a->comment);
		c->seen[c->n].port = a->port;
		c->seen[c->n].line = a->line;
		c->seen[c->n].frequency = a->frequency;
	}
	c->n++;
	c->unknown += strcmp(a->service, "unknown") == 0;
	c->http_alias |= strcmp(a->service, "www") == 0 && a->port == 80 &&
	                 strcmp(a->comment, "alias of http") == 0;
	return 0;
}

static int
refuse_alias(void *ctx, const struct reg_alias *a, struct err *e)
{
	(void)ctx;
	(void)a;
	return err_set(e, "no room");
}

static int
run(enum services_kind kind, const char *text, struct collect *c, struct err *e)
{
	struct reg_sink sink = {.ctx = c, .alias = collect_alias};

	memset(c, 0, sizeof(*c));
	memset(e, 0, sizeof(*e));
	return import_services_buffer(text, strlen(text), "s", kind, &sink, e);
}

static void
expect_error(enum services_kind kind, const char *text, const char *msg)
{
	struct collect c;
	struct err e;

	assert_int_equal(run(kind, text, &c, &e), -1);
	assert_int_equal(e.kind, ERR_INPUT);
	assert_string_equal(e.msg, msg);
}

static void
test_nmap_lines(void **state)
{
	struct collect c;
	struct err e;

	(void)state;
	assert_int_equal(run(SERVICES_NMAP,
	                     "# Fields in this file are: Service name, portnum/protocol, ...\n"
	                     "tcpmux\t1/tcp\t0.001995\t# TCP Port Service Multiplexer [rfc-1078]\n"
	                     "\n"
	                     "unknown\t4/tcp\t0.000477\r\n"
	                     "http 80/tcp 0.484143 #   World Wide Web HTTP   \n"
	                     "all\t65535/sctp\t1\n"
	                     "none 0/udp 0.0",
	                     &c, &e),
	                 0);
	assert_int_equal(c.n, 5);
	assert_string_equal(c.seen[0].service, "tcpmux");
	assert_int_equal(c.seen[0].port, 1);
	assert_string_equal(c.seen[0].protocol, "tcp");
	assert_float_equal(c.seen[0].frequency, 0.001995, 1e-12);
	assert_string_equal(c.seen[0].comment, "TCP Port Service Multiplexer [rfc-1078]");
	assert_int_equal(c.seen[0].line, 2);
	assert_int_equal(c.unknown, 1);
	assert_string_equal(c.seen[1].comment, "");
	assert_int_equal(c.seen[1].line, 4);
	assert_string_equal(c.seen[2].comment, "World Wide Web HTTP");
	assert_float_equal(c.seen[2].frequency, 0.484143, 1e-12);
	assert_float_equal(c.seen[3].frequency, 1.0, 0);
	assert_int_equal(c.seen[3].port, 65535);
	assert_float_equal(c.seen[4].frequency, 0.0, 0);
	assert_int_equal(c.seen[4].line, 7);
}

static void
test_etc_lines(void **state)
{
	struct collect c;
	struct err e;

	(void)state;
	assert_int_equal(run(SERVICES_ETC,
	                     "# Network services, Internet style\n"
	                     "echo\t\t7/tcp\n"
	                     "http\t\t80/tcp\t\twww\t\t# WorldWideWeb HTTP\n"
	                     "rtmp\t\t1/ddp\t\t\t# Routing Table Maintenance Protocol\n"
	                     "kerberos\t88/tcp\t\tkerberos5 krb5 kerberos-sec\t# Kerberos v5\n",
	                     &c, &e),
	                 0);
	assert_int_equal(c.n, 7); /* echo, http, www, kerberos and its three aliases */
	assert_string_equal(c.seen[0].service, "echo");
	assert_true(c.seen[0].frequency < 0);
	assert_string_equal(c.seen[1].comment, "WorldWideWeb HTTP");
	assert_true(c.http_alias);
	assert_int_equal(c.seen[2].line, 3);
	/* ddp (AppleTalk) on line 4 is skipped; kerberos follows. */
	assert_string_equal(c.seen[3].service, "kerberos");
	assert_int_equal(c.seen[3].line, 5);
	assert_string_equal(c.seen[5].service, "krb5");
	assert_string_equal(c.seen[5].comment, "alias of kerberos");
	assert_int_equal(c.seen[5].port, 88);
	assert_string_equal(c.seen[5].protocol, "tcp");
}

static void
test_field_errors(void **state)
{
	(void)state;
	expect_error(SERVICES_ETC, "echo 7/tcp\nlonely\n", "s:2: \"lonely\" has no port/protocol");
	expect_error(SERVICES_ETC, "echo 7\n", "s:1: \"7\" is not port/protocol");
	expect_error(SERVICES_ETC, "echo 70000/tcp\n",
	             "s:1: port \"70000\" is not a number in 0-65535");
	expect_error(SERVICES_ETC, "echo 99999999999999999999/tcp\n",
	             "s:1: port \"99999999999999999999\" is not a number in 0-65535");
	expect_error(SERVICES_ETC, "echo /tcp\n", "s:1: port \"\" is not a number in 0-65535");
	expect_error(SERVICES_ETC, "echo -7/tcp\n", "s:1: port \"-7\" is not a number in 0-65535");
	expect_error(SERVICES_ETC, "echo 7/icmp\n",
	             "s:1: protocol \"icmp\" is not tcp, udp, sctp or dccp");
	expect_error(SERVICES_ETC, "echo 7/\n", "s:1: protocol \"\" is not tcp, udp, sctp or dccp");
}

static void
test_frequency_errors(void **state)
{
	(void)state;
	expect_error(SERVICES_NMAP, "echo 7/tcp\n", "s:1: no frequency after \"7/tcp\"");
	expect_error(SERVICES_NMAP, "echo 7/tcp # no frequency\n",
	             "s:1: no frequency after \"7/tcp\"");
	expect_error(SERVICES_NMAP, "echo 7/tcp 1.5\n",
	             "s:1: frequency \"1.5\" is not a decimal between 0 and 1");
	expect_error(SERVICES_NMAP, "echo 7/tcp 1e-3\n",
	             "s:1: frequency \"1e-3\" is not a decimal between 0 and 1");
	expect_error(SERVICES_NMAP, "echo 7/tcp 0.\n",
	             "s:1: frequency \"0.\" is not a decimal between 0 and 1");
	expect_error(SERVICES_NMAP, "echo 7/tcp .5\n",
	             "s:1: frequency \".5\" is not a decimal between 0 and 1");
	expect_error(SERVICES_NMAP, "echo 7/tcp -0.1\n",
	             "s:1: frequency \"-0.1\" is not a decimal between 0 and 1");
	expect_error(
	    SERVICES_NMAP, "echo 7/tcp 0.5 echo-alias\n",
	    "s:1: unexpected \"echo-alias\" after the frequency (comments start with '#')");
}

static void
test_text_errors(void **state)
{
	struct err e;
	char *big;

	(void)state;
	expect_error(SERVICES_ETC, "echo 7/tcp # caf\xc3\xa9\nbad 7/tcp # caf\xe9\n",
	             "s:2: invalid UTF-8 at byte 15 of the line");
	assert_int_equal(import_services_buffer("echo 7/tcp\0x", 12, "s", SERVICES_ETC,
	                                        &(struct reg_sink){0}, &e),
	                 -1);
	assert_string_equal(e.msg, "s:1: NUL byte at byte 10 of the line");

	/* A 100 MB line fails after the bound, cleanly. */
	big = malloc(100u << 20);
	assert_non_null(big);
	memset(big, 'x', 100u << 20);
	assert_int_equal(
	    import_services_buffer(big, 100u << 20, "s", SERVICES_NMAP, &(struct reg_sink){0}, &e),
	    -1);
	assert_string_equal(e.msg, "s:1: line longer than 65536 bytes");
	free(big);
}

static void
test_sink_error_is_prefixed(void **state)
{
	struct reg_sink sink = {.alias = refuse_alias};
	struct err e;

	(void)state;
	assert_int_equal(import_services_buffer("\necho 7/tcp\n", 12, "s", SERVICES_ETC, &sink, &e),
	                 -1);
	assert_string_equal(e.msg, "s:2: no room");
}

static int
collect_date(void *ctx, const char *key, const char *value, struct err *e)
{
	char *date = ctx;

	(void)e;
	if (strcmp(key, "updated") == 0)
		snprintf(date, 16, "%s%s", date[0] ? "twice:" : "", value);
	return 0;
}

/* The version-control keyword dates nmap-services; anything else shaped differently does not. */
static void
test_id_line_dates_the_file(void **state)
{
	static const char nmap[] = "# $Id: nmap-services 38442 2022-08-31 22:53:46Z dmiller $\n"
	                           "# $Id: nmap-services 1 1999-01-01 00:00:00Z x $\n"
	                           "tcpmux\t1/tcp\t0.001995\n";
	static const char odd[] = "# $Id: x 1 2022-8-31 $\necho 7/tcp\n";
	char date[16] = "";
	struct reg_sink sink = {.ctx = date, .meta = collect_date};
	struct err e;

	(void)state;
	assert_int_equal(import_services_buffer(nmap, strlen(nmap), "s", SERVICES_NMAP, &sink, &e),
	                 0);
	assert_string_equal(date, "2022-08-31");
	date[0] = '\0';
	assert_int_equal(import_services_buffer(odd, strlen(odd), "s", SERVICES_ETC, &sink, &e), 0);
	assert_string_equal(date, ""); /* a buffer has no modification time to fall back on */
}

static void
test_missing_file(void **state)
{
	struct reg_sink sink = {0};
	struct err e;

	(void)state;
	assert_int_equal(import_services_file("/nonexistent/services", SERVICES_ETC, &sink, &e),
	                 -1);
	assert_string_equal(e.msg, "/nonexistent/services: No such file or directory");
}

static void
test_real_nmap_services(void **state)
{
	const char *path = "/usr/share/nmap/nmap-services";
	struct collect c = {0};
	struct reg_sink sink = {.ctx = &c, .alias = collect_alias};
	struct err e;
	FILE *fp;

	(void)state;
	if ((fp = fopen(path, "r")) == NULL)
		skip();
	fclose(fp);
	if (import_services_file(path, SERVICES_NMAP, &sink, &e) == -1)
		fail_msg("%s", e.msg);
	assert_true(c.n > 20000);
	assert_true(c.unknown > 0);
	assert_string_equal(c.seen[0].service, "tcpmux");
	assert_true(c.seen[0].frequency > 0);
}

static void
test_real_etc_services(void **state)
{
	struct collect c = {0};
	struct reg_sink sink = {.ctx = &c, .alias = collect_alias};
	struct err e;
	FILE *fp;

	(void)state;
	if ((fp = fopen("/etc/services", "r")) == NULL)
		skip();
	fclose(fp);
	if (import_services_file("/etc/services", SERVICES_ETC, &sink, &e) == -1)
		fail_msg("%s", e.msg);
	assert_true(c.n > 100);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_nmap_lines),        cmocka_unit_test(test_etc_lines),
	    cmocka_unit_test(test_field_errors),      cmocka_unit_test(test_frequency_errors),
	    cmocka_unit_test(test_text_errors),       cmocka_unit_test(test_sink_error_is_prefixed),
	    cmocka_unit_test(test_missing_file),      cmocka_unit_test(test_real_nmap_services),
	    cmocka_unit_test(test_real_etc_services), cmocka_unit_test(test_id_line_dates_the_file),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
