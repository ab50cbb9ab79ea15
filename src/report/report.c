/*
 * report.c - assemble the port report (see report.h) from the store.
 *
 * Each section is one small function that runs one query and adds one key
 * to the report object, in the order a reader needs them: what the port is
 * (records, identity), where it sits (range), how common it is (frequency),
 * what others call it (other_names), its neighbours (siblings), the curated
 * knowledge (uses, history, note), and where all of it came from (sources,
 * snapshot).  Queries are prepared per report; a report runs a dozen
 * indexed queries against a 10 MB database, well under a millisecond, so
 * caching statements across reports would buy nothing measurable for the
 * command line (the web server keeps its own store handle open).
 *
 * Registry text stays as IANA wrote it; the report adds structure around it
 * (people resolved to name, organisation and email; references split and
 * linked) and marks where each piece came from with a source id that
 * indexes "sources".
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "concern.h"
#include "headline.h"
#include "listening.h"
#include "registry/rows.h"
#include "report.h"

static const char *
col_text(struct rows *r, int i)
{
	const unsigned char *s = sqlite3_column_text(r->stmt, i);

	return s ? (const char *)s : "";
}

static json_t *
col_json(struct rows *r, int i)
{
	switch (sqlite3_column_type(r->stmt, i)) {
	case SQLITE_NULL:
		return json_null();
	case SQLITE_INTEGER:
		return json_integer(sqlite3_column_int64(r->stmt, i));
	case SQLITE_FLOAT:
		return json_real(sqlite3_column_double(r->stmt, i));
	default:
		return json_string(col_text(r, i));
	}
}

void
report_env_init(struct report_env *env)
{
	*env = (struct report_env){0}; /* English, no listeners, unless the caller says */
	range_machine_read(&env->machine);
	env->now = time(NULL);
	env->claims = NULL;
	env->claims_ctx = NULL;
}

/*
 * How common a frequency is, on a fixed scale of decades.  The class names
 * are the report's machine-readable "class"; the renderers put a class into
 * words in the reader's language (words_frequency() in render/words.c).
 */
static const struct {
	double at_least;
	const char *class;
} report_frequency_scale[] = {
    {0.1, "very-common"}, {0.01, "common"},       {0.001, "uncommon"},
    {0.0001, "rare"},     {0.00001, "very-rare"}, {0, "almost-never"},
};

/*
 * 1/f to two significant figures ("1 in 26,000", not "1 in 26,315"): the
 * scans behind the number are not more precise than that.  1/f is capped
 * at a billion (nmap's smallest frequency is a millionth) so that a corrupt,
 * absurdly small frequency cannot overflow a long, even a 32-bit one.
 */
static long
report_one_in(double f)
{
	double inv = 1.0 / f;
	long one_in, mag = 1;

	if (inv > 1e9)
		inv = 1e9;
	one_in = lround(inv);
	if (one_in <= 1)
		return 1;
	while (one_in / mag >= 100)
		mag *= 10;
	return (one_in + mag / 2) / mag * mag;
}

/* The scale's entry for f > 0; the last entry takes everything below the others. */
static size_t
report_frequency_step(double f)
{
	size_t i = 0;

	while (i + 1 < sizeof(report_frequency_scale) / sizeof(report_frequency_scale[0]) &&
	       f < report_frequency_scale[i].at_least)
		i++;
	return i;
}

const char *
report_frequency_class(double f, long *one_in)
{
	*one_in = 0;
	if (!(f > 0))
		return "never";
	*one_in = report_one_in(f);
	return report_frequency_scale[report_frequency_step(f)].class;
}

/* "Unassigned", "Reserved" or "assigned", from a record's name and description. */
static const char *
report_status(const char *service, const char *description)
{
	if (service[0] != '\0')
		return "assigned";
	if (strncmp(description, "Unassigned", 10) == 0)
		return "unassigned";
	if (strncmp(description, "Reserved", 8) == 0)
		return "reserved";
	return "unnamed";
}

/* IANA writes email as mailto:user&host; a reader wants user@host. */
static json_t *
report_email(const char *uri)
{
	char buf[256], *amp;

	if (strncmp(uri, "mailto:", 7) != 0)
		return json_null();
	snprintf(buf, sizeof(buf), "%s", uri + 7);
	if ((amp = strchr(buf, '&')) != NULL)
		*amp = '@';
	return json_string(buf);
}

/*
 * One person id to an object.  Ids missing from <people> (the CSV and npm
 * snapshots carry none) get a name derived from the id itself
 * ("Scott_Guthery" -> "Scott Guthery", "Van_Jacobson_2" -> "Van Jacobson"),
 * marked "derived" so no reader mistakes it for the registry's spelling.
 */
static json_t *
report_person(struct rows *lookup, const char *id)
{
	json_t *p = json_pack("{s:s}", "id", id);
	char name[128];
	size_t n, i;

	sqlite3_bind_text(lookup->stmt, 1, id, -1, SQLITE_TRANSIENT);
	if (rows_next(lookup) == 1) {
		const char *nm = (const char *)sqlite3_column_text(lookup->stmt, 0);
		const char *org = (const char *)sqlite3_column_text(lookup->stmt, 1);
		const char *uri = (const char *)sqlite3_column_text(lookup->stmt, 2);

		json_object_set_new(p, "name", nm && *nm ? json_string(nm) : json_null());
		json_object_set_new(p, "org", org && *org ? json_string(org) : json_null());
		json_object_set_new(p, "uri", uri && *uri ? json_string(uri) : json_null());
		json_object_set_new(p, "email", report_email(uri ? uri : ""));
		json_object_set_new(p, "source",
		                    json_integer(sqlite3_column_int64(lookup->stmt, 3)));
		json_object_set_new(p, "derived", json_false());
	} else {
		snprintf(name, sizeof(name), "%s", id);
		n = strlen(name);
		while (n > 0 && isdigit((unsigned char)name[n - 1]))
			n--;
		if (n > 0 && n < strlen(name) && name[n - 1] == '_')
			name[n - 1] = '\0';
		for (i = 0; name[i]; i++)
			if (name[i] == '_')
				name[i] = ' ';
		json_object_set_new(p, "name", json_string(name));
		json_object_set_new(p, "org", json_null());
		json_object_set_new(p, "uri", json_null());
		json_object_set_new(p, "email", json_null());
		json_object_set_new(p, "source", json_null());
		json_object_set_new(p, "derived", json_true());
	}
	rows_reset(lookup);
	return p;
}

/* "[A][B]" -> ["A", "B"], calling fn for each bracketed group. */
static void
report_brackets(const char *s, void (*fn)(void *, const char *), void *arg)
{
	char item[2048];
	const char *end;
	size_t n;
	int depth;

	while ((s = strchr(s, '[')) != NULL) {
		/* Find the matching ']' (IANA's free-text references contain brackets rarely). */
		for (end = s + 1, depth = 1; *end && depth > 0; end++)
			depth += (*end == '[') - (*end == ']');
		if (depth != 0)
			return;
		n = (size_t)(end - s - 2);
		if (n >= sizeof(item))
			n = sizeof(item) - 1;
		memcpy(item, s + 1, n);
		item[n] = '\0';
		fn(arg, item);
		s = end;
	}
}

struct people_acc {
	struct rows *lookup;
	json_t *list;
};

static void
report_people_add(void *arg, const char *id)
{
	struct people_acc *acc = arg;

	json_array_append_new(acc->list, report_person(acc->lookup, id));
}

struct refs_acc {
	struct rows *footnote;
	json_t *list;
};

