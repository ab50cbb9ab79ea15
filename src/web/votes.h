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
 * Stored per vote: page, language, answer, UTC day and a client key -
 * never the client's address.  The key is an HMAC-SHA256 of the address
 * under a salt drawn at votes_open() and kept only in memory, so keys
 * cannot be reversed or linked across restarts; it serves the one-vote-
 * per-page-per-client-per-day rule (a changed answer replaces the earlier
 * one) and the in-memory write rate limit.
 *
 * Thread safety: every function but votes_close() may be called from any
 * thread.  Memory: struct votes owns its handle, thread and queue; done
 * callbacks run on the writer thread and must not block.  Errors: -1 with
 * e filled (ERR_INTERNAL for SQLite, threads and a full queue).  Reading
 * the tallies back is feedback.h's job.
 */
#ifndef PORTOLAN_VOTES_H
#define PORTOLAN_VOTES_H

#include <stddef.h>
#include <time.h>

#include "util/err.h"

#define VOTES_MAX_PAGE    128
#define VOTES_MAX_LANG    16
#define VOTES_CLIENT_LEN  16    /* bytes of the HMAC kept */
#define VOTES_MAX_PENDING 65536 /* queued, not yet committed; beyond this votes are refused */
#define VOTES_BUSY_MS     5000  /* how long a writer or a reader waits for the other */

enum vote_answer { VOTE_SAD = 0, VOTE_MEH, VOTE_HAPPY };

struct vote {
	char page[VOTES_MAX_PAGE]; /* a path the site serves: "/port/3516" */
	char lang[VOTES_MAX_LANG];
	enum vote_answer answer;
	unsigned char client[VOTES_CLIENT_LEN]; /* votes_client() */
	char day[11];                           /* "YYYY-MM-DD", UTC */
};

struct votes_config {
	const char *path;
	unsigned rate_per_minute; /* writes per client key; 0: no limit (benchmarks) */
};

/* Called once per vote on the writer thread: ok is 1 when committed durably. */
typedef void (*votes_done_fn)(void *arg, int ok);

struct votes;

/* Open or create the votes database and start the writer thread. */
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
/* The salted key of a client address (the raw sockaddr bytes, say). */
void votes_client(const struct votes *v, const void *addr, size_t len,
                  unsigned char out[VOTES_CLIENT_LEN]);
/* 1 when this client may write now (and count the write), 0 when over the rate. */
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
