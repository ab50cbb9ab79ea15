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
 * The rate limit is a table of token buckets, one per client key, found
 * by the key's first bytes and then compared whole (linear probing over a
 * short window): two clients never share a bucket.  A full bucket (the
 * client has been quiet long enough to refill it) is as good as none, so
 * it is reused first; when a window holds only partly spent buckets, the
 * least recently used goes.  That can let a client whose bucket was
 * evicted vote again early, but only once VOTES_PROBE busy clients share
 * its window - thousands voting at once - and the keys are salted, so no
 * one can aim at another client's window.  The table's size bounds the
 * memory whatever the number of clients.
 *
 * Salts: the writer's connection serves them too, under db_lock, which
 * the writer holds while it commits; a salt is read or made once a day.
 */
#include <sys/random.h>
#include <sys/stat.h>
#include <netinet/in.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <nettle/hmac.h>
#include <sqlite3.h>

#include "claims/cstore.h"
#include "votes.h"

#define VOTES_RATE_SLOTS 4096 /* a power of two */
#define VOTES_PROBE      16
#define VOTES_SALT_LEN   32

struct votes_item {
	struct votes_item *next;
	struct vote vote;
	votes_done_fn done;
	void *arg;
};

struct votes_bucket {
	unsigned char client[VOTES_CLIENT_LEN];
	double tokens;
	time_t last; /* 0: free */
};

/* A day's salt, as read from (or added to) the salt table. */
struct votes_salt {
	long day; /* days since 1970; -1: none */
	unsigned char salt[VOTES_SALT_LEN];
};

struct votes {
	sqlite3 *db;
	struct cstore *pg; /* votes_config.store: PostgreSQL instead of db */
	sqlite3_stmt *insert;
	unsigned rate;

