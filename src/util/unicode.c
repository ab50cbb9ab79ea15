/*
 * unicode.c - UTF-8 validation, decoding and column widths: libunistring,
 * asked only about text that is not ASCII (see unicode.h).
 *
 * Why the indirection: a lookup is a whole process, and in the Debian
 * package's dynamically linked portolan loading libunistring.so was about
 * 0.15 ms of a 2.1 ms `portolan 3106 --json` (bench/lookup; it is bound
 * at start-up, 500 symbol and 700 relative relocations, and its pages
 * faulted in), while an English lookup uses nothing from it: the catalog
 * is only read for another language, and prose in English is ASCII.  So
 * with UNICODE_DLOPEN (the Makefile builds unicode_dl.o from this file
 * for every dynamically linked portolan: STATIC=0, SAN=1, TSAN=1) the
 * library is loaded by its SONAME, found at build time, the first time a
 * byte that is not ASCII needs it, and portolan is not linked against it.
 * Everything else (the static portolan, a static PIE in which dlopen() of
 * a shared library is fragile; portolan-serve, long-lived; the tests and
 * fuzzers) compiles this file plainly and calls the library directly.
 *
 * The ASCII answers are libunistring's own, not a second opinion:
 * tests/unit/test_util_unicode.c compares them with the library for all
 * 128 characters.  No Unicode table lives here.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unictype.h>
#include <unilbrk.h>
#include <unistr.h>
#include <uniwidth.h>

#include "unicode.h"

/* The encoding uc_width() is told: not a CJK one, so ambiguous characters are narrow. */
#define UNICODE_ENCODING "UTF-8"

#ifdef UNICODE_DLOPEN
#include <dlfcn.h>
#include <pthread.h>

#ifndef UNISTRING_SONAME
#error "UNISTRING_SONAME: the Makefile passes libunistring's SONAME"
#endif

static struct {
	__typeof__(u8_check) *check;
	__typeof__(u8_mbtouc) *mbtouc;
	__typeof__(uc_width) *uc_width;
	__typeof__(u8_width) *width;
	__typeof__(u8_possible_linebreaks) *linebreaks;
	__typeof__(uc_script) *script;
} uni;

/*
 * A symbol's name after macro expansion: unilbrk.h maps
 * u8_possible_linebreaks to the _v2 function of libunistring >= 1.0.
 */
#define UNI_SYM_(f) #f
#define UNI_SYM(f)  UNI_SYM_(f)

static pthread_once_t uni_once = PTHREAD_ONCE_INIT;

/*
 * Not an error a caller could handle: without the library no answer
 * would be right, so say which library is missing and stop.
 */
static void
uni_load(void)
{
	void *h = dlopen(UNISTRING_SONAME, RTLD_NOW | RTLD_LOCAL);

	if (h != NULL) {
		*(void **)&uni.check = dlsym(h, "u8_check");
		*(void **)&uni.mbtouc = dlsym(h, "u8_mbtouc");
		*(void **)&uni.uc_width = dlsym(h, "uc_width");
		*(void **)&uni.width = dlsym(h, "u8_width");
		*(void **)&uni.linebreaks = dlsym(h, UNI_SYM(u8_possible_linebreaks));
		*(void **)&uni.script = dlsym(h, "uc_script");
	}
	if (h == NULL || uni.check == NULL || uni.mbtouc == NULL || uni.uc_width == NULL ||
	    uni.width == NULL || uni.linebreaks == NULL || uni.script == NULL) {
		fflush(stdout);
		fprintf(stderr,
		        "portolan: cannot load %s (%s), which text that is not ASCII needs; "
		        "install libunistring\n",
		        UNISTRING_SONAME, h == NULL ? dlerror() : "a function is missing");
		exit(3);
	}
}

#define UNI(f) (pthread_once(&uni_once, uni_load), uni.f)
#else
#define UNI_check      u8_check
#define UNI_mbtouc     u8_mbtouc
#define UNI_uc_width   uc_width
#define UNI_width      u8_width
#define UNI_linebreaks u8_possible_linebreaks
#define UNI_script     uc_script
#define UNI(f)         UNI_##f
#endif

const uint8_t *
unicode_check(const uint8_t *s, size_t n)
{
	size_t i = 0;

	while (i < n && s[i] < 0x80)
		i++;
	/* An ASCII byte always ends what came before it: go on from the first other. */
	return i == n ? NULL : UNI(check)(s + i, n - i);
}

int
unicode_decode(uint32_t *uc, const uint8_t *s, size_t n)
{
	ucs4_t c;
	int len;

	if (s[0] < 0x80) {
		*uc = s[0];
		return 1;
	}
	len = UNI(mbtouc)(&c, s, n);
	*uc = c;
	return len;
}

int
unicode_char_width(uint32_t uc)
{
	if (uc < 0x80)
		return uc >= 0x20 && uc < 0x7f ? 1 : uc == 0 ? 0 : -1;
	return UNI(uc_width)(uc, UNICODE_ENCODING);
}

size_t
unicode_width(const uint8_t *s, size_t n)
{
	size_t i, w = 0;

	for (i = 0; i < n && s[i] < 0x80; i++) {
		if (s[i] == '\0')
			return w;
		w += s[i] >= 0x20 && s[i] < 0x7f;
	}
	return i == n ? w : w + (size_t)UNI(width)(s + i, n - i, UNICODE_ENCODING);
}

void
unicode_linebreaks(const uint8_t *s, size_t n, char *p)
{
	const uc_script_t *prev = NULL, *sc;
	size_t i;
	ucs4_t c;
	int len, blank = 1; /* the character before i is a blank (or there is none) */

	if (n == 0)
		return;
	UNI(linebreaks)(s, n, UNICODE_ENCODING, p);
	/*
	 * The library's script of each character, not a table here: no break
	 * next to Hangul but at a blank, so a Korean word stays whole with
	 * what is written against it ("SSH를").
	 */
	for (i = 0; i < n; i += (size_t)len) {
		len = UNI(mbtouc)(&c, s + i, n - i);
		sc = s[i] < 0x80 ? NULL : UNI(script)(c);
		if (p[i] == UC_BREAK_POSSIBLE && !blank &&
		    ((sc != NULL && strcmp(sc->name, "Hangul") == 0) ||
		     (prev != NULL && strcmp(prev->name, "Hangul") == 0)))
			p[i] = UC_BREAK_PROHIBITED;
		prev = sc;
		blank = c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0x3000;
	}
	for (i = 0; i < n; i++)
		p[i] = p[i] == UC_BREAK_POSSIBLE || p[i] == UC_BREAK_MANDATORY;
}
