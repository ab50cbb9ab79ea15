/*
 * test_web_params.c - the web's form/query parser: what it accepts, and
 * that each kind of hostile input is refused with a message naming the
 * field.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "web/params.h"

static int
parse(struct params *ps, const char *s, struct err *e)
{
	return params_parse(ps, "query", s, strlen(s), e);
}

static void
test_decodes_fields(void **state)
{
	struct params ps;
	struct err e = {0};

	(void)state;
	assert_int_equal(parse(&ps, "q=smart+card%2Fport&lang=ko&flag", &e), 0);
	assert_int_equal(ps.n, 3);
	assert_string_equal(params_get(&ps, "q"), "smart card/port");
	assert_string_equal(params_get(&ps, "lang"), "ko");
	assert_string_equal(params_get(&ps, "flag"), "");
	assert_null(params_get(&ps, "missing"));
	assert_int_equal(parse(&ps, "q=%ED%95%9C", &e), 0); /* 한 */
	assert_string_equal(params_get(&ps, "q"), "\xed\x95\x9c");
	assert_int_equal(parse(&ps, "", &e), 0);
	assert_int_equal(ps.n, 0);
	assert_int_equal(parse(&ps, "&a=1&&b=&", &e), 0);
	assert_int_equal(ps.n, 2);
	assert_string_equal(params_get(&ps, "b"), "");
}

static void
test_refuses_bad_escapes(void **state)
{
	struct params ps;
	struct err e = {0};

	(void)state;
	assert_int_equal(parse(&ps, "a=1&q=%4", &e), -1);
	assert_non_null(strstr(e.msg, "field 2 ('q')"));
	assert_non_null(strstr(e.msg, "hex digits"));
	assert_int_equal(parse(&ps, "q=%zz", &e), -1);
	assert_int_equal(parse(&ps, "q=%00", &e), -1);
	assert_non_null(strstr(e.msg, "control character"));
	assert_int_equal(parse(&ps, "q=a%0Ab", &e), -1);
	assert_int_equal(parse(&ps, "q=%C3%28", &e), -1);
	assert_non_null(strstr(e.msg, "UTF-8"));
	assert_int_equal(parse(&ps, "q=%C0%AF", &e), -1); /* overlong '/' */
}

static void
test_refuses_bad_names_and_shapes(void **state)
{
	struct params ps;
	struct err e = {0};
	char big[PARAMS_MAX_INPUT + 2];

	(void)state;
	assert_int_equal(parse(&ps, "=x", &e), -1);
	assert_non_null(strstr(e.msg, "empty name"));
	assert_int_equal(parse(&ps, "a+b=1", &e), -1);
	assert_int_equal(parse(&ps, "lang=en&lang=ko", &e), -1);
	assert_non_null(strstr(e.msg, "given twice"));
	assert_int_equal(parse(&ps,
	                       "a=1&b=2&c=3&d=4&e=5&f=6&g=7&h=8&i=9&j=10&k=11&l=12&m=13&n=14"
	                       "&o=15&p=16&q=17",
	                       &e),
	                 -1);
	assert_non_null(strstr(e.msg, "more than 16"));
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	big[1] = '=';
	assert_int_equal(parse(&ps, big, &e), -1);
	big[sizeof(big) - 2] = '\0'; /* exactly the limit: accepted, value fills the buffer */
	assert_int_equal(parse(&ps, big, &e), 0);
	assert_int_equal(ps.v[0].len, PARAMS_MAX_INPUT - 2);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_decodes_fields),
	    cmocka_unit_test(test_refuses_bad_escapes),
	    cmocka_unit_test(test_refuses_bad_names_and_shapes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
