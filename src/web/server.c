/*
 * server.c - HTTP for the site: libmicrohttpd's callbacks, limits,
 * headers, compression, the page cache and the vote's suspend/resume
 * (server.h).  What to answer is routes.c's business.
 *
 * Request state lives in a per-connection struct allocated when MHD
 * accepts the connection and freed when it closes, so no request can leak
 * state whatever happens half-way (a client vanishing mid-header, a
 * header too large, a timeout): MHD calls the connection-closed
 * notification in every case.  The URI log callback, which sees the raw
 * request target before MHD decodes anything, resets it for each request
 * and keeps the raw target, which our strict parsers then read instead of
 * MHD's lenient ones.
 *
 * Threads: one per shard (server.h), each running one MHD daemon's event
 * loop; a connection stays with the shard it was handed to.  A vote is
 * queued to the group-committing writer (votes.h) while its connection is
 * suspended; the writer's callback resumes it, wakes the shard's loop
 * (MHD wakes only loops it runs itself) and the handler, called again,
 * answers.  Suspending before queueing matters: the callback may run
 * before the handler returns, and MHD only resumes a connection that is
 * already suspended.
 */
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sched.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <errno.h>
#include <grp.h>
#include <limits.h>
#include <netdb.h>
#include <poll.h>
#include <pthread.h>
#include <pwd.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>
#include <nettle/sha2.h>
#include <zlib.h>

#include "assets.h"
#include "cache.h"
#include "canon.h"
#include "conns.h"
#include "headers.h"
#include "metrics.h"
#include "params.h"
#include "render/i18n.h"
#include "routes.h"
#include "claimcache.h"
#include "server.h"
#include "util/hex.h"
#include "votes.h"

#define SERVER_URI_MAX 4096
/*
 * Read (and drop) this much of a too-big body, so its 413 arrives whole:
 * refused before it is read, a body still being sent makes the close a
 * reset that takes the answer with it.  Beyond this, 413 and close.
 */
#define SERVER_BODY_DRAIN  (1024 * 1024)
#define SERVER_CACHE_SLOTS 2048
#define SERVER_CACHE_BODY  (512 * 1024) /* larger pages are not cached */
#define SERVER_TIMEOUT     15           /* seconds of client silence */
#define SERVER_HEAD_MS     10000        /* for a whole request head, from going idle (conns.h) */
/*
 * Per connection, and so the bound on a request's headers.  MHD keeps the
 * request's headers in this pool, parses a Cookie header into a copy of
 * it there, and builds the answer's headers in what is left; it clears the
 * whole pool twice a request on a kept-alive connection, which evicts
 * enough else to show in CPU per request (bench/web, 64 connections:
 * 0.74x nginx's at 8 KB, 0.82x at 16 KB).  12 KB serves a browser that
 * sends a full-size cookie (RFC 6265 asks browsers for 4096 bytes each)
 * beside its usual headers: up to about 5.4 KB of cookies, or 11 KB of
 * other headers.  Past that MHD answers 431, except in a window of 250 to
 * 500 bytes just before, where the request fits but no answer does and
 * MHD 0.9.75 closes the connection instead (tests/e2e/test_web.py holds
 * the served and the refused side).
 */
#define SERVER_MEMORY_LIMIT (12 * 1024)
#define SERVER_GZIP_MIN     256

static const char server_csp[] =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

struct server_pool {
	pthread_mutex_t lock;
	pthread_cond_t freed;
	struct store **free;
	size_t nfree, n;
	int draining; /* a reload is taking every store back: lend none */
};

struct server_shard;

enum request_state { REQ_NEW, REQ_GET, REQ_BODY, REQ_VOTING, REQ_VOTED, REQ_SLOW, REQ_SLOW_DONE };

struct server_job;

/*
 * One per connection; reset for each request on it.  The scalars come
 * first and the buffers last, so a GET touches one or two cache lines of
 * state beside the bytes of its URI (at 256 connections these structs
 * and MHD's pools no longer fit in the cache).
 */
struct request {
	struct server *srv;
	struct server_shard *shard; /* whose loop must run after a resume */
	struct MHD_Connection *conn;
	struct conns_link idle; /* in shard->idle while waiting for a request head */
	unsigned addr_slot;     /* its address's counter (conns.h) */
	int fd;
	int shed; /* shut down by us: never idle again */
	enum request_state state;
	int active; /* between the URI callback and completion */
	struct timespec start;
	enum route route;
	int status;   /* the status queued; 0 until then */
	int recorded; /* counted in the metrics */
	int uri_too_long;
	char lang_hint[16]; /* ?lang= of a target too long or malformed to parse */
	size_t body_len, body_seen;
	atomic_int vote_ok;
	struct server_job *job; /* a search on the slow pool, from REQ_SLOW to its answer */
	char uri[SERVER_URI_MAX + 1];
	char body[SERVER_BODY_LIMIT];
	struct vote vote;
};

/*
 * The slow pool: searches, which cost up to a hundred milliseconds where a
 * page costs a few microseconds, run on threads of their own while their
 * connections are suspended (like a vote), so no shard's thread, and no
 * cheap request queued behind it, waits for one.  The queue is bounded:
 * beyond it a search gets 503 and Retry-After.
 */
#define SERVER_SLOW_QUEUE 64
#define SERVER_SLOW_MAX   8

struct server_slow {
	pthread_mutex_t lock;
	pthread_cond_t wake;
	struct server_job *head, **tail;
	size_t queued;
	int stopping;
	pthread_t threads[SERVER_SLOW_MAX];
	size_t nthreads;
};

struct server {
	struct server_config cfg;
	struct server_slow slow;
	struct routes_env env;        /* for a client shown this machine (server_show_machine()) */
	struct routes_env env_public; /* for anyone else */
	struct report_env renv;
	struct report_env renv_public; /* Linux's defaults, not this machine's settings */
	struct i18n_set *langs;
	struct votes *votes;
	struct metrics metrics;
	struct cache cache;
	struct server_pool pool;
	struct server_shard *shards; /* cfg.threads of them */
	size_t nshards;
	int listen_fd;             /* the one listening socket; every shard accepts from it */
	char base_url[512];        /* cfg.base_url ending in '/', or the bound address */
	atomic_int accepting;      /* 0 once shutdown begins: no shard accepts any more */
	struct conns_addrs *addrs; /* connections per address */
	struct conns_log drops;
	atomic_int stopping;
	unsigned port;
};

/* A connection accepted by one shard for another, until that shard's loop takes it. */
struct server_handoff {
	int fd;
	unsigned slot; /* conns_addr_slot() */
	socklen_t len;
	struct sockaddr_storage addr;
};

/*
 * One MHD daemon in epoll mode and the thread that drives it.  Whichever
 * shard accepts a connection gives it to the shard with the fewest
 * (server_accept()), so each thread serves as many connections as the
 * others.  SO_REUSEPORT, one socket per shard, left that to a hash of the
 * client's address and port: 64 connections split anywhere from 32/32 to
 * 24/40, and the busier thread set the p99 (bench/web).  MHD may only
 * take a connection in the thread that runs its loop, hence the queue.
 */
#define SERVER_HANDOFF_MAX 64
struct server_shard {
	struct server *srv;
	struct MHD_Daemon *daemon;
	int wake_fd;   /* eventfd: run MHD now (a resumed vote), take the queue, look at stopping */
	int accept_fd; /* epoll: the listening socket, EPOLLEXCLUSIVE (server_shard_start()) */
	pthread_t thread;
	int started;
	/* Requests begun and not completed; a cache line of its own, as only this
	 * shard's thread and the vote writer touch it. */
	_Alignas(64) atomic_int inflight;
	/* Connections handed to this shard and not yet closed; read by every
	 * shard that accepts, written by them and by this shard's closes. */
	_Alignas(64) atomic_int connections;
	struct conns_idle idle; /* this thread's idle connections, oldest first */
	long long summary_at;   /* shard 0: when drops were last summed up */
	pthread_mutex_t lock;   /* the queue */
	size_t nqueued;
	struct server_handoff queue[SERVER_HANDOFF_MAX];
};

static long long server_now_ms(void);

/* ---- logging ---------------------------------------------------------------------------- */

static void __attribute__((format(printf, 2, 3)))
server_log(const struct server *srv, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	if (srv->cfg.log == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	srv->cfg.log(srv->cfg.log_arg, msg);
}

static void __attribute__((format(printf, 2, 0)))
server_mhd_log(void *cls, const char *fmt, va_list ap)
{
	const struct server *srv = cls;
	char msg[512];
	size_t n;

	if (srv->cfg.log == NULL ||
	    !conns_log_allow((struct conns_log *)&srv->drops, server_now_ms()))
		return; /* one client's flood must not become a flood of lines */
	vsnprintf(msg, sizeof(msg), fmt, ap);
	n = strlen(msg);
	while (n > 0 && msg[n - 1] == '\n')
		msg[--n] = '\0';
	srv->cfg.log(srv->cfg.log_arg, msg);
}

/* ---- shards ------------------------------------------------------------------------------ */

/* Make the shard's loop run MHD now; safe from any thread. */
static void
server_shard_wake(struct server_shard *sh)
{
	uint64_t one = 1;

	if (sh != NULL && write(sh->wake_fd, &one, sizeof(one)) < 0 && errno != EAGAIN)
		server_log(sh->srv, "cannot wake a server thread: %s", strerror(errno));
}

/* The shard whose daemon accepted conn (once per connection: a short scan). */
static struct server_shard *
server_shard_of(struct server *srv, struct MHD_Connection *conn)
{
	const union MHD_ConnectionInfo *ci =
	    MHD_get_connection_info(conn, MHD_CONNECTION_INFO_DAEMON);
	size_t i;

	for (i = 0; ci != NULL && i < srv->nshards; i++)
		if (srv->shards[i].daemon == ci->daemon)
			return &srv->shards[i];
	return &srv->shards[0]; /* not reached: every connection is a shard's */
}

/* Requests in flight over all shards (for the drain at shutdown). */
static int
server_inflight(const struct server *srv)
{
	int n = 0;

	for (size_t i = 0; i < srv->nshards; i++)
		n += atomic_load(&srv->shards[i].inflight);
	return n;
}

/* ---- --listen ---------------------------------------------------------------------------- */

static int
server_is_loopback(const struct sockaddr_storage *ss)
{
	const struct sockaddr_in *in4 = (const struct sockaddr_in *)ss;
	const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)ss;

	if (ss->ss_family == AF_INET)
		return (ntohl(in4->sin_addr.s_addr) >> 24) == 127;
	return ss->ss_family == AF_INET6 && IN6_IS_ADDR_LOOPBACK(&in6->sin6_addr);
}