/* A reference to an object with a link where one can be made. */
static void
report_refs_add(void *arg, const char *ref)
{
	struct refs_acc *acc = arg;
	char url[2100] = "";
	json_t *o = json_pack("{s:s}", "text", ref);
	const char *p;

	if (strncasecmp(ref, "RFC", 3) == 0 && isdigit((unsigned char)ref[3])) {
		for (p = ref + 3; isdigit((unsigned char)*p); p++)
			;
		if (*p == '\0')
			snprintf(url, sizeof(url), "https://www.rfc-editor.org/rfc/rfc%s", ref + 3);
	} else if (strncmp(ref, "RFC-", 4) == 0) {
		snprintf(url, sizeof(url), "https://datatracker.ietf.org/doc/draft-%s", ref + 4);
	} else if (strncmp(ref, "draft-", 6) == 0) {
		snprintf(url, sizeof(url), "https://datatracker.ietf.org/doc/%s", ref);
	} else if (strncmp(ref, "http://", 7) == 0 || strncmp(ref, "https://", 8) == 0) {
		snprintf(url, sizeof(url), "%s", ref);
	} else if (isdigit((unsigned char)ref[0]) && acc->footnote) {
		sqlite3_bind_text(acc->footnote->stmt, 1, ref, -1, SQLITE_TRANSIENT);
		if (rows_next(acc->footnote) == 1)
			json_object_set_new(
			    o, "footnote",
			    json_string((const char *)sqlite3_column_text(acc->footnote->stmt, 0)));
		rows_reset(acc->footnote);
	}
	json_object_set_new(o, "url",
	                    url[0] && !strpbrk(url, " \n\t") ? json_string(url) : json_null());
	json_array_append_new(acc->list, o);
}

static json_t *
report_people(struct rows *lookup, const char *ids)
{
	struct people_acc acc = {lookup, json_array()};

	report_brackets(ids, report_people_add, &acc);
	return acc.list;
}

#define RECORD_COLUMNS                                                                             \
	"id, service, port_lo, port_hi, protocol, description, assignee, contact, registered,"     \
	" modified, reference, service_code, unauthorized, notes, source_id, refreshed_by, line"

static json_t *
report_record(struct rows *r, struct rows *person, struct rows *footnote)
{
	struct refs_acc refs = {footnote, json_array()};
	json_t *o = json_object();

	json_object_set_new(o, "service", json_string(col_text(r, 1)));
	json_object_set_new(o, "port_lo", col_json(r, 2));
	json_object_set_new(o, "port_hi", col_json(r, 3));
	json_object_set_new(o, "protocol", json_string(col_text(r, 4)));
	json_object_set_new(o, "status",
	                    json_string(report_status(col_text(r, 1), col_text(r, 5))));
	json_object_set_new(o, "description", json_string(col_text(r, 5)));
	json_object_set_new(o, "assignee", report_people(person, col_text(r, 6)));
	json_object_set_new(o, "contact", report_people(person, col_text(r, 7)));
	json_object_set_new(o, "registered", json_string(col_text(r, 8)));
	json_object_set_new(o, "modified", json_string(col_text(r, 9)));
	report_brackets(col_text(r, 10), report_refs_add, &refs);
	json_object_set_new(o, "references", refs.list);
	json_object_set_new(o, "service_code", json_string(col_text(r, 11)));
	json_object_set_new(o, "unauthorized", json_string(col_text(r, 12)));
	json_object_set_new(o, "notes", json_string(col_text(r, 13)));
	json_object_set_new(o, "source", col_json(r, 14));
	json_object_set_new(o, "refreshed_by", col_json(r, 15));
	json_object_set_new(o, "line", col_json(r, 16));
	return o;
}

struct report_ctx {
	struct store *st;
	const struct query *q;
	const struct report_env *env;
	long lo, hi;          /* the ports reported on; PORT_NONE for a name-only registration */
	const char *protocol; /* "" for every protocol */
	json_t *rep;
	json_t *cited; /* source ids the report cites, as an object used as a set */
	/* The port's own first registration (lowest id), noted by report_records()
	 * for report_siblings(): its name's family and its assignee. */
	long anchor_id;
	char anchor_service[64], anchor_assignee[256];
};

/* Note that the report cites source id; the "sources" section lists them. */
static void
report_cite_id(struct report_ctx *c, long long id)
{
	char key[32];

	snprintf(key, sizeof(key), "%lld", id);
	json_object_set_new(c->cited, key, json_true());
}

static void
report_cite(struct report_ctx *c, json_t *source_id)
{
	if (json_is_integer(source_id))
		report_cite_id(c, json_integer_value(source_id));
}

/*
 * The registry rows for the query.  For a single port an exact row hides
 * an "Unassigned" range row of the same protocol: after the npm merge a
 * port assigned since 2015 can sit inside a 2015 Unassigned range, and
 * the current assignment is the truth.
 */
/* One record row kept aside until the rows of a single port can be ordered. */
struct record_row {
	json_t *rec;
	long id, lo, hi;
	int rank; /* tcp, udp, sctp, dccp, then the rest */
	int unassigned_range;
};

static int
report_protocol_rank(const char *protocol)
{
	static const char *const order[] = {"tcp", "udp", "sctp", "dccp"};
	int i;

	for (i = 0; i < (int)(sizeof(order) / sizeof(order[0])); i++)
		if (strcmp(protocol, order[i]) == 0)
			break;
	return i;
}

static int
report_record_row_cmp(const void *a, const void *b)
{
	const struct record_row *x = a, *y = b;

	if (x->lo != y->lo)
		return x->lo < y->lo ? -1 : 1;
	if (x->hi != y->hi)
		return x->hi < y->hi ? -1 : 1;
	if (x->rank != y->rank)
		return x->rank - y->rank;
	return x->id < y->id ? -1 : x->id > y->id;
}

/*
 * An Unassigned range says nothing about a port that has a row of its own
 * for the same protocol (3126's own row, not 3122-3125's neighbour): drop it.
 * A row that names no protocol is a row for every protocol.
 */
static int
report_range_shadowed(const struct record_row *rows, size_t n, const struct record_row *range)
{
	const char *proto = json_string_value(json_object_get(range->rec, "protocol")), *own;
	size_t i;

	for (i = 0; i < n; i++) {
		own = json_string_value(json_object_get(rows[i].rec, "protocol"));
		if (rows[i].lo == rows[i].hi &&
		    (proto[0] == '\0' || own[0] == '\0' || strcmp(own, proto) == 0))
			return 1;
	}
	return 0;
}

/* Remember the single port's first named registration, the anchor of its siblings. */
static void
report_note_anchor(struct report_ctx *c, struct rows *r)
{
	long id = sqlite3_column_int64(r->stmt, 0);

	if (c->lo != c->hi || sqlite3_column_int64(r->stmt, 2) != c->lo ||
	    sqlite3_column_int64(r->stmt, 3) != c->lo || col_text(r, 1)[0] == '\0' ||
	    (c->anchor_id != 0 && c->anchor_id < id))
		return;
	c->anchor_id = id;
	snprintf(c->anchor_service, sizeof(c->anchor_service), "%s", col_text(r, 1));
	snprintf(c->anchor_assignee, sizeof(c->anchor_assignee), "%s", col_text(r, 6));
}

