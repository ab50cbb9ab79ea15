/*
 * votes.h - "Was this page helpful?": the answers, stored so that not one
 * acknowledged vote is lost.
 *
 * The registry database is immutable and replaced whole by `portolan
 * update`, so votes live in their own SQLite file (by default beside it,
 * "<db>.votes") in WAL mode with synchronous=FULL: a commit has reached
 * the disk when it returns, so a vote the server answered 2xx survives a
 * kill -9 or a power cut.
 *
 * A durable commit costs an fsync, which alone would cap votes at a few
 * hundred a second.  votes_submit() therefore only queues the vote; one
 * writer thread takes everything queued, commits it as one transaction
 * (group commit) and then calls each vote's done callback.  The web
 * server suspends the connection meanwhile and answers from the callback,
 * so an answer always follows the commit and thousands of votes a second
 * share each fsync.
 *
 * Stored per vote: page (canonical, canon.h), language, answer, UTC day
 * and a client key - never the client's address.  The key is an
 * HMAC-SHA256 of the address (IPv4 whole, IPv6 by its /64, which is what
 * one subscriber gets) under the day's salt.  Salts are random, kept in
 * the votes database (table salt) so a restart keeps "one vote per page
 * per client per day", and deleted after a day, so keys cannot be
 * reversed or linked across days.  The key serves that rule (a changed
 * answer replaces the earlier one) and the in-memory write rate limit.
 *
 * Cross-site votes: a page carries a token, votes_token() of its canonical
 * path under the day's salt, that a vote posted without Origin or
 * Sec-Fetch-Site (an old browser's form) must return.  It proves the form
 * came from a page this server rendered that day or the day before; the
 * browser's own headers do the rest (server.c).
 *
 * In PostgreSQL (votes_config.store) the tables are the same, created by
 * the claims store's migrations; a batch is one transaction there too,
 * retried with backoff on a lost connection, and a batch that still fails
 * answers 503 (each vote's done callback gets ok 0) so the client retries.
 * A retried commit cannot count a vote twice: storing a vote replaces the
 * client's earlier answer on that page and day.
 *
 * Thread safety: every function but votes_close() may be called from any
 * thread.  Memory: struct votes owns its handle, thread and queue; done
 * callbacks run on the writer thread and must not block.  Errors: -1 with
 * e filled (ERR_INTERNAL for SQLite, threads and a full queue).  Reading
 * the tallies back is feedback.h's job.
 */
#ifndef PORTOLAN_VOTES_H
#define PORTOLAN_VOTES_H

#include <sys/socket.h>
#include <sys/types.h>
#include <stddef.h>
#include <time.h>

#include "util/err.h"

#define VOTES_MAX_PAGE    128
#define VOTES_MAX_LANG    16
#define VOTES_CLIENT_LEN  16    /* bytes of the HMAC kept */
#define VOTES_MAX_PENDING 65536 /* queued, not yet committed; beyond this votes are refused */
#define VOTES_BUSY_MS     5000  /* how long a writer or a reader waits for the other */

enum vote_answer { VOTE_SAD = 0, VOTE_MEH, VOTE_HAPPY };

#define VOTES_TOKEN_LEN 32 /* hex digits of a page's token */

struct vote {
	char page[VOTES_MAX_PAGE]; /* a canonical path the site serves: "/port/3516" */
	char lang[VOTES_MAX_LANG];
	enum vote_answer answer;
	unsigned char client[VOTES_CLIENT_LEN]; /* votes_client() */
	char day[11];                           /* "YYYY-MM-DD", UTC */
	char token[VOTES_TOKEN_LEN + 1];        /* the form's, "" if none; checked, not stored */
};

struct votes_config {
	const char *path;
	/*
	 * A PostgreSQL store (postgresql://..., src/claims/cstore.h) to keep the
	 * votes and salts in instead of path: several servers then share them,
	 * and with them the one-vote-per-page-per-client-per-day rule.  NULL or
	 * anything else: the SQLite file at path.
	 */
	const char *store;
	unsigned rate_per_minute; /* writes per client key; 0: no limit (benchmarks) */
	int chown;                /* 1: give the files to owner:group (a server started as root) */
	uid_t owner;
	gid_t group;
};

/* Called once per vote on the writer thread: ok is 1 when committed durably. */
typedef void (*votes_done_fn)(void *arg, int ok);

struct votes;

/*
 * Open or create the votes database and start the writer thread.  The
 * file, its -wal and its -shm are opened without following a symbolic
 * link (a server started as root would otherwise write, or give away,
 * whatever the link names), must be regular files, and an existing file
 * must hold no table but the votes' own: -1 with ERR_INPUT otherwise.
 * With cfg->chown each is given to owner:group by its descriptor.
 */
int votes_open(const struct votes_config *cfg, struct votes **out, struct err *e);
/*
 * Refuse new votes, commit everything queued (calling its callbacks) and
 * stop the writer; the struct stays valid (votes_submit() now fails) so a
 * server can drain votes before it stops serving.  Idempotent.
 */
void votes_drain(struct votes *v);
/* votes_drain(), then close the database and free. */
void votes_close(struct votes *v);

/* "sad", "meh", "happy" <-> enum vote_answer; parse returns -1 for anything else. */
int votes_answer_parse(const char *s, enum vote_answer *out);
const char *votes_answer_name(enum vote_answer a);
/* The UTC day of t as "YYYY-MM-DD". */
void votes_day(time_t t, char day[11]);
/*
 * The key of a client address (AF_INET or AF_INET6; an IPv4-mapped IPv6
 * address is its IPv4 one) under the salt of now's day.  -1 when that
 * salt can be neither read nor made (the database fails): no vote then.
 */
int votes_client(struct votes *v, const struct sockaddr *sa, time_t now,
                 unsigned char out[VOTES_CLIENT_LEN]);
/* The token of a canonical page for now's day, VOTES_TOKEN_LEN hex digits; -1 as above. */
int votes_token(struct votes *v, const char *page, time_t now, char out[VOTES_TOKEN_LEN + 1]);
/* 1 when token is page's for now's day or the day before. */
int votes_token_ok(struct votes *v, const char *page, const char *token, time_t now);
/*
 * 1 when this client may write now (and count the write), 0 when over the
 * rate.  Each client key has a bucket of its own (an exact table, never a
 * slot shared by chance); see votes.c for what happens when it fills.
 */
int votes_allow(struct votes *v, const unsigned char client[VOTES_CLIENT_LEN], time_t now);

/*
 * Queue a vote; done(arg, ok) is called exactly once, after the commit,
 * unless this returns -1 (queue full or writer stopped), in which case it
 * is never called.
 */
int votes_submit(struct votes *v, const struct vote *vt, votes_done_fn done, void *arg,
                 struct err *e);
/* Votes committed since votes_open() (for /metrics). */
unsigned long long votes_committed(struct votes *v);

#endif