	pthread_mutex_t db_lock;    /* db, between the writer and the salts */
	pthread_mutex_t salt_lock;  /* the two below */
	struct votes_salt salts[2]; /* today's and yesterday's, as last read */

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
    " UNIQUE (page, client, day));"
    "CREATE TABLE IF NOT EXISTS salt(day TEXT PRIMARY KEY, salt BLOB NOT NULL);";

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

/* Days since 1970 as "YYYY-MM-DD". */
static void
votes_day_name(long day, char out[11])
{
	votes_day((time_t)day * 86400, out);
}

/*
 * Read day's salt from the table, adding a random one if there is none
 * (INSERT OR IGNORE: two servers on one file agree on the first), and
 * forget salts older than the day before.  Caller holds salt_lock.
 */
static int
votes_salt_load(struct votes *v, long day, struct votes_salt *out)
{
	unsigned char fresh[VOTES_SALT_LEN];
	char name[11], old[11];
	sqlite3_stmt *s = NULL;
	int ok = 0;

	if (getrandom(fresh, sizeof(fresh), 0) != (ssize_t)sizeof(fresh))
		return -1;
	votes_day_name(day, name);
	votes_day_name(day - 1, old);
	pthread_mutex_lock(&v->db_lock);
	if (v->pg != NULL) {
		ok = cstore_votes_salt(v->pg, name, old, fresh, out->salt, VOTES_SALT_LEN, NULL) ==
		     0;
		out->day = ok ? day : -1;
		goto done;
	}
	if (sqlite3_exec(v->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
		goto done;
	if (sqlite3_prepare_v2(v->db, "INSERT OR IGNORE INTO salt (day, salt) VALUES (?, ?)", -1,
	                       &s, NULL) != SQLITE_OK)
		goto rollback;
	sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_blob(s, 2, fresh, sizeof(fresh), SQLITE_STATIC);
	if (sqlite3_step(s) != SQLITE_DONE)
		goto rollback;
	sqlite3_finalize(s);
	if (sqlite3_prepare_v2(v->db, "DELETE FROM salt WHERE day < ?", -1, &s, NULL) != SQLITE_OK)
		goto rollback;
	sqlite3_bind_text(s, 1, old, -1, SQLITE_STATIC);
	if (sqlite3_step(s) != SQLITE_DONE)
		goto rollback;
	sqlite3_finalize(s);
	if (sqlite3_prepare_v2(v->db, "SELECT salt FROM salt WHERE day = ?", -1, &s, NULL) !=
	    SQLITE_OK)
		goto rollback;
	sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
	if (sqlite3_step(s) != SQLITE_ROW || sqlite3_column_bytes(s, 0) != VOTES_SALT_LEN)
		goto rollback;
	memcpy(out->salt, sqlite3_column_blob(s, 0), VOTES_SALT_LEN);
	out->day = day;
	sqlite3_finalize(s);
	s = NULL;
	ok = sqlite3_exec(v->db, "COMMIT", NULL, NULL, NULL) == SQLITE_OK;
	if (!ok)
		out->day = -1;
rollback:
	sqlite3_finalize(s);
	if (!ok)
		sqlite3_exec(v->db, "ROLLBACK", NULL, NULL, NULL);
done:
	pthread_mutex_unlock(&v->db_lock);
	explicit_bzero(fresh, sizeof(fresh));
	return ok ? 0 : -1;
}

/*
 * The salt of day (today or yesterday) into out.  Yesterday's is only
 * read, never made: a token of a day without a salt is simply refused.
 */
static int
votes_salt(struct votes *v, long day, unsigned char out[VOTES_SALT_LEN])
{
	struct votes_salt *today = &v->salts[0], *prev = &v->salts[1];
	int rc = 0;

	pthread_mutex_lock(&v->salt_lock);
	if (day > today->day) { /* a new day: its salt, and the one before kept */
		struct votes_salt fresh;

		if (votes_salt_load(v, day, &fresh) == -1) {
			rc = -1;
		} else {
			*prev = today->day == day - 1 ? *today : (struct votes_salt){.day = -1};
			*today = fresh;
		}
	}
	if (rc == 0 && day == today->day)
		memcpy(out, today->salt, VOTES_SALT_LEN);
	else if (rc == 0 && day == prev->day)
		memcpy(out, prev->salt, VOTES_SALT_LEN);
	else
		rc = -1;
	pthread_mutex_unlock(&v->salt_lock);
	return rc;
}

static void
votes_hmac(const unsigned char salt[VOTES_SALT_LEN], const void *a, size_t alen, const void *b,
           size_t blen, uint8_t digest[SHA256_DIGEST_SIZE])
{
	struct hmac_sha256_ctx h;

	hmac_sha256_set_key(&h, VOTES_SALT_LEN, salt);
	hmac_sha256_update(&h, alen, a);
	hmac_sha256_update(&h, blen, b);
	hmac_sha256_digest(&h, SHA256_DIGEST_SIZE, digest);
}

int
votes_client(struct votes *v, const struct sockaddr *sa, time_t now,
             unsigned char out[VOTES_CLIENT_LEN])
{
	static const unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
	unsigned char salt[VOTES_SALT_LEN], addr[9] = {0};
	uint8_t digest[SHA256_DIGEST_SIZE];
	const unsigned char *a6;

	/* A family byte, then the address: 4 bytes of IPv4 or the 8 of an IPv6 /64. */
	if (sa != NULL && sa->sa_family == AF_INET) {
		addr[0] = 4;
		memcpy(addr + 1, &((const struct sockaddr_in *)sa)->sin_addr, 4);
	} else if (sa != NULL && sa->sa_family == AF_INET6) {
		a6 = ((const struct sockaddr_in6 *)sa)->sin6_addr.s6_addr;
		addr[0] = memcmp(a6, mapped, sizeof(mapped)) == 0 ? 4 : 6;
		memcpy(addr + 1, addr[0] == 4 ? a6 + 12 : a6, addr[0] == 4 ? 4 : 8);
	}
	if (votes_salt(v, (long)(now / 86400), salt) == -1)
		return -1;
	votes_hmac(salt, "client", 7, addr, sizeof(addr), digest);
	memcpy(out, digest, VOTES_CLIENT_LEN);
	explicit_bzero(salt, sizeof(salt));
	return 0;
}

static int
votes_token_of(struct votes *v, const char *page, long day, char out[VOTES_TOKEN_LEN + 1])
{
	unsigned char salt[VOTES_SALT_LEN];
	uint8_t digest[SHA256_DIGEST_SIZE];
	int i;

	if (votes_salt(v, day, salt) == -1)
		return -1;
	votes_hmac(salt, "token", 6, page, strlen(page), digest);
	explicit_bzero(salt, sizeof(salt));
	for (i = 0; i < VOTES_TOKEN_LEN / 2; i++)
		snprintf(out + 2 * i, 3, "%02x", digest[i]);
	return 0;
}

int
votes_token(struct votes *v, const char *page, time_t now, char out[VOTES_TOKEN_LEN + 1])
{
	return votes_token_of(v, page, (long)(now / 86400), out);
}

int
votes_token_ok(struct votes *v, const char *page, const char *token, time_t now)
{
	char want[VOTES_TOKEN_LEN + 1];
	long day = (long)(now / 86400), d;
	int ok = 0;

	if (strlen(token) != VOTES_TOKEN_LEN)
		return 0;
	for (d = day; d >= day - 1 && !ok; d--)
		ok = votes_token_of(v, page, d, want) == 0 &&
		     memcmp(want, token, VOTES_TOKEN_LEN) == 0;
	return ok;
}

/*
 * The client's bucket; else a free one, a full one (its client quiet for
 * a minute: nothing to remember) or the least recently used, made its.
 * Under lock.
 */
static struct votes_bucket *
votes_bucket(struct votes *v, const unsigned char client[VOTES_CLIENT_LEN], time_t now)
{
	size_t home = (client[0] | client[1] << 8 | (size_t)client[2] << 16), i;
	struct votes_bucket *b, *free_b = NULL, *full = NULL, *lru = NULL;

	for (i = 0; i < VOTES_PROBE; i++) {
		b = &v->buckets[(home + i) & (VOTES_RATE_SLOTS - 1)];
		if (b->last == 0) {
			free_b = free_b != NULL ? free_b : b;
		} else if (memcmp(b->client, client, VOTES_CLIENT_LEN) == 0) {
			return b;
		} else if (now - b->last >= 60) {
			full = full != NULL ? full : b;
		} else if (lru == NULL || b->last < lru->last) {
			lru = b;
		}
	}
	b = free_b != NULL ? free_b : full != NULL ? full : lru;
	memcpy(b->client, client, VOTES_CLIENT_LEN);
	b->tokens = v->rate;
	b->last = now;
	return b;
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
	b = votes_bucket(v, client, now);
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

/* The batch as one PostgreSQL transaction (cstore_votes_put()); 1 when committed. */
static int
votes_commit_pg(struct votes *v, struct votes_item *batch)
{
	struct cstore_vote *rows;
	struct votes_item *it;
	size_t n = 0;
	int ok;

	for (it = batch; it != NULL; it = it->next)
		n++;
	if ((rows = calloc(n ? n : 1, sizeof(*rows))) == NULL)
		return 0;
	n = 0;
	for (it = batch; it != NULL; it = it->next)
		rows[n++] = (struct cstore_vote){
		    it->vote.page, it->vote.lang,   votes_answers[it->vote.answer],
		    it->vote.day,  it->vote.client, VOTES_CLIENT_LEN};
	ok = cstore_votes_put(v->pg, rows, n, NULL) == 0;
	free(rows);
	return ok;
}

/* Commit one batch; 1 when durable. */
static int
votes_commit_batch(struct votes *v, struct votes_item *batch)
{
	struct votes_item *it;

	if (v->pg != NULL)
		return votes_commit_pg(v, batch);
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

		pthread_mutex_lock(&v->db_lock);
		ok = votes_commit_batch(v, batch);
		pthread_mutex_unlock(&v->db_lock);
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

/*
 * Open path (creating it when absent and create is 1) without following a
 * symbolic link, check it is a regular file and, with give, give it to
 * the server's user by its descriptor: no name is looked up twice, so a
 * link swapped in meanwhile changes nothing.  An absent file that need not
 * exist (a -wal or -shm) is 0.
 */
static int
votes_file(const struct votes_config *cfg, const char *path, int create, int give, struct err *e)
{
	struct stat st;
	int fd = -1;

	if (create)
		fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd == -1 && (!create || errno == EEXIST))
		fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd == -1 && errno == ENOENT && !create)
		return 0;
	if (fd == -1 && errno == ELOOP)
		return err_set(
		    e, "%s: a symbolic link; the votes database must be a file of its own", path);
	if (fd == -1)
		return err_internal(e, "%s: %s", path, strerror(errno));
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode)) {
		close(fd);
		return err_set(e, "%s: not a regular file", path);
	}
	if (give && cfg->chown && fchown(fd, cfg->owner, cfg->group) == -1) {
		err_internal(e, "%s: chown: %s", path, strerror(errno));
		close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

/*
 * Every table of the file is the votes' own: never add ours to another
 * database (or give it away).  A connection of its own, closed before
 * anything else touches the files.
 */
static int
votes_db_is_ours(const char *path, struct err *e)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *s = NULL;
	int rc = SQLITE_ERROR;

	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOFOLLOW, NULL) !=
	        SQLITE_OK ||
	    sqlite3_prepare_v2(db,
	                       "SELECT name FROM sqlite_master WHERE type = 'table'"
	                       " AND name NOT IN ('vote', 'salt') LIMIT 1",
	                       -1, &s, NULL) != SQLITE_OK)
		err_set(e, "%s: not a votes database (%s)", path, sqlite3_errmsg(db));
	else if ((rc = sqlite3_step(s)) == SQLITE_ROW)
		err_set(e, "%s: not a votes database (it has a table '%.40s')", path,
		        (const char *)sqlite3_column_text(s, 0));
	else if (rc != SQLITE_DONE)
		err_set(e, "%s: not a votes database (%s)", path, sqlite3_errmsg(db));
	sqlite3_finalize(s);
	sqlite3_close(db);
	return rc == SQLITE_DONE ? 0 : -1;
}

