/*
 * test_util_unicode.c - util/unicode.h answers what libunistring answers:
 * Hangul takes two columns, a combining mark none, invalid or truncated
 * UTF-8 is found at its first byte, and the ASCII shortcuts agree with the
 * library for every ASCII character.  Line breaks: Japanese and Chinese
 * break between characters but not before their full stop, Korean only at
 * its spaces.
 *
 * Built twice (Makefile): against the archive's unicode.o, which calls
 * libunistring, and as test_util_unicode_dl against unicode_dl.o, which
 * loads it with dlopen() as a dynamically linked portolan does.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <unistr.h>
#include <uniwidth.h>

#include "util/unicode.h"

#define S(lit) ((const uint8_t *)(lit))

static void
test_ascii_agrees_with_the_library(void **state)
{
	uint8_t buf[3];
	ucs4_t want;
	uint32_t got;

	(void)state;
	for (unsigned c = 0; c < 0x80; c++) {
		buf[0] = 'a', buf[1] = (uint8_t)c, buf[2] = 'b';
		assert_int_equal(unicode_char_width(c), uc_width(c, "UTF-8"));
		assert_int_equal(unicode_decode(&got, buf + 1, 2), u8_mbtouc(&want, buf + 1, 2));
		assert_int_equal(got, want);
		assert_int_equal(unicode_width(buf, 3), u8_width(buf, 3, "UTF-8"));
		assert_null(unicode_check(buf, 3));
	}
	assert_int_equal(unicode_width(S("port 3106"), 9), 9);
}

static void
test_hangul_takes_two_columns(void **state)
{
	const char *s = "\xed\x95\x9c\xea\xb5\xad\xec\x96\xb4 ok"; /* "한국어 ok" */
	uint32_t uc;

	(void)state;
	assert_int_equal(unicode_decode(&uc, S(s), strlen(s)), 3);
	assert_int_equal(uc, 0xd55c); /* 한 */
	assert_int_equal(unicode_char_width(uc), 2);
	assert_int_equal(unicode_width(S(s), strlen(s)), 3 * 2 + 3);
	assert_null(unicode_check(S(s), strlen(s)));
}

static void
test_a_combining_mark_takes_none(void **state)
{
	const char *s = "cafe\xcc\x81"; /* "café" with U+0301 COMBINING ACUTE ACCENT */
	uint32_t uc;

	(void)state;
	assert_int_equal(unicode_decode(&uc, S(s + 4), 2), 2);
	assert_int_equal(uc, 0x301);
	assert_int_equal(unicode_char_width(uc), 0);
	assert_int_equal(unicode_width(S(s), strlen(s)), 4);
}

static void
test_width_stops_at_nul(void **state)
{
	(void)state;
	assert_int_equal(unicode_width(S("ab\0\xed\x95\x9c"), 6), 2);
	assert_int_equal(unicode_width(S("\xed\x95\x9c\0cd"), 6), 2);
}

static void
test_invalid_utf8_is_found_at_its_first_byte(void **state)
{
	static const struct {
		const char *s;
		size_t len, at;
	} cases[] = {
	    {"abc\xc3\xa9\xff xyz", 10, 5},         /* a byte no UTF-8 has, after é */
	    {"port \x80", 6, 5},                    /* a stray continuation byte */
	    {"\xc0\xaf", 2, 0},                     /* an overlong "/" */
	    {"x\xed\xa0\x80y", 5, 1},               /* a surrogate */
	    {"\xea\xb5\xad\xf4\x90\x80\x80", 7, 3}, /* past U+10FFFF, after 국 */
	};
	const uint8_t *bad;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		bad = unicode_check(S(cases[i].s), cases[i].len);
		assert_non_null(bad);
		assert_int_equal(bad - S(cases[i].s), cases[i].at);
	}
}

static void
test_a_truncated_sequence_is_invalid(void **state)
{
	const char *s = "ab\xed\x95"; /* 한 without its last byte */
	uint32_t uc;
	int n;

	(void)state;
	assert_ptr_equal(unicode_check(S(s), 4), S(s) + 2);
	/* Decoding it gives the replacement character and moves on by what is there. */
	n = unicode_decode(&uc, S(s + 2), 2);
	assert_int_equal(uc, 0xfffd);
	assert_true(n >= 1 && n <= 2);
	/* The whole character is fine once it is all there. */
	assert_null(unicode_check(S("ab\xed\x95\x9c"), 5));
}

/* The byte offsets unicode_linebreaks() allows a break before, as a string "3,6,9". */
static void
breaks_at(const char *s, char *out, size_t len)
{
	char p[256];
	size_t i, n = strlen(s), k = 0;

	unicode_linebreaks(S(s), n, p);
	out[0] = '\0';
	for (i = 0; i < n && k < len; i++)
		if (p[i])
			k += (size_t)snprintf(out + k, len - k, "%s%zu", k ? "," : "", i);
}

static void
test_japanese_breaks_between_characters(void **state)
{
	char got[128];

	(void)state;
	/* "日本語です。" : 3 bytes a character; never before the full stop "。". */
	breaks_at("\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e\xe3\x81\xa7\xe3\x81\x99\xe3\x80\x82", got,
	          sizeof(got));
	assert_string_equal(got, "3,6,9,12");
	/* "中文换行": Chinese likewise. */
	breaks_at("\xe4\xb8\xad\xe6\x96\x87\xe6\x8d\xa2\xe8\xa1\x8c", got, sizeof(got));
	assert_string_equal(got, "3,6,9");
}

static void
test_korean_breaks_only_at_spaces(void **state)
{
	char got[128];

	(void)state;
	/* "한국어 문장입니다" : the one break is before the second word (byte 10). */
	breaks_at("\xed\x95\x9c\xea\xb5\xad\xec\x96\xb4 "
	          "\xeb\xac\xb8\xec\x9e\xa5\xec\x9e\x85\xeb\x8b\x88\xeb\x8b\xa4",
	          got, sizeof(got));
	assert_string_equal(got, "10");
	/* "SSH를 씁니다": a particle against a Latin word stays with it. */
	breaks_at("SSH\xeb\xa5\xbc \xec\x94\x81\xeb\x8b\x88\xeb\x8b\xa4", got, sizeof(got));
	assert_string_equal(got, "7");
}

static void
test_english_breaks_after_blanks(void **state)
{
	char got[128];

	(void)state;
	breaks_at("a port number", got, sizeof(got));
	assert_string_equal(got, "2,7");
	breaks_at("", got, sizeof(got));
	assert_string_equal(got, "");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_ascii_agrees_with_the_library),
	    cmocka_unit_test(test_hangul_takes_two_columns),
	    cmocka_unit_test(test_a_combining_mark_takes_none),
	    cmocka_unit_test(test_width_stops_at_nul),
	    cmocka_unit_test(test_invalid_utf8_is_found_at_its_first_byte),
	    cmocka_unit_test(test_a_truncated_sequence_is_invalid),
	    cmocka_unit_test(test_japanese_breaks_between_characters),
	    cmocka_unit_test(test_korean_breaks_only_at_spaces),
	    cmocka_unit_test(test_english_breaks_after_blanks),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