int
server_parse_listen(const char *s, unsigned default_port, struct server_listen *out, struct err *e)
{
	struct addrinfo hints = {.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV | AI_PASSIVE,
	                         .ai_socktype = SOCK_STREAM};
	struct addrinfo *ai;
	char host[64], port[8];
	const char *colon, *h = host;
	char *end;
	unsigned long p;
	int rc;

	colon = strrchr(s, ':');
	if (colon == NULL && s[0] >= '0' && s[0] <= '9' && strchr(s, '.') == NULL)
		colon = s - 1; /* "8080": a port alone */
	snprintf(port, sizeof(port), "%u", default_port);
	if (colon != NULL && colon[1] != '\0') {
		p = strtoul(colon + 1, &end, 10);
		if (*end != '\0' || p > 65535 || colon[1] < '0' || colon[1] > '9')
			return err_set(e, "--listen '%s': the port must be 0 to 65535", s);
		snprintf(port, sizeof(port), "%lu", p);
	}
	if (colon == NULL)
		colon = s + strlen(s);
	if ((size_t)(colon < s ? 0 : colon - s) >= sizeof(host))
		return err_set(e, "--listen '%s': address too long", s);
	snprintf(host, sizeof(host), "%.*s", (int)(colon < s ? 0 : colon - s), s);
	if (host[0] == '[' && host[strlen(host) - 1] == ']') {
		host[strlen(host) - 1] = '\0';
		h = host + 1;
	}
	if (h[0] == '\0')
		h = SERVER_DEFAULT_ADDR;
	if ((rc = getaddrinfo(h, port, &hints, &ai)) != 0)
		return err_set(e, "--listen '%s': not a numeric address and port (%s)", s,
		               gai_strerror(rc));
	memcpy(&out->addr, ai->ai_addr, ai->ai_addrlen);
	out->len = ai->ai_addrlen;
	out->loopback = server_is_loopback(&out->addr);
	freeaddrinfo(ai);
	return 0;
}

void
server_url(const struct server *srv, char *buf, size_t len)
{
	char host[INET6_ADDRSTRLEN];
	const struct sockaddr_storage *ss = &srv->cfg.listen.addr;

	if (ss->ss_family == AF_INET6) {
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)ss)->sin6_addr, host,
		          sizeof(host));
		snprintf(buf, len, "http://[%s]:%u/", host, srv->port);
	} else {
		inet_ntop(AF_INET, &((const struct sockaddr_in *)ss)->sin_addr, host, sizeof(host));
		snprintf(buf, len, "http://%s:%u/", host, srv->port);
	}
}

/* ---- the store pool ---------------------------------------------------------------------- */

static int
server_pool_open(struct server_pool *p, const char *db, size_t n, struct err *e)
{
	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->freed, NULL);
	if ((p->free = calloc(n, sizeof(*p->free))) == NULL)
		return err_internal(e, "serve: out of memory");
	for (; p->n < n; p->n++, p->nfree++)
		if (store_open(db, &p->free[p->n], e) == -1)
			return -1;
	return 0;
}

static struct store *
server_pool_get(struct server_pool *p)
{
	struct store *st;

	pthread_mutex_lock(&p->lock);
	while (p->nfree == 0 || p->draining)
		pthread_cond_wait(&p->freed, &p->lock);
	st = p->free[--p->nfree];
	pthread_mutex_unlock(&p->lock);
	return st;
}

static void
server_pool_put(struct server_pool *p, struct store *st)
{
	pthread_mutex_lock(&p->lock);
	p->free[p->nfree++] = st;
	pthread_cond_broadcast(&p->freed); /* a borrower, or a reload waiting for all */
	pthread_mutex_unlock(&p->lock);
}

static void
server_pool_close(struct server_pool *p)
{
	size_t i;

	/* Called after the daemon stopped: every store is back in the pool. */
	for (i = 0; i < p->nfree; i++)
		store_close(p->free[i]);
	free(p->free);
	pthread_cond_destroy(&p->freed);
	pthread_mutex_destroy(&p->lock);
}

/* ---- building responses ------------------------------------------------------------------ */

static int
server_compressible(const char *type)
{
	return strncmp(type, "text/", 5) == 0 || strncmp(type, "application/json", 16) == 0 ||
	       strncmp(type, "image/svg", 9) == 0;
}

/* gzip body into out; 0 when done and smaller, -1 otherwise. */
static int
server_gzip(const char *body, size_t len, struct strbuf *out)
{
	z_stream z = {0};
	uLong bound;
	int rc;

	if (deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		return -1;
	bound = deflateBound(&z, (uLong)len) + 32;
	if ((out->buf = malloc(bound)) == NULL) {
		deflateEnd(&z);
		return -1;
	}
	z.next_in = (Bytef *)(uintptr_t)body;
	z.avail_in = (uInt)len;
	z.next_out = (Bytef *)out->buf;
	z.avail_out = (uInt)bound;
	rc = deflate(&z, Z_FINISH);
	out->len = z.total_out;
	deflateEnd(&z);
	if (rc != Z_STREAM_END || out->len >= len) {
		free(out->buf);
		out->buf = NULL;
		return -1;
	}
	return 0;
}

static void
server_etag(const char *body, size_t len, const char *suffix, char *out, size_t outlen)
{
	struct sha256_ctx h;
	uint8_t d[SHA256_DIGEST_SIZE];

	sha256_init(&h);
	sha256_update(&h, len, (const uint8_t *)body);
	sha256_digest(&h, sizeof(d), d);
	snprintf(out, outlen, "\"%02x%02x%02x%02x%02x%02x%02x%02x%02x%02x%s\"", d[0], d[1], d[2],
	         d[3], d[4], d[5], d[6], d[7], d[8], d[9], suffix);
}

/* The headers every answer carries. */
static void
server_common_headers(struct MHD_Response *r, const char *cache, const char *lang)
{
	MHD_add_response_header(r, "Content-Security-Policy", server_csp);
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(r, "Referrer-Policy", "strict-origin-when-cross-origin");
	MHD_add_response_header(r, "Cache-Control", cache);
	MHD_add_response_header(r, "Vary", "Accept-Encoding, Accept-Language");
	if (lang != NULL)
		MHD_add_response_header(r, "Content-Language", lang);
}

static struct MHD_Response *
server_response(const void *data, size_t len, enum MHD_ResponseMemoryMode mode, const char *type,
                const char *cache, const char *lang)
{
	struct MHD_Response *r;

	if ((r = MHD_create_response_from_buffer(len, (void *)(uintptr_t)data, mode)) == NULL)
		return NULL;
	if (type != NULL)
		MHD_add_response_header(r, "Content-Type", type);
	server_common_headers(r, cache, lang);
	return r;
}

/* One variant of a page: its 200 and its 304, both with the ETag. */
static int
server_page_variant(struct cache_page *p, int v, const void *data, size_t len,
                    enum MHD_ResponseMemoryMode mode, const char *type, const char *cache,
                    const char *lang)
{
	if ((p->ok[v] = server_response(data, len, mode, type, cache, lang)) == NULL ||
	    (p->not_modified[v] =
	         server_response(NULL, 0, MHD_RESPMEM_PERSISTENT, NULL, cache, lang)) == NULL)
		return -1;
	MHD_add_response_header(p->ok[v], "ETag", p->etag[v]);
	MHD_add_response_header(p->not_modified[v], "ETag", p->etag[v]);
	if (v == 1)
		MHD_add_response_header(p->ok[v], "Content-Encoding", "gzip");
	return 0;
}

/*
 * A page from bytes: identity and (when worth it) gzip, with ETags from the
 * content.  mode PERSISTENT is for static bytes (assets), MUST_COPY for a
 * rendered body the caller frees.
 */
static int
server_page(struct cache_page *p, int status, const char *body, size_t len,
            enum MHD_ResponseMemoryMode mode, const char *etag, const char *type, const char *cache,
            const char *lang)
{
	struct strbuf gz = {0};

	memset(p, 0, sizeof(*p));
	p->status = status;
	if (etag != NULL)
		snprintf(p->etag[0], sizeof(p->etag[0]), "%s", etag);
	else
		server_etag(body, len, "", p->etag[0], sizeof(p->etag[0]));
	if (server_page_variant(p, 0, body, len, mode, type, cache, lang) == -1)
		goto fail;
	if (len >= SERVER_GZIP_MIN && server_compressible(type) &&
	    server_gzip(body, len, &gz) == 0) {
		/* The gzip variant's ETag differs: caches must not mix representations. */
		snprintf(p->etag[1], sizeof(p->etag[1]), "%.*s-gz\"", (int)strlen(p->etag[0]) - 1,
		         p->etag[0]);
		if (server_page_variant(p, 1, gz.buf, gz.len, MHD_RESPMEM_MUST_FREE, type, cache,
		                        lang) == -1) {
			if (p->ok[1] == NULL)
				free(gz.buf);
			goto fail;
		}
	}
	return 0;
fail:
	cache_page_release(p);
	return -1;
}

/* An answer nobody caches (errors, redirects, votes, /metrics): identity encoding. */
static enum MHD_Result
server_send(struct request *rq, const struct route_reply *rp, const char *lang)
{
	struct MHD_Response *r;
	enum MHD_Result ret;

	r = server_response(rp->body.buf, rp->body.len, MHD_RESPMEM_MUST_COPY, rp->type, rp->cache,
	                    lang);
	if (r == NULL)
		return MHD_NO;
	if (rp->allow != NULL)
		MHD_add_response_header(r, "Allow", rp->allow);
	if (rp->location[0] != '\0')
		MHD_add_response_header(r, "Location", rp->location);
	if (rp->retry_after > 0) {
		char secs[16];

		snprintf(secs, sizeof(secs), "%u", rp->retry_after);
		MHD_add_response_header(r, "Retry-After", secs);
	}
	if (rp->close) /* MHD then closes after sending it */
		MHD_add_response_header(r, MHD_HTTP_HEADER_CONNECTION, "close");
	rq->status = rp->status;
	ret = MHD_queue_response(rq->conn, (unsigned)rp->status, r);
	MHD_destroy_response(r);
	return ret;
}

/* ---- one request ------------------------------------------------------------------------- */

/* Decode the path strictly: %XX with hex digits, nothing below 0x20.  -1: a 400. */
static int
server_decode_path(const char *s, size_t n, char *out, size_t outlen)
{
	size_t i, o = 0;
	int hi, lo;

	if (n == 0 || s[0] != '/')
		return -1;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '%') {
			if (i + 2 >= n || (hi = hex_value(s[i + 1])) < 0 ||
			    (lo = hex_value(s[i + 2])) < 0)
				return -1;
			c = (unsigned char)(hi << 4 | lo);
			i += 2;
		}
		if (c < 0x20 || c == 0x7f || o + 1 >= outlen)
			return -1;
		out[o++] = (char)c;
	}
	out[o] = '\0';
	return 0;
}

