/*
 * cstore.c - the claims store's rules, written once over the backends'
 * primitives (cstore.h, cstore_impl.h).
 *
 * Each write is a function run inside one transaction by cstore_txn(),
 * which also owns the retry: a backend that lost its connection says so
 * (st->lost), and the whole transaction - lock, check, write - runs again
 * on a new connection after a doubling pause.  Re-running it whole is what
 * makes a retry safe: an overlap check made before the connection dropped
 * proves nothing about the database the retry writes to.  A commit whose
 * answer was lost may have happened; the retry then finds its own claim
 * stored under the same key, which add reports as a clash with itself and
 * import as "unchanged", so nothing is written twice.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cstore_impl.h"

int (*cstore_pg_open)(const char *url, struct cstore **out, struct err *e);

int
cstore_is_postgresql(const char *url)
{
	return strncmp(url, "postgresql://", 13) == 0 || strncmp(url, "postgres://", 11) == 0;
}

int
cstore_url_check(const char *url, struct err *e)
{
	const char *colon;

	if (url[0] == '\0')
		return err_set(e, "store: the URL is empty");
	if (strlen(url) >= CSTORE_MAX_URL)
		return err_set(e, "store: the URL is longer than %d bytes", CSTORE_MAX_URL - 1);
	for (const char *p = url; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			return err_set(e, "store: control characters in the URL");
	if (cstore_is_postgresql(url) || strncmp(url, "sqlite:", 7) == 0)
		return 0;
	/* A path: anything, unless it looks like a URL of a scheme we do not speak. */
	colon = strstr(url, "://");
	if (colon != NULL && strchr(url, '/') > colon)
		return err_set(e,
		               "store: \"%.*s\" is not a store (postgresql://..., sqlite:PATH "
		               "or a file)",
		               (int)(colon - url > 20 ? 20 : colon - url), url);
	return 0;
}

int
cstore_can_open(const char *url)
{
	return !cstore_is_postgresql(url) || cstore_pg_open != NULL;
}

int
cstore_open(const char *url, enum cstore_mode mode, struct cstore **out, struct err *e)
{
	*out = NULL;
	if (cstore_url_check(url, e) == -1)
		return -1;
	if (cstore_is_postgresql(url)) {
		if (cstore_pg_open == NULL)
			return err_internal(e, "store: this program has no PostgreSQL support");
		return cstore_pg_open(url, out, e);
	}
	return cstore_sqlite_open(strncmp(url, "sqlite:", 7) == 0 ? url + 7 : url, mode, out, e);
}

void
cstore_close(struct cstore *st)
{
	if (st != NULL)
		st->ops->close(st);
}

const char *
cstore_kind(const struct cstore *st)
{
	return st ? st->ops->kind : "none";
}

void
cstore_set_retries(struct cstore *st, int attempts)
{
	if (st != NULL)
		st->retries = attempts < 1 ? 1 : attempts;
}

void
cstore_set_notify(struct cstore *st, cstore_notify_fn fn, void *arg)
{
	if (st != NULL) {
		st->notify = fn;
		st->notify_arg = arg;
	}
}

/*
 * Before an attempt: a connection an earlier call lost is made anew (its
 * failure shows in the attempt itself), so even a store allowed a single
 * attempt (cstore_set_retries()) recovers once the server is back.
 */
static void
cstore_revive(struct cstore *st, struct err *e)
{
	if (st->lost && st->ops->reconnect != NULL)
		st->ops->reconnect(st, e);
	st->lost = 0;
}

/*
 * After a failed attempt: 1 when it is worth another (the connection was
 * lost and attempts remain), having reported it, waited and reconnected;
 * 0 to give up with e as it is.
 */
static int
cstore_retry(struct cstore *st, int attempt, long *delay, struct err *e)
{
	struct timespec ts = {*delay / 1000, (*delay % 1000) * 1000000L};

	if (!st->lost || st->ops->reconnect == NULL)
		return 0;
	if (attempt >= st->retries) {
		err_prefix(e, "store: gave up after %d attempts: ", attempt);
		e->kind = ERR_INTERNAL;
		return 0;
	}
	if (st->notify) {
		char msg[1200];

		snprintf(msg, sizeof(msg), "store: connection lost (%s); retry %d in %ld ms",
		         e->msg, attempt, *delay);
		st->notify(st->notify_arg, msg);
	}
	while (nanosleep(&ts, &ts) == -1)
		;
	*delay *= 2;
	st->lost = 1; /* cstore_revive() reconnects before the next attempt */
	return 1;
}