/*
 * The -wal and -shm beside the file, checked like it; a server started as
 * root makes them (empty: SQLite takes them so) and gives them away now,
 * because once SQLite holds the files no descriptor of ours may be closed
 * on them: closing any descriptor drops the process's POSIX locks on the
 * file, SQLite's included.
 */
static int
votes_side_files(const struct votes_config *cfg, int give, struct err *e)
{
	char side[4200];

	snprintf(side, sizeof(side), "%s-wal", cfg->path);
	if (votes_file(cfg, side, give && cfg->chown, give, e) == -1)
		return -1;
	snprintf(side, sizeof(side), "%s-shm", cfg->path);
	return votes_file(cfg, side, give && cfg->chown, give, e);
}

static int
votes_db_open(struct votes *v, const struct votes_config *cfg, struct err *e)
{
	const char *path = cfg->path;

	if (strcmp(path, ":memory:") != 0 &&
	    (votes_file(cfg, path, 1, 0, e) == -1 || votes_side_files(cfg, 0, e) == -1 ||
	     votes_db_is_ours(path, e) == -1 || votes_file(cfg, path, 0, 1, e) == -1 ||
	     votes_side_files(cfg, 1, e) == -1))
		return -1;
	/* NOFOLLOW: SQLite itself refuses a link put in place since. */
	if (sqlite3_open_v2(path, &v->db,
	                    SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOFOLLOW,
	                    NULL) != SQLITE_OK)
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

static void
votes_free(struct votes *v)
{
	pthread_cond_destroy(&v->wake);
	pthread_mutex_destroy(&v->salt_lock);
	pthread_mutex_destroy(&v->db_lock);
	pthread_mutex_destroy(&v->lock);
	explicit_bzero(v->salts, sizeof(v->salts));
	free(v);
}

int
votes_open(const struct votes_config *cfg, struct votes **out, struct err *e)
{
	unsigned char today[VOTES_SALT_LEN];
	struct votes *v;

	*out = NULL;
	if ((v = calloc(1, sizeof(*v))) == NULL)
		return err_internal(e, "votes: out of memory");
	v->rate = cfg->rate_per_minute;
	v->tail = &v->head;
	v->salts[0].day = v->salts[1].day = -1;
	pthread_mutex_init(&v->lock, NULL);
	pthread_mutex_init(&v->db_lock, NULL);
	pthread_mutex_init(&v->salt_lock, NULL);
	pthread_cond_init(&v->wake, NULL);
	if (cfg->store != NULL && cstore_is_postgresql(cfg->store)) {
		if (cstore_open(cfg->store, CSTORE_WRITE, &v->pg, e) == -1)
			goto fail;
	} else if (votes_db_open(v, cfg, e) == -1) {
		goto fail;
	}
	/* Today's salt now, so a database that cannot keep one fails at start. */
	if (votes_salt(v, (long)(time(NULL) / 86400), today) == -1) {
		err_internal(e, "%s: cannot keep the day's salt: %s",
		             v->pg ? "PostgreSQL" : cfg->path,
		             v->pg ? "it did not answer, after retries" : sqlite3_errmsg(v->db));
		goto fail;
	}
	explicit_bzero(today, sizeof(today));
	if (pthread_create(&v->writer, NULL, votes_writer, v) != 0) {
		err_internal(e, "votes: cannot start the writer thread");
		goto fail;
	}
	*out = v;
	return 0;
fail:
	sqlite3_finalize(v->insert);
	sqlite3_close(v->db);
	cstore_close(v->pg);
	votes_free(v);
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
	cstore_close(v->pg);
	votes_free(v);
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