struct server_call {
	struct request *rq;
	const struct routes_env *env; /* shows this machine or not: server_show_machine() */
	struct route_request r;
	struct params query;
	char day[24];                    /* days since 1970: pages carry the day's vote token */
	char token[VOTES_TOKEN_LEN + 1]; /* this page's, when it has a vote form */
	char path[SERVER_URI_MAX + 1];
	const char *lang_code;
	int gzip;
	const char *inm;
};

/* An error page; close: and the connection after it (the request cannot be trusted). */
/* A search handed to the slow pool: its own copy of the call, and the reply. */
struct server_job {
	struct server_job *next;
	struct request *rq;
	struct server_call c;
	char key[CACHE_MAX_KEY];
	int keyed, cached;
	time_t now;
	struct route_reply rp;
};

static enum MHD_Result
server_error_close(struct server_call *c, int status, const char *detail, int close)
{
	struct route_reply rp;
	enum MHD_Result ret;

	routes_reply_init(&rp);
	routes_error(c->env, &c->r, status, detail, &rp);
	rp.close = close;
	if (status == 429) /* when the vote's bucket holds one again */
		rp.retry_after = (60 + c->rq->srv->cfg.vote_rate - 1) / c->rq->srv->cfg.vote_rate;
	else if (status == 503)
		rp.retry_after = 5;
	ret = server_send(c->rq, &rp, c->lang_code);
	routes_reply_free(&rp);
	return ret;
}

static enum MHD_Result
server_error(struct server_call *c, int status, const char *detail)
{
	return server_error_close(c, status, detail, 0);
}

static const char *
server_header(struct MHD_Connection *conn, const char *name)
{
	return MHD_lookup_connection_value(conn, MHD_HEADER_KIND, name);
}

static const struct sockaddr *
server_client_addr(struct MHD_Connection *conn)
{
	const union MHD_ConnectionInfo *ci =
	    MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);

	return ci != NULL ? ci->client_addr : NULL;
}

/*
 * The last address of a Forwarded (for=) or X-Forwarded-For list: the one
 * the proxy in front of us saw, hence the only one it vouches for.  1
 * when it is a loopback address, 0 otherwise (and for anything unparsed).
 */
static int
server_forwarded_loopback(const char *list, int forwarded)
{
	const char *last = strrchr(list, ','), *p = last != NULL ? last + 1 : list;
	char addr[INET6_ADDRSTRLEN + 8], *colon;
	struct in6_addr a6;
	struct in_addr a4;
	size_t n;

	p += strspn(p, " \t");
	if (forwarded) { /* for=1.2.3.4, for="[::1]:8080", among other pairs */
		const char *f = strcasestr(p, "for=");

		if (f == NULL)
			return 0;
		p = f + 4 + (f[4] == '"');
	}
	if (*p == '[')
		p++;
	n = strcspn(p, forwarded ? "]\";, \t" : "], \t");
	if (n == 0 || n >= sizeof(addr))
		return 0;
	memcpy(addr, p, n);
	addr[n] = '\0';
	if (inet_pton(AF_INET6, addr, &a6) == 1)
		return IN6_IS_ADDR_LOOPBACK(&a6);
	if ((colon = strchr(addr, ':')) != NULL) /* "127.0.0.1:5555" */
		*colon = '\0';
	return inet_pton(AF_INET, addr, &a4) == 1 && (ntohl(a4.s_addr) >> 24) == 127;
}

/*
 * Whether this request may see who listens on this machine (--show-machine
 * and --hide-machine aside): only a client on this machine, by the
 * client's address, never by where the server listens.  A loopback client
 * whose request was forwarded (Forwarded, X-Forwarded-For, X-Real-IP or
 * Via) is a reverse proxy on this host speaking for someone: hidden,
 * unless --trust-proxy and the address the proxy saw is loopback too.
 */
static int
server_show_machine(struct request *rq)
{
	const struct server *srv = rq->srv;
	const struct sockaddr *sa;
	struct sockaddr_storage ss;
	const char *fwd, *xff;

	if (srv->cfg.show_machine != -1)
		return srv->cfg.show_machine;
	if ((sa = server_client_addr(rq->conn)) == NULL)
		return 0;
	memset(&ss, 0, sizeof(ss));
	memcpy(&ss, sa,
	       sa->sa_family == AF_INET6 ? sizeof(struct sockaddr_in6)
	                                 : sizeof(struct sockaddr_in));
	if (!server_is_loopback(&ss))
		return 0;
	fwd = server_header(rq->conn, "Forwarded");
	xff = server_header(rq->conn, "X-Forwarded-For");
	if (fwd == NULL && xff == NULL && server_header(rq->conn, "X-Real-IP") == NULL &&
	    server_header(rq->conn, "Via") == NULL)
		return 1;
	if (!srv->cfg.trust_proxy)
		return 0;
	return fwd != NULL ? server_forwarded_loopback(fwd, 1)
	                   : xff != NULL && server_forwarded_loopback(xff, 0);
}

/*
 * The framing of a request, checked before any handler sees it, because
 * libmicrohttpd 0.9.75 is lenient where a lenient server can be made to
 * read one request as another (request smuggling behind a proxy): it takes
 * the first of two differing Content-Lengths and runs the rest of the
 * body as a new request, keeps a connection open that sends both
 * Content-Length and Transfer-Encoding, and waits out the timeout on an
 * encoding it does not know.  So: one Content-Length at most, never with
 * a Transfer-Encoding, and "chunked" as the only encoding.  (A
 * Content-Length that is not a number MHD refuses itself, before any
 * handler, with its own page.)
 */
struct server_framing {
	int cl, te;
	const char *why;
};

static enum MHD_Result
server_framing_header(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
	struct server_framing *f = cls;

	(void)kind;
	if (strcasecmp(key, MHD_HTTP_HEADER_CONTENT_LENGTH) == 0 && f->cl++ > 0)
		f->why = "conflicting Content-Length headers";
	else if (strcasecmp(key, MHD_HTTP_HEADER_TRANSFER_ENCODING) == 0 &&
	         (f->te++ > 0 || strcasecmp(value, "chunked") != 0))
		f->why = "a Transfer-Encoding other than one chunked";
	if (f->cl > 0 && f->te > 0)
		f->why = "Content-Length with Transfer-Encoding";
	return f->why == NULL ? MHD_YES : MHD_NO;
}

/* NULL when the request's framing is sound; else why it is a 400. */
static const char *
server_framing(struct MHD_Connection *conn)
{
	struct server_framing f = {0};

	MHD_get_connection_values(conn, MHD_HEADER_KIND, server_framing_header, &f);
	return f.why;
}

/*
 * ?lang= read from a raw target that could not be parsed (a malformed or
 * too long query), so even that error page speaks the reader's language.
 */
