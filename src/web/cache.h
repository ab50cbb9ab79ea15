/*
 * cache.h - rendered answers kept ready to send.
 *
 * The registry database cannot change under a running server (update
 * writes a new file), so a page is a pure function of its path, the few
 * query parameters that matter and the language.  Rendering a port page
 * takes a dozen SQLite queries, a jansson tree, HTML escaping and gzip;
 * sending a cached one is a hash look-up and MHD_queue_response().  That
 * difference is what lets `portolan serve` keep up with nginx serving a
 * file.
 *
 * The cache holds libmicrohttpd response objects (one per encoding, plus
 * their 304s), which carry their headers and are reference-counted by MHD,
 * so one object is queued on many connections at once.  It is direct-
 * mapped: a key's hash picks one slot and a newcomer replaces whatever was
 * there, which bounds memory by the slot count and needs no LRU list.  A
 * read-write lock lets look-ups run in parallel; queueing happens under
 * the read lock so an entry cannot be freed between look-up and queueing.
 * Entries may carry an expiry (pages that show live machine facts).
 *
 * Memory: the cache owns the responses put into it (cache_put() takes the
 * caller's references) and releases them on replacement and cache_free().
 */
#ifndef PORTOLAN_CACHE_H
#define PORTOLAN_CACHE_H

#include <pthread.h>
#include <stddef.h>
#include <time.h>

#include <microhttpd.h>

#include "util/err.h"

#define CACHE_MAX_KEY 512

/* One page in both encodings: [0] identity, [1] gzip (NULL when not worth it). */
struct cache_page {
	struct MHD_Response *ok[2];
	struct MHD_Response *not_modified[2];
	char etag[2][48];
	int status;
	time_t expires; /* 0: never */
};

struct cache_slot {
	char key[CACHE_MAX_KEY];
	unsigned long long hash;
	struct cache_page page;
	int used;
};

struct cache {
	pthread_rwlock_t lock;
	struct cache_slot *slots;
	size_t nslots;
};

int cache_init(struct cache *c, size_t nslots, struct err *e);
void cache_free(struct cache *c);
/* Release a page's responses (for pages never put into a cache). */
void cache_page_release(struct cache_page *p);

/*
 * Queue the cached answer for key: the gzip variant when gzip is 1 and one
 * exists, a 304 when if_none_match (may be NULL) matches its ETag.  Returns
 * the status queued and sets *ret to MHD's result, or 0 when not cached.
 */
int cache_queue(struct cache *c, const char *key, int gzip, const char *if_none_match, time_t now,
                struct MHD_Connection *conn, enum MHD_Result *ret);
/* Queue from a page the caller holds (a miss just rendered, or an uncacheable page). */
int cache_queue_page(const struct cache_page *p, int gzip, const char *if_none_match,
                     struct MHD_Connection *conn, enum MHD_Result *ret);
/* Release every page: the next request for each renders it anew. */
void cache_clear(struct cache *c);
/* Store a page under key, taking over its responses (a key too long is released instead). */
void cache_put(struct cache *c, const char *key, struct cache_page *p);
/* 1 when the If-None-Match header value names etag (or is "*"). */
int cache_etag_match(const char *if_none_match, const char *etag);

#endif
