/*
 * listeners.c - the join of sockets.c and owners.c.
 *
 * owners_find() returns its hits sorted by socket index, so each
 * listener's holders are one contiguous run of that array and the join is
 * a single pass with no copying.  Sorting reorders listeners only; the
 * holder runs they point at do not move.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "listeners.h"

static int
listeners_join(struct listener_set *ls, struct err *e)
{
	size_t h = 0;

	ls->v = calloc(ls->socks.n ? ls->socks.n : 1, sizeof(*ls->v));
	if (ls->v == NULL)
		return err_internal(e, "listeners: out of memory");
	for (size_t i = 0; i < ls->socks.n; i++) {
		struct listener *l = &ls->v[ls->n++];

		l->s = ls->socks.v[i];
		l->holders = ls->owners.v ? &ls->owners.v[h] : NULL;
		while (h < ls->owners.n && ls->owners.v[h].sock == i) {
			h++;
			l->nholders++;
		}
		if (l->nholders == 0)
			ls->unseen++;
	}
	return 0;
}

int
listeners_collect(const struct sockets_query *q, const struct owners_opts *o,
                  struct listener_set *out, struct err *e)
{
	uint64_t *inodes = NULL;
	int rc = -1;

	memset(out, 0, sizeof(*out));
	if (sockets_list(q, &out->socks, e) == -1)
		return -1;
	if (out->socks.n == 0)
		return listeners_join(out, e);
	inodes = malloc(out->socks.n * sizeof(*inodes));
	if (inodes == NULL)
		return err_internal(e, "listeners: out of memory");
	for (size_t i = 0; i < out->socks.n; i++)
		inodes[i] = out->socks.v[i].inode;
	if (owners_find(o, inodes, out->socks.n, &out->owners, e) == -1)
		goto out;
	out->denied = out->owners.denied;
	out->hidepid = owners_hidepid(o ? o->proc : NULL); /* o may be NULL: defaults */
	if (listeners_join(out, e) == -1)
		goto out;
	listeners_sort(out, LISTENERS_BY_PORT);
	rc = 0;
out:
	free(inodes);
	return rc;
}

void
listeners_free(struct listener_set *ls)
{
	free(ls->v);
	sockets_free(&ls->socks);
	owners_free(&ls->owners);
	memset(ls, 0, sizeof(*ls));
}

static int
listeners_cmp_uint(unsigned long a, unsigned long b)
{
	return (a > b) - (a < b);
}

static int
listeners_cmp_addr(const struct listener *x, const struct listener *y)
{
	int c = listeners_cmp_uint((unsigned long)x->s.family, (unsigned long)y->s.family);

	return c ? c : memcmp(x->s.addr, y->s.addr, sizeof(x->s.addr));
}

static int
listeners_cmp_port(const struct listener *x, const struct listener *y)
{
	int c = listeners_cmp_uint(x->s.port, y->s.port);

	if (c == 0)
		c = listeners_cmp_uint(x->s.proto, y->s.proto);
	if (c == 0)
		c = listeners_cmp_addr(x, y);
	return c ? c : listeners_cmp_uint(x->s.inode, y->s.inode);
}

/* Listeners with no holder sort after every listener with one. */
static int
listeners_cmp_holder(const struct listener *x, const struct listener *y, int by_user)
{
	if (x->nholders == 0 || y->nholders == 0)
		return listeners_cmp_uint(x->nholders == 0, y->nholders == 0);
	if (by_user)
		return strcmp(x->holders[0].user, y->holders[0].user);
	return listeners_cmp_uint((unsigned long)x->holders[0].pid,
	                          (unsigned long)y->holders[0].pid);
}

static enum listeners_order listeners_order_tab[] = {LISTENERS_BY_PORT, LISTENERS_BY_PROTO,
                                                     LISTENERS_BY_ADDRESS, LISTENERS_BY_PID,
                                                     LISTENERS_BY_USER};
static const char *const listeners_order_name[] = {"port", "proto", "address", "pid", "user"};

/* qsort has no context argument; the order is encoded in which function runs. */
#define LISTENERS_CMP(name, first)                                                                 \
	static int name(const void *a, const void *b)                                              \
	{                                                                                          \
		const struct listener *x = a, *y = b;                                              \
		int c = (first);                                                                   \
		return c ? c : listeners_cmp_port(x, y);                                           \
	}
LISTENERS_CMP(listeners_by_port, 0)
LISTENERS_CMP(listeners_by_proto, listeners_cmp_uint(x->s.proto, y->s.proto))
LISTENERS_CMP(listeners_by_address, listeners_cmp_addr(x, y))
LISTENERS_CMP(listeners_by_pid, listeners_cmp_holder(x, y, 0))
LISTENERS_CMP(listeners_by_user, listeners_cmp_holder(x, y, 1))

void
listeners_sort(struct listener_set *ls, enum listeners_order order)
{
	static int (*const cmp[])(const void *, const void *) = {
	    [LISTENERS_BY_PORT] = listeners_by_port,
	    [LISTENERS_BY_PROTO] = listeners_by_proto,
	    [LISTENERS_BY_ADDRESS] = listeners_by_address,
	    [LISTENERS_BY_PID] = listeners_by_pid,
	    [LISTENERS_BY_USER] = listeners_by_user,
	};

	if (ls->n > 1)
		qsort(ls->v, ls->n, sizeof(*ls->v), cmp[order]);
}

int
listeners_order_parse(const char *s, enum listeners_order *out, struct err *e)
{
	for (size_t i = 0; i < sizeof(listeners_order_tab) / sizeof(listeners_order_tab[0]); i++) {
		if (strcmp(s, listeners_order_name[i]) == 0) {
			*out = listeners_order_tab[i];
			return 0;
		}
	}
	return err_set(e, "--sort \"%.64s\": expected port, proto, address, pid or user", s);
}
