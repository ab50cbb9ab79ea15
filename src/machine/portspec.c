/*
 * portspec.c - strict parsing of "PORT[/PROTO]".
 *
 * Digits are accumulated by hand rather than with strtol: strtol accepts
 * leading space, a sign and trailing text, each of which would let a typo
 * through as a valid port.  Five digits at most keeps the arithmetic far
 * from overflow and bounds the work on hostile input.
 */
#include <string.h>

#include "portspec.h"
#include "util/portnum.h"

#define PORTSPEC_MAXLEN 32 /* "65535/sctp" is 10; anything longer is junk */

unsigned
portspec_proto(const char *name)
{
	if (strcmp(name, "tcp") == 0)
		return PROTO_TCP;
	if (strcmp(name, "udp") == 0)
		return PROTO_UDP;
	if (strcmp(name, "sctp") == 0)
		return PROTO_SCTP;
	return 0;
}

const char *
portspec_proto_name(unsigned proto)
{
	switch (proto) {
	case PROTO_TCP:
		return "tcp";
	case PROTO_UDP:
		return "udp";
	case PROTO_SCTP:
		return "sctp";
	}
	return "?";
}

static int
portspec_number(const char *s, size_t n, const char *whole, unsigned *out, struct err *e)
{
	long v;

	switch (portnum_parse(s, n, &v)) {
	case PORTNUM_OK:
		if (v == 0)
			break;
		*out = (unsigned)v;
		return 0;
	case PORTNUM_NOT_A_NUMBER:
		if (n == 0)
			return err_set(e, "\"%s\": missing port number", whole);
		return err_set(e, "\"%s\": port must be a number from 1 to 65535", whole);
	}
	return err_set(e, "\"%s\": port out of range (1-65535)", whole);
}

int
portspec_parse(const char *s, struct portspec *out, struct err *e)
{
	size_t len = strnlen(s, PORTSPEC_MAXLEN + 1);
	const char *slash;

	if (len > PORTSPEC_MAXLEN)
		return err_set(e, "\"%.*s...\": not a port", PORTSPEC_MAXLEN, s);
	slash = memchr(s, '/', len);
	if (portspec_number(s, slash ? (size_t)(slash - s) : len, s, &out->port, e) == -1)
		return -1;
	if (slash == NULL) {
		out->protos = PROTO_DEFAULT;
		return 0;
	}
	out->protos = portspec_proto(slash + 1);
	if (out->protos == 0)
		return err_set(e, "\"%s\": unknown protocol \"%s\" (tcp, udp or sctp)", s,
		               slash + 1);
	return 0;
}
