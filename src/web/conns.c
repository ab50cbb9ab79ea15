/*
 * conns.c - per-address caps, idle lists and drop counts (conns.h).
 */
#include <sys/random.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "conns.h"

int
conns_addrs_init(struct conns_addrs *t, unsigned cap)
{
	size_t i;

	t->cap = cap;
	for (i = 0; i < CONNS_ADDR_SLOTS; i++)
		atomic_init(&t->count[i], 0);
	return getrandom(t->key, sizeof(t->key), 0) == (ssize_t)sizeof(t->key) ? 0 : -1;
}

/* A keyed mix of 64 bits of address (splitmix64's finalizer): no lock, a few ns. */
static unsigned
conns_mix(const struct conns_addrs *t, unsigned long long x)
{
	x = (x ^ t->key[0]) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27) ^ t->key[1]) * 0x94d049bb133111ebULL;
	x ^= x >> 31;
	return (unsigned)(x % CONNS_ADDR_SLOTS);
}

unsigned
conns_addr_slot(const struct conns_addrs *t, const struct sockaddr *sa)
{
	static const unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
	unsigned long long x = 0;
	uint32_t v4;
	const unsigned char *a6;

	if (sa != NULL && sa->sa_family == AF_INET) {
		memcpy(&v4, &((const struct sockaddr_in *)sa)->sin_addr, 4);
		x = 1ULL << 32 | v4;
	} else if (sa != NULL && sa->sa_family == AF_INET6) {
		a6 = ((const struct sockaddr_in6 *)sa)->sin6_addr.s6_addr;
		if (memcmp(a6, mapped, sizeof(mapped)) == 0) {
			memcpy(&v4, a6 + 12, 4);
			x = 1ULL << 32 | v4;
		} else {
			memcpy(&x, a6, 8); /* the /64 */
			x ^= 0x6ULL << 56;
		}
	}
	return conns_mix(t, x);
}

int
conns_addr_take(struct conns_addrs *t, unsigned slot)
{
	if (t->cap == 0)
		return 1;
	if (atomic_fetch_add(&t->count[slot], 1) >= t->cap) {
		atomic_fetch_sub(&t->count[slot], 1);
		return 0;
	}
	return 1;
}

void
conns_addr_put(struct conns_addrs *t, unsigned slot)
{
	if (t->cap != 0)
		atomic_fetch_sub(&t->count[slot], 1);
}

void
conns_idle_add(struct conns_idle *l, struct conns_link *c, long long now)
{
	if (c->in)
		return;
	c->since = now;
	c->next = NULL;
	c->prev = l->tail;
	if (l->tail != NULL)
		l->tail->next = c;
	else
		l->head = c;
	l->tail = c;
	c->in = 1;
}

void
conns_idle_remove(struct conns_idle *l, struct conns_link *c)
{
	if (!c->in)
		return;
	if (c->prev != NULL)
		c->prev->next = c->next;
	else
		l->head = c->next;
	if (c->next != NULL)
		c->next->prev = c->prev;
	else
		l->tail = c->prev;
	c->prev = c->next = NULL;
	c->in = 0;
}

void
conns_drop(struct conns_log *g, enum conns_drop why)
{
	atomic_fetch_add_explicit(&g->drops[why], 1, memory_order_relaxed);
}

int
conns_log_allow(struct conns_log *g, long long now)
{
	long long w = atomic_load(&g->window);

	if (now - w >= CONNS_LOG_INTERVAL && atomic_compare_exchange_strong(&g->window, &w, now))
		atomic_store(&g->messages, 0);
	if (atomic_fetch_add(&g->messages, 1) < CONNS_LOG_BURST)
		return 1;
	atomic_fetch_add_explicit(&g->suppressed, 1, memory_order_relaxed);
	return 0;
}

void
conns_log_summary(struct conns_log *g, char *buf, size_t len)
{
	static const char *const what[CONNS_DROP_COUNT + 1] = {
	    "over the per-address cap", "past the request-head deadline", "idle, shed for room",
	    "refused when full", "library messages not shown"};
	unsigned long long now[CONNS_DROP_COUNT + 1], d;
	size_t o = 0;
	int i, any = 0;

	buf[0] = '\0';
	for (i = 0; i < CONNS_DROP_COUNT; i++)
		now[i] = atomic_load(&g->drops[i]);
	now[CONNS_DROP_COUNT] = atomic_load(&g->suppressed);
	for (i = 0; i <= CONNS_DROP_COUNT && o < len; i++) {
		if ((d = now[i] - g->seen[i]) == 0)
			continue;
		o += (size_t)snprintf(buf + o, len - o, "%s%llu %s",
		                      any ? ", " : "in the last interval: ", d, what[i]);
		any = 1;
		g->seen[i] = now[i];
	}
}
