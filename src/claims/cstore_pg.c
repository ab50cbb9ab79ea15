/*
 * cstore_pg.c - the claims store in PostgreSQL, shared by every host and
 * server of an organisation (cstore.h), through libpq.
 *
 * Linked only where cstore_postgresql_enable() is called (portolan-serve,
 * the tests): nothing else refers to this file, so the static portolan
 * carries no libpq.
 *
 * Schema: created and migrated here, under a transaction-scoped advisory
 * lock so that two servers starting at once do not both migrate; the
 * version sits in portolan_schema.  Writes hold a SHARE ROW EXCLUSIVE lock
 * on the claim table, which serialises writers (the overlap check and the
 * insert are one step for every host) and leaves readers alone.  A lost
 * connection is marked (st->lost) from PQstatus() so cstore.c retries
 * with backoff; libpq reports it as an error result, never a signal, as
 * long as SIGPIPE is not fatal - libpq blocks it around its own sends.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "cstore_impl.h"
#include "util/strbuf.h"

struct cstore_pg {
	struct cstore base;
	PGconn *conn;
	char url[CSTORE_MAX_URL];
};

/* Each step migrates from version i to i + 1; the table's row says how far a database is. */
static const char *const cstore_pg_migrations[] = {
    "CREATE TABLE claim ("
    " port_lo integer NOT NULL CHECK (port_lo BETWEEN 1 AND 65535),"
    " port_hi integer NOT NULL CHECK (port_hi BETWEEN port_lo AND 65535),"
    " protos integer NOT NULL, service text NOT NULL, owner text NOT NULL,"
    " contact text NOT NULL, hosts text NOT NULL, note text NOT NULL,"
    " made_by text NOT NULL, made_at text NOT NULL, ack text NOT NULL,"
    " PRIMARY KEY (port_lo, port_hi, protos, hosts))",
    /* 2: the site's votes and the daily salts of their client keys (src/web/votes.c). */
    "CREATE TABLE vote (page text NOT NULL, lang text NOT NULL,"
    " answer text NOT NULL CHECK (answer IN ('sad', 'meh', 'happy')),"
    " day text NOT NULL, client bytea NOT NULL, UNIQUE (page, client, day));"
    " CREATE TABLE salt (day text PRIMARY KEY, salt bytea NOT NULL)",
};
#define CSTORE_PG_NMIGRATIONS (sizeof(cstore_pg_migrations) / sizeof(cstore_pg_migrations[0]))

