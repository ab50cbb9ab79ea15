/*
 * test_pages.c - the data behind the index, range and service pages, from
 * a real database (test_db.h): counts that add up, blocks that tile the
 * range, a service's records equal to the port report's, and clean
 * ERR_INPUT for names that do not exist.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "report/pages.h"
#include "report/report.h"
#include "test_db.h"

static struct test_db db;

static int
setup(void **state)
{
	*state = test_db_open(&db) == 0 ? &db : NULL;
	return 0;
}

static int
teardown(void **state)
{
	if (*state)
		test_db_close(&db);
	return 0;
}

static long long
num(const json_t *o, const char *key)
{
	const json_t *v = json_object_get(o, key);

	assert_true(json_is_integer(v));
	return (long long)json_integer_value(v);
}

static void
test_index(void **state)
{
	struct err e = {0};
	const json_t *r, *c;
	json_t *v;
	size_t i;

	if (*state == NULL)
		skip();
	v = pages_index(db.st, 5, &e);
	assert_non_null(v);
	assert_string_equal(json_string_value(json_object_get(v, "schema")), "portolan.index/1");
	assert_string_equal(
	    json_string_value(json_object_get(json_object_get(v, "snapshot"), "registry_as_of")),
	    "2026-08-17");
	assert_int_equal(json_array_size(json_object_get(v, "ranges")), 3);
	json_array_foreach(json_object_get(v, "ranges"), i, r)
	{
		/* Every port is counted once: the three counts tile the range. */
		assert_int_equal(num(r, "assigned") + num(r, "unassigned") + num(r, "reserved"),
		                 num(r, "hi") - num(r, "lo") + 1);
		assert_int_equal(num(r, "ports"), num(r, "hi") - num(r, "lo") + 1);
	}
	r = json_array_get(json_object_get(v, "ranges"), 0);
	assert_string_equal(json_string_value(json_object_get(r, "name")), "well-known");
	assert_true(num(r, "assigned") > 600); /* 686 in the 2026-08-17 registry */
	assert_true(num(r, "reserved") >= 1);  /* port 0 */
	r = json_array_get(json_object_get(v, "ranges"), 2);
	assert_int_equal(num(r, "assigned"), 0); /* IANA lists nothing at or above 49152 */
	c = json_object_get(v, "most_common");
	assert_true(json_array_size(c) <= 5);
	if (json_array_size(c) > 0) { /* nmap-services installed */
		r = json_array_get(c, 0);
		assert_int_equal(num(r, "port"), 80);
		assert_string_equal(json_string_value(json_object_get(r, "service")), "http");
		/* A class for the page to word, not English words of its own. */
		assert_string_equal(json_string_value(json_object_get(r, "class")), "very-common");
		assert_null(json_object_get(r, "words"));
	}
	json_decref(v);
}

static void
test_range_blocks(void **state)
{
	static const char *const names[] = {"well-known", "registered", "dynamic"};
	struct err e = {0};
	const json_t *b, *prev = NULL;
	json_t *v;
	long long sum;
	size_t i, k;

	if (*state == NULL)
		skip();
	for (k = 0; k < 3; k++) {
		v = pages_range(db.st, names[k], &e);
		assert_non_null(v);
		assert_string_equal(json_string_value(json_object_get(v, "schema")),
		                    "portolan.range/1");
		assert_true(json_array_size(json_object_get(v, "blocks")) <= 64);
		sum = 0;
		prev = NULL;
		json_array_foreach(json_object_get(v, "blocks"), i, b)
		{
			/* Blocks are contiguous and each counts its ports once. */
			if (prev)
				assert_int_equal(num(b, "lo"), num(prev, "hi") + 1);
			else
				assert_int_equal(num(b, "lo"), num(v, "lo"));
			assert_int_equal(num(b, "assigned") + num(b, "unassigned") +
			                     num(b, "reserved"),
			                 num(b, "hi") - num(b, "lo") + 1);
			sum += num(b, "assigned");
			prev = b;
		}
		assert_int_equal(num(prev, "hi"), num(v, "hi"));
		assert_int_equal(sum, num(json_object_get(v, "totals"), "assigned"));
		json_decref(v);
	}
	v = pages_range(db.st, "well-known", &e);
	assert_int_equal(num(v, "block_width"), 16);
	b = json_array_get(json_object_get(v, "blocks"),
	                   1); /* 16-31: ftp-data 20, ftp 21, ssh 22... */
	assert_true(num(b, "assigned") >= 10);
	json_decref(v);
}

static void
test_range_unknown(void **state)
{
	struct err e = {0};

	if (*state == NULL)
		skip();
	assert_null(pages_range(db.st, "private", &e));
	assert_int_equal(e.kind, ERR_INPUT);
	assert_non_null(strstr(e.msg, "private"));
}

static void
test_service(void **state)
{
	struct err e = {0};
	const json_t *g, *r;
	json_t *v;

	if (*state == NULL)
		skip();
	v = pages_service(db.st, "SMARTCARD-PORT", &e);
	assert_non_null(v);
	assert_string_equal(json_string_value(json_object_get(v, "schema")), "portolan.service/1");
	assert_string_equal(json_string_value(json_object_get(v, "service")), "smartcard-port");
	assert_int_equal(json_array_size(json_object_get(v, "ports")), 1);
	g = json_array_get(json_object_get(v, "ports"), 0);
	assert_int_equal(num(g, "port_lo"), 3516);
	assert_int_equal(json_array_size(json_object_get(g, "records")), 2);
	r = json_array_get(json_object_get(g, "records"), 0);
	assert_string_equal(json_string_value(json_object_get(r, "registered")), "2002-05");
	assert_string_equal(json_string_value(json_object_get(
	                        json_array_get(json_object_get(r, "assignee"), 0), "email")),
	                    "sguthery@mobile-mind.com");
	assert_true(json_array_size(json_object_get(v, "sources")) >= 1);
	json_decref(v);

	/* A range registration is one group. */
	v = pages_service(db.st, "x11", &e);
	assert_non_null(v);
	g = json_array_get(json_object_get(v, "ports"), 0);
	assert_int_equal(num(g, "port_lo"), 6000);
	assert_int_equal(num(g, "port_hi"), 6063);
	json_decref(v);
}

static void
test_service_unknown(void **state)
{
	struct err e = {0};

	if (*state == NULL)
		skip();
	assert_null(pages_service(db.st, "no-such-service-anywhere", &e));
	assert_int_equal(e.kind, ERR_INPUT);
	e = (struct err){0};
	assert_null(pages_service(db.st, "", &e));
	assert_int_equal(e.kind, ERR_INPUT);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_index),           cmocka_unit_test(test_range_blocks),
	    cmocka_unit_test(test_range_unknown),   cmocka_unit_test(test_service),
	    cmocka_unit_test(test_service_unknown),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
