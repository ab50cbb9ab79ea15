/*
 * test_render_wrap.c - folding text to a width (src/render/wrap.c): where
 * a folded line continues, what counts as width, and that no word is
 * ever broken or lost.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "render/render.h"

/* render_wrap() of text at width, as a string the caller frees. */
static char *
wrapped(const char *text, int width)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	render_wrap(f, text, strlen(text), width);
	fclose(f);
	return buf;
}

static void
test_lines_that_fit_are_untouched(void **state)
{
	const char *text = "  3516/tcp   smartcard-port  Smartcard Port  [1]\n\nlast";
	char *out = wrapped(text, 60);

	(void)state;
	assert_string_equal(out, text);
	free(out);
}

static void
test_prose_continues_two_in_from_its_indent(void **state)
{
	char *out = wrapped("  registered: Assigned by IANA on request to a vendor\n", 30);

	(void)state;
	assert_string_equal(out, "  registered: Assigned by IANA\n"
	                         "    on request to a vendor\n");
	free(out);
}

static void
test_a_column_continues_under_itself(void **state)
{
	char *out = wrapped("       reference  one two three four five six\n", 36);

	(void)state;
	assert_string_equal(out, "       reference  one two three four\n"
	                         "                  five six\n");
	free(out);
}

static void
test_two_blanks_after_a_full_stop_are_no_column(void **state)
{
	char *out = wrapped("10 qualify.  Left out: a b c d e f g h\n", 30);

	(void)state;
	assert_string_equal(out, "10 qualify.  Left out: a b c d\n"
	                         "  e f g h\n");
	free(out);
}

static void
test_a_long_word_gets_a_line_of_its_own(void **state)
{
	char *out = wrapped("  see https://example.org/a/very/long/path/indeed then\n", 24);

	(void)state;
	assert_string_equal(out, "  see\n"
	                         "    https://example.org/a/very/long/path/indeed\n"
	                         "    then\n");
	free(out);
}

static void
test_colour_escapes_take_no_width(void **state)
{
	/* 20 visible characters: fits in 20 however many escapes surround them. */
	const char *text = "\033[1mabcde\033[0m fghij \033[2mklmnopqr\033[0m\n";
	char *out = wrapped(text, 20);

	(void)state;
	assert_string_equal(out, text);
	free(out);
	out = wrapped(text, 19);
	assert_string_equal(out, "\033[1mabcde\033[0m fghij\n  \033[2mklmnopqr\033[0m\n");
	free(out);
}

static void
test_utf8_counts_characters(void **state)
{
	/* "é" is two bytes, one column: these 24 columns (29 bytes) fit in 24. */
	const char *text = "caf\xc3\xa9 caf\xc3\xa9 caf\xc3\xa9 caf\xc3\xa9 caf\xc3\xa9\n";
	char *out = wrapped(text, 24);

	(void)state;
	assert_string_equal(out, text);
	free(out);
	out = wrapped(text, 23);
	assert_string_equal(out,
	                    "caf\xc3\xa9 caf\xc3\xa9 caf\xc3\xa9 caf\xc3\xa9\n  caf\xc3\xa9\n");
	free(out);
}

static void
test_width_from_columns_when_not_a_terminal(void **state)
{
	FILE *f = tmpfile();

	(void)state;
	assert_non_null(f);
	setenv("COLUMNS", "57", 1);
	assert_int_equal(render_width(f), 57);
	setenv("COLUMNS", "", 1);
	assert_int_equal(render_width(f), RENDER_WIDTH_DEFAULT);
	unsetenv("COLUMNS");
	assert_int_equal(render_width(f), RENDER_WIDTH_DEFAULT);
	fclose(f);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_lines_that_fit_are_untouched),
	    cmocka_unit_test(test_prose_continues_two_in_from_its_indent),
	    cmocka_unit_test(test_a_column_continues_under_itself),
	    cmocka_unit_test(test_two_blanks_after_a_full_stop_are_no_column),
	    cmocka_unit_test(test_a_long_word_gets_a_line_of_its_own),
	    cmocka_unit_test(test_colour_escapes_take_no_width),
	    cmocka_unit_test(test_utf8_counts_characters),
	    cmocka_unit_test(test_width_from_columns_when_not_a_terminal),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
