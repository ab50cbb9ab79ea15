/*
 * identity.h - a port's one-line identity: the registry's service name
 * and description, and whether anything is registered there.
 *
 * Both the port report (report.c) and the listings of this machine's
 * listeners (listening.c) need it, and the report also shows the
 * listeners of its port: the identity sits below both so neither has to
 * include the other.
 *
 * A listing asks for thousands of ports at once, so the one query takes
 * every port wanted together (identity_ports()): one statement walks the
 * registry's port index once per port, where a statement per port spent
 * most of its time being prepared.  A single port is the same call with
 * one entry, so the two never rank records differently.
 *
 * The caller owns the arrays; nothing is allocated that outlives a call.
 * Errors: -1 with e filled (ERR_INTERNAL) when the database fails.
 */
#ifndef PORTOLAN_IDENTITY_H
#define PORTOLAN_IDENTITY_H

#include <stddef.h>

#include "registry/store.h"
#include "util/err.h"

struct port_identity {
	char service[64];      /* the registry's name, "" when unassigned */
	char description[256]; /* the registry's description, or "Unlisted"/"Dynamic/private range"
	                        */
	int assigned;          /* 1 when a service is registered on this port/protocol */
};

/* One wanted port: port and protocol in ("" for any), id out. */
struct identity_want {
	long port;
	const char *protocol; /* "tcp", "udp", "sctp", or "" */
	struct port_identity id;
};

/*
 * Fill v[i].id for every entry: the registry's narrowest named record on
 * the port for its protocol (a record naming no protocol serves every
 * one), else the narrowest unnamed one, else the words for a port the
 * registry does not list.
 */
int identity_ports(struct store *st, struct identity_want *v, size_t n, struct err *e);
/* The same for one port. */
int identity_port(struct store *st, long port, const char *protocol, struct port_identity *out,
                  struct err *e);

#endif