/*
 * Run fn(st, arg, e) inside one write transaction (holding the claims'
 * write lock when lock is 1), retrying the whole of it on a lost
 * connection.  fn's own refusals (ERR_INPUT) end it at once.
 */
static int
cstore_txn(struct cstore *st, int lock, int (*fn)(struct cstore *, void *, struct err *), void *arg,
           struct err *e)
{
	long delay = CSTORE_BACKOFF_MS;
	int attempt = 0;

	do {
		cstore_revive(st, e);
		if (st->ops->begin(st, lock, e) == 0) {
			if (fn(st, arg, e) == 0 && st->ops->commit(st, e) == 0)
				return 0;
			if (!st->lost)
				st->ops->rollback(st);
		}
	} while (cstore_retry(st, ++attempt, &delay, e));
	return -1;
}

int
cstore_list(struct cstore *st, struct claim_list *out, struct err *e)
{
	long delay = CSTORE_BACKOFF_MS;
	int attempt = 0;

	if (st == NULL)
		return 0;
	do {
		cstore_revive(st, e);
		if (st->ops->load(st, out, e) == 0) {
			claims_sort(out);
			return 0;
		}
		claims_free(out);
	} while (cstore_retry(st, ++attempt, &delay, e));
	return -1;
}

struct cstore_add_arg {
	const struct claim *c;
	struct claim *clash;
};

static int
cstore_add_txn(struct cstore *st, void *arg, struct err *e)
{
	struct cstore_add_arg *a = arg;
	struct claim_list l = {0};
	int rc = 0;

	if (st->ops->load(st, &l, e) == -1)
		return -1;
	for (size_t i = 0; i < l.n && rc == 0; i++)
		if (claims_overlap(&l.v[i], a->c)) {
			char port[32];

			claims_port_str(&l.v[i], port, sizeof(port));
			if (a->clash)
				*a->clash = l.v[i];
			rc = err_set(e, "%s (hosts %s) is already claimed for %s by %s (%s, %s)",
			             port, l.v[i].hosts, l.v[i].service, l.v[i].owner, l.v[i].by,
			             l.v[i].at);
		}
	claims_free(&l);
	return rc == 0 ? st->ops->put(st, a->c, e) : -1;
}

int
cstore_add(struct cstore *st, const struct claim *c, struct claim *clash, struct err *e)
{
	struct cstore_add_arg a = {c, clash};

	if (clash)
		clash->service[0] = '\0';
	if (claims_validate(c, e) == -1)
		return -1;
	return cstore_txn(st, 1, cstore_add_txn, &a, e);
}

struct cstore_rm_arg {
	long port;
	unsigned protos;
	const char *hosts;
	long *n;
};

static int
cstore_rm_txn(struct cstore *st, void *arg, struct err *e)
{
	struct cstore_rm_arg *a = arg;
	struct claim_list l = {0};
	int rc = 0;

	*a->n = 0;
	if (st->ops->load(st, &l, e) == -1)
		return -1;
	for (size_t i = 0; i < l.n && rc == 0; i++) {
		const struct claim *c = &l.v[i];

		if (a->port < c->lo || a->port > c->hi || (a->protos && !(a->protos & c->protos)) ||
		    (a->hosts && strcmp(a->hosts, c->hosts) != 0))
			continue;
		rc = st->ops->del(st, c, e);
		++*a->n;
	}
	claims_free(&l);
	return rc;
}

int
cstore_remove(struct cstore *st, long port, unsigned protos, const char *hosts, long *n,
              struct err *e)
{
	struct cstore_rm_arg a = {port, protos, hosts, n};

	return cstore_txn(st, 1, cstore_rm_txn, &a, e);
}

struct cstore_import_arg {
	const struct claim_list *in;
	int replace;
	struct cstore_counts *counts;
};

