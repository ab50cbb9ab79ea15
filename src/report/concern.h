/*
 * concern.h - how worried to be about a port, and why.
 *
 * The question the level answers (docs/concern.md has it with the rules):
 * you found this port open, or in a log; how worried should you be, and
 * why?  Four levels, none < low < elevated < high.  Each reason is a code
 * with its parameters, the protocols it concerns and the sources it rests
 * on, and justifies a level of its own; the port's level is the highest of
 * them.  Reasons at level none say why something that might look worrying
 * is not counted (an unsourced claim, a claim on thousands of ports).
 *
 * The rules read only facts portolan already holds, in the port report's
 * own shapes (docs/json-schema.md): the registry rows (IANA's
 * unauthorized-use reports, whether a service is registered), the curated
 * uses (malware, scanner and every other category), nmap's open frequency
 * per protocol and the exposure risks of data/exposure.txt.  The port
 * report passes the facts it has gathered; `who`, `listening` and `audit`
 * call concern_port(), which reads the same facts from the store for one
 * listener's port and protocol.  One computation, so the two never differ.
 *
 * No port number appears here: which ports are risky is data.
 *
 * Ownership: every json_t returned is a new reference for the caller; the
 * facts are borrowed.  Errors: concern_exposure() and concern_port() return
 * NULL with e filled (ERR_INTERNAL) when the database fails.
 */
#ifndef PORTOLAN_CONCERN_H
#define PORTOLAN_CONCERN_H

#include <jansson.h>

#include "registry/store.h"

enum concern_level {
	CONCERN_NONE,
	CONCERN_LOW,
	CONCERN_ELEVATED,
	CONCERN_HIGH,
};

/* "none", "low", "elevated", "high". */
const char *concern_level_name(enum concern_level level);
/* The level a name stands for; CONCERN_NONE for a name that is none of the four. */
enum concern_level concern_level_parse(const char *name);

/*
 * What the level is computed from.  Arrays may be NULL (no such facts).
 * records: [{port_lo, port_hi, protocol, service, status, unauthorized,
 * source}], uses: [{port_lo, port_hi, protocols, who, category, sources,
 * source}], frequency: [{protocol, nmap_name, open_frequency}] (nmap, one port),
 * exposure: as concern_exposure() returns it.
 */
struct concern_facts {
	long lo, hi;          /* the port or range asked about */
	const char *protocol; /* "tcp", "udp", "sctp", "dccp"; "" for every protocol */
	const json_t *records;
	const json_t *uses;
	const json_t *frequency;
	const json_t *exposure;
};

/*
 * The assessment: {"level", "codes", "by_protocol"}, where codes are the
 * reasons as data (docs/json-schema.md, "concern"); the renderers put each
 * into words in the reader's language (words_concern() in render/words.c).
 */
json_t *concern_assess(const struct concern_facts *f);

/*
 * The exposure risks on lo..hi for protocol ("" for any), as [{port_lo,
 * port_hi, protocols, who, level, text, sources, source}].
 */
json_t *concern_exposure(struct store *st, long lo, long hi, const char *protocol, struct err *e);

/* The assessment of one port for one protocol ("" for any), every fact read from the store. */
json_t *concern_port(struct store *st, long port, const char *protocol, struct err *e);

/* One port of many for concern_ports(): port and protocol in, assessment out (caller's). */
struct concern_want {
	long port;
	const char *protocol; /* "" or NULL for any */
	json_t *assessment;   /* as concern_port() returns it */
};
/*
 * concern_port() for every entry at once, each kind of fact read in one
 * statement for all of them.  0, or -1 with e filled (no assessment is
 * left to release then).
 */
int concern_ports(struct store *st, struct concern_want *v, size_t n, struct err *e);

#endif
