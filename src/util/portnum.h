/*
 * portnum.h - the digits of a port number, for every parser that reads
 * one (queries, port arguments, the audit's expect file).
 *
 * Strict on purpose: decimal digits only, so "80x", "+80", " 80" and
 * "0x50" are not ports, where strtol() would quietly take some of them.
 * The callers phrase the errors, as each knows what the text was.
 */
#ifndef PORTOLAN_PORTNUM_H
#define PORTOLAN_PORTNUM_H

#include <stddef.h>
#include <string.h>

enum { PORTNUM_OK = 0, PORTNUM_NOT_A_NUMBER = -1, PORTNUM_TOO_LARGE = -2 };

/* The number in s[0..n) into *out when it is 0-65535; see the enum. */
static inline int
portnum_parse(const char *s, size_t n, long *out)
{
	long v = 0;

	if (n == 0)
		return PORTNUM_NOT_A_NUMBER;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return PORTNUM_NOT_A_NUMBER;
		if ((v = v * 10 + (s[i] - '0')) > 65535)
			return PORTNUM_TOO_LARGE;
	}
	*out = v;
	return PORTNUM_OK;
}

/* "LO-HI" (or one port "N") into *lo and *hi; -1 unless both are ports and lo <= hi. */
static inline int
portnum_parse_range(const char *s, long *lo, long *hi)
{
	size_t n = 0;

	while (s[n] && s[n] != '-')
		n++;
	if (portnum_parse(s, n, lo) != PORTNUM_OK)
		return -1;
	if (s[n] == '\0')
		*hi = *lo;
	else if (portnum_parse(s + n + 1, strlen(s + n + 1), hi) != PORTNUM_OK)
		return -1;
	return *lo <= *hi ? 0 : -1;
}

#endif
