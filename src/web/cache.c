/*
 * cache.c - the direct-mapped response cache (cache.h).
 *
 * FNV-1a picks the slot; the full key is compared, so a collision costs a
 * miss, never a wrong page.  Replaced responses are released with
 * MHD_destroy_response(), which only drops the cache's reference: a
 * connection still sending the old page keeps it alive until it is done.
 */
#include <stdlib.h>
#include <string.h>

#include "cache.h"

static unsigned long long
cache_hash(const char *s)
{
	unsigned long long h = 1469598103934665603ULL;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

int
cache_init(struct cache *c, size_t nslots, struct err *e)
{
	if ((c->slots = calloc(nslots, sizeof(*c->slots))) == NULL)
		return err_internal(e, "cache: out of memory for %zu slots", nslots);
	c->nslots = nslots;
	pthread_rwlock_init(&c->lock, NULL);
	return 0;
}

void
cache_page_release(struct cache_page *p)
{
	int i;

	for (i = 0; i < 2; i++) {
		if (p->ok[i] != NULL)
			MHD_destroy_response(p->ok[i]);
		if (p->not_modified[i] != NULL)
			MHD_destroy_response(p->not_modified[i]);
		p->ok[i] = p->not_modified[i] = NULL;
	}
}

void
cache_free(struct cache *c)
{
	size_t i;

	if (c->slots == NULL)
		return;
	for (i = 0; i < c->nslots; i++)
		if (c->slots[i].used)
			cache_page_release(&c->slots[i].page);
	free(c->slots);
	c->slots = NULL;
	pthread_rwlock_destroy(&c->lock);
}

void
cache_clear(struct cache *c)
{
	size_t i;

	pthread_rwlock_wrlock(&c->lock);
	for (i = 0; i < c->nslots; i++)
		if (c->slots[i].used) {
			cache_page_release(&c->slots[i].page);
			c->slots[i].used = 0;
		}
	pthread_rwlock_unlock(&c->lock);
}

/* Skip optional white space and commas; entity tags may be weak ("W/") for If-None-Match. */
int
cache_etag_match(const char *inm, const char *etag)
{
	size_t n = strlen(etag);
	const char *end;

	if (inm == NULL)
		return 0;
	for (;;) {
		inm += strspn(inm, " \t,");
		if (*inm == '\0')
			return 0;
		if (*inm == '*')
			return 1;
		if (strncmp(inm, "W/", 2) == 0)
			inm += 2;
		end = inm + strcspn(inm, ",");
		while (end > inm && (end[-1] == ' ' || end[-1] == '\t'))
			end--;
		if ((size_t)(end - inm) == n && memcmp(inm, etag, n) == 0)
			return 1;
		inm += strcspn(inm, ",");
	}
}

int
cache_queue_page(const struct cache_page *p, int gzip, const char *inm, struct MHD_Connection *conn,
                 enum MHD_Result *ret)
{
	int v = gzip && p->ok[1] != NULL ? 1 : 0;

	if (p->status == 200 && p->not_modified[v] != NULL && cache_etag_match(inm, p->etag[v])) {
		*ret = MHD_queue_response(conn, 304, p->not_modified[v]);
		return 304;
	}
	*ret = MHD_queue_response(conn, (unsigned)p->status, p->ok[v]);
	return p->status;
}

int
cache_queue(struct cache *c, const char *key, int gzip, const char *inm, time_t now,
            struct MHD_Connection *conn, enum MHD_Result *ret)
{
	unsigned long long h = cache_hash(key);
	struct cache_slot *s = &c->slots[h % c->nslots];
	int status = 0;

	pthread_rwlock_rdlock(&c->lock);
	if (s->used && s->hash == h && strcmp(s->key, key) == 0 &&
	    (s->page.expires == 0 || now < s->page.expires))
		status = cache_queue_page(&s->page, gzip, inm, conn, ret);
	pthread_rwlock_unlock(&c->lock);
	return status;
}

void
cache_put(struct cache *c, const char *key, struct cache_page *p)
{
	unsigned long long h = cache_hash(key);
	struct cache_slot *s = &c->slots[h % c->nslots];
	struct cache_page old = {0};

	if (strlen(key) >= sizeof(s->key)) {
		cache_page_release(p);
		return;
	}
	pthread_rwlock_wrlock(&c->lock);
	if (s->used)
		old = s->page;
	s->page = *p;
	s->hash = h;
	s->used = 1;
	memcpy(s->key, key, strlen(key) + 1);
	pthread_rwlock_unlock(&c->lock);
	cache_page_release(&old); /* outside the lock: may free a large buffer */
	memset(p, 0, sizeof(*p));
}