static int
report_records(struct report_ctx *c, struct err *e)
{
	/*
	 * Two index-friendly halves instead of one "lo <= P AND hi >= P" scan:
	 * single ports by equality on record_port, ranges through the partial
	 * index record_range (ranges only), bounded below by the widest range
	 * (?9, store_span()).  A lookup touches the rows it returns and little
	 * else.  A single port has a handful of rows, so it is ordered (and its
	 * shadowed Unassigned ranges dropped) in C: the ORDER BY and the EXISTS
	 * that would do it in SQL cost more to compile than the rest of the
	 * query.  A range can have hundreds, and is ordered and cut by SQLite.
	 */
	static const char by_single[] = /* the two halves OR-ed: one column list to compile */
	    "SELECT " RECORD_COLUMNS " FROM record"
	    " WHERE ((port_lo = ?1 AND port_hi = ?1) OR (port_lo < port_hi"
	    "  AND port_lo BETWEEN ?1 - ?9 AND ?1 AND port_hi >= ?1))"
	    " AND (?3 = '' OR protocol IN (?3, ''))";
	static const char by_range[] =
	    "SELECT * FROM (SELECT " RECORD_COLUMNS " FROM record"
	    " WHERE port_lo BETWEEN ?1 AND ?2 AND port_hi = port_lo"
	    " AND (?3 = '' OR protocol IN (?3, ''))"
	    " UNION ALL SELECT " RECORD_COLUMNS " FROM record"
	    " WHERE port_lo < port_hi AND port_lo BETWEEN ?1 - ?9 AND ?2 AND port_hi >= ?1"
	    " AND (?3 = '' OR protocol IN (?3, ''))"
	    ") ORDER BY port_lo, port_hi, CASE protocol WHEN 'tcp' THEN 0 WHEN 'udp' THEN 1"
	    " WHEN 'sctp' THEN 2 WHEN 'dccp' THEN 3 ELSE 4 END, id LIMIT ?4";
	static const char by_name[] = "SELECT " RECORD_COLUMNS " FROM record"
	                              " WHERE port_lo IS NULL AND service = ?5 COLLATE NOCASE"
	                              " AND (?3 = '' OR protocol IN (?3, '')) ORDER BY id LIMIT ?4";
	struct record_row rows[REPORT_MAX_RECORDS + 1];
	struct rows person, footnote;
	json_t *list = json_array();
	const char *sql = c->lo == PORT_NONE ? by_name : c->lo == c->hi ? by_single : by_range;
	struct rows r;
	size_t n = 0, i;
	int failed;

	if (rows_open(c->st, &r, sql, e) == -1) {
		json_decref(list);
		return -1;
	}
	/* Their failures are sticky, reported by rows_close() below. */
	rows_open(c->st, &person, "SELECT name, org, uri, source_id FROM person WHERE id = ?", e);
	rows_open(c->st, &footnote, "SELECT text FROM footnote WHERE anchor = ?", e);
	sqlite3_bind_int64(r.stmt, 1, c->lo);
	sqlite3_bind_int64(r.stmt, 2, c->hi);
	sqlite3_bind_text(r.stmt, 3, c->protocol, -1, SQLITE_STATIC);
	sqlite3_bind_int(r.stmt, 4, REPORT_MAX_RECORDS + 1);
	sqlite3_bind_text(r.stmt, 5, c->q->service, -1, SQLITE_STATIC);
	sqlite3_bind_int64(r.stmt, 9, store_span(c->st, "record"));
	while (n <= REPORT_MAX_RECORDS && rows_next(&r) == 1) {
		struct record_row *row = &rows[n++];

		row->rec = report_record(&r, &person, &footnote);
		row->id = sqlite3_column_int64(r.stmt, 0);
		row->lo = sqlite3_column_int64(r.stmt, 2);
		row->hi = sqlite3_column_int64(r.stmt, 3);
		row->rank = report_protocol_rank(col_text(&r, 4));
		row->unassigned_range = row->lo < row->hi && col_text(&r, 1)[0] == '\0';
		report_note_anchor(c, &r); /* a single port's own rows are never dropped */
	}
	failed = rows_close(&r);
	failed |= rows_close(&person);
	failed |= rows_close(&footnote);
	if (failed) {
		for (i = 0; i < n; i++)
			json_decref(rows[i].rec);
		json_decref(list);
		return -1;
	}
	if (sql == by_single)
		qsort(rows, n, sizeof(rows[0]), report_record_row_cmp);
	for (i = 0; i < n; i++) {
		if (i == REPORT_MAX_RECORDS || (sql == by_single && rows[i].unassigned_range &&
		                                report_range_shadowed(rows, n, &rows[i]))) {
			json_decref(rows[i].rec);
			continue;
		}
		report_cite(c, json_object_get(rows[i].rec, "source"));
		report_cite(c, json_object_get(rows[i].rec, "refreshed_by"));
		json_array_append_new(list, rows[i].rec);
	}
	json_object_set_new(c->rep, "records", list);
	json_object_set_new(c->rep, "truncated", json_boolean(n > REPORT_MAX_RECORDS));
	return 0;
}

/* Add s to a JSON array of strings unless it is already there. */
static void
report_add_unique(json_t *arr, const char *s)
{
	size_t i;
	json_t *v;

	json_array_foreach(arr, i, v) if (strcmp(json_string_value(v), s) == 0) return;
	json_array_append_new(arr, json_string(s));
}

/* The port's status is its most telling row's: assigned > reserved > unnamed > unassigned. */
static int
report_status_rank(const char *status)
{
	static const char *const order[] = {"unlisted", "unassigned", "unnamed", "reserved",
	                                    "assigned"};
	int i;

	for (i = (int)(sizeof(order) / sizeof(order[0])) - 1; i > 0; i--)
		if (strcmp(status, order[i]) == 0)
			break;
	return i;
}

/* A one-glance summary of the records: names, protocols, status. */
static void
report_identity_section(struct report_ctx *c)
{
	json_t *records = json_object_get(c->rep, "records"), *rec;
	json_t *names = json_array(), *protos = json_array(), *descs = json_array();
	const char *status = "unlisted";
	size_t i;

	json_array_foreach(records, i, rec)
	{
		const char *svc = json_string_value(json_object_get(rec, "service"));
		const char *st = json_string_value(json_object_get(rec, "status"));

		if (svc[0]) {
			report_add_unique(names, svc);
			report_add_unique(descs,
			                  json_string_value(json_object_get(rec, "description")));
		}
		if (json_string_value(json_object_get(rec, "protocol"))[0])
			report_add_unique(protos,
			                  json_string_value(json_object_get(rec, "protocol")));
		if (report_status_rank(st) > report_status_rank(status))
			status = st;
	}
	json_object_set_new(c->rep, "identity",
	                    json_pack("{s:o, s:o, s:o, s:s}", "services", names, "descriptions",
	                              descs, "protocols", protos, "status", status));
}

/* identity.headline: what you will most likely find, from the curated data (headline.h). */
static int
report_headline(struct report_ctx *c, struct err *e)
{
	json_t *h = headline_build(c->st, c->rep, c->protocol, e);

	if (h == NULL)
		return -1;
	report_cite(c, json_object_get(h, "source"));
	json_object_set_new(json_object_get(c->rep, "identity"), "headline", h);
	return 0;
}

static json_t *
report_range_class(const struct range_class *rc)
{
	return json_pack("{s:s, s:s, s:I, s:I}", "name", rc->name, "iana", rc->iana, "lo",
	                 (json_int_t)rc->lo, "hi", (json_int_t)rc->hi);
}

static void
report_range_section(struct report_ctx *c)
{
	const struct range_machine *m = &c->env->machine;
	const struct range_class *rc;
	json_t *classes, *range;
	long p;

	if (c->lo == PORT_NONE) {
		json_object_set_new(c->rep, "range", json_null());
		return;
	}
	classes = json_array();
	/* A range query may span classes; list each once. */
	for (p = c->lo; p <= c->hi; p = rc->hi + 1) {
		rc = range_classify(p);
		json_array_append_new(classes, report_range_class(rc));
	}
	range =
	    json_pack("{s:o, s:b, s:{s:I, s:I, s:b, s:s}, s:I, s:b}", "classes", classes,
	              "privileged", c->lo < m->unprivileged_start, "ephemeral", "lo",
	              (json_int_t)m->ephemeral_lo, "hi", (json_int_t)m->ephemeral_hi, "overlaps",
	              c->lo <= m->ephemeral_hi && c->hi >= m->ephemeral_lo, "source",
	              m->from_kernel    ? "/proc/sys/net/ipv4/ip_local_port_range"
	              : m->this_machine ? "Linux default (the kernel's setting was unreadable)"
	                                : "Linux default",
	              "unprivileged_start", (json_int_t)m->unprivileged_start, "this_machine",
	              m->this_machine);
	json_object_set_new(c->rep, "range", range);
}