/* A failed result into e, marking a lost connection; always -1. */
static int
cstore_pg_fail(struct cstore_pg *p, PGresult *r, const char *what, struct err *e)
{
	const char *msg = PQerrorMessage(p->conn);
	size_t n = strlen(msg);

	if (r)
		PQclear(r);
	if (PQstatus(p->conn) == CONNECTION_BAD)
		p->base.lost = 1;
	while (n > 0 && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
		n--;
	return err_internal(e, "PostgreSQL: %s: %.*s", what, (int)n, msg);
}

static int
cstore_pg_exec(struct cstore_pg *p, const char *sql, struct err *e)
{
	PGresult *r = PQexec(p->conn, sql);

	if (r == NULL ||
	    (PQresultStatus(r) != PGRES_COMMAND_OK && PQresultStatus(r) != PGRES_TUPLES_OK))
		return cstore_pg_fail(p, r, sql, e);
	PQclear(r);
	return 0;
}

/* 0 when connected; else -1, the store marked lost so the caller's retry reconnects. */
static int
cstore_pg_connected(struct cstore_pg *p, struct err *e)
{
	if (p->conn != NULL && PQstatus(p->conn) == CONNECTION_OK)
		return 0;
	p->base.lost = 1;
	return p->conn ? cstore_pg_fail(p, NULL, "not connected", e)
	               : err_internal(e, "PostgreSQL: not connected");
}

static int
cstore_pg_begin(struct cstore *st, int lock, struct err *e)
{
	struct cstore_pg *p = (struct cstore_pg *)st;

	if (cstore_pg_connected(p, e) == -1)
		return -1;
	return cstore_pg_exec(
	    p, lock ? "BEGIN; LOCK TABLE claim IN SHARE ROW EXCLUSIVE MODE" : "BEGIN", e);
}

static int
cstore_pg_commit(struct cstore *st, struct err *e)
{
	return cstore_pg_exec((struct cstore_pg *)st, "COMMIT", e);
}

static void
cstore_pg_rollback(struct cstore *st)
{
	PQclear(PQexec(((struct cstore_pg *)st)->conn, "ROLLBACK"));
}

static void
cstore_pg_text(PGresult *r, int row, int col, char *buf, size_t len)
{
	snprintf(buf, len, "%s", PQgetvalue(r, row, col));
}

static int
cstore_pg_load(struct cstore *st, struct claim_list *out, struct err *e)
{
	struct cstore_pg *p = (struct cstore_pg *)st;
	PGresult *r;

	if (cstore_pg_connected(p, e) == -1)
		return -1;
	r = PQexec(p->conn, "SELECT " CSTORE_COLUMNS " FROM claim");
	if (r == NULL || PQresultStatus(r) != PGRES_TUPLES_OK)
		return cstore_pg_fail(p, r, "reading the claims", e);
	for (int i = 0; i < PQntuples(r); i++) {
		struct claim c = {0};

		c.lo = strtol(PQgetvalue(r, i, 0), NULL, 10);
		c.hi = strtol(PQgetvalue(r, i, 1), NULL, 10);
		c.protos = (unsigned)strtoul(PQgetvalue(r, i, 2), NULL, 10);
		cstore_pg_text(r, i, 3, c.service, sizeof(c.service));
		cstore_pg_text(r, i, 4, c.owner, sizeof(c.owner));
		cstore_pg_text(r, i, 5, c.contact, sizeof(c.contact));
		cstore_pg_text(r, i, 6, c.hosts, sizeof(c.hosts));
		cstore_pg_text(r, i, 7, c.note, sizeof(c.note));
		cstore_pg_text(r, i, 8, c.by, sizeof(c.by));
		cstore_pg_text(r, i, 9, c.at, sizeof(c.at));
		cstore_pg_text(r, i, 10, c.ack, sizeof(c.ack));
		if (claims_append(out, &c, e) == -1) {
			PQclear(r);
			return -1;
		}
	}
	PQclear(r);
	return 0;
}

/* Run sql with c's columns as $1..$11, in CSTORE_COLUMNS order. */
static int
cstore_pg_write(struct cstore *st, const char *sql, const struct claim *c, struct err *e)
{
	struct cstore_pg *p = (struct cstore_pg *)st;
	char lo[8], hi[8], protos[8];
	const char *v[11] = {lo,       hi,      protos, c->service, c->owner, c->contact,
	                     c->hosts, c->note, c->by,  c->at,      c->ack};
	PGresult *r;

	snprintf(lo, sizeof(lo), "%ld", c->lo);
	snprintf(hi, sizeof(hi), "%ld", c->hi);
	snprintf(protos, sizeof(protos), "%u", c->protos);
	r = PQexecParams(p->conn, sql, 11, NULL, v, NULL, NULL, 0);
	if (r == NULL || PQresultStatus(r) != PGRES_COMMAND_OK)
		return cstore_pg_fail(p, r, "writing a claim", e);
	PQclear(r);
	return 0;
}

static int
cstore_pg_put(struct cstore *st, const struct claim *c, struct err *e)
{
	return cstore_pg_write(
	    st,
	    "INSERT INTO claim (" CSTORE_COLUMNS ") VALUES ($1::int, $2::int, $3::int, $4, $5, $6,"
	    " $7, $8, $9, $10, $11) ON CONFLICT (port_lo, port_hi, protos, hosts) DO UPDATE SET"
	    " service = $4, owner = $5, contact = $6, note = $8, made_by = $9, made_at = $10,"
	    " ack = $11",
	    c, e);
}

static int
cstore_pg_del(struct cstore *st, const struct claim *c, struct err *e)
{
	/* Every parameter is sent; the unused ones are typed so PostgreSQL accepts them. */
	return cstore_pg_write(st,
	                       "DELETE FROM claim WHERE port_lo = $1::int AND port_hi = $2::int"
	                       " AND protos = $3::int AND hosts = $7 AND $4::text IS NOT NULL"
	                       " AND $5::text IS NOT NULL AND $6::text IS NOT NULL"
	                       " AND $8::text IS NOT NULL AND $9::text IS NOT NULL"
	                       " AND $10::text IS NOT NULL AND $11::text IS NOT NULL",
	                       c, e);
}

/* Create or migrate the schema, once, whichever server gets there first. */
static int
cstore_pg_migrate(struct cstore_pg *p, struct err *e)
{
	PGresult *r;
	long have;

	if (cstore_pg_exec(p,
	                   /* the advisory lock's key is portolan's own port */
	                   "BEGIN; SELECT pg_advisory_xact_lock(6174);"
	                   " CREATE TABLE IF NOT EXISTS portolan_schema (version integer NOT NULL)",
	                   e) == -1)
		goto fail;
	r = PQexec(p->conn, "SELECT coalesce(max(version), 0) FROM portolan_schema");
	if (r == NULL || PQresultStatus(r) != PGRES_TUPLES_OK) {
		cstore_pg_fail(p, r, "reading the schema version", e);
		goto fail;
	}
	have = strtol(PQgetvalue(r, 0, 0), NULL, 10);
	PQclear(r);
	if (have > (long)CSTORE_PG_NMIGRATIONS) {
		err_internal(e,
		             "PostgreSQL: the schema is version %ld, newer than this portolan's "
		             "%zu: upgrade portolan",
		             have, CSTORE_PG_NMIGRATIONS);
		goto fail;
	}
	for (long v = have; v < (long)CSTORE_PG_NMIGRATIONS; v++)
		if (cstore_pg_exec(p, cstore_pg_migrations[v], e) == -1)
			goto fail;
	if (have < (long)CSTORE_PG_NMIGRATIONS) {
		char sql[96];

		snprintf(sql, sizeof(sql),
		         "DELETE FROM portolan_schema; INSERT INTO portolan_schema VALUES (%zu)",
		         CSTORE_PG_NMIGRATIONS);
		if (cstore_pg_exec(p, sql, e) == -1)
			goto fail;
	}
	return cstore_pg_exec(p, "COMMIT", e);
fail:
	if (!p->base.lost)
		PQclear(PQexec(p->conn, "ROLLBACK"));
	return -1;
}

static int
cstore_pg_connect(struct cstore_pg *p, struct err *e)
{
	if (p->conn)
		PQfinish(p->conn);
	p->conn = PQconnectdb(p->url);
	if (p->conn == NULL)
		return err_internal(e, "PostgreSQL: out of memory");
	if (PQstatus(p->conn) != CONNECTION_OK) {
		p->base.lost = 1;
		return cstore_pg_fail(p, NULL, "connecting", e);
	}
	/* Short statements only: never wait forever on a lock a dead client holds. */
	if (cstore_pg_exec(p, "SET lock_timeout = '10s'; SET client_min_messages = warning", e) ==
	    -1)
		return -1;
	return cstore_pg_migrate(p, e);
}

static int
cstore_pg_reconnect(struct cstore *st, struct err *e)
{
	return cstore_pg_connect((struct cstore_pg *)st, e);
}

/* Append s as an element of a PostgreSQL array literal: "s", with '"' and '\\' escaped. */
static int
cstore_pg_array_add(struct strbuf *sb, const char *s)
{
	int rc = strbuf_appends(sb, sb->len > 1 ? ",\"" : "\"");

	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			rc |= strbuf_appendc(sb, '\\');
		rc |= strbuf_appendc(sb, *s);
	}
	return rc | strbuf_appendc(sb, '"');
}

