/*
 * claimcache.c - the server's view of the claims store (claimcache.h).
 *
 * The list is copied out under the mutex and the JSON built from the copy,
 * so a slow page holds the lock only for a memcpy.  The store's one
 * connection is used by one thread at a time, the one holding refresh.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "claimcache.h"
#include "claims/cstore.h"

struct claimcache {
	pthread_mutex_t refresh; /* held by the one thread reading the store: st, url */
	char url[CSTORE_MAX_URL];
	struct cstore *st;
	pthread_mutex_t lock; /* guards everything below */
	struct claim_list list;
	long long loaded_ms; /* when list was read; 0: never */
	int stale;           /* the last refresh failed: list is older than the TTL */
	unsigned long failures;
	unsigned long generation; /* changes whenever list does (claimcache_generation()) */
};

static long long
claimcache_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
 * Read the store again if the list is older than the TTL.  One thread
 * reads while the others go on with the list they have (trylock): a store
 * that is slow or down never holds a page up, and the store is asked one
 * attempt at a time (cstore_set_retries() 1), the next refresh trying again.
 */
/* 1 when two lists hold the same claims in the same order (cstore_list() sorts them). */
static int
claimcache_same(const struct claim_list *a, const struct claim_list *b)
{
	if (a->n != b->n)
		return 0;
	for (size_t i = 0; i < a->n; i++)
		if (!claims_equal(&a->v[i], &b->v[i]))
			return 0;
	return 1;
}

static void
claimcache_refresh(struct claimcache *cc)
{
	struct claim_list fresh = {0};
	struct err e = {0};
	long long now = claimcache_now_ms();
	int ok;

	pthread_mutex_lock(&cc->lock);
	ok = cc->loaded_ms == 0 || now - cc->loaded_ms >= CLAIMCACHE_TTL_MS;
	pthread_mutex_unlock(&cc->lock);
	if (!ok || pthread_mutex_trylock(&cc->refresh) != 0)
		return;
	if (cc->st == NULL && cstore_open(cc->url, CSTORE_READ, &cc->st, &e) == 0)
		cstore_set_retries(cc->st, 1);
	ok = e.kind == ERR_NONE && (cc->st == NULL || cstore_list(cc->st, &fresh, &e) == 0);
	pthread_mutex_lock(&cc->lock);
	cc->loaded_ms = now;
	if (ok && cc->st != NULL) {
		cc->generation += !claimcache_same(&cc->list, &fresh);
		claims_free(&cc->list);
		cc->list = fresh;
	}
	cc->stale = !ok;
	cc->failures += !ok;
	pthread_mutex_unlock(&cc->lock);
	pthread_mutex_unlock(&cc->refresh);
}

int
claimcache_open(const char *url, struct claimcache **out, struct err *e)
{
	struct claimcache *cc = calloc(1, sizeof(*cc));

	*out = NULL;
	if (cc == NULL)
		return err_internal(e, "claims: out of memory");
	pthread_mutex_init(&cc->lock, NULL);
	pthread_mutex_init(&cc->refresh, NULL);
	snprintf(cc->url, sizeof(cc->url), "%s", url);
	/* Open and read now, before the server drops privileges, and fail loudly if unusable. */
	if (cstore_open(url, CSTORE_READ, &cc->st, e) == -1 ||
	    (cc->st && cstore_list(cc->st, &cc->list, e) == -1)) {
		claimcache_close(cc);
		return -1;
	}
	cstore_set_retries(cc->st, 1);
	cc->loaded_ms = claimcache_now_ms();
	*out = cc;
	return 0;
}

void
claimcache_close(struct claimcache *cc)
{
	if (cc == NULL)
		return;
	cstore_close(cc->st);
	claims_free(&cc->list);
	pthread_mutex_destroy(&cc->lock);
	pthread_mutex_destroy(&cc->refresh);
	free(cc);
}

/* A copy of the current list (the caller frees it); -1 out of memory. */
static int
claimcache_copy(struct claimcache *cc, struct claim_list *out, int *stale)
{
	int rc = 0;

	claimcache_refresh(cc);
	pthread_mutex_lock(&cc->lock);
	for (size_t i = 0; i < cc->list.n && rc == 0; i++)
		rc = claims_append(out, &cc->list.v[i], NULL);
	if (stale)
		*stale = cc->stale;
	pthread_mutex_unlock(&cc->lock);
	return rc;
}

json_t *
claimcache_all(struct claimcache *cc)
{
	struct claim_list l = {0};
	json_t *a = json_array();
	int stale = 0;

	if (cc != NULL)
		claimcache_copy(cc, &l, &stale);
	for (size_t i = 0; i < l.n; i++)
		json_array_append_new(a, claims_json(&l.v[i]));
	claims_free(&l);
	return json_pack("{s:s, s:o, s:b}", "schema", "portolan.claims/1", "claims", a, "stale",
	                 stale);
}

json_t *
claimcache_hook(void *ctx, long lo, long hi)
{
	struct claim_list l = {0};
	json_t *a;

	claimcache_copy(ctx, &l, NULL);
	a = claims_report_hook(&l, lo, hi);
	claims_free(&l);
	return a;
}

long (*claimcache_ranges(struct claimcache *cc, size_t *n))[2]
{
	struct claim_list l = {0};
	long(*r)[2];

	*n = 0;
	if (cc == NULL)
		return NULL;
	claimcache_copy(cc, &l, NULL);
	if ((r = claims_ranges(&l)) != NULL)
		*n = l.n;
	claims_free(&l);
	return r;
}

unsigned long
claimcache_generation(struct claimcache *cc)
{
	unsigned long g;

	if (cc == NULL)
		return 0;
	claimcache_refresh(cc);
	pthread_mutex_lock(&cc->lock);
	g = cc->generation;
	pthread_mutex_unlock(&cc->lock);
	return g;
}

unsigned long
claimcache_failures(struct claimcache *cc)
{
	unsigned long n;

	pthread_mutex_lock(&cc->lock);
	n = cc->failures;
	pthread_mutex_unlock(&cc->lock);
	return n;
}
