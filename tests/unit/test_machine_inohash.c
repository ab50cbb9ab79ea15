/*
 * test_machine_inohash.c - the open-addressing inode table: every stored
 * inode is found, absent ones are not, replacement works, the table
 * refuses inode 0 and refuses to pass its load limit.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "machine/inohash.h"

static void
test_put_get(void **state)
{
	struct inohash h;
	struct err e = {0};

	(void)state;
	assert_int_equal(inohash_init(&h, 5000, &e), 0);
	/* Runs of neighbours (as a pre-fork server makes) and far-apart values. */
	for (size_t i = 0; i < 4000; i++)
		assert_int_equal(inohash_put(&h, 100000 + i, i), 0);
	for (size_t i = 0; i < 1000; i++)
		assert_int_equal(inohash_put(&h, (uint64_t)(i + 1) << 40, 4000 + i), 0);
	assert_int_equal(h.n, 5000);
	for (size_t i = 0; i < 4000; i++)
		assert_int_equal(inohash_get(&h, 100000 + i), i);
	for (size_t i = 0; i < 1000; i++)
		assert_int_equal(inohash_get(&h, (uint64_t)(i + 1) << 40), 4000 + i);
	assert_int_equal(inohash_get(&h, 99999), INOHASH_NONE);
	assert_int_equal(inohash_get(&h, 104000), INOHASH_NONE);
	assert_int_equal(inohash_get(&h, 0), INOHASH_NONE);
	inohash_free(&h);
}

static void
test_replace_and_limits(void **state)
{
	struct inohash h;
	struct err e = {0};
	size_t i;

	(void)state;
	assert_int_equal(inohash_init(&h, 3, &e), 0);
	assert_int_equal(inohash_put(&h, 0, 1), -1);
	assert_int_equal(inohash_put(&h, 7, 1), 0);
	assert_int_equal(inohash_put(&h, 7, 2), 0);
	assert_int_equal(inohash_get(&h, 7), 2);
	assert_int_equal(h.n, 1);
	/* Capacity 16 holds 8 entries; the 9th distinct inode is refused. */
	for (i = 1; i < 8; i++)
		assert_int_equal(inohash_put(&h, 1000 + i, i), 0);
	assert_int_equal(inohash_put(&h, 5000, 9), -1);
	assert_int_equal(inohash_get(&h, 5000), INOHASH_NONE);
	assert_int_equal(inohash_put(&h, 1001, 42), 0); /* replacing still works when full */
	assert_int_equal(inohash_get(&h, 1001), 42);
	inohash_free(&h);
	assert_int_equal(inohash_get(&h, 7), INOHASH_NONE);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_put_get),
	    cmocka_unit_test(test_replace_and_limits),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
