/*
 * headline.h - what a person will most likely find on a port.
 *
 * The registry says what a port was assigned to; the headline says what
 * answers there in practice.  It is not worked out here: the curated file
 * data/likely.txt states it, with its sources, per port and protocol, as
 * one of three answers (model.h): the IANA service itself ("official"),
 * one unofficial use that dominates ("unofficial"), or several uses with
 * none dominating ("mixed").  This module picks the stanza that answers
 * the report's query and sets IANA's registration beside it, so a reader
 * sees both at once ("Elasticsearch REST API (unofficial) · IANA: wap-wsp").
 *
 * Which stanza answers: one whose ports contain all of the query's ports
 * and whose protocols include the query's protocol; when the query names
 * none, the stanza with the earliest protocol in tcp, udp, sctp, dccp
 * order, because most people who ask about a bare port number mean TCP.
 *
 * Ownership: headline_build() returns a new reference, json_null() when
 * the curated data has no answer for the query; NULL only on a database
 * error (e filled, ERR_INTERNAL).
 */
#ifndef PORTOLAN_HEADLINE_H
#define PORTOLAN_HEADLINE_H

#include <jansson.h>

#include "registry/store.h"

/*
 * rep is the report being built: its port_lo, port_hi and records are
 * read (records give IANA's registration); protocol is the query's, ""
 * for any.  The object's keys are documented in docs/json-schema.md
 * (identity.headline).
 */
json_t *headline_build(struct store *st, const json_t *rep, const char *protocol, struct err *e);

#endif