/*
 * The keys every frequency object shares: the number and its class and
 * "1 in N", which the renderers put into words (words_frequency()).
 */
static int
report_frequency_keys(json_t *obj, double f)
{
	long one_in;
	const char *class = report_frequency_class(f, &one_in);

	if (json_object_set_new(obj, "open_frequency", json_real(f)) == -1 ||
	    json_object_set_new(obj, "class", json_string(class)) == -1 ||
	    json_object_set_new(obj, "one_in", one_in > 0 ? json_integer(one_in) : json_null()) ==
	        -1)
		return -1;
	return 0;
}

#define REPORT_MAX_SIBLING_ROWS 64 /* candidates kept before the closest 12 are chosen */

struct sibling {
	long port;
	char service[64];
	char protocols[32]; /* "tcp,udp" */
	char description[256];
	int kin; /* 1: same assignee; 0: same name family */
};

/* Whether comma-separated list holds item exactly ("sctp" does not hold "tcp"). */
static int
report_list_has(const char *list, const char *item)
{
	size_t n = strlen(item);

	for (const char *p = list; *p; p += strcspn(p, ","), p += *p == ',')
		if (strncmp(p, item, n) == 0 && (p[n] == ',' || p[n] == '\0'))
			return 1;
	return 0;
}

/* nmap's best open frequency for one protocol of a single port. */
struct alias_freq {
	char protocol[8];
	double frequency;
	char service[64]; /* nmap's name for it */
	long source_id;
};

/* One name another database gives a port, its protocols folded together. */
struct alias_name {
	long port, source_id;
	char service[64];
	char protocols[32]; /* "tcp,udp" */
	char *comment;      /* the smallest of the group's comments, as min() would pick */
	const char *database;
	int in_registry;
};

struct alias_acc {
	struct alias_freq freq[8];
	size_t nfreq;
	struct alias_name *names;
	size_t nnames, cap;
	size_t port_start; /* first name of the port being read: rows come port by port */
	char databases[8][64];
	size_t ndatabases;
};

#define REPORT_MAX_OTHER_NAMES 1024

/* Keep the highest frequency per protocol, with the name and source it came with. */
static void
report_alias_freq(struct alias_acc *acc, struct rows *r)
{
	const char *proto = col_text(r, 2);
	double f = sqlite3_column_double(r->stmt, 3);
	struct alias_freq *x;
	size_t i;

	for (i = 0; i < acc->nfreq; i++)
		if (strcmp(acc->freq[i].protocol, proto) == 0)
			break;
	if (i == acc->nfreq) {
		if (i == sizeof(acc->freq) / sizeof(acc->freq[0]))
			return;
		acc->nfreq++;
	} else if (f <= acc->freq[i].frequency)
		return;
	x = &acc->freq[i];
	snprintf(x->protocol, sizeof(x->protocol), "%s", proto);
	x->frequency = f;
	snprintf(x->service, sizeof(x->service), "%s", col_text(r, 1));
	x->source_id = sqlite3_column_int64(r->stmt, 4);
}

/* The database's name, interned: a report names two or three at most. */
static const char *
report_alias_database(struct alias_acc *acc, const char *name)
{
	size_t i;

	for (i = 0; i < acc->ndatabases; i++)
		if (strcmp(acc->databases[i], name) == 0)
			return acc->databases[i];
	if (i == sizeof(acc->databases) / sizeof(acc->databases[0]))
		return "";
	snprintf(acc->databases[i], sizeof(acc->databases[i]), "%s", name);
	acc->ndatabases++;
	return acc->databases[i];
}

/* Fold one row into its (port, name, source) group. */
static int
report_alias_name(struct alias_acc *acc, struct rows *r)
{
	long port = sqlite3_column_int64(r->stmt, 0), source_id = sqlite3_column_int64(r->stmt, 4);
	const char *svc = col_text(r, 1), *proto = col_text(r, 2), *comment = col_text(r, 5);
	struct alias_name *g;
	size_t i;

	if (acc->nnames > 0 && acc->names[acc->nnames - 1].port != port)
		acc->port_start = acc->nnames;
	for (i = acc->port_start; i < acc->nnames; i++)
		if (acc->names[i].source_id == source_id && strcmp(acc->names[i].service, svc) == 0)
			break;
	if (i == acc->nnames) {
		if (acc->nnames == REPORT_MAX_OTHER_NAMES)
			return 0;
		if (acc->nnames == acc->cap) {
			size_t cap = acc->cap ? acc->cap * 2 : 16;
			struct alias_name *n = realloc(acc->names, cap * sizeof(*n));

			if (n == NULL)
				return -1;
			acc->names = n;
			acc->cap = cap;
		}
		g = &acc->names[acc->nnames++];
		memset(g, 0, sizeof(*g));
		g->port = port;
		g->source_id = source_id;
		snprintf(g->service, sizeof(g->service), "%s", svc);
		g->database = report_alias_database(acc, col_text(r, 6));
		g->in_registry = sqlite3_column_int(r->stmt, 8);
		if ((g->comment = strdup(comment)) == NULL)
			return -1;
	} else {
		g = &acc->names[i];
		if (strcmp(comment, g->comment) < 0) {
			char *copy = strdup(comment);

			if (copy == NULL)
				return -1;
			free(g->comment);
			g->comment = copy;
		}
	}
	if (proto[0] && !report_list_has(g->protocols, proto)) {
		size_t len = strlen(g->protocols);

		snprintf(g->protocols + len, sizeof(g->protocols) - len, "%s%s", len ? "," : "",
		         proto);
	}
	return 0;
}

static int
report_alias_freq_cmp(const void *a, const void *b)
{
	const struct alias_freq *x = a, *y = b;

	if (x->frequency != y->frequency)
		return x->frequency > y->frequency ? -1 : 1;
	return report_protocol_rank(x->protocol) - report_protocol_rank(y->protocol);
}

static int
report_alias_name_cmp(const void *a, const void *b)
{
	const struct alias_name *x = a, *y = b;

	if (x->port != y->port)
		return x->port < y->port ? -1 : 1;
	if (x->source_id != y->source_id)
		return x->source_id < y->source_id ? -1 : 1;
	return strcmp(x->service, y->service);
}

/* "frequency": the best protocol's numbers, and each protocol's. */
static int
report_frequency_section(struct report_ctx *c, struct alias_acc *acc)
{
	json_t *per = json_array(), *x, *freq;
	size_t i;

	qsort(acc->freq, acc->nfreq, sizeof(acc->freq[0]), report_alias_freq_cmp);
	for (i = 0; i < acc->nfreq; i++) {
		x = json_pack("{s:s}", "protocol", acc->freq[i].protocol);
		if (x == NULL || report_frequency_keys(x, acc->freq[i].frequency) == -1 ||
		    json_object_set_new(x, "nmap_name", json_string(acc->freq[i].service)) == -1 ||
		    json_array_append_new(per, x) == -1) {
			json_decref(per);
			return -1;
		}
		report_cite_id(c, acc->freq[i].source_id);
	}
	if (acc->nfreq == 0)
		freq = json_pack("{s:n, s:s, s:n, s:o}", "open_frequency", "class", "unlisted",
		                 "one_in", "per_protocol", per);
	else if ((freq = json_object()) == NULL ||
	         report_frequency_keys(freq, acc->freq[0].frequency) == -1 ||
	         json_object_set_new(freq, "per_protocol", per) == -1) {
		json_decref(freq);
		return -1;
	}
	return freq == NULL ? -1 : json_object_set_new(c->rep, "frequency", freq);
}

