/*
 * freeports.c - see freeports.h.
 *
 * Two bytes per port of the range (128 KiB at most) collect why a port is
 * left out, one bit per reason, from a handful of scans: the registry's
 * rows, other databases' names, the curated tables, the ephemeral range
 * and one sock_diag dump of this machine's listeners.  A row that names
 * no service still claims its ports unless it says "Unassigned": IANA
 * writes "Reserved", "De-registered", "Removed" and the like, and software
 * from a withdrawn registration may still use the port.  An "Unassigned"
 * row claims them too when its text says the number was released or
 * withdrawn ("Unassigned (FRP-Released 12/7/00)", "(Removed 2004-2-6)"),
 * or when IANA records unauthorized use: of the ports that record names
 * (4490 and 4491 of 4489-4499), or of the whole row when it names none.
 * Choosing is then a pass over the map, so the whole registered range
 * costs a few milliseconds and no per-port query.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "freeports.h"
#include "machine/sockets.h"
#include "range.h"
#include "registry/rows.h"
#include "registry/model.h"
#include "util/portnum.h"

#define FREEPORTS_SCHEMA "portolan.free/1"

/*
 * Why a port is left out; the names are the JSON's "excluded" keys.  A port
 * counts under the first reason that applies, in this order, so the counts
 * and the qualifying ports add up to the ports considered.
 */
enum {
	WHY_ASSIGNED = 1u << 0,
	WHY_RELEASED = 1u << 1,
	WHY_RESERVED = 1u << 2,
	WHY_UNAUTHORIZED = 1u << 3,
	WHY_OTHER_DATABASES = 1u << 4,
	WHY_CURATED = 1u << 5,
	WHY_EPHEMERAL = 1u << 6,
	WHY_BOUND_HERE = 1u << 7,
	WHY_CLAIMED = 1u << 8,
	WHY_EXCLUDING = (1u << 9) - 1,
	/* Not a reason: a wide curated claim without a source covers the port. */
	WHY_WIDE_UNSOURCED = 1u << 9,
};
static const char *const freeports_why[] = {"assigned",     "released",        "reserved",
                                            "unauthorized", "other_databases", "curated",
                                            "ephemeral",    "bound_here",      "claimed"};
#define FREEPORTS_NWHY (sizeof(freeports_why) / sizeof(freeports_why[0]))

typedef uint16_t why_t;

/* Whether port p qualifies: no reason leaves it out. */
#define FREEPORTS_QUIET(why, lo, p) (((why)[(p) - (lo)] & WHY_EXCLUDING) == 0)

struct stretch {
	long lo, hi;
};

static void
freeports_mark(why_t *why, long lo, long hi, long a, long b, unsigned bit)
{
	long p;

	for (p = a < lo ? lo : a; p <= b && p <= hi; p++)
		why[p - lo] |= (why_t)bit;
}

/*
 * The ports a row's text names within the row ("Ports 4490 and 4491",
 * "ports 2194-2196"), or the whole row when it names none ("yes"): IANA's
 * unauthorized-use reports sit on Unassigned gaps, often hundreds wide,
 * around the one or two ports in use.
 */
static void
freeports_mark_named(why_t *why, long lo, long hi, long row_lo, long row_hi, const char *text,
                     unsigned bit)
{
	const char *s = text;
	long a, b;
	int named = 0;

	while (*s) {
		if (!isdigit((unsigned char)*s)) {
			s++;
			continue;
		}
		for (a = 0; isdigit((unsigned char)*s) && a <= PORT_MAX; s++)
			a = a * 10 + (*s - '0');
		b = a;
		if (s[0] == '-' && isdigit((unsigned char)s[1]))
			for (s++, b = 0; isdigit((unsigned char)*s) && b <= PORT_MAX; s++)
				b = b * 10 + (*s - '0');
		if (a < row_lo || b > row_hi || a > b)
			continue;
		freeports_mark(why, lo, hi, a, b, bit);
		named = 1;
	}
	if (!named)
		freeports_mark(why, lo, hi, row_lo, row_hi, bit);
}

/*
 * Mark every port lo..hi that a row of sql (?1 lo, ?2 hi; columns port_lo,
 * port_hi) covers; with a third column, only the ports that text names
 * within the row (freeports_mark_named()).
 */
static int
freeports_mark_rows(struct store *st, const char *sql, why_t *why, long lo, long hi, unsigned bit,
                    struct err *e)
{
	struct rows r;
	sqlite3_stmt *stmt; /* r's, to bind and read */

