/*
 * portspec.h - a port argument as a user types it: "3106", "3106/udp".
 *
 * Every command that takes a port (who, listening --port) and the audit's
 * expect file read ports through this one parser, so "0", "65536", "abc",
 * "-1" and "80/xyz" are refused with the same sentence everywhere.  The
 * parser is strict on purpose: no leading '+', no white space, no hex, no
 * trailing junk, because a lenient strtol would quietly turn "80x" into 80.
 *
 * Several ports at once ("8000-8100,53/udp", as `who` and `listening
 * --port` take them) are a portset: the ranges a user typed, each with its
 * protocols, tested against a socket by portset_has().  Service names in
 * such a list need the registry, so the command resolves those and adds
 * them as one-port ranges.
 *
 * The result owns no memory.  Errors are ERR_INPUT and name the offending
 * text; the caller adds where it came from (argument, file:line).
 */
#ifndef PORTOLAN_MACHINE_PORTSPEC_H
#define PORTOLAN_MACHINE_PORTSPEC_H

#include "../util/err.h"

/* Transport protocols as a bit set, so "any" is simply several bits. */
enum {
	PROTO_TCP = 1u << 0,
	PROTO_UDP = 1u << 1,
	PROTO_SCTP = 1u << 2,
};
#define PROTO_DEFAULT (PROTO_TCP | PROTO_UDP) /* what a bare "3106" means */

struct portspec {
	unsigned port;   /* 1..65535 */
	unsigned protos; /* PROTO_* bits; PROTO_DEFAULT when no "/proto" given */
};

/* Parse "PORT" or "PORT/PROTO"; 0 or -1 with ERR_INPUT in e. */
int portspec_parse(const char *s, struct portspec *out, struct err *e);

struct portrange {
	unsigned lo, hi; /* 1..65535, lo <= hi */
	unsigned protos; /* PROTO_* bits */
};

#define PORTSET_MAX 64 /* ranges in one argument: far more than anyone types */

struct portset {
	struct portrange v[PORTSET_MAX];
	size_t n;
};

/* Parse "PORT", "LO-HI", either with "/PROTO"; 0 or -1 with ERR_INPUT in e. */
int portspec_parse_range(const char *s, struct portrange *out, struct err *e);
/* Append r; -1 (ERR_INPUT) past PORTSET_MAX. */
int portset_add(struct portset *ps, const struct portrange *r, struct err *e);
/* Whether port/proto (one PROTO_* bit) is in the set. */
int portset_has(const struct portset *ps, unsigned port, unsigned proto);
/* The union of the ranges' protocols. */
unsigned portset_protos(const struct portset *ps);
/* Parse a protocol name ("tcp", "udp", "sctp"); returns its PROTO_* bit or 0. */
unsigned portspec_proto(const char *name);
/* The lower-case name of one PROTO_* bit ("tcp"), "?" for anything else. */
const char *portspec_proto_name(unsigned proto);

#endif
