/*
 * test_identity.c - identity_ports() against a real database (test_db.h):
 * a listing of thousands of ports, which reads the registry's ranges
 * once, names every port as the one-port call does, which searches them
 * per port; and a range record names the ports it covers either way.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "report/identity.h"
#include "test_db.h"

/* Every 7th port, each for tcp, udp and any protocol: over 28,000 wants. */
static void
test_many_as_one(void **state)
{
	static const char *const protos[] = {"tcp", "udp", ""};
	struct test_db *db = *state;
	struct identity_want *v;
	struct err e = {0};
	size_t n = 0;

	if (db == NULL)
		skip();
	v = calloc(3 * (65535 / 7 + 1), sizeof(*v));
	assert_non_null(v);
	for (long p = 1; p <= 65535; p += 7)
		for (size_t k = 0; k < 3; k++)
			v[n++] = (struct identity_want){.port = p, .protocol = protos[k]};
	assert_int_equal(identity_ports(db->st, v, n, &e), 0);
	for (size_t i = 0; i < n; i++) {
		struct port_identity one;

		assert_int_equal(identity_port(db->st, v[i].port, v[i].protocol, &one, &e), 0);
		if (strcmp(one.service, v[i].id.service) != 0 ||
		    strcmp(one.description, v[i].id.description) != 0 ||
		    one.assigned != v[i].id.assigned)
			fail_msg("port %ld/%s: alone \"%s\" (%s), among many \"%s\" (%s)",
			         v[i].port, v[i].protocol, one.service, one.description,
			         v[i].id.service, v[i].id.description);
	}
	free(v);
}

/* X11's range (6000-6063/tcp in IANA's registry) names a port inside it in a long listing. */
static void
test_range_in_listing(void **state)
{
	struct test_db *db = *state;
	struct identity_want *v;
	struct err e = {0};
	size_t n = 0, x = 0;

	if (db == NULL)
		skip();
	v = calloc(2000, sizeof(*v));
	assert_non_null(v);
	for (long p = 5000; p < 7000; p++) {
		if (p == 6010)
			x = n;
		v[n++] = (struct identity_want){.port = p, .protocol = "tcp"};
	}
	assert_int_equal(identity_ports(db->st, v, n, &e), 0);
	assert_string_equal(v[x].id.service, "x11");
	assert_int_equal(v[x].id.assigned, 1);
	free(v);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_many_as_one),
	    cmocka_unit_test(test_range_in_listing),
	};

	return cmocka_run_group_tests(tests, test_db_setup, test_db_teardown);
}