	if (rows_open(st, &r, sql, e) == -1)
		return -1;
	stmt = r.stmt;
	sqlite3_bind_int64(stmt, 1, lo);
	sqlite3_bind_int64(stmt, 2, hi);
	while (rows_next(&r) == 1) {
		long a = (long)sqlite3_column_int64(stmt, 0),
		     b = (long)sqlite3_column_int64(stmt, 1);

		if (sqlite3_column_count(stmt) > 2)
			freeports_mark_named(why, lo, hi, a, b,
			                     (const char *)sqlite3_column_text(stmt, 2), bit);
		else
			freeports_mark(why, lo, hi, a, b, bit);
	}
	return rows_close(&r);
}

/*
 * This machine's TCP listeners and bound UDP sockets.  A machine that
 * refuses the dump (a sandbox without netlink) leaves the ports unmarked
 * and says so in the result rather than failing the whole answer.
 */
static int
freeports_mark_bound(why_t *why, long lo, long hi, struct err *e)
{
	struct sockets_query sq = {.protos = PROTO_TCP | PROTO_UDP, .port = 0};
	struct msock_list socks = {0};
	size_t i;

	if (sockets_list(&sq, &socks, e) == -1) {
		sockets_free(&socks);
		return -1;
	}
	for (i = 0; i < socks.n; i++)
		freeports_mark(why, lo, hi, socks.v[i].port, socks.v[i].port, WHY_BOUND_HERE);
	sockets_free(&socks);
	return 0;
}

/* The qualifying stretches, longest first (then lowest): the caller frees *out. */
static size_t
freeports_stretches(const why_t *why, long lo, long hi, struct stretch **out)
{
	size_t n = 0, cap = 0;
	struct stretch *v = NULL, *grown;
	long p = lo, a;

	while (p <= hi) {
		if (!FREEPORTS_QUIET(why, lo, p)) {
			p++;
			continue;
		}
		for (a = p; p <= hi && FREEPORTS_QUIET(why, lo, p); p++)
			;
		if (n == cap) {
			cap = cap ? cap * 2 : 256;
			if ((grown = realloc(v, cap * sizeof(*v))) == NULL)
				break; /* out of memory: offer from the stretches found so far */
			v = grown;
		}
		v[n++] = (struct stretch){a, p - 1};
	}
	*out = v;
	return n;
}

static int
freeports_by_length(const void *a, const void *b)
{
	const struct stretch *x = a, *y = b;
	long lx = x->hi - x->lo, ly = y->hi - y->lo;

	if (lx != ly)
		return lx > ly ? -1 : 1;
	return (x->lo > y->lo) - (x->lo < y->lo);
}

/* The stretch that holds port p (which qualifies). */
static struct stretch
freeports_around(const why_t *why, long lo, long hi, long p)
{
	struct stretch s = {p, p};

	while (s.lo > lo && FREEPORTS_QUIET(why, lo, s.lo - 1))
		s.lo--;
	while (s.hi < hi && FREEPORTS_QUIET(why, lo, s.hi + 1))
		s.hi++;
	return s;
}

static json_t *
freeports_port_json(long port, struct stretch s)
{
	return json_pack("{s:I, s:I, s:I}", "port", (json_int_t)port, "stretch_lo",
	                 (json_int_t)s.lo, "stretch_hi", (json_int_t)s.hi);
}

/* Offer p when it qualifies; 1 once ports holds count. */
static int
freeports_offer(json_t *ports, int count, const why_t *why, long lo, long hi, long p)
{
	if (p >= lo && p <= hi && FREEPORTS_QUIET(why, lo, p))
		json_array_append_new(ports,
		                      freeports_port_json(p, freeports_around(why, lo, hi, p)));
	return (int)json_array_size(ports) >= count;
}

/* The count qualifying ports closest to near, nearest first (the lower on a tie). */
static void
freeports_pick_near(const why_t *why, long lo, long hi, long near, int count, json_t *ports)
{
	long d;

	if (freeports_offer(ports, count, why, lo, hi, near))
		return;
	for (d = 1; near - d >= lo || near + d <= hi; d++)
		if (freeports_offer(ports, count, why, lo, hi, near - d) ||
		    freeports_offer(ports, count, why, lo, hi, near + d))
			return;
}

/* The middle of each of the count longest stretches. */
static void
freeports_pick_quiet(const why_t *why, long lo, long hi, int count, json_t *ports)
{
	struct stretch *v;
	size_t n = freeports_stretches(why, lo, hi, &v), i;

	if (n > 1) /* v is NULL when nothing qualifies, and qsort() must not see NULL */
		qsort(v, n, sizeof(*v), freeports_by_length);
	for (i = 0; i < n && (int)i < count; i++)
		json_array_append_new(ports,
		                      freeports_port_json(v[i].lo + (v[i].hi - v[i].lo) / 2, v[i]));
	free(v);
}

