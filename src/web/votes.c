/*
 * votes.c - the votes database and its group-commit writer (votes.h).
 *
 * Handlers append to a FIFO under one mutex and signal the writer.  The
 * writer swaps the whole FIFO out, so it holds the lock only for the swap,
 * and commits the batch in one BEGIN IMMEDIATE ... COMMIT; with WAL and
 * synchronous=FULL that is one fsync per batch however large.  While it
 * commits, new votes pile up for the next batch: under load the batches
 * grow by themselves, which is what lets a disk that does a few hundred
 * fsyncs a second acknowledge thousands of votes.  A failed commit fails
 * the whole batch (each handler answers 500), never acknowledges it.
 *
 * The rate limit is a fixed table of token buckets indexed by the client
 * key's first bytes.  Two clients that share a slot share a bucket, which
 * can only make the limit stricter for them; the table's size bounds the
 * memory whatever the number of clients, and the keys are salted, so no
 * one can aim at another client's slot.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include <nettle/hmac.h>
#include <sqlite3.h>

#include "votes.h"

#define VOTES_RATE_SLOTS 4096

struct votes_item {
	struct votes_item *next;
	struct vote vote;
	votes_done_fn done;
	void *arg;
};

struct votes_bucket {
	unsigned char client[VOTES_CLIENT_LEN];
	double tokens;
	time_t last;
};

struct votes {
	sqlite3 *db;
	sqlite3_stmt *insert;
	unsigned char salt[32];
	unsigned rate;

	pthread_t writer;
	pthread_mutex_t lock; /* guards everything below */
	pthread_cond_t wake;
	struct votes_item *head, **tail;
	size_t pending;
	int stopping;
	int joined; /* the writer has exited (only the draining thread reads it) */
	unsigned long long committed;
	struct votes_bucket buckets[VOTES_RATE_SLOTS];
};

static const char *const votes_answers[] = {"sad", "meh", "happy"};

static const char votes_schema[] =
    "PRAGMA journal_mode=WAL;"
    "CREATE TABLE IF NOT EXISTS vote("
    " page TEXT NOT NULL, lang TEXT NOT NULL,"
    " answer TEXT NOT NULL CHECK (answer IN ('sad', 'meh', 'happy')),"
    " day TEXT NOT NULL, client BLOB NOT NULL,"
    " UNIQUE (page, client, day));";

int
votes_answer_parse(const char *s, enum vote_answer *out)
{
	int a;

	for (a = VOTE_SAD; a <= VOTE_HAPPY; a++)
		if (strcmp(s, votes_answers[a]) == 0) {
			*out = (enum vote_answer)a;
			return 0;
		}
	return -1;
}

const char *
votes_answer_name(enum vote_answer a)
{
	return votes_answers[a];
}

void
votes_day(time_t t, char day[11])
{
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(day, 11, "%Y-%m-%d", &tm);
}

void
votes_client(const struct votes *v, const void *addr, size_t len,
             unsigned char out[VOTES_CLIENT_LEN])
{
	struct hmac_sha256_ctx h;
	uint8_t digest[SHA256_DIGEST_SIZE];

	hmac_sha256_set_key(&h, sizeof(v->salt), v->salt);
	hmac_sha256_update(&h, len, addr);
	hmac_sha256_digest(&h, sizeof(digest), digest);
	memcpy(out, digest, VOTES_CLIENT_LEN);
}

int
votes_allow(struct votes *v, const unsigned char client[VOTES_CLIENT_LEN], time_t now)
{
	struct votes_bucket *b;
	double burst = v->rate;
	int ok;

	if (v->rate == 0)
		return 1;
	pthread_mutex_lock(&v->lock);
	b = &v->buckets[(client[0] | client[1] << 8) % VOTES_RATE_SLOTS];
	if (memcmp(b->client, client, VOTES_CLIENT_LEN) != 0 || b->last == 0) {
		memcpy(b->client, client, VOTES_CLIENT_LEN);
		b->tokens = burst;
		b->last = now;
	}
	if (now > b->last) {
		b->tokens += (double)(now - b->last) * v->rate / 60.0;
		if (b->tokens > burst)
			b->tokens = burst;
		b->last = now;
	}
	if ((ok = b->tokens >= 1.0))
		b->tokens -= 1.0;
	pthread_mutex_unlock(&v->lock);
	return ok;
}

static int
votes_insert(struct votes *v, const struct vote *vt)
{
	sqlite3_stmt *s = v->insert;
	int rc;

	sqlite3_bind_text(s, 1, vt->page, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, vt->lang, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, votes_answers[vt->answer], -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 4, vt->day, -1, SQLITE_STATIC);
	sqlite3_bind_blob(s, 5, vt->client, VOTES_CLIENT_LEN, SQLITE_STATIC);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
	return rc == SQLITE_DONE ? 0 : -1;
}