static void
server_lang_hint(const char *uri, char *out, size_t len)
{
	const char *q = strchr(uri, '?'), *p;
	size_t n;

	out[0] = '\0';
	for (p = q; p != NULL; p = strchr(p + 1, '&'))
		if (strncmp(p + 1, "lang=", 5) == 0) {
			n = strspn(p + 6, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_");
			snprintf(out, len, "%.*s", (int)(n < len ? n : len - 1), p + 6);
			return;
		}
}

/* Parse the raw target into c; -1 (after queueing a 400) when it is malformed. */
static int
server_call_init(struct server_call *c, struct request *rq, const char *method)
{
	struct server *srv = rq->srv;
	const char *q = strchr(rq->uri, '?'), *accept, *lang;
	size_t plen = q != NULL ? (size_t)(q - rq->uri) : strlen(rq->uri);
	struct err e; /* only msg, and only when bad */
	const char *why;
	int bad = 0;

	memset(&c->r, 0, sizeof(c->r));
	c->rq = rq;
	c->env = &srv->env_public;
	c->r.method = method;
	c->r.query = &c->query;
	c->query.n = 0;
	c->r.path = c->path;
	if (server_decode_path(rq->uri, plen, c->path, sizeof(c->path)) == -1) {
		strcpy(c->path, "/");
		snprintf(e.msg, sizeof(e.msg), "request target: bad path");
		bad = 1;
	} else if (q != NULL && strlen(q + 1) > PARAMS_MAX_INPUT) {
		rq->uri_too_long = 1; /* a 414 like a long path, not a 400 */
		server_lang_hint(rq->uri, rq->lang_hint, sizeof(rq->lang_hint));
	} else if (q != NULL && params_parse(&c->query, "query", q + 1, strlen(q + 1), &e) == -1) {
		c->query.n = 0;
		bad = 1;
		server_lang_hint(rq->uri, rq->lang_hint, sizeof(rq->lang_hint));
	}
	rq->route = routes_match(c->path);
	if (bad || rq->uri_too_long)
		lang = rq->lang_hint;
	else
		lang = params_get(&c->query, "lang");
	c->r.lang = i18n_pick(srv->langs, lang, server_header(rq->conn, "Accept-Language"));
	c->lang_code = i18n_code(c->r.lang);
	accept = server_header(rq->conn, "Accept");
	c->r.want_json = accept != NULL && strstr(accept, "application/json") != NULL;
	c->gzip = headers_accept_gzip(server_header(rq->conn, "Accept-Encoding"));
	c->inm = server_header(rq->conn, "If-None-Match");
	if (rq->uri_too_long)
		return server_error(c, 414, "request target too long"), -1;
	if (rq->state == REQ_NEW && (why = server_framing(rq->conn)) != NULL)
		return server_error_close(c, 400, why, 1), -1;
	if (bad)
		return server_error(c, 400, e.msg), -1;
	return 0;
}

/*
 * A cache key: kind, then each part as its length, ':' and its bytes, so
 * no two lists of parts make the same key whatever bytes they hold (with
 * a plain separator, q="a|1" and q="a", voted="1|" would share one).  -1
 * when it does not fit (such a page is simply not cached).  Built by hand
 * because snprintf() was a visible share of a cached page's CPU.
 */
static int
server_cache_key(char *key, size_t len, char kind, const char *const *parts, size_t n)
{
	char digits[24];
	size_t o = 1, i, d;

	key[0] = kind;
	for (i = 0; i < n; i++) {
		size_t l = strlen(parts[i]), v = l;

		d = sizeof(digits);
		do
			digits[--d] = (char)('0' + v % 10);
		while ((v /= 10) > 0);
		if (o + (sizeof(digits) - d) + 1 + l >= len)
			return -1;
		memcpy(key + o, digits + d, sizeof(digits) - d);
		o += sizeof(digits) - d;
		key[o++] = ':';
		memcpy(key + o, parts[i], l);
		o += l;
	}
	key[o] = '\0';
	return 0;
}

static enum MHD_Result
server_asset(struct server_call *c)
{
	struct server *srv = c->rq->srv;
	const struct asset *a = assets_find(c->path);
	struct cache_page p;
	char key[CACHE_MAX_KEY];
	enum MHD_Result ret;
	int status;

	if (a == NULL)
		return server_error(c, 404, NULL);
	if (server_cache_key(key, sizeof(key), 'A', (const char *[]){a->path}, 1) == -1)
		return server_error(c, 500, "asset path too long");
	if ((status = cache_queue(&srv->cache, key, c->gzip, c->inm, 0, c->rq->conn, &ret)) != 0) {
		c->rq->status = status;
		return ret;
	}
	if (server_page(&p, 200, (const char *)a->data, a->len, MHD_RESPMEM_PERSISTENT, a->etag,
	                a->type, "public, max-age=86400", NULL) == -1)
		return MHD_NO;
	c->rq->status = cache_queue_page(&p, c->gzip, c->inm, c->rq->conn, &ret);
	cache_put(&srv->cache, key, &p);
	return ret;
}

/* Connections dropped (conns.h), by reason, as counters. */
static int
server_metrics_drops(struct server *srv, struct strbuf *out)
{
	static const char *const why[CONNS_DROP_COUNT] = {"per_address_cap", "head_deadline",
	                                                  "shed_idle", "full"};
	int i;

	strbuf_appends(out, "# HELP portolan_connections_dropped_total Connections closed or "
	                    "refused to keep the server fair, by reason.\n"
	                    "# TYPE portolan_connections_dropped_total counter\n");
	for (i = 0; i < CONNS_DROP_COUNT; i++)
		if (strbuf_appendf(out, "portolan_connections_dropped_total{reason=\"%s\"} %llu\n",
		                   why[i],
		                   (unsigned long long)atomic_load(&srv->drops.drops[i])) == -1)
			return -1;
	return 0;
}

static enum MHD_Result
server_metrics(struct server_call *c)
{
	struct server *srv = c->rq->srv;
	int conns[SERVER_MAX_THREADS];
	struct route_reply rp;
	enum MHD_Result ret;
	size_t i;

	routes_reply_init(&rp);
	rp.status = 200;
	rp.type = "text/plain; version=0.0.4; charset=utf-8";
	for (i = 0; i < srv->nshards; i++)
		conns[i] = atomic_load(&srv->shards[i].connections);
	if (metrics_render(&srv->metrics, votes_committed(srv->votes), &rp.body) == -1 ||
	    metrics_render_connections(conns, srv->nshards, &rp.body) == -1 ||
	    server_metrics_drops(srv, &rp.body) == -1)
		routes_error(c->env, &c->r, 500, NULL, &rp);
	ret = server_send(c->rq, &rp, NULL);
	routes_reply_free(&rp);
	return ret;
}

/* The cache key: what makes two requests' answers differ.  -1 when too long to cache. */
static int
server_page_key(const struct server_call *c, char *key, size_t len)
{
	static const char *const free_options[] = {"count", "near", "range"};
	const char *q = params_get(&c->query, "q"), *voted = params_get(&c->query, "voted");
	char claims[24];
	const char *parts[10] = {c->lang_code, c->path,
	                         q ? q : "",   voted ? voted : "",
	                         c->day,       c->env->show_machine ? "m" : "",
	                         claims};
	size_t n = 7, i;

	/*
	 * Port pages and the free-port answers show the organisation's claims:
	 * a page cached before a claim was added or removed must not be served
	 * after it, so the claims' generation is part of every page's key.
	 */
	claims[0] = '\0';
	if (c->env->claims != NULL) {
		unsigned long g = claimcache_generation(c->env->claims);
		char *p = claims + sizeof(claims) - 1;

		*p = '\0';
		do
			*--p = (char)('0' + g % 10);
		while ((g /= 10) != 0);
		memmove(claims, p, (size_t)(claims + sizeof(claims) - p));
	}

	if (c->rq->route == ROUTE_API_FREE) /* the parameters that answer depends on */
		for (i = 0; i < 3; i++) {
			const char *v = params_get(&c->query, free_options[i]);

			parts[n++] = v ? v : "";
		}
	return server_cache_key(key, len, 'P', parts, n);
}

/* Runs on a slow-pool thread: render, cache (holding the store, as server_get() does). */
static void
server_slow_run(struct server *srv, struct server_job *j)
{
	struct cache_page p;
	struct store *st = server_pool_get(&srv->pool);

	routes_get(j->c.env, st, &j->c.r, &j->rp);
	if (j->rp.cacheable && j->rp.status == 200 && j->keyed &&
	    j->rp.body.len <= SERVER_CACHE_BODY &&
	    server_page(&p, 200, j->rp.body.buf, j->rp.body.len, MHD_RESPMEM_MUST_COPY, NULL,
	                j->rp.type, j->rp.cache, j->c.lang_code) == 0) {
		if (j->rp.live)
			p.expires = j->now + ROUTES_LIVE_TTL;
		cache_put(&srv->cache, j->key, &p);
		j->cached = 1;
	}
	server_pool_put(&srv->pool, st);
}

/* As server_vote_done(): nothing of rq's is read once it is resumed. */
static void
server_slow_done(struct request *rq)
{
	struct server_shard *sh = rq->shard;
	struct MHD_Connection *conn = rq->conn;

	rq->state = REQ_SLOW_DONE;
	MHD_resume_connection(conn);
	server_shard_wake(sh);
}

static void *
server_slow_loop(void *arg)
{
	struct server *srv = arg;
	struct server_slow *q = &srv->slow;
	struct server_job *j;

	/*
	 * Below the shards in the scheduler's eyes: on a machine with few
	 * CPUs a search must not delay a shard's thread waking for a cheap
	 * request (nice 10; lowering one's own priority needs no privilege).
	 */
	if (setpriority(PRIO_PROCESS, (id_t)gettid(), 10) == -1)
		server_log(srv, "a search thread keeps its priority: %s", strerror(errno));
	for (;;) {
		pthread_mutex_lock(&q->lock);
		while (q->head == NULL && !q->stopping)
			pthread_cond_wait(&q->wake, &q->lock);
		if ((j = q->head) == NULL) { /* stopping, and nothing left */
			pthread_mutex_unlock(&q->lock);
			return NULL;
		}
		if ((q->head = j->next) == NULL)
			q->tail = &q->head;
		q->queued--;
		pthread_mutex_unlock(&q->lock);
		server_slow_run(srv, j);
		server_slow_done(j->rq);
	}
}

/* p, a string of from's, as the same string of to, a copy of from (a "" of no buffer stays). */
static const char *
server_rebase(const char *p, const struct params *from, const struct params *to)
{
	uintptr_t a = (uintptr_t)p, lo = (uintptr_t)from->buf;

	if (a < lo || a >= lo + sizeof(from->buf))
		return p;
	return to->buf + (a - lo);
}

/* Queue c's search on the slow pool, its connection suspended; -1 when the queue is full. */
static int
server_slow_submit(struct server_call *c, const char *key, int keyed, time_t now)
{
	struct server_slow *q = &c->rq->srv->slow;
	struct server_job *j;

	if (q->nthreads == 0 || (j = calloc(1, sizeof(*j))) == NULL)
		return -1;
	j->rq = c->rq;
	j->c = *c;
	j->c.r.path = j->c.path; /* the copy's own buffers */
	j->c.r.query = &j->c.query;
	for (size_t i = 0; i < j->c.query.n; i++) { /* the fields point into the buffer copied */
		j->c.query.v[i].name = server_rebase(c->query.v[i].name, &c->query, &j->c.query);
		j->c.query.v[i].value = server_rebase(c->query.v[i].value, &c->query, &j->c.query);
	}
	j->c.r.method = "GET";
	j->c.r.vote_token = NULL;
	j->keyed = keyed;
	snprintf(j->key, sizeof(j->key), "%s", keyed ? key : "");
	j->now = now;
	routes_reply_init(&j->rp);
	pthread_mutex_lock(&q->lock);
	if (q->queued >= SERVER_SLOW_QUEUE || q->stopping) {
		pthread_mutex_unlock(&q->lock);
		routes_reply_free(&j->rp);
		free(j);
		return -1;
	}
	c->rq->job = j;
	c->rq->state = REQ_SLOW;
	conns_idle_remove(&c->rq->shard->idle, &c->rq->idle); /* the request is in */
	MHD_suspend_connection(c->rq->conn); /* before the queue: a thread may finish first */
	*q->tail = j;
	q->tail = &j->next;
	q->queued++;
	pthread_cond_signal(&q->wake);
	pthread_mutex_unlock(&q->lock);
	return 0;
}

/* The answer of a search the pool ran: from the cache it went into, else its reply. */
static enum MHD_Result
server_slow_answer(struct server_call *c)
{
	struct request *rq = c->rq;
	struct server_job *j = rq->job;
	enum MHD_Result ret;
	int status;

	if (j->cached && (status = cache_queue(&rq->srv->cache, j->key, c->gzip, c->inm, j->now,
	                                       rq->conn, &ret)) != 0)
		rq->status = status;
	else
		ret = server_send(rq, &j->rp, c->lang_code);
	rq->job = NULL;
	routes_reply_free(&j->rp);
	free(j);
	return ret;
}

static size_t
server_slow_threads(const struct server *srv)
{
	size_t n = srv->cfg.threads / 2 > 0 ? srv->cfg.threads / 2 : 1;

	return n < SERVER_SLOW_MAX ? n : SERVER_SLOW_MAX;
}

static int
server_slow_start(struct server *srv, struct err *e)
{
	struct server_slow *q = &srv->slow;
	size_t n = server_slow_threads(srv);

	pthread_mutex_init(&q->lock, NULL);
	pthread_cond_init(&q->wake, NULL);
	q->tail = &q->head;
	for (; q->nthreads < n && q->nthreads < SERVER_SLOW_MAX; q->nthreads++)
		if (pthread_create(&q->threads[q->nthreads], NULL, server_slow_loop, srv) != 0)
			return err_internal(e, "cannot start a search thread");
	return 0;
}

/* Finish what is queued (resuming each connection) and stop the threads; idempotent. */
static void
server_slow_stop(struct server *srv)
{
	struct server_slow *q = &srv->slow;

	if (q->tail == NULL)
		return; /* never started */
	pthread_mutex_lock(&q->lock);
	q->stopping = 1;
	pthread_cond_broadcast(&q->wake);
	pthread_mutex_unlock(&q->lock);
	while (q->nthreads > 0)
		pthread_join(q->threads[--q->nthreads], NULL);
}

/* The token of the vote form on this page, if it is a page one votes on; -1 otherwise. */
static int
server_vote_token(struct server_call *c, time_t now)
{
	char page[CANON_MAX];

	if (c->rq->route != ROUTE_PORT || canon_page(c->path, page, sizeof(page)) == -1)
		return -1;
	return votes_token(c->rq->srv->votes, page, now, c->token);
}

static enum MHD_Result
server_get(struct server_call *c)
{
	struct server *srv = c->rq->srv;
	char key[CACHE_MAX_KEY];
	struct route_reply rp;
	struct cache_page p;
	struct store *st;
	enum MHD_Result ret;
	time_t now = time(NULL);
	int status, keyed;

	if (c->rq->route == ROUTE_ASSET)
		return server_asset(c);
	if (c->rq->route == ROUTE_METRICS)
		return server_metrics(c);
	snprintf(c->day, sizeof(c->day), "%ld", (long)(now / 86400));
	if (server_show_machine(c->rq))
		c->env = &srv->env;
	keyed = server_page_key(c, key, sizeof(key)) == 0;
	if (keyed && (status = cache_queue(&srv->cache, key, c->gzip, c->inm, now, c->rq->conn,
	                                   &ret)) != 0) {
		metrics_cache(&srv->metrics, 1);
		c->rq->status = status;
		return ret;
	}
	metrics_cache(&srv->metrics, 0);
	routes_reply_init(&rp);
	/*
	 * The store goes back only once the page is cached: a reload (SIGHUP)
	 * empties the cache while it holds every store, so no page rendered
	 * from the old database can be cached after it.
	 */
	if (c->rq->route == ROUTE_SEARCH || c->rq->route == ROUTE_API_SEARCH) {
		if (server_slow_submit(c, key, keyed, now) == 0)
			return MHD_YES; /* answered by server_slow_answer() */
		return server_error(c, 503, "search: too many searches at once; try again");
	}
	if (server_vote_token(c, now) == 0)
		c->r.vote_token = c->token;
	st = server_pool_get(&srv->pool);
	routes_get(c->env, st, &c->r, &rp);
	if (!rp.cacheable || rp.status != 200) {
		ret = server_send(c->rq, &rp, c->lang_code);
	} else if (server_page(&p, 200, rp.body.buf, rp.body.len, MHD_RESPMEM_MUST_COPY, NULL,
	                       rp.type, rp.cache, c->lang_code) == -1) {
		ret = MHD_NO;
	} else {
		c->rq->status = cache_queue_page(&p, c->gzip, c->inm, c->rq->conn, &ret);
		if (keyed && rp.body.len <= SERVER_CACHE_BODY) {
			if (rp.live)
				p.expires = now + ROUTES_LIVE_TTL;
			cache_put(&srv->cache, key, &p);
		} else {
			cache_page_release(&p);
		}
	}
	server_pool_put(&srv->pool, st);
	routes_reply_free(&rp);
	return ret;
}

/* Runs on the votes writer thread once the vote's batch is committed (or failed). */
/*
 * Everything of rq's is read before MHD_resume_connection(): from then on
 * the shard's thread may answer, close the connection and free rq before
 * this thread runs again.
 */
static void
server_vote_done(void *arg, int ok)
{
	struct request *rq = arg;
	struct server_shard *sh = rq->shard;
	struct MHD_Connection *conn = rq->conn;

	atomic_store(&rq->vote_ok, ok);
	rq->state = REQ_VOTED;
	MHD_resume_connection(conn);
	server_shard_wake(sh); /* MHD does not wake an externally driven loop */
}

/*
 * Whether a vote comes from a page of this site, by what the browser
 * says.  Sec-Fetch-Site, which every current browser sends and no page
 * can forge, decides when present: same-origin or refused.  Without it,
 * Origin must name the host the request was sent to (behind a proxy
 * trusted with --trust-proxy, the X-Forwarded-Host it names, as a proxy
 * usually rewrites Host).  1: this site; 0: another (refused); -1:
 * neither header (an old browser, or no browser), and the form's token
 * decides.
 */
static int
server_vote_origin(const struct server *srv, struct MHD_Connection *conn)
{
	const char *site = server_header(conn, "Sec-Fetch-Site");
	const char *origin = server_header(conn, "Origin");
	const char *host = server_header(conn, "Host"), *fwd;

	if (site != NULL)
		return strcmp(site, "same-origin") == 0;
	if (origin == NULL)
		return -1;
	if (strncmp(origin, "http://", 7) == 0)
		origin += 7;
	else if (strncmp(origin, "https://", 8) == 0)
		origin += 8;
	else
		return 0; /* "null" (a sandboxed or file: page), or worse */
	if (srv->cfg.trust_proxy && (fwd = server_header(conn, "X-Forwarded-Host")) != NULL)
		host = fwd;
	return host != NULL && strcasecmp(origin, host) == 0;
}

static enum MHD_Result
server_vote(struct server_call *c)
{
	struct request *rq = c->rq;
	struct server *srv = rq->srv;
	struct err e = {0};
	time_t now = time(NULL);
	int origin;

	if (rq->body_seen > SERVER_BODY_LIMIT) {
		metrics_vote_rejected(&srv->metrics, METRICS_VOTE_MALFORMED);
		return server_error(c, 413, "vote: the body is limited to 1024 bytes");
	}
	memset(&rq->vote, 0, sizeof(rq->vote));
	if (routes_vote_parse(c->env, rq->body, rq->body_len, &rq->vote, &e) == -1) {
		metrics_vote_rejected(&srv->metrics, METRICS_VOTE_MALFORMED);
		return server_error(c, 400, e.msg);
	}
	origin = server_vote_origin(srv, rq->conn);
	if (origin == 0 ||
	    (origin == -1 && !votes_token_ok(srv->votes, rq->vote.page, rq->vote.token, now))) {
		metrics_vote_rejected(&srv->metrics, METRICS_VOTE_CROSS_SITE);
		return server_error(c, 403,
		                    origin == 0 ? "vote: votes from other sites are refused"
		                                : "vote: the form's token is missing or expired; "
		                                  "reload the page and vote again");
	}
	if (votes_client(srv->votes, server_client_addr(rq->conn), now, rq->vote.client) == -1)
		return server_error(c, 503, "vote: votes cannot be stored now");
	if (!votes_allow(srv->votes, rq->vote.client, now)) {
		metrics_vote_rejected(&srv->metrics, METRICS_VOTE_RATE);
		return server_error(c, 429, "vote: too many votes from this address; try later");
	}
	votes_day(now, rq->vote.day);
	rq->state = REQ_VOTING;
	conns_idle_remove(&rq->shard->idle, &rq->idle); /* the request is in */
	MHD_suspend_connection(rq->conn);
	if (votes_submit(srv->votes, &rq->vote, server_vote_done, rq, &e) == -1)
		server_vote_done(rq, 0); /* resumes; answered 503 below */
	return MHD_YES;
}

static enum MHD_Result
server_vote_answer(struct server_call *c)
{
	struct request *rq = c->rq;
	struct route_reply rp;
	enum MHD_Result ret;
	int ok = atomic_load(&rq->vote_ok);

	if (!ok)
		metrics_vote_rejected(&rq->srv->metrics, METRICS_VOTE_FAILED);
	routes_reply_init(&rp);
	routes_vote_reply(c->env, &c->r, &rq->vote, ok, &rp);
	ret = server_send(rq, &rp, c->lang_code);
	routes_reply_free(&rp);
	return ret;
}

/*
 * The first call for a request, when only the header is in: method and
 * length checks.  Nothing is queued here unless the request is refused:
 * MHD closes a connection whose answer is queued before the request is
 * complete, so GETs are answered on the next call and keep-alive holds.
 */
static enum MHD_Result
server_begin(struct server_call *c, const char *method)
{
	struct request *rq = c->rq;
	const char *cl;
	int is_post = strcmp(method, "POST") == 0;

	if (!is_post) /* GET and HEAD went straight to REQ_GET */
		return server_error(c, 405, NULL);
	if (rq->route != ROUTE_VOTE)
		return server_error(c, rq->route == ROUTE_OTHER ? 404 : 405, NULL);
	cl = server_header(rq->conn, "Content-Length");
	if (cl != NULL && strtoull(cl, NULL, 10) > SERVER_BODY_DRAIN)
		return server_error(c, 413, "vote: the body is limited to 1024 bytes");
	rq->state = REQ_BODY;
	return MHD_YES;
}

/* A GET or HEAD, with the whole request in. */
static enum MHD_Result
server_get_or_refuse(struct server_call *c)
{
	if (c->rq->route == ROUTE_VOTE)
		return server_error(c, 405, NULL);
	return server_get(c);
}

static enum MHD_Result
server_handle(struct request *rq, const char *method, const char *upload, size_t *upload_size)
{
	struct server_call c;
	size_t n;

	if (rq->state == REQ_GET && *upload_size > 0) { /* a body on a GET means nothing */
		*upload_size = 0;
		return MHD_YES;
	}
	if (rq->state == REQ_BODY && *upload_size > 0) {
		/* Keep what fits, count the rest: the 413 comes once the body is read. */
		n = *upload_size;
		if (rq->body_len < SERVER_BODY_LIMIT) {
			size_t k = n < SERVER_BODY_LIMIT - rq->body_len
			               ? n
			               : SERVER_BODY_LIMIT - rq->body_len;

			memcpy(rq->body + rq->body_len, upload, k);
			rq->body_len += k;
		}
		rq->body_seen += n;
		*upload_size = 0;
		if (rq->body_seen > SERVER_BODY_DRAIN) {
			if (server_call_init(&c, rq, method) == -1)
				return MHD_YES;
			return server_error(&c, 413, "vote: the body is limited to 1024 bytes");
		}
		return MHD_YES;
	}
	if (rq->state == REQ_VOTING ||
	    rq->state == REQ_SLOW) /* resumed early: impossible, but safe */
		return MHD_YES;
	if (rq->state == REQ_NEW && (strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0) &&
	    server_framing(rq->conn) == NULL) {
		/* Parsed once, on the next call, when the request is complete. */
		rq->state = REQ_GET;
		return MHD_YES;
	}
	if (server_call_init(&c, rq, method) == -1)
		return MHD_YES;
	switch (rq->state) {
	case REQ_NEW:
		return server_begin(&c, method);
	case REQ_GET:
		return server_get_or_refuse(&c);
	case REQ_BODY:
		return server_vote(&c);
	case REQ_VOTED:
		return server_vote_answer(&c);
	case REQ_SLOW_DONE:
		return server_slow_answer(&c);
	default:
		return MHD_NO;
	}
}

/*
 * Count a request in /metrics once its answer is queued: before any byte
 * can reach the client, so a scrape after an answer always includes it.
 */
static void
server_record(struct request *rq)
{
	struct timespec now;
	long long us;

	if (rq->status == 0 || rq->recorded)
		return;
	clock_gettime(CLOCK_MONOTONIC, &now);
	us = (now.tv_sec - rq->start.tv_sec) * 1000000LL + (now.tv_nsec - rq->start.tv_nsec) / 1000;
	metrics_request(&rq->srv->metrics, rq->route, rq->status,
	                us < 0 ? 0 : (unsigned long long)us);
	rq->recorded = 1;
}

static enum MHD_Result
server_answer(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
              const char *version, const char *upload, size_t *upload_size, void **con_cls)
{
	struct request *rq = *con_cls;
	enum MHD_Result ret;

	(void)cls;
	(void)conn;
	(void)url;
	(void)version;
	if (rq == NULL)
		return MHD_NO;
	ret = server_handle(rq, method, upload, upload_size);
	server_record(rq);
	/* Answered: not idle.  (A suspended one left the list before suspending: its state is
	 * the other thread's to write now.) */
	if (rq->status != 0)
		conns_idle_remove(&rq->shard->idle, &rq->idle);
	return ret;
}

/* ---- per-connection and per-request bookkeeping ------------------------------------------ */

static void
server_connection(void *cls, struct MHD_Connection *conn, void **socket_context,
                  enum MHD_ConnectionNotificationCode toe)
{
	struct server *srv = cls;
	struct request *rq = *socket_context;

	const union MHD_ConnectionInfo *ci;

	if (toe == MHD_CONNECTION_NOTIFY_STARTED) {
		if ((rq = calloc(1, sizeof(*rq))) != NULL) {
			rq->srv = srv;
			rq->conn = conn;
			rq->shard = server_shard_of(srv, conn);
			rq->addr_slot = conns_addr_slot(srv->addrs, server_client_addr(conn));
			ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
			rq->fd = ci != NULL ? ci->connect_fd : -1;
			if (rq->fd >= 0) /* idle until its first request head is in */
				conns_idle_add(&rq->shard->idle, &rq->idle, server_now_ms());
		}
		*socket_context = rq;
		return;
	}
	if (rq != NULL) {
		conns_idle_remove(&rq->shard->idle, &rq->idle);
		conns_addr_put(srv->addrs, rq->addr_slot);
	} else {
		conns_addr_put(srv->addrs, conns_addr_slot(srv->addrs, server_client_addr(conn)));
	}
	if (rq != NULL && rq->active) /* never completed: a client gone mid-request */
		atomic_fetch_sub(&rq->shard->inflight, 1);
	if (rq != NULL && rq->job != NULL) { /* answered never (the daemon stops) */
		routes_reply_free(&rq->job->rp);
		free(rq->job);
	}
	atomic_fetch_sub(&(rq != NULL ? rq->shard : server_shard_of(srv, conn))->connections, 1);
	free(rq);
	*socket_context = NULL;
}

static void *
server_uri(void *cls, const char *uri, struct MHD_Connection *conn)
{
	const union MHD_ConnectionInfo *ci =
	    MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	struct request *rq = ci != NULL ? ci->socket_context : NULL;
	size_t n = strlen(uri);

	(void)cls;
	if (rq == NULL)
		return NULL;
	if (rq->active) /* the previous request never completed */
		atomic_fetch_sub(&rq->shard->inflight, 1);
	rq->state = REQ_NEW;
	rq->status = 0;
	rq->recorded = 0;
	rq->route = ROUTE_OTHER;
	rq->body_len = rq->body_seen = 0;
	rq->uri_too_long = n > SERVER_URI_MAX;
	rq->lang_hint[0] = '\0';
	if (rq->uri_too_long) {
		server_lang_hint(uri, rq->lang_hint, sizeof(rq->lang_hint));
		memcpy(rq->uri, "/", 2);
	} else
		memcpy(rq->uri, uri, n + 1);
	rq->active = 1;
	atomic_fetch_add(&rq->shard->inflight, 1);
	clock_gettime(CLOCK_MONOTONIC, &rq->start);
	return rq;
}

static void
server_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                 enum MHD_RequestTerminationCode toe)
{
	struct request *rq = *con_cls;

	(void)cls;
	(void)conn;
	(void)toe;
	if (rq == NULL || !rq->active)
		return;
	rq->active = 0;
	atomic_fetch_sub(&rq->shard->inflight, 1);
	if (!rq->shed && rq->fd >= 0) /* kept alive: the next head has its own deadline */
		conns_idle_add(&rq->shard->idle, &rq->idle, server_now_ms());
}