static json_t *
freeports_json(const struct freeports_query *q, long lo, long hi, const struct range_machine *rm,
               const why_t *why, const char *machine_error)
{
	json_t *excluded = json_object(), *ports = json_array();
	long counts[FREEPORTS_NWHY] = {0}, qualifying = 0, kept = 0, p;
	size_t b;

	for (p = lo; p <= hi; p++) {
		if (FREEPORTS_QUIET(why, lo, p)) {
			qualifying++;
			kept += (why[p - lo] & WHY_WIDE_UNSOURCED) != 0;
			continue;
		}
		for (b = 0; ((why[p - lo] >> b) & 1) == 0; b++)
			;
		counts[b]++; /* under its first reason only */
	}
	for (b = 0; b < FREEPORTS_NWHY; b++)
		json_object_set_new(excluded, freeports_why[b], json_integer(counts[b]));
	if (q->near >= 0)
		freeports_pick_near(why, lo, hi, q->near, q->count, ports);
	else
		freeports_pick_quiet(why, lo, hi, q->count, ports);
	return json_pack(
	    "{s:s, s:{s:I, s:I}, s:o, s:{s:I, s:I, s:b}, s:b, s:o, s:I, s:I, s:o, s:{s:I, s:I},"
	    " s:o}",
	    "schema", FREEPORTS_SCHEMA, "range", "lo", (json_int_t)lo, "hi", (json_int_t)hi, "near",
	    q->near >= 0 ? json_integer(q->near) : json_null(), "ephemeral", "lo",
	    (json_int_t)rm->ephemeral_lo, "hi", (json_int_t)rm->ephemeral_hi, "this_machine",
	    rm->this_machine, "machine_checked", q->machine && machine_error == NULL,
	    "machine_error", machine_error ? json_string(machine_error) : json_null(), "considered",
	    (json_int_t)(hi - lo + 1), "qualifying", (json_int_t)qualifying, "excluded", excluded,
	    "wide_unsourced", "ports", (json_int_t)kept, "wider_than",
	    (json_int_t)FREEPORTS_UNSOURCED_MAX, "ports", ports);
}

/* The curated tables' rows on ?1..?2, with WHERE the condition on each. */
#define FREEPORTS_CURATED(where)                                                                   \
	"SELECT port_lo, port_hi FROM use WHERE port_lo <= ?2 AND port_hi >= ?1 AND " where        \
	" UNION ALL SELECT port_lo, port_hi FROM history WHERE port_lo <= ?2 AND port_hi >= ?1"    \
	" AND " where " UNION ALL SELECT port_lo, port_hi FROM note"                               \
	" WHERE port_lo <= ?2 AND port_hi >= ?1 AND " where
#define FREEPORTS_STR(x)  FREEPORTS_STR_(x)
#define FREEPORTS_STR_(x) #x
#define FREEPORTS_WIDE_UNSOURCED                                                                   \
	"(sources = '' AND port_hi - port_lo >= " FREEPORTS_STR(FREEPORTS_UNSOURCED_MAX) ")"

