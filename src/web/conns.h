/*
 * conns.h - fair shares of the server's connections (server.c).
 *
 * One client must not lock everyone else out, so:
 *
 * - Per address: at most a cap of connections from one IPv4 address or
 *   one IPv6 /64 (what one subscriber gets).  Counters live in a fixed
 *   table of atomics indexed by a keyed hash of the address, so accepting
 *   and closing take no lock and the memory is bounded whatever the
 *   number of clients.  Two addresses that share a counter by chance
 *   share the cap (stricter for both, never looser); with 65,536
 *   counters and a random key per process that is rare and cannot be
 *   aimed at.
 * - Idle connections (accepted, or between requests, and not yet sent a
 *   whole request head) sit in a per-thread list in the order they went
 *   idle.  Each has a total deadline for its next request head, not
 *   reset by bytes trickling in; the oldest is the first past it, and the
 *   first shed when the table is full.  The lists are each touched only
 *   by their shard's thread.
 * - Drops are counted, not logged one by one: one summary line per
 *   interval, and at most a few of libmicrohttpd's own messages.
 */
#ifndef PORTOLAN_CONNS_H
#define PORTOLAN_CONNS_H

#include <sys/socket.h>
#include <stdatomic.h>
#include <stddef.h>

#define CONNS_ADDR_SLOTS   65536
#define CONNS_LOG_INTERVAL 10000 /* ms between drop summaries */
#define CONNS_LOG_BURST    3     /* library messages logged per interval */

struct conns_addrs {
	unsigned cap; /* connections per address; 0: no cap */
	unsigned long long key[2];
	atomic_uint count[CONNS_ADDR_SLOTS];
};

/* The key drawn at random; 0, or -1 when getrandom() fails. */
int conns_addrs_init(struct conns_addrs *t, unsigned cap);
/* The slot of sa's address (IPv4, or IPv6 by /64; an IPv4-mapped address as IPv4). */
unsigned conns_addr_slot(const struct conns_addrs *t, const struct sockaddr *sa);
/* Count a connection in slot; 0 when that address is at its cap (nothing counted). */
int conns_addr_take(struct conns_addrs *t, unsigned slot);
void conns_addr_put(struct conns_addrs *t, unsigned slot);

/* A connection's place in its thread's idle list; embedded in the connection's state. */
struct conns_link {
	struct conns_link *prev, *next;
	long long since; /* ms (CLOCK_MONOTONIC) when it went idle */
	int in;          /* on the list */
};

struct conns_idle {
	struct conns_link *head, *tail; /* oldest first */
};

/* Append (now idle) or remove; both idempotent. */
void conns_idle_add(struct conns_idle *l, struct conns_link *c, long long now);
void conns_idle_remove(struct conns_idle *l, struct conns_link *c);

enum conns_drop {
	CONNS_DROP_ADDRESS,  /* over the per-address cap, refused at accept */
	CONNS_DROP_DEADLINE, /* no whole request head in time */
	CONNS_DROP_SHED,     /* the oldest idle, closed to make room */
	CONNS_DROP_FULL,     /* refused: full, and nothing idle to shed */
	CONNS_DROP_COUNT
};

struct conns_log {
	atomic_ullong drops[CONNS_DROP_COUNT];
	atomic_ullong suppressed;                      /* library messages not logged */
	atomic_llong window;                           /* start of the current interval, ms */
	atomic_int messages;                           /* library messages logged in it */
	unsigned long long seen[CONNS_DROP_COUNT + 1]; /* at the last summary (one thread) */
};

void conns_drop(struct conns_log *g, enum conns_drop why);
/* 1 when a library message may be logged now (else it is counted). */
int conns_log_allow(struct conns_log *g, long long now);
/*
 * The summary of drops since the last call into buf, or "" when there
 * were none; call from one thread, once per CONNS_LOG_INTERVAL.
 */
void conns_log_summary(struct conns_log *g, char *buf, size_t len);

#endif