/* ---- life cycle -------------------------------------------------------------------------- */

/* Started as root: the socket is bound, so become cfg->user (or nobody) for good. */
static int
server_drop_privileges(struct server *srv, struct err *e)
{
	const char *name = srv->cfg.user != NULL ? srv->cfg.user : "nobody";
	struct passwd *pw;

	if (name[0] == '\0') /* the fuzz target's: the process stays who it is */
		return 0;
	if (geteuid() != 0) {
		if (srv->cfg.user != NULL)
			return err_set(e, "--user %s: only root can change user", name);
		return 0;
	}
	/* votes_open() gave the votes files to this user already (server_open()). */
	if ((pw = getpwnam(name)) == NULL)
		return err_set(e, "--user %s: no such user", name);
	if (setgroups(0, NULL) == -1 || setgid(pw->pw_gid) == -1 || setuid(pw->pw_uid) == -1)
		return err_internal(e, "cannot become %s: %s", name, strerror(errno));
	if (setuid(0) == 0)
		return err_internal(e, "privileges not dropped: setuid(0) still works");
	server_log(srv, "running as %s", name);
	return 0;
}

static int
server_open(struct server *srv, struct err *e)
{
	/* A PostgreSQL claims store keeps the votes too, shared by every server on it. */
	struct votes_config vc = {.path = srv->cfg.votes,
	                          .store = srv->cfg.claims,
	                          .rate_per_minute = srv->cfg.vote_rate};
	const char *user = srv->cfg.user != NULL ? srv->cfg.user : "nobody";
	struct passwd *pw;

	/* As root, the votes files are made the user's the server becomes (by descriptor). */
	if (geteuid() == 0 && user[0] != '\0') {
		if ((pw = getpwnam(user)) == NULL)
			return err_set(e, "--user %s: no such user", user);
		vc.chown = 1;
		vc.owner = pw->pw_uid;
		vc.group = pw->pw_gid;
	}
	if (i18n_load(srv->cfg.podir, &srv->langs, e) == -1)
		return -1;
	/* A store for each shard and each search thread: no shard waits behind a search. */
	if (server_pool_open(&srv->pool, srv->cfg.db, srv->cfg.threads + server_slow_threads(srv),
	                     e) == -1)
		return -1;
	if (votes_open(&vc, &srv->votes, e) == -1)
		return -1;
	if (srv->cfg.claims != NULL && claimcache_open(srv->cfg.claims, &srv->env.claims, e) == -1)
		return -1;
	if (cache_init(&srv->cache, SERVER_CACHE_SLOTS, e) == -1)
		return -1;
	if ((srv->addrs = malloc(sizeof(*srv->addrs))) == NULL ||
	    conns_addrs_init(srv->addrs, srv->cfg.per_address > 0
	                                     ? srv->cfg.per_address
	                                     : srv->cfg.connections / 8 + 1) == -1)
		return err_internal(e, "serve: cannot set up the connection table");
	metrics_init(&srv->metrics);
	report_env_init(&srv->renv);
	srv->renv_public = srv->renv;
	range_machine_defaults(&srv->renv_public.machine);
	srv->env.langs = srv->env_public.langs = srv->langs;
	srv->env.report = &srv->renv;
	srv->env.show_machine = 1;
	/* Visitors from elsewhere learn Linux's defaults, not this server's settings. */
	srv->env_public.report = &srv->renv_public;
	srv->env_public.show_machine = 0;
	return 0;
}