/* "other_names": per port, source and name, in that order. */
static int
report_other_names_section(struct report_ctx *c, struct alias_acc *acc)
{
	json_t *list = json_array();
	size_t i;

	if (acc->nnames > 1) /* qsort(NULL, 0) is undefined behaviour */
		qsort(acc->names, acc->nnames, sizeof(acc->names[0]), report_alias_name_cmp);
	for (i = 0; i < acc->nnames; i++) {
		struct alias_name *g = &acc->names[i];

		if (json_array_append_new(
		        list,
		        json_pack("{s:s, s:s, s:I, s:s, s:I, s:s, s:b}", "service", g->service,
		                  "protocols", g->protocols, "port", (json_int_t)g->port,
		                  "database", g->database, "source", (json_int_t)g->source_id,
		                  "comment", g->comment, "in_registry", g->in_registry)) == -1) {
			json_decref(list);
			return -1;
		}
		report_cite_id(c, g->source_id);
	}
	return json_object_set_new(c->rep, "other_names", list);
}

/*
 * What other databases say of the port: nmap's open frequency, the most
 * telling single number about how common a port is (single ports only),
 * and the names they give it (ranges of up to 65 ports), each with whether
 * IANA uses that name too.  Both come from one plain scan of the alias
 * rows, grouped and ordered here: the two GROUP BY queries this replaces
 * cost more to compile and sort than the few rows cost to read.
 */
static int
report_aliases(struct report_ctx *c, struct err *e)
{
	static const char sql[] =
	    "SELECT a.port, a.service, a.protocol, a.frequency, a.source_id, a.comment, s.name,"
	    " s.kind = 'nmap-services', EXISTS (SELECT 1 FROM record x WHERE"
	    "  x.service = a.service COLLATE NOCASE"
	    "  AND x.port_lo <= a.port AND x.port_hi >= a.port)"
	    " FROM alias a JOIN source s ON s.id = a.source_id"
	    " WHERE a.port BETWEEN ?1 AND ?2 AND (?3 = '' OR a.protocol = ?3)";
	struct alias_acc acc = {0};
	int single = c->lo != PORT_NONE && c->lo == c->hi, rc = 0, failed = 0;
	struct rows r;
	size_t i;

	if (c->lo != PORT_NONE && c->hi - c->lo <= 64) {
		if (rows_open(c->st, &r, sql, e) == -1)
			return -1;
		sqlite3_bind_int64(r.stmt, 1, c->lo);
		sqlite3_bind_int64(r.stmt, 2, c->hi);
		sqlite3_bind_text(r.stmt, 3, c->protocol, -1, SQLITE_STATIC);
		while (rc == 0 && rows_next(&r) == 1) {
			if (single && sqlite3_column_int(r.stmt, 7) &&
			    sqlite3_column_type(r.stmt, 3) != SQLITE_NULL)
				report_alias_freq(&acc, &r);
			if (strcmp(col_text(&r, 1), "unknown") != 0)
				rc = report_alias_name(&acc, &r);
		}
		failed = rows_close(&r);
	}
	if (rc == 0 && !failed)
		rc = single ? report_frequency_section(c, &acc)
		            : json_object_set_new(c->rep, "frequency", json_null());
	if (rc == 0 && !failed)
		rc = report_other_names_section(c, &acc);
	for (i = 0; i < acc.nnames; i++)
		free(acc.names[i].comment);
	free(acc.names);
	if (failed)
		return -1; /* e says why */
	return rc == -1 ? err_internal(e, "out of memory") : 0;
}

/* Fold one candidate row into sib[]: one entry per (port, service), protocols joined. */
static void
report_sibling_add(struct sibling *sib, size_t *n, long self, struct rows *r)
{
	long port = sqlite3_column_int64(r->stmt, 0);
	const char *svc = col_text(r, 1), *proto = col_text(r, 2);
	size_t i;

	if (port == self || svc[0] == '\0')
		return;
	for (i = 0; i < *n; i++)
		if (sib[i].port == port && strcmp(sib[i].service, svc) == 0)
			break;
	if (i == *n) {
		if (*n == REPORT_MAX_SIBLING_ROWS)
			return;
		memset(&sib[i], 0, sizeof(sib[i]));
		sib[i].port = port;
		snprintf(sib[i].service, sizeof(sib[i].service), "%s", svc);
		snprintf(sib[i].description, sizeof(sib[i].description), "%s", col_text(r, 3));
		(*n)++;
	}
	if (proto[0] && !report_list_has(sib[i].protocols, proto)) {
		size_t len = strlen(sib[i].protocols);

		snprintf(sib[i].protocols + len, sizeof(sib[i].protocols) - len, "%s%s",
		         len ? "," : "", proto);
	}
	sib[i].kin |= sqlite3_column_int(r->stmt, 4);
}

/* Closest first, then lower port. */
static int
report_sibling_cmp(const void *a, const void *b, void *selfp)
{
	const struct sibling *x = a, *y = b;
	long self = *(const long *)selfp;
	long dx = labs(x->port - self), dy = labs(y->port - self);

	if (dx != dy)
		return dx < dy ? -1 : 1;
	return x->port < y->port ? -1 : x->port > y->port;
}

/*
 * Neighbours worth a link: ports registered by the same assignee within 100
 * of this one, and ports whose name shares this one's family ("cardbox-http"
 * -> "cardbox", "cardbox-*").  Committee assignees (IESG and the like)
 * register hundreds of unrelated ports, so they make no family.
 *
 * The family is worked out here, in C, and bound as parameters so both
 * halves of the query are plain index range scans: record_assignee for
 * the assignee's neighbourhood, record_service for the names ("cardbox" and
 * "cardbox-..." sort between "cardbox" and "cardbox.", and of those only
 * "cardbox" itself sorts below "cardbox-").  The same query written with a
 * CTE and LIKE cost 50 ms; this costs microseconds.
 */
static int
report_siblings(struct report_ctx *c, struct err *e)
{
	static const char *const committees[] = {"[IESG]", "[IETF_Chair]", "[IANA]",
	                                         "[Jon_Postel]"};
	/*
	 * The two ranges glued by UNION ALL; grouping and order are done in C,
	 * which costs far less than SQLite's temporary b-trees for a dozen rows.
	 * (The same ranges OR-ed in one WHERE took three times as long to plan
	 * and to run.)
	 */
	static const char sql[] =
	    "SELECT port_lo, service, protocol, description, 1 FROM record"
	    " WHERE ?2 <> '' AND assignee = ?2 AND port_lo BETWEEN ?1 - 100 AND ?1 + 100"
	    " AND port_hi = port_lo"
	    " UNION ALL SELECT port_lo, service, protocol, description, ?2 <> '' AND assignee = ?2"
	    " FROM record WHERE service >= ?3 AND service < ?5 AND (service = ?3 OR service >= ?4)"
	    " AND port_lo = port_hi";
	struct sibling sib[REPORT_MAX_SIBLING_ROWS];
	size_t nsib = 0;
	char stem[64] = "", assignee[256] = "", lo[80], hi[80];
	json_t *list = json_array();
	struct rows r;
	size_t i, n;

	json_object_set_new(c->rep, "siblings", list);
	if (c->lo == PORT_NONE || c->lo != c->hi)
		return 0;
	snprintf(stem, sizeof(stem), "%s", c->anchor_service);
	snprintf(assignee, sizeof(assignee), "%s", c->anchor_assignee);
	if (stem[0] == '\0')
		return 0;
	n = strcspn(stem, "-");
	stem[n > 0 ? n : strlen(stem)] = '\0';
	for (i = 0; i < sizeof(committees) / sizeof(committees[0]); i++)
		if (strcmp(assignee, committees[i]) == 0)
			assignee[0] = '\0';
	snprintf(lo, sizeof(lo), "%s-", stem);
	snprintf(hi, sizeof(hi), "%s.", stem);
	if (rows_open(c->st, &r, sql, e) == -1)
		return -1;
	sqlite3_bind_int64(r.stmt, 1, c->lo);
	sqlite3_bind_text(r.stmt, 2, assignee, -1, SQLITE_STATIC);
	if (strlen(stem) >= 3) { /* "x11-..." is a family; "ms-..." is not */
		sqlite3_bind_text(r.stmt, 3, stem, -1, SQLITE_STATIC);
		sqlite3_bind_text(r.stmt, 4, lo, -1, SQLITE_STATIC);
		sqlite3_bind_text(r.stmt, 5, hi, -1, SQLITE_STATIC);
	}
	while (rows_next(&r) == 1)
		report_sibling_add(sib, &nsib, c->lo, &r);
	if (rows_close(&r) == -1)
		return -1;
	qsort_r(sib, nsib, sizeof(sib[0]), report_sibling_cmp, &c->lo);
	for (i = 0; i < nsib && i < 12; i++)
		json_array_append_new(
		    list, json_pack("{s:I, s:s, s:s, s:s, s:s}", "port", (json_int_t)sib[i].port,
		                    "service", sib[i].service, "protocols", sib[i].protocols,
		                    "description", sib[i].description, "relation",
		                    sib[i].kin ? "same assignee" : "same name family"));
	return 0;
}

