/*
 * identity.c - see identity.h.
 *
 * The ports go to SQLite as one JSON array bound to the statement and
 * unpacked by json_each(), so one prepared statement answers for all of
 * them.  Single-port rows and ranges are found apart: a port's own rows
 * by equality on record_port, ranges through the small record_range
 * index, because a BETWEEN over record_port as wide as the widest range
 * (800 ports) walks every single-port row on the way, 15x the time; the ranking (named before
 * unnamed, narrow before wide, then the registry's order) is done here over the rows it returns, as
 * the single-port query's ORDER BY did.  Past IDENTITY_BULK ports the
 * ranges (~800 rows) are read once and given to the ports they cover, as
 * concern_ports() reads them: a search of record_range per port costs
 * more than that from a few hundred ports on (2.4 ms against 0.9 for
 * 4,000).  Either way every record covering a port reaches the same
 * ranking, so the two give the same answer.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "identity.h"
#include "registry/rows.h"
#include "util/strbuf.h"

#define IDENTITY_BULK 512

/*
 * The statements, each row a record and the ports it is given to: columns
 * port_lo, protocol, service, description, width, id, port_hi.  A port's
 * own records; the ranges covering each port; every range.
 */
#define IDENTITY_OWN                                                                               \
	"SELECT p.value, r.protocol, r.service, r.description, 0, r.id, p.value"                   \
	" FROM json_each(?1) AS p JOIN record AS r ON r.port_lo = p.value AND r.port_hi = p.value"
#define IDENTITY_COVER                                                                             \
	"SELECT p.value, r.protocol, r.service, r.description, r.port_hi - r.port_lo, r.id,"       \
	" p.value FROM json_each(?1) AS p JOIN record AS r"                                        \
	" ON r.port_lo BETWEEN p.value - ?2 AND p.value AND r.port_hi >= p.value"                  \
	" AND r.port_lo < r.port_hi"
#define IDENTITY_RANGES                                                                            \
	"SELECT port_lo, protocol, service, description, port_hi - port_lo, id, port_hi"           \
	" FROM record WHERE port_lo < port_hi"

/* The best record so far for one wanted port: lower is better. */
struct identity_rank {
	int found;
	int unnamed;
	long width, id;
};

static int
identity_better(const struct identity_rank *a, int unnamed, long width, long id)
{
	if (!a->found)
		return 1;
	if (unnamed != a->unnamed)
		return unnamed < a->unnamed;
	if (width != a->width)
		return width < a->width;
	return id < a->id;
}

/* "[22,80,443]": the distinct ports of v, for json_each(). */
static int
identity_port_list(const struct identity_want *v, size_t n, struct strbuf *sb)
{
	unsigned char seen[65536 / 8] = {0};

	strbuf_appendc(sb, '[');
	for (size_t i = 0; i < n; i++) {
		long p = v[i].port;

		if (p < 0 || p > 65535 || (seen[p / 8] & (1u << (p % 8))))
			continue;
		seen[p / 8] |= (unsigned char)(1u << (p % 8));
		strbuf_appendf(sb, "%s%ld", sb->len > 1 ? "," : "", p);
	}
	return strbuf_appendc(sb, ']');
}

static int
identity_want_cmp(const void *a, const void *b)
{
	const struct identity_want *const *x = a, *const *y = b;

	return (*x)->port < (*y)->port ? -1 : (*x)->port > (*y)->port;
}

/* The first entry of by (sorted by port) for port, or n. */
static size_t
identity_first(struct identity_want **by, size_t n, long port)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (by[mid]->port < port)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static void
identity_take(struct identity_want *w, struct identity_rank *rk, struct rows *r)
{
	const unsigned char *svc = sqlite3_column_text(r->stmt, 2);
	const unsigned char *desc = sqlite3_column_text(r->stmt, 3);
	long width = (long)sqlite3_column_int64(r->stmt, 4),
	     id = (long)sqlite3_column_int64(r->stmt, 5);
	int unnamed = svc == NULL || svc[0] == '\0';

	if (!identity_better(rk, unnamed, width, id))
		return;
	*rk = (struct identity_rank){1, unnamed, width, id};
	snprintf(w->id.service, sizeof(w->id.service), "%s", svc ? (const char *)svc : "");
	snprintf(w->id.description, sizeof(w->id.description), "%s",
	         desc ? (const char *)desc : "");
	w->id.assigned = !unnamed;
}

/*
 * Give each row of sql to the wants it covers: a record on port_lo..port_hi
 * (columns 0 and 6) for their protocol.  ports, when not NULL, is bound as
 * ?1, and the widest record's span as ?2.
 */
static int
identity_rows(struct store *st, const char *sql, const char *ports, size_t len,
              struct identity_want **by, size_t n, struct identity_rank *rank,
              struct identity_want *v, struct err *e)
{
	struct rows r;

	if (rows_open(st, &r, sql, e) == -1)
		return -1;
	if (ports != NULL) {
		sqlite3_bind_text(r.stmt, 1, ports, (int)len, SQLITE_STATIC);
		if (sqlite3_bind_parameter_count(r.stmt) >= 2)
			sqlite3_bind_int64(r.stmt, 2, store_span(st, "record"));
	}
	while (rows_next(&r) == 1) {
		long lo = (long)sqlite3_column_int64(r.stmt, 0),
		     hi = (long)sqlite3_column_int64(r.stmt, 6);
		const unsigned char *proto = sqlite3_column_text(r.stmt, 1);

		for (size_t i = identity_first(by, n, lo); i < n && by[i]->port <= hi; i++) {
			const char *want = by[i]->protocol ? by[i]->protocol : "";

			if (want[0] && proto && proto[0] && strcmp(want, (const char *)proto) != 0)
				continue; /* a record for another protocol */
			identity_take(by[i], &rank[by[i] - v], &r);
		}
	}
	return rows_close(&r);
}

int
identity_ports(struct store *st, struct identity_want *v, size_t n, struct err *e)
{
	struct identity_want **by = calloc(n + 1, sizeof(*by));
	struct identity_rank *rank = calloc(n + 1, sizeof(*rank));
	struct strbuf ports;
	int rc = -1;

	strbuf_init(&ports, 1u << 20);
	if (by == NULL || rank == NULL || identity_port_list(v, n, &ports) == -1) {
		err_internal(e, "out of memory");
		goto done;
	}
	for (size_t i = 0; i < n; i++) {
		memset(&v[i].id, 0, sizeof(v[i].id));
		by[i] = &v[i];
	}
	qsort(by, n, sizeof(*by), identity_want_cmp);
	if (identity_rows(
	        st, n > IDENTITY_BULK ? IDENTITY_OWN : IDENTITY_OWN " UNION ALL " IDENTITY_COVER,
	        ports.buf, ports.len, by, n, rank, v, e) == -1 ||
	    (n > IDENTITY_BULK &&
	     identity_rows(st, IDENTITY_RANGES, NULL, 0, by, n, rank, v, e) == -1))
		goto done;
	for (size_t i = 0; i < n; i++)
		if (!rank[i].found)
			snprintf(v[i].id.description, sizeof(v[i].id.description), "%s",
			         v[i].port >= 49152 ? "Dynamic/private range" : "Unlisted");
	rc = 0;
done:
	strbuf_free(&ports);
	free(by);
	free(rank);
	return rc;
}

int
identity_port(struct store *st, long port, const char *protocol, struct port_identity *out,
              struct err *e)
{
	struct identity_want w = {.port = port, .protocol = protocol};

	if (identity_ports(st, &w, 1, e) == -1)
		return -1;
	*out = w.id;
	return 0;
}
