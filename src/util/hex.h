/*
 * hex.h - the value of one hexadecimal digit, for the parsers that decode
 * escapes (%XX in query strings, \xXX in .po catalogs).
 */
#ifndef PORTOLAN_HEX_H
#define PORTOLAN_HEX_H

/* 0..15 for [0-9a-fA-F], -1 for anything else. */
static inline int
hex_value(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

#endif