json_t *
freeports_find(struct store *st, const struct freeports_query *q, struct err *e)
{
	static const char assigned_sql[] =
	    "SELECT port_lo, port_hi FROM record"
	    " WHERE port_lo <= ?2 AND port_hi >= ?1 AND service <> ''";
	/* IANA's words for a number taken back ("FRP-Released", "De-Assigned on ..."). */
	static const char released_sql[] =
	    "SELECT port_lo, port_hi FROM record WHERE port_lo <= ?2 AND port_hi >= ?1"
	    " AND service = '' AND (description || ' ' || notes LIKE '%releas%'"
	    " OR description || ' ' || notes LIKE '%withdr%'"
	    " OR description || ' ' || notes LIKE '%remov%'"
	    " OR description || ' ' || notes LIKE '%de-assign%'"
	    " OR description || ' ' || notes LIKE '%deassign%'"
	    " OR description || ' ' || notes LIKE '%de-regist%'"
	    " OR description || ' ' || notes LIKE '%deregist%')";
	static const char unauthorized_sql[] =
	    "SELECT port_lo, port_hi, unauthorized FROM record"
	    " WHERE port_lo <= ?2 AND port_hi >= ?1 AND unauthorized <> ''";
	static const char reserved_sql[] =
	    "SELECT port_lo, port_hi FROM record WHERE port_lo <= ?2 AND port_hi >= ?1"
	    " AND service = '' AND substr(description, 1, 10) <> 'Unassigned'";
	static const char other_sql[] = "SELECT port, port FROM alias WHERE port BETWEEN ?1 AND ?2";
	/*
	 * Leaving a port out costs little, so any curated claim is taken on
	 * trust, except one that would empty a whole stretch on no public
	 * evidence: a claim wider than FREEPORTS_UNSOURCED_MAX ports that cites
	 * no source ("source: none") leaves its ports in, and the answer counts
	 * them.
	 */
	static const char curated_sql[] = FREEPORTS_CURATED("NOT " FREEPORTS_WIDE_UNSOURCED);
	static const char wide_sql[] = FREEPORTS_CURATED(FREEPORTS_WIDE_UNSOURCED);
	struct range_machine rm;
	struct err machine_err = {0};
	why_t *why;
	long lo = q->lo, hi = q->hi;
	json_t *res;

	if (q->facts != NULL)
		rm = *q->facts;
	else
		range_machine_read(&rm);
	if (lo == 0)
		lo = rm.unprivileged_start > 1024 ? rm.unprivileged_start : 1024;
	if (q->lo == 0 && lo > hi) {
		err_set(e, "free: unprivileged ports start at %ld here, above %ld: give --range",
		        lo, hi);
		return NULL;
	}
	if (lo < 1 || hi > PORT_MAX || lo > hi) {
		err_set(e, "free: the range must lie within 1-65535, low end first");
		return NULL;
	}
	if (q->count < 1 || q->count > FREEPORTS_MAX_COUNT) {
		err_set(e, "free: the count must be 1 to %d", FREEPORTS_MAX_COUNT);
		return NULL;
	}
	if ((why = calloc((size_t)(hi - lo + 1), sizeof(*why))) == NULL) {
		err_internal(e, "free: out of memory");
		return NULL;
	}
	freeports_mark(why, lo, hi, rm.ephemeral_lo, rm.ephemeral_hi, WHY_EPHEMERAL);
	if (freeports_mark_rows(st, assigned_sql, why, lo, hi, WHY_ASSIGNED, e) == -1 ||
	    freeports_mark_rows(st, released_sql, why, lo, hi, WHY_RELEASED, e) == -1 ||
	    freeports_mark_rows(st, reserved_sql, why, lo, hi, WHY_RESERVED, e) == -1 ||
	    freeports_mark_rows(st, unauthorized_sql, why, lo, hi, WHY_UNAUTHORIZED, e) == -1 ||
	    freeports_mark_rows(st, other_sql, why, lo, hi, WHY_OTHER_DATABASES, e) == -1 ||
	    freeports_mark_rows(st, curated_sql, why, lo, hi, WHY_CURATED, e) == -1 ||
	    freeports_mark_rows(st, wide_sql, why, lo, hi, WHY_WIDE_UNSOURCED, e) == -1) {
		free(why);
		return NULL;
	}
	if (q->machine)
		freeports_mark_bound(why, lo, hi, &machine_err);
	for (size_t i = 0; i < q->nclaimed; i++)
		freeports_mark(why, lo, hi, q->claimed[i][0], q->claimed[i][1], WHY_CLAIMED);
	res = freeports_json(q, lo, hi, &rm, why,
	                     q->machine && machine_err.kind != ERR_NONE ? machine_err.msg : NULL);
	free(why);
	if (res == NULL)
		err_internal(e, "free: out of memory");
	return res;
}

int
freeports_option(struct freeports_query *q, const char *name, const char *value, const char *label,
                 struct err *e)
{
	char *end;
	long n;

	if (strcmp(name, "count") == 0) {
		n = strtol(value, &end, 10);
		if (*end || end == value || value[0] == '-' || n < 1 || n > FREEPORTS_MAX_COUNT)
			return err_set(e, "%s takes 1 to %d", label, FREEPORTS_MAX_COUNT);
		q->count = (int)n;
	} else if (strcmp(name, "near") == 0) {
		if (portnum_parse(value, strlen(value), &q->near) != PORTNUM_OK)
			return err_set(e, "%s: \"%.32s\" is not a port (0-65535)", label, value);
	} else if (strcmp(name, "range") == 0) {
		if (strchr(value, '-') == NULL ||
		    portnum_parse_range(value, &q->lo, &q->hi) == -1 || q->lo < 1)
			return err_set(e, "%s: \"%.32s\" is not LO-HI within 1-65535", label,
			               value);
	} else {
		return err_set(e, "%s: no such option", label);
	}
	return 0;
}