static int
cstore_has_key(const struct claim_list *l, const struct claim *c)
{
	for (size_t i = 0; i < l->n; i++)
		if (claims_same_key(&l->v[i], c))
			return 1;
	return 0;
}

static int
cstore_import_txn(struct cstore *st, void *arg, struct err *e)
{
	struct cstore_import_arg *a = arg;
	struct claim_list have = {0};
	int rc = 0;

	memset(a->counts, 0, sizeof(*a->counts));
	if (st->ops->load(st, &have, e) == -1)
		return -1;
	for (size_t i = 0; i < a->in->n && rc == 0; i++) {
		const struct claim *c = &a->in->v[i];
		const struct claim *same = NULL;

		for (size_t j = 0; j < have.n && rc == 0; j++) {
			if (claims_same_key(&have.v[j], c))
				same = &have.v[j];
			else if (claims_overlap(&have.v[j], c) &&
			         !(a->replace && !cstore_has_key(a->in, &have.v[j])))
				rc = err_set(e, "%s overlaps the stored claim of %s by %s",
				             c->service, have.v[j].service, have.v[j].owner);
		}
		if (rc)
			break;
		if (same && claims_equal(same, c))
			a->counts->unchanged++;
		else if ((rc = st->ops->put(st, c, e)) == 0)
			*(same ? &a->counts->updated : &a->counts->added) += 1;
	}
	for (size_t j = 0; j < have.n && rc == 0 && a->replace; j++) {
		if (!cstore_has_key(a->in, &have.v[j]) &&
		    (rc = st->ops->del(st, &have.v[j], e)) == 0)
			a->counts->removed++;
	}
	claims_free(&have);
	return rc;
}

int
cstore_import(struct cstore *st, const struct claim_list *l, int replace,
              struct cstore_counts *counts, struct err *e)
{
	struct cstore_import_arg a = {l, replace, counts};

	for (size_t i = 0; i < l->n; i++)
		if (claims_validate(&l->v[i], e) == -1)
			return -1;
	return cstore_txn(st, 1, cstore_import_txn, &a, e);
}

struct cstore_votes_arg {
	const struct cstore_vote *v;
	size_t n;
};

static int
cstore_votes_txn(struct cstore *st, void *arg, struct err *e)
{
	struct cstore_votes_arg *a = arg;

	return st->ops->votes_put(st, a->v, a->n, e);
}

int
cstore_votes_put(struct cstore *st, const struct cstore_vote *v, size_t n, struct err *e)
{
	struct cstore_votes_arg a = {v, n};

	if (st == NULL || st->ops->votes_put == NULL)
		return err_internal(e, "store: keeps no votes");
	return cstore_txn(st, 0, cstore_votes_txn, &a, e);
}

struct cstore_salt_arg {
	const char *day, *keep_from;
	const unsigned char *fresh;
	unsigned char *out;
	size_t len;
};

static int
cstore_salt_txn(struct cstore *st, void *arg, struct err *e)
{
	struct cstore_salt_arg *a = arg;

	return st->ops->votes_salt(st, a->day, a->keep_from, a->fresh, a->out, a->len, e);
}

int
cstore_votes_salt(struct cstore *st, const char *day, const char *keep_from,
                  const unsigned char *fresh, unsigned char *out, size_t len, struct err *e)
{
	struct cstore_salt_arg a = {day, keep_from, fresh, out, len};

	if (st == NULL || st->ops->votes_salt == NULL)
		return err_internal(e, "store: keeps no votes");
	return cstore_txn(st, 0, cstore_salt_txn, &a, e);
}

int
cstore_votes_tally(struct cstore *st, cstore_tally_fn fn, void *arg, struct err *e)
{
	long delay = CSTORE_BACKOFF_MS;
	int attempt = 0;

	if (st == NULL || st->ops->votes_tally == NULL)
		return err_internal(e, "store: keeps no votes");
	do {
		cstore_revive(st, e);
		if (st->ops->votes_tally(st, fn, arg, e) == 0)
			return 0;
	} while (cstore_retry(st, ++attempt, &delay, e));
	return -1;
}
