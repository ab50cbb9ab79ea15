/*
 * unicode.h - the few Unicode operations portolan needs: is a buffer valid
 * UTF-8, which character starts here, how many terminal columns does a
 * character or a string take.
 *
 * libunistring is the authority on all of it; this module only decides
 * when it is asked.  ASCII is answered here, exactly as libunistring
 * would (an all-ASCII buffer is valid UTF-8, a printable ASCII character
 * takes one column), so English text never needs the library.  In a
 * dynamically linked portolan the library is loaded with dlopen() the
 * first time text that is not ASCII needs it (unicode.c says why); every
 * other program links it.
 *
 * Line breaking is the exception: unicode_linebreaks() always asks the
 * library, since UAX #14 has no ASCII shortcut worth keeping here; a
 * caller that wants English free of it asks only about text with a byte
 * that is not ASCII (render_wrap() does).
 *
 * Nothing here allocates or fails: should the library be needed and not
 * load, the program prints which library it is missing and exits with
 * status 3, since no answer it could give without it would be right.
 * Safe to call from any thread.
 */
#ifndef PORTOLAN_UNICODE_H
#define PORTOLAN_UNICODE_H

#include <stddef.h>
#include <stdint.h>

/* The first byte of s[0..n) that is not part of valid UTF-8, or NULL (u8_check()). */
const uint8_t *unicode_check(const uint8_t *s, size_t n);

/*
 * Decode the character at s (n > 0 bytes left) into *uc and return its
 * length in bytes; an invalid or truncated sequence gives U+FFFD and the
 * length of the invalid part, at least 1 (u8_mbtouc()).
 */
int unicode_decode(uint32_t *uc, const uint8_t *s, size_t n);

/*
 * The columns a terminal gives uc: 1 or 2 (Hangul, kana, CJK ideographs),
 * 0 for a combining mark or NUL, -1 for a control character (uc_width()).
 */
int unicode_char_width(uint32_t uc);

/*
 * The columns of the UTF-8 string s[0..n), up to a NUL if there is one;
 * control characters count as nothing (u8_width()).
 */
size_t unicode_width(const uint8_t *s, size_t n);

/*
 * Where a line may break inside s[0..n), by the Unicode line breaking
 * algorithm (UAX #14, u8_possible_linebreaks()): p[i] is 1 when a line
 * may end before s[i], else 0; p has n bytes.  So Japanese and Chinese
 * break between most characters and before no closing bracket or full
 * stop.  Next to a Hangul character it says 0 but after a blank: Korean
 * puts spaces between words and breaks only there (what CSS calls
 * word-break: keep-all), where UAX #14 alone would break between any two
 * syllables and between "SSH" and the particle written against it.
 * A break at a blank is before the character after it, as the library
 * gives it.
 */
void unicode_linebreaks(const uint8_t *s, size_t n, char *p);

#endif
