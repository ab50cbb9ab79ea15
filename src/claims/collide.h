/*
 * collide.h - what a new claim would collide with, and the evidence.
 *
 * Before a claim is stored, `claim add` asks everything portolan knows
 * about its ports, through the port report itself (report_port()), so the
 * evidence is the very facts `portolan PORT` shows:
 *
 *   code             refused  evidence
 *   ephemeral        yes      the ports lie in this machine's ephemeral range
 *   iana             no       IANA assigns the port to another service
 *   malware          no       a curated malware association
 *   curated-use      no       a curated unofficial use
 *   other-database   no       a name in nmap-services or /etc/services
 *   listening        no       something listens here that is not the service
 *
 * ("claimed", another claim on the same ports, protocols and hosts, is
 * refused by the store itself, inside the write transaction: cstore_add().)
 * A warning is overridden with --force and recorded in the claim's ack.
 * A service name the registry or another database gives the same port is
 * no collision: claiming 5432 for "postgresql" agrees with IANA.
 *
 * Ownership: the array returned is the caller's.  NULL with e set on an
 * internal failure of the report.
 */
#ifndef PORTOLAN_COLLIDE_H
#define PORTOLAN_COLLIDE_H

#include <jansson.h>

#include "claims.h"
#include "registry/store.h"
#include "report/report.h"

/* At most this many pieces of evidence per code, so a wide range stays readable. */
#define COLLIDE_MAX_EVIDENCE 5

/* [{"code": "iana", "refused": false, "evidence": "..."}, ...] */
json_t *collide_check(struct store *reg, const struct claim *c, const struct report_env *env,
                      struct err *e);

/* "iana,malware": the codes of the warnings in findings, for the claim's ack. */
void collide_ack(const json_t *findings, char *buf, size_t len);
/* 1 when some finding is refused. */
int collide_refused(const json_t *findings);

#endif