/*
 * The listening socket on cfg.listen.  No SO_REUSEPORT: a second server on
 * the same port fails to bind instead of quietly sharing the connections.
 */
static int
server_socket(struct server *srv, struct err *e)
{
	const struct sockaddr_storage *ss = &srv->cfg.listen.addr;
	int fd, one = 1;

	fd = socket(ss->ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd == -1)
		return err_internal(e, "listen socket: %s", strerror(errno));
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) == -1 ||
	    (ss->ss_family == AF_INET6 &&
	     setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one)) == -1) ||
	    bind(fd, (const struct sockaddr *)ss, srv->cfg.listen.len) == -1 ||
	    listen(fd, SOMAXCONN) == -1) {
		err_set(e, "cannot listen on port %u: %s",
		        ntohs(ss->ss_family == AF_INET6
		                  ? ((const struct sockaddr_in6 *)ss)->sin6_port
		                  : ((const struct sockaddr_in *)ss)->sin_port),
		        strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

static unsigned
server_bound_port(int fd)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);

	if (getsockname(fd, (struct sockaddr *)&ss, &len) == -1)
		return 0;
	if (ss.ss_family == AF_INET6)
		return ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
	return ntohs(((struct sockaddr_in *)&ss)->sin_port);
}

/* MHD takes a connection (closing it if it cannot); this thread runs sh's loop. */
static void
server_take(struct server_shard *sh, struct server_handoff *h)
{
	if (MHD_add_connection(sh->daemon, h->fd, (struct sockaddr *)&h->addr, h->len) != MHD_YES) {
		atomic_fetch_sub(&sh->connections, 1);
		conns_addr_put(sh->srv->addrs, h->slot);
	}
}