/* Other ports registered under the queried service name ("http" is on 80 and 8080? no: 80). */
static int
report_service_ports(struct report_ctx *c, struct err *e)
{
	struct rows r;
	json_t *list = json_array();

	if (c->q->service[0] == '\0') {
		json_object_set_new(c->rep, "service_ports", list);
		return 0;
	}
	if (rows_open(c->st, &r,
	              "SELECT port_lo, port_hi, group_concat(DISTINCT protocol) FROM record"
	              " WHERE service = ?1 COLLATE NOCASE AND port_lo IS NOT NULL"
	              " GROUP BY port_lo, port_hi ORDER BY port_lo",
	              e) == -1)
		return -1;
	sqlite3_bind_text(r.stmt, 1, c->q->service, -1, SQLITE_STATIC);
	while (rows_next(&r) == 1)
		json_array_append_new(list, json_pack("{s:I, s:I, s:s}", "port_lo",
		                                      (json_int_t)sqlite3_column_int64(r.stmt, 0),
		                                      "port_hi",
		                                      (json_int_t)sqlite3_column_int64(r.stmt, 1),
		                                      "protocols", col_text(&r, 2)));
	if (rows_close(&r) == -1) {
		json_decref(list);
		return -1;
	}
	json_object_set_new(c->rep, "service_ports", list);
	return 0;
}

/* Split a stored "url\nurl" list back into a JSON array. */
json_t *
report_lines(const char *s)
{
	json_t *arr = json_array();
	const char *nl;

	while (*s) {
		nl = strchr(s, '\n');
		json_array_append_new(arr, json_stringn(s, nl ? (size_t)(nl - s) : strlen(s)));
		if (nl == NULL)
			break;
		s = nl + 1;
	}
	return arr;
}

/* Integer member key of a JSON object, 0 when absent. */
static json_int_t
report_int(const json_t *o, const char *key)
{
	return json_integer_value(json_object_get(o, key));
}

const char *
report_str(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s ? s : "";
}

/* Curated entries tie-break on where they are written, so the order is total. */
static int
report_curated_place_cmp(const json_t *x, const json_t *y)
{
	int d = strcmp(report_str(x, "file"), report_str(y, "file"));
	json_int_t lx = report_int(x, "line"), ly = report_int(y, "line");

	if (d != 0)
		return d;
	return lx < ly ? -1 : lx > ly;
}

/* Order a JSON array in place; out of memory leaves it as it was. */
static void
report_sort_array(json_t *arr, int (*cmp)(const void *, const void *))
{
	size_t n = json_array_size(arr), i;
	json_t **v;

	if (n < 2 || (v = malloc(n * sizeof(*v))) == NULL)
		return;
	for (i = 0; i < n; i++)
		v[i] = json_incref(json_array_get(arr, i));
	qsort(v, n, sizeof(*v), cmp);
	json_array_clear(arr);
	for (i = 0; i < n; i++)
		json_array_append_new(arr, v[i]);
	free(v);
}

/* Uses: malware first, then the narrowest claim, then by who. */
static int
report_use_cmp(const void *a, const void *b)
{
	const json_t *x = *(json_t *const *)a, *y = *(json_t *const *)b;
	int mx = strcmp(report_str(x, "category"), "malware") == 0;
	int my = strcmp(report_str(y, "category"), "malware") == 0;
	json_int_t wx = report_int(x, "port_hi") - report_int(x, "port_lo");
	json_int_t wy = report_int(y, "port_hi") - report_int(y, "port_lo");
	int d;

	if (mx != my)
		return my - mx;
	if (wx != wy)
		return wx < wy ? -1 : 1;
	if ((d = strcmp(report_str(x, "who"), report_str(y, "who"))) != 0)
		return d;
	return report_curated_place_cmp(x, y);
}

/* History: by date, then port. */
static int
report_history_cmp(const void *a, const void *b)
{
	const json_t *x = *(json_t *const *)a, *y = *(json_t *const *)b;
	int d = strcmp(report_str(x, "date"), report_str(y, "date"));

	if (d != 0)
		return d;
	if (report_int(x, "port_lo") != report_int(y, "port_lo"))
		return report_int(x, "port_lo") < report_int(y, "port_lo") ? -1 : 1;
	return report_curated_place_cmp(x, y);
}

/*
 * The curated knowledge overlapping the ports: unofficial uses and history.
 * A port has a few entries at most, so they are ordered here (cmp) rather
 * than by an ORDER BY, whose sorter cost more to compile than the query.
 */
static int
report_curated(struct report_ctx *c, const char *key, const char *table, const char *sql,
               int (*cmp)(const void *, const void *), struct err *e)
{

	struct rows r;
	json_t *list = json_array(), *o;
	int i, n;

	if (c->lo == PORT_NONE) {
		json_object_set_new(c->rep, key, list);
		return 0;
	}
	if (rows_open(c->st, &r, sql, e) == -1)
		return -1;
	sqlite3_bind_int64(r.stmt, 1, c->lo);
	sqlite3_bind_int64(r.stmt, 2, c->hi);
	sqlite3_bind_text(r.stmt, 3, c->protocol, -1, SQLITE_STATIC);
	sqlite3_bind_int64(r.stmt, 9, store_span(c->st, table));
	n = sqlite3_column_count(r.stmt);
	while (rows_next(&r) == 1) {
		o = json_object();
		for (i = 0; i < n; i++) {
			const char *name = sqlite3_column_name(r.stmt, i);

			if (strcmp(name, "sources") == 0)
				json_object_set_new(o, name, report_lines(col_text(&r, i)));
			else
				json_object_set_new(o, name, col_json(&r, i));
		}
		report_cite(c, json_object_get(o, "source"));
		json_array_append_new(list, o);
	}
	if (rows_close(&r) == -1) {
		json_decref(list);
		return -1;
	}
	report_sort_array(list, cmp);
	json_object_set_new(c->rep, key, list);
	return 0;
}

