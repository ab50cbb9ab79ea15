/*
 * query.h - what the user asked about: "3516", "3516/udp", "6000-6063",
 * "smartcard-port", "http/tcp", "9pfs", "EtherNet/IP-1".
 *
 * A query is a port, a range, either with "/PROTO", or else a service name,
 * with or without "/PROTO".  A '/' is the protocol's only when a protocol
 * follows it, so "EtherNet/IP-1" is one name and "EtherNet/IP-1/udp" that
 * name over UDP.  Something of digits and '-' alone is a port or a range
 * ("802-11" is a range; "802-11-iapp", with letters, a name).
 *
 * Parsing is strict because the same parser guards the command line and the
 * web server: digits only, no sign, no leading "+", 0..65535, lo <= hi, a
 * protocol from the four IANA knows, a service name of IANA's characters
 * (letters, digits, '-', plus the historic '_', '*', '+', '.', '/'),
 * starting with a letter or digit, with a letter somewhere (RFC 6335), up
 * to 63 bytes.  Names are kept as typed; every lookup compares them without
 * regard to case.  Everything else is ERR_INPUT with a message that says why.
 */
#ifndef PORTOLAN_QUERY_H
#define PORTOLAN_QUERY_H

#include "registry/model.h"

struct query {
	long port_lo, port_hi; /* PORT_NONE when the query is a service name */
	char protocol[8];      /* "" for every protocol */
	char service[64];      /* "" when the query is a port */
	char text[80];         /* the query as given, for messages and the report */
};

int query_parse(const char *arg, struct query *q, struct err *e);
/* Parse a protocol name; -1 unless tcp, udp, sctp or dccp (any case). Lowercases into out[8]. */
int query_parse_protocol(const char *s, char out[8], struct err *e);
/* Parse "N" as a port number; -1 with a message for anything else. */
int query_parse_port(const char *s, long *port, struct err *e);

#endif