/* The connections other shards accepted for this one. */
static void
server_take_queued(struct server_shard *sh)
{
	struct server_handoff q[SERVER_HANDOFF_MAX];
	size_t n, i;

	pthread_mutex_lock(&sh->lock);
	n = sh->nqueued;
	memcpy(q, sh->queue, n * sizeof(q[0]));
	sh->nqueued = 0;
	pthread_mutex_unlock(&sh->lock);
	for (i = 0; i < n; i++)
		server_take(sh, &q[i]);
}

/* The shard with the fewest connections; sh itself on a tie. */
static struct server_shard *
server_least_busy(struct server_shard *sh)
{
	struct server *srv = sh->srv;
	struct server_shard *best = sh;
	int least = atomic_load(&sh->connections), n;
	size_t i;

	for (i = 0; i < srv->nshards; i++)
		if ((n = atomic_load(&srv->shards[i].connections)) < least) {
			least = n;
			best = &srv->shards[i];
		}
	return best;
}

/* Queue h for another shard and wake it; 0 when its queue is full. */
static int
server_hand_off(struct server_shard *to, const struct server_handoff *h)
{
	int queued = 0;

	pthread_mutex_lock(&to->lock);
	if (to->nqueued < SERVER_HANDOFF_MAX) {
		to->queue[to->nqueued++] = *h;
		queued = 1;
	}
	pthread_mutex_unlock(&to->lock);
	if (queued)
		server_shard_wake(to);
	return queued;
}

/* Shut the oldest idle connection of this thread down (MHD then closes it); 0 if none. */
static int
server_shed_oldest(struct server_shard *sh, enum conns_drop why)
{
	struct conns_link *l = sh->idle.head;
	struct request *rq;

	if (l == NULL)
		return 0;
	rq = (struct request *)(void *)((char *)l - offsetof(struct request, idle));
	conns_idle_remove(&sh->idle, l);
	rq->shed = 1;
	shutdown(rq->fd, SHUT_RDWR);
	conns_drop(&sh->srv->drops, why);
	return 1;
}

/* Idle connections past their head deadline, oldest first; ms until the next is due (-1: none). */
static int
server_shed_late(struct server_shard *sh, long long now)
{
	while (sh->idle.head != NULL && now - sh->idle.head->since >= SERVER_HEAD_MS)
		server_shed_oldest(sh, CONNS_DROP_DEADLINE);
	return sh->idle.head == NULL ? -1 : (int)(sh->idle.head->since + SERVER_HEAD_MS - now);
}

/*
 * Whether a new connection may stay: its address under the cap, and room
 * in the table, made by shedding this thread's oldest idle connection
 * when it is full.  Closes h->fd when not.
 */
static int
server_admit(struct server_shard *sh, struct server_handoff *h)
{
	struct server *srv = sh->srv;
	enum conns_drop why = CONNS_DROP_FULL;
	unsigned total = 0;
	size_t i;

	h->slot = conns_addr_slot(srv->addrs, (const struct sockaddr *)&h->addr);
	if (!conns_addr_take(srv->addrs, h->slot)) {
		why = CONNS_DROP_ADDRESS;
	} else {
		for (i = 0; i < srv->nshards; i++)
			total += (unsigned)atomic_load(&srv->shards[i].connections);
		if (total < srv->cfg.connections || server_shed_oldest(sh, CONNS_DROP_SHED))
			return 1;
		conns_addr_put(srv->addrs, h->slot);
	}
	conns_drop(&srv->drops, why);
	close(h->fd);
	return 0;
}

/*
 * Accept what is waiting (a few at a time, so one thread's burst does not
 * starve its own connections) and give each to the least busy shard.
 * Counting a connection when it is given, not when MHD takes it, keeps the
 * next choice right while the handoff is in flight.  A shard that wakes
 * for nothing (another took the connection) gets EAGAIN.  -1 when out of
 * descriptors or memory.
 */
static int
server_accept(struct server_shard *sh)
{
	struct server *srv = sh->srv;
	struct server_handoff h;
	struct server_shard *to;
	int n;

	/* Refusals (server_admit()) are cheap and do not count: a flood of them drains at once. */
	for (n = 0; n < 16;) {
		h.len = sizeof(h.addr);
		h.fd = accept4(srv->listen_fd, (struct sockaddr *)&h.addr, &h.len,
		               SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (h.fd == -1) {
			if (errno != EMFILE && errno != ENFILE && errno != ENOBUFS &&
			    errno != ENOMEM)
				return 0; /* EAGAIN: another shard took it; a client gone first */
			server_log(srv, "cannot accept connections for a second: %s",
			           strerror(errno));
			return -1;
		}
		if (!server_admit(sh, &h))
			continue;
		n++;
		to = server_least_busy(sh);
		atomic_fetch_add(&to->connections, 1);
		if (to != sh && !server_hand_off(to, &h)) {
			atomic_fetch_sub(&to->connections, 1);
			atomic_fetch_add(&sh->connections, 1);
			to = sh;
		}
		if (to == sh)
			server_take(sh, &h);
	}
	return 0;
}

static long long
server_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Once an interval, from one thread: what was dropped, in one line. */
static void
server_summary(struct server_shard *sh, long long now, int *ms)
{
	char line[400];
	int due;

	if (sh->summary_at == 0)
		sh->summary_at = now;
	if (now - sh->summary_at >= CONNS_LOG_INTERVAL) {
		sh->summary_at = now;
		conns_log_summary(&sh->srv->drops, line, sizeof(line));
		if (line[0] != '\0')
			server_log(sh->srv, "%s", line);
	}
	due = (int)(sh->summary_at + CONNS_LOG_INTERVAL - now);
	if (*ms == -1 || due < *ms)
		*ms = due;
}

/*
 * The shard's event loop.  MHD_run() processes what is ready without ever
 * blocking (MHD_epoll() with a zero timeout); the thread sleeps here, in
 * poll() on MHD's epoll descriptor, its wake-up and the listening socket,
 * for as long as MHD_get_timeout() allows.
 * That is what keeps this configuration out of the trap in MHD 0.9.75 to
 * 1.0.x: its internal epoll thread drains events in batches of 128 and,
 * when a batch is exactly full, waits again with its blocking timeout
 * before serving what it already has, so exactly 128·k ready connections
 * stall until some other event or the connection timeout.  Driven from
 * outside, that second wait has timeout 0 and returns at once.
 * (tests/e2e/test_web.py holds 128 and 256 requests in flight at once.)
 * After EMFILE and the like the socket stays readable; the loop then
 * leaves it out for a second rather than spin on it.
 *
 * Under load the loop always finds work, never blocks, and to the
 * scheduler looks like a CPU hog: it runs until a tick takes the CPU away
 * (4 ms at HZ=250, and nothing sooner under PREEMPT_NONE), then waits
 * behind every thread that slept, its connections with it.  `perf sched
 * latency` with wrk at 64 connections: these threads switched 836 times in
 * 4 s and waited up to 6 ms to run again, which was the p99.  So the loop
 * yields after each pass: with nothing else runnable that is one cheap
 * system call; otherwise the others run now, in short turns, instead of
 * all at once later.  bench/web-style rounds against the same binary
 * without it: c64 p99 1.75 ms against 6.88 (nginx 6.12), and CPU per
 * request 12.8 against 13.9 us; one client alone is no slower.
 */
static void *
server_shard_loop(void *arg)
{
	struct server_shard *sh = arg;
	struct server *srv = sh->srv;
	const union MHD_DaemonInfo *di = MHD_get_daemon_info(sh->daemon, MHD_DAEMON_INFO_EPOLL_FD);
	struct pollfd pfd[3] = {{.fd = di->epoll_fd, .events = POLLIN},
	                        {.fd = sh->wake_fd, .events = POLLIN},
	                        {.fd = sh->accept_fd, .events = POLLIN}};
	MHD_UNSIGNED_LONG_LONG timeout;
	long long paused_until = 0, now;
	uint64_t n;
	int ms, due;

	while (!atomic_load(&srv->stopping)) {
		ms = -1;
		if (MHD_get_timeout(sh->daemon, &timeout) == MHD_YES)
			ms = timeout > INT_MAX ? INT_MAX : (int)timeout;
		now = server_now_ms();
		if ((due = server_shed_late(sh, now)) >= 0 && (ms == -1 || due < ms))
			ms = due;
		if (sh == &srv->shards[0])
			server_summary(sh, now, &ms);
		pfd[2].fd = atomic_load(&srv->accepting) ? sh->accept_fd : -1;
		if (paused_until != 0 && (now = server_now_ms()) < paused_until) {
			pfd[2].fd = -1;
			if (ms == -1 || ms > paused_until - now)
				ms = (int)(paused_until - now);
		}
		if (poll(pfd, 3, ms) == -1 && errno != EINTR) {
			server_log(srv, "a server thread stops: poll: %s", strerror(errno));
			break;
		}
		/* Reset the wake-up; the run below is what it asked for. */
		if (pfd[1].revents & POLLIN) {
			if (read(sh->wake_fd, &n, sizeof(n)) < 0 && errno != EAGAIN)
				server_log(srv, "a server thread's wake-up: %s", strerror(errno));
			server_take_queued(sh);
		}
		if (pfd[2].revents & POLLIN && server_accept(sh) == -1)
			paused_until = server_now_ms() + 1000;
		MHD_run(sh->daemon);
		sched_yield(); /* see above: the tail of a busy loop */
	}
	return NULL;
}

static int
server_shard_start(struct server *srv, struct server_shard *sh, unsigned limit, struct err *e)
{
	/* No listening socket of MHD's: connections come from server_accept(). */
	unsigned flags = MHD_USE_EPOLL | MHD_USE_ITC | MHD_USE_ERROR_LOG |
	                 MHD_USE_NO_LISTEN_SOCKET | MHD_ALLOW_SUSPEND_RESUME | MHD_USE_TURBO;
	struct epoll_event ev = {.events = EPOLLIN | EPOLLEXCLUSIVE};

	/*
	 * The listening socket reaches this loop through an epoll set of its
	 * own, EPOLLEXCLUSIVE, so a new connection wakes one thread rather than
	 * all of them.  Polled directly, every thread woke for each connection
	 * and all but one found nothing.  With it, wrk under Connection: close
	 * gets as many connections a second as one socket per thread gave.
	 */
	if ((sh->accept_fd = epoll_create1(EPOLL_CLOEXEC)) == -1 ||
	    epoll_ctl(sh->accept_fd, EPOLL_CTL_ADD, srv->listen_fd, &ev) == -1)
		return err_internal(e, "epoll: %s", strerror(errno));
	if (srv->cfg.listen.addr.ss_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	/* The logger comes first so MHD's own option errors reach it too. */
	sh->daemon = MHD_start_daemon(
	    flags, 0, NULL, NULL, server_answer, srv, MHD_OPTION_EXTERNAL_LOGGER, server_mhd_log,
	    srv, MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)SERVER_TIMEOUT,
	    MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)SERVER_MEMORY_LIMIT,
	    MHD_OPTION_CONNECTION_LIMIT, limit, MHD_OPTION_URI_LOG_CALLBACK, server_uri, srv,
	    MHD_OPTION_NOTIFY_COMPLETED, server_completed, srv, MHD_OPTION_NOTIFY_CONNECTION,
	    server_connection, srv, MHD_OPTION_END);
	if (sh->daemon == NULL)
		return err_internal(e, "cannot start the HTTP daemon");
	if (pthread_create(&sh->thread, NULL, server_shard_loop, sh) != 0)
		return err_internal(e, "cannot start a server thread");
	sh->started = 1;
	return 0;
}

