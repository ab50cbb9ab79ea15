/*
 * test_web_assets.c - the embedded asset table: every asset is found by its
 * own path (the generator sorted the table the way bsearch needs), with a
 * content type and a quoted strong ETag, and nothing outside /assets/ is.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "web/assets.h"

static void
test_every_asset_found(void **state)
{
	const struct asset *a;
	size_t i, n;

	(void)state;
	for (i = 0; (a = assets_at(i)) != NULL; i++) {
		assert_ptr_equal(assets_find(a->path), a);
		assert_int_equal(strncmp(a->path, "/assets/", 8), 0);
		assert_non_null(a->type);
		n = strlen(a->etag);
		assert_true(n > 2 && a->etag[0] == '"' && a->etag[n - 1] == '"');
		assert_int_equal(a->data[a->len], '\0');
		if (i > 0)
			assert_true(strcmp(assets_at(i - 1)->path, a->path) < 0);
	}
	assert_int_equal(i, assets_count());
}

static void
test_unknown_paths(void **state)
{
	(void)state;
	assert_null(assets_find("/assets/"));
	assert_null(assets_find("/assets/../Makefile"));
	assert_null(assets_find(""));
	assert_null(assets_at(assets_count()));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_every_asset_found),
	    cmocka_unit_test(test_unknown_paths),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