/* Commit one batch; 1 when durable. */
static int
votes_commit_batch(struct votes *v, struct votes_item *batch)
{
	struct votes_item *it;

	if (sqlite3_exec(v->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
		return 0;
	for (it = batch; it != NULL; it = it->next)
		if (votes_insert(v, &it->vote) == -1) {
			sqlite3_exec(v->db, "ROLLBACK", NULL, NULL, NULL);
			return 0;
		}
	if (sqlite3_exec(v->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
		sqlite3_exec(v->db, "ROLLBACK", NULL, NULL, NULL);
		return 0;
	}
	return 1;
}

static void *
votes_writer(void *arg)
{
	struct votes *v = arg;
	struct votes_item *batch, *next;
	unsigned long long n;
	int ok;

	for (;;) {
		pthread_mutex_lock(&v->lock);
		while (v->head == NULL && !v->stopping)
			pthread_cond_wait(&v->wake, &v->lock);
		if (v->head == NULL) { /* stopping and drained */
			pthread_mutex_unlock(&v->lock);
			return NULL;
		}
		batch = v->head;
		v->head = NULL;
		v->tail = &v->head;
		n = v->pending;
		v->pending = 0;
		pthread_mutex_unlock(&v->lock);

		ok = votes_commit_batch(v, batch);
		if (ok) {
			pthread_mutex_lock(&v->lock);
			v->committed += n;
			pthread_mutex_unlock(&v->lock);
		}
		for (; batch != NULL; batch = next) {
			next = batch->next;
			batch->done(batch->arg, ok);
			free(batch);
		}
	}
}

static int
votes_db_open(struct votes *v, const char *path, struct err *e)
{
	if (sqlite3_open_v2(path, &v->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
	    SQLITE_OK)
		return err_internal(e, "%s: %s", path, sqlite3_errmsg(v->db));
	sqlite3_busy_timeout(v->db, VOTES_BUSY_MS);
	if (sqlite3_exec(v->db, votes_schema, NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_exec(v->db, "PRAGMA synchronous=FULL", NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(v->db,
	                       "INSERT INTO vote (page, lang, answer, day, client)"
	                       " VALUES (?, ?, ?, ?, ?) ON CONFLICT (page, client, day)"
	                       " DO UPDATE SET answer = excluded.answer, lang = excluded.lang",
	                       -1, &v->insert, NULL) != SQLITE_OK)
		return err_internal(e, "%s: %s", path, sqlite3_errmsg(v->db));
	return 0;
}

int
votes_open(const struct votes_config *cfg, struct votes **out, struct err *e)
{
	struct votes *v;

	*out = NULL;
	if ((v = calloc(1, sizeof(*v))) == NULL)
		return err_internal(e, "votes: out of memory");
	v->rate = cfg->rate_per_minute;
	v->tail = &v->head;
	pthread_mutex_init(&v->lock, NULL);
	pthread_cond_init(&v->wake, NULL);
	if (getrandom(v->salt, sizeof(v->salt), 0) != (ssize_t)sizeof(v->salt)) {
		err_internal(e, "votes: no random salt from getrandom()");
		goto fail;
	}
	if (votes_db_open(v, cfg->path, e) == -1)
		goto fail;
	if (pthread_create(&v->writer, NULL, votes_writer, v) != 0) {
		err_internal(e, "votes: cannot start the writer thread");
		goto fail;
	}
	*out = v;
	return 0;
fail:
	sqlite3_finalize(v->insert);
	sqlite3_close(v->db);
	pthread_cond_destroy(&v->wake);
	pthread_mutex_destroy(&v->lock);
	free(v);
	return -1;
}

void
votes_drain(struct votes *v)
{
	if (v == NULL || v->joined)
		return;
	pthread_mutex_lock(&v->lock);
	v->stopping = 1;
	pthread_cond_signal(&v->wake);
	pthread_mutex_unlock(&v->lock);
	pthread_join(v->writer, NULL);
	v->joined = 1;
}

void
votes_close(struct votes *v)
{
	if (v == NULL)
		return;
	votes_drain(v);
	sqlite3_finalize(v->insert);
	sqlite3_close(v->db);
	pthread_cond_destroy(&v->wake);
	pthread_mutex_destroy(&v->lock);
	explicit_bzero(v->salt, sizeof(v->salt));
	free(v);
}

int
votes_submit(struct votes *v, const struct vote *vt, votes_done_fn done, void *arg, struct err *e)
{
	struct votes_item *it;

	if ((it = malloc(sizeof(*it))) == NULL)
		return err_internal(e, "votes: out of memory");
	it->next = NULL;
	it->vote = *vt;
	it->done = done;
	it->arg = arg;
	pthread_mutex_lock(&v->lock);
	if (v->stopping || v->pending >= VOTES_MAX_PENDING) {
		pthread_mutex_unlock(&v->lock);
		free(it);
		return err_internal(e, "votes: %s", v->stopping ? "shutting down" : "queue full");
	}
	*v->tail = it;
	v->tail = &it->next;
	v->pending++;
	pthread_cond_signal(&v->wake);
	pthread_mutex_unlock(&v->lock);
	return 0;
}

unsigned long long
votes_committed(struct votes *v)
{
	unsigned long long n;

	pthread_mutex_lock(&v->lock);
	n = v->committed;
	pthread_mutex_unlock(&v->lock);
	return n;
}
