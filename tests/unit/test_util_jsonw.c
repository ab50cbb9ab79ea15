/*
 * test_util_jsonw.c - the streaming JSON writer writes what jansson's
 * JSON_INDENT(2) and compact dumps write for the same document, byte for
 * byte, reals included (the listings and then the reports switched from
 * one to the other without a reader noticing), and always valid UTF-8.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "util/jsonw.h"

static const char doc[] =
    "{\"schema\": \"x/1\", \"empty\": [], \"none\": {}, \"n\": -42, \"t\": true, \"f\": false,"
    " \"z\": null, \"s\": \"tab\\there \\\"q\\\" back\\\\slash \\u0001 \\u00e9 /\","
    " \"list\": [1, {\"a\": [[]], \"b\": {\"c\": \"d\"}}, \"e\"],"
    " \"reals\": [0.0, -0.0, 1.0, 7.6e-05, 1e+20, -2.5e-300, 0.1, 123456789.0, 1.5e300]}";

/* The document written by jsonw_value() at indent, as a new string. */
static char *
written(const json_t *v, int indent)
{
	struct jsonw w;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	jsonw_init(&w, f, indent);
	jsonw_value(&w, v);
	assert_int_equal(fclose(f), 0);
	return buf;
}

static void
test_same_as_jansson(void **state)
{
	json_t *v = json_loads(doc, 0, NULL);
	char *mine, *theirs;

	(void)state;
	assert_non_null(v);
	mine = written(v, 2);
	theirs = json_dumps(v, JSON_INDENT(2));
	assert_string_equal(mine, theirs);
	free(mine);
	free(theirs);
	mine = written(v, 0);
	theirs = json_dumps(v, JSON_COMPACT);
	assert_string_equal(mine, theirs);
	free(mine);
	free(theirs);
	json_decref(v);
}

static void
test_stray_bytes_become_replacement_characters(void **state)
{
	struct jsonw w;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	json_t *back;

	(void)state;
	jsonw_init(&w, f, 0);
	jsonw_begin_array(&w);
	jsonw_string(&w, "\xffok\xc3\xa9\xc3"); /* a stray byte, é, a truncated sequence */
	jsonw_string(&w, "\xed\xa0\x80");       /* an encoded surrogate */
	jsonw_end_array(&w);
	fclose(f);
	assert_string_equal(buf,
	                    "[\"\xef\xbf\xbdok\xc3\xa9\xef\xbf\xbd\",\"\xef\xbf\xbd\xef\xbf\xbd"
	                    "\xef\xbf\xbd\"]");
	back = json_loads(buf, 0, NULL);
	assert_non_null(back);
	json_decref(back);
	free(buf);
}

/*
 * A document many times the writer's buffer, with a string longer than
 * it: the same bytes as jansson's, all in the stream as soon as the
 * outermost array is closed, before anything flushes the writer.
 */
static void
test_long_document_reaches_the_stream(void **state)
{
	json_t *v = json_array();
	char *big = malloc(20001), *buf = NULL, *theirs;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct jsonw w;

	(void)state;
	assert_non_null(big);
	memset(big, 'x', 20000);
	big[20000] = '\0';
	for (int i = 0; i < 3000; i++)
		json_array_append_new(v,
		                      json_pack("{s:i, s:s}", "i", i, "s", i == 1500 ? big : "y"));
	jsonw_init(&w, f, 2);
	jsonw_value(&w, v);
	assert_int_equal(fflush(f), 0);
	theirs = json_dumps(v, JSON_INDENT(2));
	assert_int_equal(len, strlen(theirs));
	assert_string_equal(buf, theirs);
	fclose(f);
	free(buf);
	free(theirs);
	free(big);
	json_decref(v);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_same_as_jansson),
	    cmocka_unit_test(test_stray_bytes_become_replacement_characters),
	    cmocka_unit_test(test_long_document_reaches_the_stream),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