static int
server_listen(struct server *srv, struct err *e)
{
	unsigned per = srv->cfg.connections / srv->cfg.threads;
	size_t i;

	/* Over-aligned (the inflight counters): calloc() promises only 16 bytes. */
	srv->shards =
	    aligned_alloc(_Alignof(struct server_shard), srv->cfg.threads * sizeof(*srv->shards));
	if (srv->shards == NULL)
		return err_internal(e, "serve: out of memory");
	memset(srv->shards, 0, srv->cfg.threads * sizeof(*srv->shards));
	srv->nshards = srv->cfg.threads;
	for (i = 0; i < srv->nshards; i++) {
		srv->shards[i].srv = srv;
		srv->shards[i].accept_fd = -1;
		pthread_mutex_init(&srv->shards[i].lock, NULL);
		srv->shards[i].wake_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
		if (srv->shards[i].wake_fd == -1)
			return err_internal(e, "eventfd: %s", strerror(errno));
	}
	if ((srv->listen_fd = server_socket(srv, e)) == -1)
		return -1;
	srv->port = server_bound_port(srv->listen_fd);
	/* Pages name their canonical URL: the public one if given, else where we listen. */
	if (srv->cfg.base_url != NULL)
		snprintf(srv->base_url, sizeof(srv->base_url), "%.500s%s", srv->cfg.base_url,
		         strchr(srv->cfg.base_url, '\0')[-1] == '/' ? "" : "/");
	else
		server_url(srv, srv->base_url, sizeof(srv->base_url));
	srv->env.base_url = srv->base_url;
	atomic_store(&srv->accepting, 1);
	/* Room above the share, for connections let in while the shed ones close. */
	per = (per > 0 ? per : 1) + per / 4 + 16;
	for (i = 0; i < srv->nshards; i++)
		if (server_shard_start(srv, &srv->shards[i], per, e) == -1)
			return -1;
	return 0;
}

/* Stop the shard loops (they finish the MHD_run() they are in) and wait for them. */
static void
server_stop_loops(struct server *srv)
{
	size_t i;

	atomic_store(&srv->stopping, 1);
	for (i = 0; i < srv->nshards; i++)
		if (srv->shards[i].started)
			server_shard_wake(&srv->shards[i]);
	for (i = 0; i < srv->nshards; i++)
		if (srv->shards[i].started) {
			pthread_join(srv->shards[i].thread, NULL);
			srv->shards[i].started = 0;
		}
}

/* Stop the daemons and close what they and we still hold. */
static void
server_stop_daemons(struct server *srv)
{
	size_t i;

	if (srv->listen_fd >= 0)
		close(srv->listen_fd);
	srv->listen_fd = -1;
	for (i = 0; i < srv->nshards; i++) {
		struct server_shard *sh = &srv->shards[i];

		if (sh->daemon != NULL)
			MHD_stop_daemon(sh->daemon);
		sh->daemon = NULL;
		while (sh->nqueued > 0) /* handed off, never taken: the loops have stopped */
			close(sh->queue[--sh->nqueued].fd);
		if (sh->wake_fd > 0)
			close(sh->wake_fd);
		sh->wake_fd = -1;
		if (sh->accept_fd >= 0)
			close(sh->accept_fd);
		sh->accept_fd = -1;
		pthread_mutex_destroy(&sh->lock);
	}
}

int
server_start(const struct server_config *cfg, struct server **out, struct err *e)
{
	struct server *srv;

	*out = NULL;
	if (!cfg->listen.loopback && !cfg->public)
		return err_set(e, "--listen: not a loopback address; add --public to serve the "
		                  "network");
	if ((srv = calloc(1, sizeof(*srv))) == NULL)
		return err_internal(e, "serve: out of memory");
	srv->listen_fd = -1;
	srv->cfg = *cfg;
	if (srv->cfg.threads == 0 || srv->cfg.threads > SERVER_MAX_THREADS)
		srv->cfg.threads = 2;
	if (server_open(srv, e) == -1 || server_slow_start(srv, e) == -1 ||
	    server_listen(srv, e) == -1 || server_drop_privileges(srv, e) == -1) {
		server_free(srv);
		return -1;
	}
	*out = srv;
	return 0;
}

/* Wait (at most SERVER_DRAIN_SECONDS in all) until no request is in flight. */
static void
server_drain(struct server *srv, const struct timespec *deadline)
{
	struct timespec pause = {0, 10 * 1000 * 1000}, now;

	for (;;) {
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (server_inflight(srv) <= 0 || now.tv_sec > deadline->tv_sec ||
		    (now.tv_sec == deadline->tv_sec && now.tv_nsec >= deadline->tv_nsec))
			return;
		nanosleep(&pause, NULL);
	}
}

/*
 * SIGHUP, typically after `portolan update` swapped in a new database:
 * open the file anew for every store, then take all the old stores back
 * (requests holding one finish first; new ones wait) and empty the page
 * cache, so nothing from the old snapshot is served again.  When the new
 * file cannot be opened (the user serve runs as must be able to read it),
 * the old stores stay and the log says why.
 */
static void
server_reload(struct server *srv)
{
	struct server_pool *p = &srv->pool;
	struct store **fresh = calloc(p->n, sizeof(*fresh));
	struct err e = {0};
	size_t i, opened = 0;

	if (fresh == NULL) {
		server_log(srv, "reload: out of memory; still serving the old database");
		return;
	}
	while (opened < p->n && store_open(srv->cfg.db, &fresh[opened], &e) == 0)
		opened++;
	if (opened < p->n) {
		server_log(srv, "reload: %s; still serving the old database", e.msg);
		while (opened > 0)
			store_close(fresh[--opened]);
		free(fresh);
		return;
	}
	pthread_mutex_lock(&p->lock);
	p->draining = 1;
	while (p->nfree < p->n)
		pthread_cond_wait(&p->freed, &p->lock);
	for (i = 0; i < p->n; i++) {
		store_close(p->free[i]);
		p->free[i] = fresh[i];
	}
	cache_clear(&srv->cache);
	p->draining = 0;
	pthread_cond_broadcast(&p->freed);
	pthread_mutex_unlock(&p->lock);
	free(fresh);
	server_log(srv, "reload: serving %s anew", srv->cfg.db);
}

int
server_wait(struct server *srv, const sigset_t *set)
{
	struct timespec deadline;
	size_t i;
	int sig = 0;

	for (;;) {
		while (sigwait(set, &sig) != 0)
			;
		if (sig != SIGHUP)
			break;
		server_reload(srv);
	}
	server_log(srv, "signal %d: finishing in-flight requests", sig);
	/*
	 * Accept no more.  The socket stays open until the end, so a client
	 * that connects meanwhile waits in its backlog and is then reset,
	 * rather than finding the port taken by someone else.
	 */
	atomic_store(&srv->accepting, 0);
	for (i = 0; i < srv->nshards; i++)
		server_shard_wake(&srv->shards[i]);
	clock_gettime(CLOCK_MONOTONIC, &deadline);
	deadline.tv_sec += SERVER_DRAIN_SECONDS;
	server_drain(srv, &deadline);
	/*
	 * Commit queued votes while the daemons still run: their connections
	 * are suspended and must be resumed (and answered) before MHD stops.
	 * Votes arriving after this are refused with 503.
	 */
	votes_drain(srv->votes);
	server_slow_stop(srv); /* likewise for searches */
	server_drain(srv, &deadline);
	if (server_inflight(srv) > 0)
		server_log(srv, "%d requests still open after %d s; closing them",
		           server_inflight(srv), SERVER_DRAIN_SECONDS);
	server_stop_loops(srv);
	server_stop_daemons(srv);
	return sig;
}

void
server_free(struct server *srv)
{
	if (srv == NULL)
		return;
	votes_drain(srv->votes); /* resumes suspended votes while MHD still runs */
	server_slow_stop(srv);
	server_stop_loops(srv);
	server_stop_daemons(srv);
	free(srv->shards);
	free(srv->addrs);
	votes_close(srv->votes);
	claimcache_close(srv->env.claims);
	cache_free(&srv->cache);
	if (srv->pool.free != NULL)
		server_pool_close(&srv->pool);
	i18n_free(srv->langs);
	free(srv);
}
