/*
 * inohash.c - linear probing over a power-of-two array.
 *
 * Socket inode numbers are handed out sequentially, so the low bits alone
 * would be a decent hash; a 64-bit multiplicative mix (Fibonacci hashing)
 * still spreads runs of neighbouring inodes, which matter when a pre-fork
 * server opens hundreds of sockets in a row.
 */
#include <stdlib.h>

#include "inohash.h"

static size_t
inohash_index(const struct inohash *h, uint64_t ino)
{
	/* The high half of the product mixes all input bits; tables stay far below 2^32. */
	return (size_t)((ino * 0x9E3779B97F4A7C15ull) >> 32) & h->mask;
}

int
inohash_init(struct inohash *h, size_t max, struct err *e)
{
	size_t cap = 16;

	while (cap < 2 * max) {
		if (cap > SIZE_MAX / 4 / sizeof(*h->slot))
			return err_internal(e, "inode table: %zu entries is too many", max);
		cap *= 2;
	}
	h->slot = calloc(cap, sizeof(*h->slot));
	if (h->slot == NULL)
		return err_internal(e, "inode table: out of memory");
	h->mask = cap - 1;
	h->n = 0;
	h->max = cap / 2;
	return 0;
}

void
inohash_free(struct inohash *h)
{
	free(h->slot);
	h->slot = NULL;
	h->n = h->max = h->mask = 0;
}

int
inohash_put(struct inohash *h, uint64_t ino, size_t val)
{
	size_t i;

	if (ino == 0 || h->slot == NULL)
		return -1;
	for (i = inohash_index(h, ino);; i = (i + 1) & h->mask) {
		if (h->slot[i].ino == ino) {
			h->slot[i].val = val;
			return 0;
		}
		if (h->slot[i].ino == 0)
			break;
	}
	if (h->n >= h->max)
		return -1;
	h->slot[i].ino = ino;
	h->slot[i].val = val;
	h->n++;
	return 0;
}

size_t
inohash_get(const struct inohash *h, uint64_t ino)
{
	if (ino == 0 || h->slot == NULL)
		return INOHASH_NONE;
	for (size_t i = inohash_index(h, ino);; i = (i + 1) & h->mask) {
		if (h->slot[i].ino == ino)
			return h->slot[i].val;
		if (h->slot[i].ino == 0)
			return INOHASH_NONE;
	}
}
