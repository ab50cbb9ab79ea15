/*
 * pages.h - the data behind the site's non-port pages, assembled from the
 * store like the port report (report.h) so renderers compute nothing.
 *
 * Each function returns a new jansson object (caller releases it with
 * json_decref()) in a documented schema (docs/json-schema.md), or NULL with
 * e filled: ERR_INPUT for an unknown range or service name (the web answers
 * 404), ERR_INTERNAL for database failures.
 */
#ifndef PORTOLAN_PAGES_H
#define PORTOLAN_PAGES_H

#include <jansson.h>

#include "registry/store.h"

/*
 * "portolan.index/1": the registry snapshot (source, date, age), the three
 * ranges with their counts of assigned/unassigned/reserved ports, and the
 * most common ports by nmap-services open frequency (port, name, words).
 */
json_t *pages_index(struct store *st, int most_common, struct err *e);

/*
 * "portolan.range/1" for "well-known", "registered" or "dynamic": the class
 * (name, IANA's term, bounds, meaning) and how crowded it is, in blocks of
 * equal width (64 blocks at most): per block lo, hi, name ("LO-HI", its
 * pages_block() page), assigned, unassigned, reserved port counts (a port
 * counts once, assigned if any protocol is).
 */
json_t *pages_range(struct store *st, const char *name, struct err *e);

/*
 * A block of ports named "LO-HI" (as the range chart links them): 0 with
 * *lo and *hi set when name is two port numbers, lo <= hi, at most
 * PAGES_BLOCK_MAX ports; -1 otherwise.  The web's router and its vote
 * check use it, so both agree on which blocks exist.
 */
#define PAGES_BLOCK_MAX 1024
int pages_block_parse(const char *name, long *lo, long *hi);

/*
 * "portolan.block/1" for the block named "LO-HI": its bounds, the range
 * class its first port is in (as pages_range() describes it), totals as
 * pages_range()'s, and every port of it: {port, service (the registry's
 * name, "" if none), description, status ("assigned", "reserved",
 * "unassigned"; a port counts as in pages_range()), concern (the port's
 * level, concern.h, every protocol)}, and the blocks of the same width
 * before and after it, {lo, hi, name} ("prev", "next"; absent at either
 * end).  ERR_INPUT for a name that is no block.
 */
json_t *pages_block(struct store *st, const char *name, struct err *e);

/*
 * "portolan.service/1": every registry row under a service name (exact,
 * case-insensitive), grouped by port, with the same record objects as the
 * port report, plus other databases' use of the name.
 */
json_t *pages_service(struct store *st, const char *name, struct err *e);

#endif