static int
report_note(struct report_ctx *c, struct err *e)
{
	struct rows r;
	json_t *note = json_null();
	long best = -1;

	if (c->lo == PORT_NONE) {
		json_object_set_new(c->rep, "note", note);
		return 0;
	}
	/*
	 * The narrowest note that covers the whole query, chosen here: an
	 * ORDER BY ... LIMIT 1 would copy every candidate's text into a sorter.
	 */
	if (rows_open(c->st, &r,
	              "SELECT port_lo, port_hi, title, markdown, sources, file, source_id FROM note"
	              " WHERE port_lo BETWEEN ?2 - ?9 AND ?1 AND port_hi >= ?2",
	              e) == -1)
		return -1;
	sqlite3_bind_int64(r.stmt, 1, c->lo);
	sqlite3_bind_int64(r.stmt, 2, c->hi);
	sqlite3_bind_int64(r.stmt, 9, store_span(c->st, "note"));
	while (rows_next(&r) == 1) {
		long width = sqlite3_column_int64(r.stmt, 1) - sqlite3_column_int64(r.stmt, 0);

		if (best >= 0 && width >= best)
			continue;
		best = width;
		json_decref(note);
		note = json_pack("{s:o, s:o, s:s, s:s, s:o, s:s, s:o}", "port_lo", col_json(&r, 0),
		                 "port_hi", col_json(&r, 1), "title", col_text(&r, 2), "markdown",
		                 col_text(&r, 3), "sources", report_lines(col_text(&r, 4)), "file",
		                 col_text(&r, 5), "source", col_json(&r, 6));
	}
	if (rows_close(&r) == -1) {
		json_decref(note);
		return -1;
	}
	report_cite(c, json_object_get(note, "source"));
	json_object_set_new(c->rep, "note", note);
	return 0;
}

/*
 * How much a reader should worry, and why (concern.h, docs/concern.md),
 * from the facts already in the report and the exposure risks of the
 * ports; the sources its reasons rest on are cited with the rest.
 */
static int
report_concern(struct report_ctx *c, struct err *e)
{
	struct concern_facts f = {
	    .lo = c->lo,
	    .hi = c->hi,
	    .protocol = c->protocol,
	    .records = json_object_get(c->rep, "records"),
	    .uses = json_object_get(c->rep, "uses"),
	    .frequency = json_object_get(json_object_get(c->rep, "frequency"), "per_protocol"),
	};
	json_t *exposure = c->lo == PORT_NONE
	                       ? json_array()
	                       : concern_exposure(c->st, c->lo, c->hi, c->protocol, e);
	json_t *concern, *r;
	size_t i;

	if (exposure == NULL)
		return -1;
	f.exposure = exposure;
	concern = concern_assess(&f);
	json_decref(exposure);
	json_array_foreach(json_object_get(concern, "codes"), i, r)
	    report_cite(c, json_object_get(r, "source"));
	return json_object_set_new(c->rep, "concern", concern);
}

/*
 * Who listens on the port on this machine, when the caller asks (the
 * command line does for a single port; the web only on loopback).  A
 * machine that will not answer (netlink refused in a sandbox) leaves the
 * section null rather than failing the whole report; a database that
 * fails to annotate the listeners fails it.
 */
static int
report_listening(struct report_ctx *c, struct err *e)
{
	json_t *l = json_null();

	if (c->lo != PORT_NONE && c->lo == c->hi &&
	    (l = listening_port(c->st, &c->env->machine, c->lo, c->protocol, e)) == NULL)
		return -1;
	json_object_set_new(c->rep, "listening", l);
	return 0;
}

/*
 * Days from 1970-01-01 to a proleptic Gregorian date, by arithmetic on
 * 400-year eras (Hinnant's days_from_civil).  glibc's timegm() would do,
 * but it reads the local time zone file on first use, a quarter of a
 * lookup's remaining report time, for a UTC date.
 */
static long
report_days_from_civil(long y, long m, long d)
{
	long era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* Whole days between an ISO date ("2026-08-17" or "2026-08") and now; -1 if unparsable. */
static long
report_age_days(const char *date, time_t now)
{
	int y, m, d = 1;

	if (sscanf(date, "%4d-%2d-%2d", &y, &m, &d) < 2 || m < 1 || m > 12 || d < 1 || d > 31)
		return -1;
	return (long)(now / 86400) - report_days_from_civil(y, m, d);
}

static int
report_sources(struct report_ctx *c, struct err *e)
{
	struct rows r;
	json_t *list = json_array();
	char as_of[32], source[64];
	long age;

	if (rows_open(c->st, &r,
	              "SELECT id, name, kind, location, as_of, imported FROM source"
	              " ORDER BY id",
	              e) == -1)
		return -1;
	/*
	 * Every source the database merged, not only those a row here cites:
	 * "nothing in /etc/services" is an answer too, and a reader should see
	 * what was consulted and how old each source is.
	 */
	while (rows_next(&r) == 1) {
		char key[32];

		snprintf(key, sizeof(key), "%lld", (long long)sqlite3_column_int64(r.stmt, 0));
		json_array_append_new(list, json_pack("{s:o, s:s, s:s, s:s, s:s, s:s, s:b}", "id",
		                                      col_json(&r, 0), "name", col_text(&r, 1),
		                                      "kind", col_text(&r, 2), "location",
		                                      col_text(&r, 3), "as_of", col_text(&r, 4),
		                                      "imported", col_text(&r, 5), "cited",
		                                      json_object_get(c->cited, key) != NULL));
	}
	if (rows_close(&r) == -1) {
		json_decref(list);
		return -1;
	}
	json_object_set_new(c->rep, "sources", list);
	store_get_meta(c->st, "registry_as_of", as_of, sizeof(as_of));
	store_get_meta(c->st, "registry_source", source, sizeof(source));
	age = report_age_days(as_of, c->env->now);
	json_object_set_new(c->rep, "snapshot",
	                    json_pack("{s:s, s:s, s:o, s:s}", "registry_source", source,
	                              "registry_as_of", as_of, "age_days",
	                              age >= 0 ? json_integer(age) : json_null(), "refresh",
	                              "portolan update"));
	return 0;
}

int
report_service_port(struct store *st, const char *service, const char *protocol, long *port,
                    struct err *e)
{
	struct rows r;
	int found = 0;

	if (rows_open(st, &r,
	              "SELECT port_lo FROM record WHERE service = ?1 COLLATE NOCASE"
	              " AND (?2 = '' OR protocol IN (?2, ''))"
	              " ORDER BY port_lo IS NULL, port_lo LIMIT 1",
	              e) == -1)
		return -1;
	sqlite3_bind_text(r.stmt, 1, service, -1, SQLITE_STATIC);
	sqlite3_bind_text(r.stmt, 2, protocol, -1, SQLITE_STATIC);
	if (rows_next(&r) == 1) {
		found = 1;
		*port = sqlite3_column_type(r.stmt, 0) == SQLITE_NULL
		            ? PORT_NONE
		            : (long)sqlite3_column_int64(r.stmt, 0);
	}
	if (rows_close(&r) == -1)
		return -1;
	if (found)
		return 1;
	/* Not an IANA name: perhaps another database's (nmap calls 3389 ms-wbt-server). */
	if (rows_open(st, &r,
	              "SELECT port FROM alias WHERE service = ?1 COLLATE NOCASE"
	              " AND (?2 = '' OR protocol = ?2) ORDER BY frequency DESC LIMIT 1",
	              e) == -1)
		return -1;
	sqlite3_bind_text(r.stmt, 1, service, -1, SQLITE_STATIC);
	sqlite3_bind_text(r.stmt, 2, protocol, -1, SQLITE_STATIC);
	if (rows_next(&r) == 1) {
		found = 1;
		*port = (long)sqlite3_column_int64(r.stmt, 0);
	}
	return rows_close(&r) == -1 ? -1 : found;
}

/* Turn a service-name query into the ports to report on; 0 when nothing has that name. */
static int
report_resolve_name(struct report_ctx *c, int *found, struct err *e)
{
	long port = PORT_NONE;

	if ((*found = report_service_port(c->st, c->q->service, c->protocol, &port, e)) == -1)
		return -1;
	if (*found)
		c->lo = c->hi = port;
	return 0;
}

/*
 * The reader's language for one curated text: its translation from the
 * translation table (title too for a note) when there is one, and "lang"
 * saying which language the text is in.  English when env->lang is NULL.
 */
static int
report_translate_one(const char *lang, sqlite3_stmt *stmt, json_t *o, const char *kind,
                     const char *text_key, const char *bcp47, struct err *e)
{
	int rc, translated = 0;

	if (!json_is_object(o))
		return 0;
	if (stmt != NULL) {
		sqlite3_reset(stmt);
		sqlite3_bind_text(stmt, 1, report_str(o, "file"), -1, SQLITE_STATIC);
		sqlite3_bind_int64(
		    stmt, 2, strcmp(kind, "note") == 0 ? 1 : (sqlite3_int64)report_int(o, "line"));
		sqlite3_bind_text(stmt, 3, kind, -1, SQLITE_STATIC);
		sqlite3_bind_text(stmt, 4, lang, -1, SQLITE_STATIC);
		if ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
			const char *title = (const char *)sqlite3_column_text(stmt, 0);
			const char *text = (const char *)sqlite3_column_text(stmt, 1);

			json_object_set_new(o, text_key, json_string(text ? text : ""));
			if (title != NULL)
				json_object_set_new(o, "title", json_string(title));
			translated = 1;
		} else if (rc != SQLITE_DONE)
			return err_internal(e, "translation: %s",
			                    sqlite3_errmsg(sqlite3_db_handle(stmt)));
	}
	return json_object_set_new(o, "lang", json_string(translated ? bcp47 : "en"));
}

