/*
 * freeports.h - good ports for a new service: `portolan free`.
 *
 * A port qualifies when nothing the project knows claims it: every IANA
 * row on it says Unassigned (none assigns, reserves or retired it, on any
 * protocol), none says the number was released or withdrawn, IANA records
 * no unauthorized use of it, no other database names it (nmap-services,
 * /etc/services), the curated data records no use, history or note on it,
 * it lies outside this machine's ephemeral range (where the kernel picks
 * source ports), and nothing on this machine listens on it or has it
 * bound, over TCP or UDP, and the organisation has not claimed it (the
 * caller passes its claims' ranges: src/claims/).  One exception: a curated claim wider than
 * FREEPORTS_UNSOURCED_MAX ports with no public source does not leave its
 * ports out (one such entry once emptied 49152-65535); the answer counts
 * the qualifying ports it covers.  These are the facts the port report
 * shows; this module only asks them of every port at once.  Each port left
 * out is counted under its first reason, so the counts and the qualifying
 * ports add up to the ports considered.  The range searched by default starts at the first
 * port an unprivileged user may bind (1024 at the lowest) and ends with the
 * registered range; a range the caller gives is taken as it is.
 *
 * Which qualifying ports to offer: with near, the closest to it; else the
 * middle of the longest stretches of qualifying ports, one per stretch, as
 * a port with no neighbours in use is the least likely to meet a future
 * assignment or a neighbour's range.
 *
 * Ownership: the JSON returned (schema portolan.free/1, docs/json-schema.md)
 * is a new reference for the caller.
 */
#ifndef PORTOLAN_FREEPORTS_H
#define PORTOLAN_FREEPORTS_H

#include <jansson.h>

#include "range.h"
#include "registry/store.h"

#define FREEPORTS_MAX_COUNT 100
/* The widest curated claim (in ports) that leaves its ports out without a source. */
#define FREEPORTS_UNSOURCED_MAX 100

struct freeports_query {
	long lo, hi; /* the ports to consider; lo 0 means "from the first unprivileged port" */
	long near;   /* -1: no preference */
	int count;   /* 1..FREEPORTS_MAX_COUNT */
	int machine; /* 1: leave out ports bound on this machine */
	/* The ephemeral range and first unprivileged port to go by; NULL: this machine's. */
	const struct range_machine *facts;
	/* The organisation's claims, as nclaimed [lo, hi] ranges: never offered ("claimed"). */
	const long (*claimed)[2];
	size_t nclaimed;
};

/* The defaults: 5 ports from the registered range, no preference, this machine checked. */
#define FREEPORTS_QUERY_DEFAULT                                                                    \
	{                                                                                          \
		.lo = 0, .hi = 49151, .near = -1, .count = 5, .machine = 1                         \
	}

/*
 * Set one option of q from text, as the command line (--count N) and the
 * API (?count=N) both take it: name is "count", "near" or "range" (LO-HI,
 * 1 or above); label is how the caller spells it in messages ("--count",
 * "count").  -1 with an ERR_INPUT message for a bad value.
 */
int freeports_option(struct freeports_query *q, const char *name, const char *value,
                     const char *label, struct err *e);

/* NULL with e set (ERR_INPUT for a bad range, ERR_INTERNAL for the store). */
json_t *freeports_find(struct store *st, const struct freeports_query *q, struct err *e);

#endif
