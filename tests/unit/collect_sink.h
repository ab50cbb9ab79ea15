/*
 * collect_sink.h - a sink for importer tests that keeps the last record
 * (and counts all of them), shared by the CSV and npm tests, whose
 * importers hand over the same canonical records.
 *
 * Header-only on purpose: each test binary is one translation unit.
 */
#ifndef PORTOLAN_TEST_COLLECT_SINK_H
#define PORTOLAN_TEST_COLLECT_SINK_H

#include <stdio.h>
#include <string.h>

#include "registry/model.h"

struct collect {
	int n;
	char service[64], protocol[16], description[256], assignee[64], registered[16];
	char notes[256], unauthorized[64];
	long lo, hi, line;
	char latest[16]; /* meta "latest_registration" */
	int metas;
	int smartcard_ok; /* the real registry's smartcard-port 3516/tcp row was right */
};

static int
collect_record(void *ctx, const struct reg_record *r, struct err *e)
{
	struct collect *c = ctx;

	(void)e;
	c->n++;
	snprintf(c->service, sizeof(c->service), "%s", r->service);
	snprintf(c->protocol, sizeof(c->protocol), "%s", r->protocol);
	snprintf(c->description, sizeof(c->description), "%s", r->description);
	snprintf(c->assignee, sizeof(c->assignee), "%s", r->assignee);
	snprintf(c->registered, sizeof(c->registered), "%s", r->registered);
	snprintf(c->notes, sizeof(c->notes), "%s", r->notes);
	snprintf(c->unauthorized, sizeof(c->unauthorized), "%s", r->unauthorized);
	c->lo = r->port_lo;
	c->hi = r->port_hi;
	c->line = r->line;
	if (strcmp(r->service, "smartcard-port") == 0 && r->port_lo == 3516 &&
	    strcmp(r->protocol, "tcp") == 0)
		c->smartcard_ok = strcmp(r->assignee, "[Scott_Guthery]") == 0 &&
		                  strcmp(r->registered, "2002-05") == 0;
	return 0;
}

static int
collect_meta(void *ctx, const char *key, const char *value, struct err *e)
{
	struct collect *c = ctx;

	(void)e;
	if (strcmp(key, "latest_registration") == 0)
		snprintf(c->latest, sizeof(c->latest), "%s", value);
	c->metas++;
	return 0;
}

#endif
