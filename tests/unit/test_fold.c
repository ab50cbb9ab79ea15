/*
 * test_fold.c - British and American spellings fold to one, and nothing
 * else does: the pairs the rules exist for, and the short words each rule
 * must leave alone.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "registry/fold.h"

static const char *
folded(const char *word, char *buf, size_t len)
{
	size_t n = strlen(word);

	assert_true(n < len);
	memcpy(buf, word, n);
	fold_word(buf, &n);
	buf[n] = '\0';
	return buf;
}

static void
test_pairs_fold_together(void **state)
{
	static const char *const pairs[][2] = {
	    {"licence", "license"},       {"licences", "licenses"},
	    {"licenced", "licensed"},     {"defence", "defense"},
	    {"offence", "offense"},       {"colour", "color"},
	    {"colours", "colors"},        {"favourite", "favorite"},
	    {"behaviour", "behavior"},    {"honourable", "honorable"},
	    {"organise", "organize"},     {"organisation", "organization"},
	    {"authorised", "authorized"}, {"analyse", "analyze"},
	    {"centre", "center"},         {"metres", "meters"},
	    {"fibre", "fiber"},           {"catalogue", "catalog"},
	    {"dialogues", "dialogs"},     {"cancelled", "canceled"},
	    {"tunnelling", "tunneling"},  {"signalling", "signaling"},
	    {"programme", "program"},     {"ii", "2"},
	};
	char a[64], b[64];

	(void)state;
	for (size_t i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++)
		assert_string_equal(folded(pairs[i][0], a, sizeof(a)),
		                    folded(pairs[i][1], b, sizeof(b)));
}

static void
test_other_words_are_left_alone(void **state)
{
	static const char *const words[] = {
	    "hour",  "four",  "your",  "tour",  "source",       "journal", "rise",    "wise",
	    "raise", "noise", "fence", "hence", "fluorescence", "called",  "spelled", "rogue",
	    "vogue", "genre", "acre",  "http",  "x11",          "server",  "i",       "iv",
	};
	char a[64];

	(void)state;
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		assert_string_equal(folded(words[i], a, sizeof(a)), words[i]);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_pairs_fold_together),
	    cmocka_unit_test(test_other_words_are_left_alone),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