/* Order of (page, client, day), then the original position: duplicates end with the last. */
static int
cstore_pg_vote_cmp(const void *pa, const void *pb, void *base)
{
	const struct cstore_vote *a = &((const struct cstore_vote *)base)[*(const size_t *)pa];
	const struct cstore_vote *b = &((const struct cstore_vote *)base)[*(const size_t *)pb];
	int c = strcmp(a->page, b->page);

	if (c == 0 && (c = strcmp(a->day, b->day)) == 0 &&
	    (c = memcmp(a->client, b->client,
	                a->client_len < b->client_len ? a->client_len : b->client_len)) == 0)
		c = (a->client_len > b->client_len) - (a->client_len < b->client_len);
	if (c == 0)
		c = (*(const size_t *)pa > *(const size_t *)pb) -
		    (*(const size_t *)pa < *(const size_t *)pb);
	return c;
}

static int
cstore_pg_same_vote(const struct cstore_vote *a, const struct cstore_vote *b)
{
	return strcmp(a->page, b->page) == 0 && strcmp(a->day, b->day) == 0 &&
	       a->client_len == b->client_len && memcmp(a->client, b->client, a->client_len) == 0;
}

/*
 * One statement for the whole batch, its rows sent as five arrays: one
 * round trip however many votes share the commit.  ON CONFLICT cannot
 * touch one row twice in a statement, so a client's repeated vote on a
 * page within the batch is sent once, its last answer.
 */
