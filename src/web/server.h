/*
 * server.h - `portolan serve`: the website and its JSON API over HTTP.
 *
 * libmicrohttpd in epoll mode, one daemon per thread (a "shard") without a
 * listening socket of its own: every shard's loop accepts from the one
 * socket and hands each connection to the shard with the fewest, so the
 * threads carry equal loads.  Each loop sleeps in poll() and calls
 * MHD_run(), which never blocks: MHD's own epoll thread (0.9.75 to 1.0.x)
 * stalls when exactly 128·k connections are ready at once, and driven
 * from outside it cannot (server.c says why).  epoll
 * rather than poll mode: about 15% less CPU a request under load
 * (bench/web).  Each worker borrows one of a small pool of read-only stores
 * for the duration of a request, since SQLite handles are not shared
 * between threads; searches, the one costly kind of request, run on
 * threads of their own (server.c).  Limits: connection timeout,
 * per-connection memory (which also bounds the request header), a
 * connection cap, a cap per client address and a deadline for each
 * request head (conns.h), strict framing, and 1 KB of request body.
 * Every answer carries a strict Content-Security-Policy, nosniff, a
 * Referrer-Policy and a Cache-Control; pages and assets have ETags (304
 * on If-None-Match) and gzip when the client accepts it.
 *
 * Lifecycle: server_start() opens everything, binds, and drops root
 * privileges (to "nobody" or cfg->user) once bound; server_wait() blocks
 * until one of the given signals arrives (the caller has blocked them in
 * every thread, so no handler and no global flag are needed).  SIGHUP
 * reopens the database (after `portolan update`) and empties the page
 * cache; any other signal shuts down gracefully: stop accepting, let in-flight requests finish (at
 * most SERVER_DRAIN_SECONDS), commit queued votes; server_free() releases the rest.
 *
 * The library does not print: MHD's messages and the server's own go to
 * cfg->log.  Errors: -1 with e filled (ERR_INPUT for a bad --listen, a
 * non-loopback address without public, an unknown user; ERR_INTERNAL when
 * binding or opening fails).
 */
#ifndef PORTOLAN_SERVER_H
#define PORTOLAN_SERVER_H

#include <signal.h>
#include <sys/socket.h>

#include "util/err.h"

#define SERVER_DEFAULT_ADDR  "127.0.0.1"
#define SERVER_DRAIN_SECONDS 10
#define SERVER_BODY_LIMIT    1024
#define SERVER_MAX_THREADS   64
#define SERVER_DEFAULT_RATE  30 /* votes a minute per client */

struct server_listen {
	struct sockaddr_storage addr;
	socklen_t len;
	int loopback; /* 127.0.0.0/8 or ::1 */
};

struct server_config {
	struct server_listen listen;
	int public;         /* 1: a non-loopback address was asked for on purpose */
	int show_machine;   /* -1: to loopback clients (default); 0 never; 1 always */
	int trust_proxy;    /* 1: a loopback client's Forwarded/X-Forwarded-For names the client */
	const char *db;     /* the registry database (read-only) */
	const char *votes;  /* the votes database */
	const char *claims; /* the claims store's URL (src/web/claimcache.h); NULL: none */
	const char *podir;  /* the .po catalogs */
	const char *user;   /* NULL: "nobody"; used only when started as root; "": stay (tests) */
	unsigned threads;   /* shards (daemon + thread each) and store pool size */
	unsigned vote_rate; /* votes a minute per client; 0: unlimited */
	unsigned connections; /* connection cap */
	const char
	    *base_url; /* the site's public URL for canonical links; NULL: the bound address */
	unsigned per_address; /* connections from one address (IPv6: /64); 0: connections / 8 */
	void (*log)(void *arg, const char *msg);
	void *log_arg;
};

struct server;

/* "127.0.0.1:8080", "[::1]:8080", or ":8080"/"8080" (loopback); port 0 picks one. */
int server_parse_listen(const char *s, unsigned default_port, struct server_listen *out,
                        struct err *e);
int server_start(const struct server_config *cfg, struct server **out, struct err *e);
/* The bound address as "http://127.0.0.1:8080/". */
void server_url(const struct server *srv, char *buf, size_t len);
/*
 * Block until a signal in set other than SIGHUP arrives, then shut down
 * gracefully and return it; each SIGHUP meanwhile reopens the database.
 */
int server_wait(struct server *srv, const sigset_t *set);
void server_free(struct server *srv);

#endif
