/*
 * claims.h - an organisation's own ports: the claim, its text format, and
 * the rules two claims collide by.
 *
 * A claim says "PORT (or LO-HI) over these protocols, on the hosts this
 * pattern matches, is ours, for SERVICE, owned by TEAM".  It is made by a
 * login user at a UTC time, and it may acknowledge public uses of the port
 * its maker was warned about (`claim add --force`).
 *
 * The text format (`claim export`, `claim import`) is one claim per line,
 * sorted by port, fields always in the same order, so an organisation can
 * keep the file in git and review a change as a one-line diff:
 *
 *	# portolan claims/1
 *	8443/tcp      billing-api  owner=payments contact=pay@example.org hosts=web-*
 *	9100-9110/udp metrics      owner=sre note="one per shard" by=alice at=2026-12-07T18:48:24Z
 *
 * PORT[-HI][/PROTO] first (PROTO: tcp, udp or tcp,udp; tcp when absent),
 * then SERVICE, then key=value fields: owner (required), contact, hosts (a
 * shell pattern for hostnames, comma-separated alternatives; "*" when
 * absent), note, by, at (ISO 8601 UTC), ack (acknowledged warning codes,
 * comma-separated).  A value with blanks, '"' or '\' is written in double
 * quotes with '\"' and '\\' escaped.  '#' starts a comment at the start of
 * a line.  The file is outside input: bounded (CLAIMS_MAX_BYTES, field
 * lengths below), and every refusal names file:line and the field.
 *
 * Memory: a claim_list owns its array until claims_free().  Errors:
 * ERR_INPUT for the text, ERR_INTERNAL for memory.
 */
#ifndef PORTOLAN_CLAIMS_H
#define PORTOLAN_CLAIMS_H

#include <stddef.h>

#include <jansson.h>

#include "util/err.h"
#include "util/strbuf.h"

#define CLAIMS_FORMAT    "portolan claims/1"
#define CLAIMS_MAX_BYTES (4u << 20)
#define CLAIMS_MAX_LINE  2048

enum { CLAIM_TCP = 1u << 0, CLAIM_UDP = 1u << 1 };

struct claim {
	long lo, hi;
	unsigned protos; /* CLAIM_* bits */
	char service[64];
	char owner[64];
	char contact[128];
	char hosts[128];
	char note[256];
	char by[64];
	char at[24];   /* "2026-12-07T18:48:24Z" */
	char ack[128]; /* "iana,other-database" */
};

struct claim_list {
	struct claim *v;
	size_t n, cap;
};

/* "8443", "8000-8010/udp", "53/tcp,udp" into c's lo, hi and protos. */
int claims_parse_port(const char *s, struct claim *c, struct err *e);
/* The port field as the format writes it ("8000-8010/tcp,udp"). */
void claims_port_str(const struct claim *c, char *buf, size_t len);
/* "tcp", "udp" or "tcp,udp". */
const char *claims_proto_str(unsigned protos);

/*
 * Check a claim's fields (service and owner given, names printable, no
 * control characters anywhere); -1 with ERR_INPUT naming the field.
 */
int claims_validate(const struct claim *c, struct err *e);

/* Parse len bytes of the text format; name is used in messages. */
int claims_parse(const char *name, const char *buf, size_t len, struct claim_list *out,
                 struct err *e);
/* Read and parse a file ("-" is standard input). */
int claims_load(const char *path, struct claim_list *out, struct err *e);
/* The whole list in the text format, sorted, with its header line. */
int claims_format(const struct claim_list *l, struct strbuf *out, struct err *e);

int claims_append(struct claim_list *l, const struct claim *c, struct err *e);
void claims_sort(struct claim_list *l);
void claims_free(struct claim_list *l);

/* 1 when the two host patterns can name one host ("*", equal, or one matches the other). */
int claims_hosts_overlap(const char *a, const char *b);
/* 1 when hostname matches the claim's hosts pattern. */
int claims_hosts_match(const char *pattern, const char *hostname);
/* 1 when a and b share a port, a protocol and a host: they cannot both stand. */
int claims_overlap(const struct claim *a, const struct claim *b);
/* 1 when a and b are the same claim: same ports, protocols and hosts. */
int claims_same_key(const struct claim *a, const struct claim *b);

/* One claim as JSON (docs/json-schema.md, "claims"): a new reference. */
json_t *claims_json(const struct claim *c);
/*
 * The claims of l (a struct claim_list *) on lo..hi as a new JSON array:
 * the port report's hook (report_env.claims).
 */
json_t *claims_report_hook(void *l, long lo, long hi);

/* The [lo, hi] of every claim, a new array of l->n (free() it); NULL when empty or out of memory.
 */
long (*claims_ranges(const struct claim_list *l))[2];

/* 1 when every field of a and b is the same. */
int claims_equal(const struct claim *a, const struct claim *b);

/* The login user (getlogin(), else the effective user's name) and the UTC time now. */
void claims_stamp(struct claim *c);

#endif
