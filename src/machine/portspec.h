/*
 * portspec.h - a port argument as a user types it: "3106", "3106/udp".
 *
 * Every command that takes a port (who, listening --port) and the audit's
 * expect file read ports through this one parser, so "0", "65536", "abc",
 * "-1" and "80/xyz" are refused with the same sentence everywhere.  The
 * parser is strict on purpose: no leading '+', no white space, no hex, no
 * trailing junk, because a lenient strtol would quietly turn "80x" into 80.
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
/* Parse a protocol name ("tcp", "udp", "sctp"); returns its PROTO_* bit or 0. */
unsigned portspec_proto(const char *name);
/* The lower-case name of one PROTO_* bit ("tcp"), "?" for anything else. */
const char *portspec_proto_name(unsigned proto);

#endif
