/*
 * listeners.h - listening sockets joined with the processes holding them.
 *
 * The one call commands need: sockets.h says what listens (from the
 * kernel), owners.h says who holds it (from /proc), and this module puts
 * the two side by side.  A listener with no visible holder is kept, not
 * dropped: it is counted in `unseen`, and `denied` tells whether that is
 * because some processes' fd tables were closed to us (another user's,
 * when not root) or because the holder lives where /proc does not show it
 * (another PID namespace).
 *
 * Memory: the set owns everything reachable from it, including each
 * listener's holders array (which points into the set's owner list);
 * listeners_free() releases it all.  Errors: those of sockets_list() and
 * owners_find(), always ERR_INTERNAL.
 */
#ifndef PORTOLAN_MACHINE_LISTENERS_H
#define PORTOLAN_MACHINE_LISTENERS_H

#include <stddef.h>

#include "../util/err.h"
#include "owners.h"
#include "sockets.h"

struct listener {
	struct msock s;
	const struct owner *holders; /* borrowed from the set; sorted by pid, fd */
	size_t nholders;             /* 0 when no visible process holds it */
};

struct listener_set {
	struct listener *v;
	size_t n;
	size_t unseen; /* listeners with no visible holder */
	size_t denied; /* processes whose fds we could not read */
	int hidepid;   /* /proc's hidepid= mode (owners_hidepid()): other users' processes hidden */
	struct msock_list socks;
	struct owner_list owners;
};

enum listeners_order {
	LISTENERS_BY_PORT,    /* port, proto, address: the default */
	LISTENERS_BY_PROTO,   /* proto, port, address */
	LISTENERS_BY_ADDRESS, /* family, address, port */
	LISTENERS_BY_PID,     /* first holder's pid (unseen last), port */
	LISTENERS_BY_USER,    /* first holder's user (unseen last), port */
};

/* Every listener matching q with its holders, sorted by port. */
int listeners_collect(const struct sockets_query *q, const struct owners_opts *o,
                      struct listener_set *out, struct err *e);
void listeners_free(struct listener_set *ls);
void listeners_sort(struct listener_set *ls, enum listeners_order order);
/* Parse "port", "proto", "address", "pid", "user"; -1 (ERR_INPUT) otherwise. */
int listeners_order_parse(const char *s, enum listeners_order *out, struct err *e);

#endif