static int
cstore_pg_votes_put(struct cstore *st, const struct cstore_vote *v, size_t n, struct err *e)
{
	struct cstore_pg *p = (struct cstore_pg *)st;
	struct strbuf col[5];
	size_t *ix = calloc(n ? n : 1, sizeof(*ix));
	const char *params[5];
	PGresult *r;
	int rc = 0;

	if (ix == NULL)
		return err_internal(e, "votes: out of memory");
	for (size_t i = 0; i < n; i++)
		ix[i] = i;
	qsort_r(ix, n, sizeof(*ix), cstore_pg_vote_cmp, (void *)v);
	for (int k = 0; k < 5; k++) {
		strbuf_init(&col[k], 1u << 30);
		rc |= strbuf_appendc(&col[k], '{');
	}
	for (size_t i = 0; i < n && rc == 0; i++) {
		const struct cstore_vote *x = &v[ix[i]];
		char hex[2 * 64 + 1];

		if (i + 1 < n && cstore_pg_same_vote(x, &v[ix[i + 1]]))
			continue; /* a later vote of the batch replaces this one */
		for (size_t b = 0; b < x->client_len && b < 64; b++)
			snprintf(hex + 2 * b, 3, "%02x", x->client[b]);
		hex[2 * (x->client_len < 64 ? x->client_len : 64)] = '\0';
		rc |= cstore_pg_array_add(&col[0], x->page) |
		      cstore_pg_array_add(&col[1], x->lang) |
		      cstore_pg_array_add(&col[2], x->answer) |
		      cstore_pg_array_add(&col[3], x->day) | cstore_pg_array_add(&col[4], hex);
	}
	free(ix);
	for (int k = 0; k < 5; k++) {
		rc |= strbuf_appendc(&col[k], '}');
		params[k] = col[k].buf;
	}
	if (rc != 0) {
		rc = err_internal(e, "votes: out of memory");
	} else {
		r = PQexecParams(
		    p->conn,
		    "INSERT INTO vote (page, lang, answer, day, client)"
		    " SELECT pg, lg, an, dy, decode(cl, 'hex') FROM unnest($1::text[],"
		    " $2::text[], $3::text[], $4::text[], $5::text[]) AS t(pg, lg, an, dy, cl)"
		    " ON CONFLICT (page, client, day) DO UPDATE"
		    " SET answer = excluded.answer, lang = excluded.lang",
		    5, NULL, params, NULL, NULL, 0);
		if (r == NULL || PQresultStatus(r) != PGRES_COMMAND_OK)
			rc = cstore_pg_fail(p, r, "storing votes", e);
		else
			PQclear(r);
	}
	for (int k = 0; k < 5; k++)
		strbuf_free(&col[k]);
	return rc;
}

static int
cstore_pg_votes_salt(struct cstore *st, const char *day, const char *keep_from,
                     const unsigned char *fresh, unsigned char *out, size_t len, struct err *e)
{
	struct cstore_pg *p = (struct cstore_pg *)st;
	char hex[2 * 64 + 1];
	const char *params[2] = {day, hex};
	PGresult *r;

	if (len > 64)
		return err_internal(e, "votes: a salt longer than 64 bytes");
	for (size_t b = 0; b < len; b++)
		snprintf(hex + 2 * b, 3, "%02x", fresh[b]);
	hex[2 * len] = '\0';
	/* The first server to store the day's salt wins; every other reads it. */
	r = PQexecParams(p->conn,
	                 "INSERT INTO salt (day, salt) VALUES ($1, decode($2, 'hex'))"
	                 " ON CONFLICT (day) DO NOTHING",
	                 2, NULL, params, NULL, NULL, 0);
	if (r == NULL || PQresultStatus(r) != PGRES_COMMAND_OK)
		return cstore_pg_fail(p, r, "storing the day's salt", e);
	PQclear(r);
	params[0] = keep_from;
	r = PQexecParams(p->conn, "DELETE FROM salt WHERE day < $1", 1, NULL, params, NULL, NULL,
	                 0);
	if (r == NULL || PQresultStatus(r) != PGRES_COMMAND_OK)
		return cstore_pg_fail(p, r, "forgetting old salts", e);
	PQclear(r);
	params[0] = day;
	r = PQexecParams(p->conn, "SELECT encode(salt, 'hex') FROM salt WHERE day = $1", 1, NULL,
	                 params, NULL, NULL, 0);
	if (r == NULL || PQresultStatus(r) != PGRES_TUPLES_OK)
		return cstore_pg_fail(p, r, "reading the day's salt", e);
	if (PQntuples(r) != 1 || strlen(PQgetvalue(r, 0, 0)) != 2 * len) {
		PQclear(r);
		return err_internal(e, "votes: the salt of %s is not %zu bytes", day, len);
	}
	for (size_t b = 0; b < len; b++) {
		unsigned int x;

		sscanf(PQgetvalue(r, 0, 0) + 2 * b, "%2x", &x);
		out[b] = (unsigned char)x;
	}
	PQclear(r);
	return 0;
}