int
report_set_lang(struct store *st, json_t *rep, const char *lang, struct err *e)
{
	sqlite3_stmt *stmt = NULL;
	char bcp47[16] = "en";
	const json_t *list;
	json_t *o;
	size_t i;
	int rc = 0;

	if (lang != NULL && strcmp(lang, "en") != 0) {
		snprintf(bcp47, sizeof(bcp47), "%s", lang);
		for (i = 0; bcp47[i]; i++)
			if (bcp47[i] == '_')
				bcp47[i] = '-';
		if (sqlite3_prepare_v2(store_db(st),
		                       "SELECT title, text FROM translation WHERE file = ?1 AND"
		                       " line = ?2 AND kind = ?3 AND lang = ?4",
		                       -1, &stmt, NULL) != SQLITE_OK)
			return err_internal(e, "translation: %s", sqlite3_errmsg(store_db(st)));
	}
	list = json_object_get(rep, "uses");
	json_array_foreach(list, i, o) rc |=
	    report_translate_one(lang, stmt, o, "use", "text", bcp47, e);
	list = json_object_get(rep, "history");
	json_array_foreach(list, i, o) rc |=
	    report_translate_one(lang, stmt, o, "history", "text", bcp47, e);
	rc |= report_translate_one(lang, stmt, json_object_get(rep, "note"), "note", "markdown",
	                           bcp47, e);
	o = json_object_get(json_object_get(rep, "identity"), "headline");
	if (json_is_string(json_object_get(o, "file"))) {
		/* With no registry description the headline's is our text: translated too. */
		int same = strcmp(report_str(o, "description"), report_str(o, "text")) == 0;

		rc |= report_translate_one(lang, stmt, o, "likely", "text", bcp47, e);
		if (same)
			json_object_set(o, "description", json_object_get(o, "text"));
	}
	list = json_object_get(json_object_get(rep, "concern"), "codes");
	json_array_foreach(list, i, o)
	{
		if (json_is_string(json_object_get(o, "file")) &&
		    strcmp(report_str(o, "code"), "exposure") == 0)
			rc |= report_translate_one(lang, stmt, o, "exposure", "text", bcp47, e);
	}
	sqlite3_finalize(stmt);
	return rc ? -1 : 0;
}

static const char report_uses_sql[] =
    "SELECT port_lo, port_hi, protocols, who, category, text, sources, file, line,"
    " source_id AS source FROM use WHERE port_lo BETWEEN ?1 - ?9 AND ?2 AND port_hi >= ?1"
    " AND (?3 = '' OR instr(' ' || protocols || ' ', ' ' || ?3 || ' ') > 0)";
static const char report_history_sql[] =
    "SELECT port_lo, port_hi, protocols, kind, former, date, text, sources, file, line,"
    " source_id AS source FROM history WHERE port_lo BETWEEN ?1 - ?9 AND ?2"
    " AND port_hi >= ?1"
    " AND (?3 = '' OR instr(' ' || protocols || ' ', ' ' || ?3 || ' ') > 0)";

json_t *
report_port(struct store *st, const struct query *q, const struct report_env *env, struct err *e)
{
	struct report_ctx c = {.st = st,
	                       .q = q,
	                       .env = env,
	                       .lo = q->port_lo,
	                       .hi = q->port_hi,
	                       .protocol = q->protocol};
	int found = 1;

	c.rep = json_pack(
	    "{s:s, s:{s:s, s:o, s:o, s:o, s:o}}", "schema", REPORT_SCHEMA, "query", "text", q->text,
	    "port_lo", q->port_lo == PORT_NONE ? json_null() : json_integer(q->port_lo), "port_hi",
	    q->port_hi == PORT_NONE ? json_null() : json_integer(q->port_hi), "protocol",
	    q->protocol[0] ? json_string(q->protocol) : json_null(), "service",
	    q->service[0] ? json_string(q->service) : json_null());
	c.cited = json_object();
	if (q->service[0] && report_resolve_name(&c, &found, e) == -1)
		goto fail;
	json_object_set_new(c.rep, "port_lo", c.lo == PORT_NONE ? json_null() : json_integer(c.lo));
	json_object_set_new(c.rep, "port_hi", c.hi == PORT_NONE ? json_null() : json_integer(c.hi));
	if (!found) {
		c.lo = c.hi = PORT_NONE;
		c.q = &(struct query){.port_lo = PORT_NONE, .port_hi = PORT_NONE};
	}
	if (report_records(&c, e) == -1)
		goto fail;
	report_identity_section(&c);
	if (report_headline(&c, e) == -1)
		goto fail;
	report_range_section(&c);
	if (report_aliases(&c, e) == -1 || report_siblings(&c, e) == -1 ||
	    report_service_ports(&c, e) == -1 ||
	    report_curated(&c, "uses", "use", report_uses_sql, report_use_cmp, e) == -1 ||
	    report_curated(&c, "history", "history", report_history_sql, report_history_cmp, e) ==
	        -1 ||
	    report_note(&c, e) == -1 || report_concern(&c, e) == -1 ||
	    report_sources(&c, e) == -1 || report_set_lang(st, c.rep, env->lang, e) == -1)
		goto fail;
	if (env->with_listening && report_listening(&c, e) == -1)
		goto fail;
	if (env->claims != NULL && c.lo != PORT_NONE) { /* present only when some claim is */
		json_t *claims = env->claims(env->claims_ctx, c.lo, c.hi);

		if (json_array_size(claims) > 0)
			json_object_set(c.rep, "claims", claims);
		json_decref(claims);
	}
	/*
	 * Found means the registry or another database knows the port.  Every
	 * port 0-49151 has a registry row (if only "Unassigned"), so a port
	 * lookup there is always found; a dynamic port is found only if some
	 * database or curated file mentions it.
	 */
	found = found && (json_array_size(json_object_get(c.rep, "records")) > 0 ||
	                  json_array_size(json_object_get(c.rep, "other_names")) > 0 ||
	                  json_array_size(json_object_get(c.rep, "uses")) > 0 ||
	                  !json_is_null(json_object_get(c.rep, "note")));
	json_object_set_new(c.rep, "found", json_boolean(found));
	json_decref(c.cited);
	return c.rep;
fail:
	json_decref(c.cited);
	json_decref(c.rep);
	return NULL;
}
