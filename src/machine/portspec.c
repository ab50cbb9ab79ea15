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

/* The protocol after a '/', or PROTO_DEFAULT without one; -1 (e filled) for an unknown one. */
static int
portspec_suffix(const char *s, const char *slash, unsigned *protos, struct err *e)
{
	if (slash == NULL) {
		*protos = PROTO_DEFAULT;
		return 0;
	}
	if ((*protos = portspec_proto(slash + 1)) == 0)
		return err_set(e, "\"%s\": unknown protocol \"%s\" (tcp, udp or sctp)", s,
		               slash + 1);
	return 0;
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
	return portspec_suffix(s, slash, &out->protos, e);
}

int
portspec_parse_range(const char *s, struct portrange *out, struct err *e)
{
	size_t len = strnlen(s, PORTSPEC_MAXLEN + 1), n;
	const char *slash, *dash;

	if (len > PORTSPEC_MAXLEN)
		return err_set(e, "\"%.*s...\": not a port", PORTSPEC_MAXLEN, s);
	slash = memchr(s, '/', len);
	n = slash ? (size_t)(slash - s) : len;
	dash = memchr(s, '-', n);
	if (portspec_number(s, dash ? (size_t)(dash - s) : n, s, &out->lo, e) == -1)
		return -1;
	out->hi = out->lo;
	if (dash && portspec_number(dash + 1, n - (size_t)(dash + 1 - s), s, &out->hi, e) == -1)
		return -1;
	if (out->hi < out->lo)
		return err_set(e, "\"%s\": the range ends before it starts", s);
	return portspec_suffix(s, slash, &out->protos, e);
}

int
portset_add(struct portset *ps, const struct portrange *r, struct err *e)
{
	if (ps->n == PORTSET_MAX)
		return err_set(e, "more than %d ports or ranges in one list", PORTSET_MAX);
	ps->v[ps->n++] = *r;
	return 0;
}

int
portset_has(const struct portset *ps, unsigned port, unsigned proto)
{
	for (size_t i = 0; i < ps->n; i++)
		if (port >= ps->v[i].lo && port <= ps->v[i].hi && (ps->v[i].protos & proto))
			return 1;
	return 0;
}

unsigned
portset_protos(const struct portset *ps)
{
	unsigned protos = 0;

	for (size_t i = 0; i < ps->n; i++)
		protos |= ps->v[i].protos;
	return protos;
}
