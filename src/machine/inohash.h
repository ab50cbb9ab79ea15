/*
 * inohash.h - socket inode -> index, an open-addressing hash.
 *
 * The /proc walk reads tens of thousands of "socket:[N]" links and must ask,
 * for each, "is N one of the sockets we want?".  The table is built once
 * before the walk and then only read, by several threads at once and
 * without locks, so it is a flat array with linear probing: one cache line
 * per lookup in the common miss case, no pointers to chase, no allocation
 * after inohash_init().  The load factor stays at or below one half, which
 * keeps probe sequences short.
 *
 * Inode 0 marks an empty slot (the kernel never hands out inode 0 for a
 * socket), so 0 cannot be stored.  The table owns its array;
 * inohash_free() releases it.  Only inohash_init() can fail (ERR_INTERNAL,
 * out of memory).
 */
#ifndef PORTOLAN_MACHINE_INOHASH_H
#define PORTOLAN_MACHINE_INOHASH_H

#include <stddef.h>
#include <stdint.h>

#include "../util/err.h"

#define INOHASH_NONE ((size_t)-1)

struct inohash_slot {
	uint64_t ino; /* 0: empty */
	size_t val;
};

struct inohash {
	struct inohash_slot *slot;
	size_t mask; /* capacity - 1; capacity is a power of two */
	size_t n;
	size_t max; /* most entries before the load factor passes one half */
};

/* Size the table for at most max entries. */
int inohash_init(struct inohash *h, size_t max, struct err *e);
void inohash_free(struct inohash *h);
/* Insert or replace; -1 when ino is 0 or the table is full (a caller bug). */
int inohash_put(struct inohash *h, uint64_t ino, size_t val);
/* The value stored for ino, or INOHASH_NONE. */
size_t inohash_get(const struct inohash *h, uint64_t ino);

#endif