static int
cstore_pg_votes_tally(struct cstore *st, cstore_tally_fn fn, void *arg, struct err *e)
{
	struct cstore_pg *p = (struct cstore_pg *)st;
	PGresult *r;

	if (cstore_pg_connected(p, e) == -1)
		return -1;
	r = PQexec(
	    p->conn,
	    "SELECT page, lang, count(*) FILTER (WHERE answer = 'sad'),"
	    " count(*) FILTER (WHERE answer = 'meh'), count(*) FILTER (WHERE answer = 'happy')"
	    " FROM vote GROUP BY page, lang ORDER BY"
	    " (count(*) FILTER (WHERE answer = 'happy') - count(*) FILTER (WHERE answer ="
	    " 'sad'))::float8 / count(*), count(*) DESC, page, lang");
	if (r == NULL || PQresultStatus(r) != PGRES_TUPLES_OK)
		return cstore_pg_fail(p, r, "reading the votes", e);
	for (int i = 0; i < PQntuples(r); i++)
		if (fn(arg, PQgetvalue(r, i, 0), PQgetvalue(r, i, 1),
		       strtoll(PQgetvalue(r, i, 2), NULL, 10),
		       strtoll(PQgetvalue(r, i, 3), NULL, 10),
		       strtoll(PQgetvalue(r, i, 4), NULL, 10)) != 0)
			break;
	PQclear(r);
	return 0;
}

static void
cstore_pg_close(struct cstore *st)
{
	struct cstore_pg *p = (struct cstore_pg *)st;

	if (p->conn)
		PQfinish(p->conn);
	free(p);
}

static const struct cstore_ops cstore_pg_ops = {
    .kind = "postgresql",
    .begin = cstore_pg_begin,
    .commit = cstore_pg_commit,
    .rollback = cstore_pg_rollback,
    .load = cstore_pg_load,
    .put = cstore_pg_put,
    .del = cstore_pg_del,
    .reconnect = cstore_pg_reconnect,
    .votes_put = cstore_pg_votes_put,
    .votes_salt = cstore_pg_votes_salt,
    .votes_tally = cstore_pg_votes_tally,
    .close = cstore_pg_close,
};

int
cstore_pg_url_check(const char *url, struct err *e)
{
	char *errmsg = NULL;
	PQconninfoOption *opts;
	size_t n;

	if ((opts = PQconninfoParse(url, &errmsg)) == NULL) {
		n = errmsg ? strcspn(errmsg, "\n") : 0;
		err_set(e, "store: %.*s", (int)(n > 200 ? 200 : n),
		        errmsg ? errmsg : "not a PostgreSQL URL");
		PQfreemem(errmsg);
		return -1;
	}
	PQconninfoFree(opts);
	return 0;
}

/*
 * A server that cannot be reached now is not an error yet: the store comes
 * back marked lost, and its first operation reconnects through cstore.c's
 * retries, which report each attempt.  A URL libpq cannot parse, or a
 * server that answers with an error (no such database, a newer schema), is
 * refused at once.
 */
static int
cstore_pg_open_url(const char *url, struct cstore **out, struct err *e)
{
	struct cstore_pg *p;

	*out = NULL;
	if (cstore_pg_url_check(url, e) == -1)
		return -1;
	if ((p = calloc(1, sizeof(*p))) == NULL)
		return err_internal(e, "store: out of memory");
	p->base.ops = &cstore_pg_ops;
	p->base.retries = CSTORE_RETRIES;
	snprintf(p->url, sizeof(p->url), "%s", url);
	if (cstore_pg_connect(p, e) == -1 && !p->base.lost) {
		cstore_pg_close(&p->base);
		return -1;
	}
	*out = &p->base;
	return 0;
}

void
cstore_postgresql_enable(void)
{
	cstore_pg_open = cstore_pg_open_url;
}
