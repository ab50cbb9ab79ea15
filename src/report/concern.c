/*
 * concern.c - see concern.h; the rules themselves are in docs/concern.md.
 *
 * The assessment is one pass over each kind of fact, each pass adding
 * reasons; a reason carries the level it justifies, and the port's level is
 * the highest.  Three weights decide how much a fact counts:
 *
 *   protocol  a fact counts only for the protocols it names, and when the
 *             question names a protocol only facts about that protocol are
 *             read at all (a UDP game range says nothing of a TCP listener);
 *   source    a curated entry with "source: none" cannot raise the level:
 *             it becomes a reason at level none that says so;
 *   width     a claim on more than CONCERN_NARROW ports at once counts for
 *             at most low, on more than CONCERN_WIDE for nothing: a use that
 *             claims 16,384 ports is not evidence about each of them.
 *
 * The facts arrive as JSON in the report's shapes because the report has
 * them already; concern_ports() builds the same shapes from the store for
 * listeners, every port present at once: a statement per kind of fact for
 * the whole set (a listing of 4,000 listeners ran 16,000 before), and
 * concern_port() is the same call for one port.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "concern.h"
#include "range.h"
#include "registry/rows.h"
#include "util/strbuf.h"

#define CONCERN_NARROW 16   /* ports a claim may cover and still count in full */
#define CONCERN_WIDE   1024 /* beyond this a claim counts for nothing */
/*
 * nmap's open frequency from which a registered service counts as commonly
 * found: the "common" class of report_frequency_class(), open on at least
 * one scanned host in a hundred.
 */
#define CONCERN_COMMON 0.01

static const char *const concern_levels[] = {"none", "low", "elevated", "high"};
static const char *const concern_protocols[] = {"tcp", "udp", "sctp", "dccp"};
#define CONCERN_NPROTO   4
#define CONCERN_ANYPROTO ((1u << CONCERN_NPROTO) - 1)

const char *
concern_level_name(enum concern_level level)
{
	return level <= CONCERN_HIGH ? concern_levels[level] : "none";
}

enum concern_level
concern_level_parse(const char *name)
{
	for (int i = CONCERN_HIGH; i > CONCERN_NONE; i--)
		if (name && strcmp(name, concern_levels[i]) == 0)
			return (enum concern_level)i;
	return CONCERN_NONE;
}

static const char *
concern_str(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s ? s : "";
}

static long
concern_int(const json_t *o, const char *key)
{
	return (long)json_integer_value(json_object_get(o, key));
}

/* "tcp udp" (a use) or "tcp" (a record; "" there means every protocol) as bits. */
static unsigned
concern_proto_mask(const char *list)
{
	unsigned mask = 0;

	if (list == NULL)
		return 0;
	for (size_t i = 0; i < CONCERN_NPROTO; i++) {
		size_t n = strlen(concern_protocols[i]);

		for (const char *p = strstr(list, concern_protocols[i]); p;
		     p = strstr(p + 1, concern_protocols[i]))
			if ((p == list || p[-1] == ' ' || p[-1] == ',') &&
			    (p[n] == '\0' || p[n] == ' ' || p[n] == ','))
				mask |= 1u << i;
	}
	return mask;
}

/* "a\nb" (how the store keeps a curated entry's sources) as ["a", "b"]. */
static json_t *
concern_lines(const char *s)
{
	json_t *arr = json_array();

	while (*s) {
		const char *nl = strchr(s, '\n');

		json_array_append_new(arr, json_stringn(s, nl ? (size_t)(nl - s) : strlen(s)));
		if (nl == NULL)
			break;
		s = nl + 1;
	}
	return arr;
}

/* The ports an entry claims at once. */
static long
concern_width(const json_t *o)
{
	return concern_int(o, "port_hi") - concern_int(o, "port_lo") + 1;
}

/* A claim counts in full when narrow, for little when wide, for nothing beyond. */
static enum concern_level
concern_cap_width(enum concern_level level, long width)
{
	if (width > CONCERN_WIDE)
		return CONCERN_NONE;
	if (width > CONCERN_NARROW && level > CONCERN_LOW)
		return CONCERN_LOW;
	return level;
}

/* A curated entry's sources, unless it said "source: none". */
static int
concern_sourced(const json_t *entry)
{
	const char *first = json_string_value(json_array_get(json_object_get(entry, "sources"), 0));

	return first != NULL && strcmp(first, "none") != 0;
}

/* One assessment being built. */
struct concern_run {
	const struct concern_facts *f;
	unsigned asked; /* the protocols the question is about */
	json_t *codes;  /* the reasons as data, appended in order */
};

/* A reason's protocols as bits; one tied to no protocol concerns every one asked about. */
static unsigned
concern_list_mask(const json_t *reason, unsigned asked)
{
	const json_t *list = json_object_get(reason, "protocols"), *p;
	unsigned mask = 0;
	size_t i;

	json_array_foreach(list, i, p) mask |= concern_proto_mask(json_string_value(p));
	return json_array_size(list) ? mask : asked;
}

static json_t *
concern_protocol_list(unsigned mask)
{
	json_t *arr = json_array();

	if (mask == CONCERN_ANYPROTO) /* a fact about the port, whatever the protocol */
		return arr;
	for (size_t i = 0; i < CONCERN_NPROTO; i++)
		if (mask & (1u << i))
			json_array_append_new(arr, json_string(concern_protocols[i]));
	return arr;
}

/*
 * A reason: its code, the level it justifies, the protocols it concerns
 * (0 or every protocol: a fact about the port, listed as []), the
 * evidence's ports and its sources.  The same code about the same thing
 * (IANA's tcp and udp rows carry one note twice) becomes one reason for
 * both protocols, at the higher of the two levels; NULL then.
 */
static json_t *
concern_add(struct concern_run *r, const char *code, enum concern_level level, unsigned protos,
            const json_t *evidence, const char *who, const char *text)
{
	json_t *o, *sources;
	size_t i;

	json_array_foreach(r->codes, i, o)
	{
		if (strcmp(concern_str(o, "code"), code) == 0 &&
		    strcmp(concern_str(o, "who"), who) == 0 &&
		    strcmp(concern_str(o, "text"), text) == 0) {
			json_object_set_new(
			    o, "protocols",
			    concern_protocol_list(protos | concern_list_mask(o, r->asked)));
			if (level > concern_level_parse(concern_str(o, "level")))
				json_object_set_new(o, "level",
				                    json_string(concern_level_name(level)));
			return NULL;
		}
	}
	sources = evidence && concern_sourced(evidence)
	              ? json_deep_copy(json_object_get(evidence, "sources"))
	              : json_array();
	o = json_pack("{s:s, s:s, s:s, s:s, s:o, s:o}", "code", code, "level",
	              concern_level_name(level), "who", who, "text", text, "protocols",
	              concern_protocol_list(protos), "sources", sources);
	if (evidence) {
		json_object_set_new(o, "port_lo", json_integer(concern_int(evidence, "port_lo")));
		json_object_set_new(o, "port_hi", json_integer(concern_int(evidence, "port_hi")));
		json_object_set(o, "source", json_object_get(evidence, "source"));
	}
	json_array_append_new(r->codes, o);
	return o;
}

/* exposure.txt: the level each risk justifies, weighed by its width. */
static void
concern_exposure_reasons(struct concern_run *r)
{
	const json_t *x;
	size_t i;

	json_array_foreach(r->f->exposure, i, x)
	{
		unsigned pm = concern_proto_mask(concern_str(x, "protocols")) & r->asked;

		if (pm == 0)
			continue;
		json_t *o =
		    concern_add(r, "exposure",
		                concern_cap_width(concern_level_parse(concern_str(x, "level")),
		                                  concern_width(x)),
		                pm, x, concern_str(x, "who"), concern_str(x, "text"));

		/* Where the text was written, for its translation (report_set_lang). */
		if (o != NULL && json_is_string(json_object_get(x, "file"))) {
			json_object_set(o, "file", json_object_get(x, "file"));
			json_object_set(o, "line", json_object_get(x, "line"));
		}
	}
}

static int
concern_is_category(const json_t *use, const char *cat)
{
	return strcmp(concern_str(use, "category"), cat) == 0;
}

/*
 * Legitimate software commonly found on the malware's own ports, for one
 * of protocols (a range question holds many ports, and software on one of
 * them says nothing of malware on another): a
 * sourced, narrow curated use that is neither malware nor scanner, or a
 * registered service nmap finds open on at least one host in a hundred
 * under the same name (nmap calls 31337/udp "BackOrifice", not the name
 * IANA registered there).
 * Its name, or NULL when there is none.
 */
static int
concern_overlaps(const json_t *a, const json_t *b)
{
	return concern_int(a, "port_lo") <= concern_int(b, "port_hi") &&
	       concern_int(b, "port_lo") <= concern_int(a, "port_hi");
}

static const char *
concern_common_use(const struct concern_run *r, const json_t *malware, unsigned protos)
{
	const json_t *u, *rec, *fr;
	size_t i, j;

	json_array_foreach(r->f->uses, i, u)
	{
		if (!concern_is_category(u, "malware") && !concern_is_category(u, "scanner") &&
		    concern_sourced(u) && concern_width(u) <= CONCERN_NARROW &&
		    concern_overlaps(u, malware) &&
		    (concern_proto_mask(concern_str(u, "protocols")) & protos))
			return concern_str(u, "who");
	}
	json_array_foreach(r->f->records, i, rec)
	{
		const char *p = concern_str(rec, "protocol");

		if (concern_str(rec, "service")[0] == '\0' || p[0] == '\0' ||
		    !(concern_proto_mask(p) & protos) || !concern_overlaps(rec, malware))
			continue;
		json_array_foreach(r->f->frequency, j, fr)
		{
			if (strcmp(concern_str(fr, "protocol"), p) == 0 &&
			    strcasecmp(concern_str(fr, "nmap_name"), concern_str(rec, "service")) ==
			        0 &&
			    json_number_value(json_object_get(fr, "open_frequency")) >=
			        CONCERN_COMMON)
				return concern_str(rec, "service");
		}
	}
	return NULL;
}

/*
 * Malware and scanner entries raise the level, if they are sourced and
 * narrow; malware to high unless legitimate software commonly uses the
 * port too, when what you find is more likely that (low).  Any other
 * category is ordinary software: it never raises the level.  Returns the
 * first use by ordinary software, NULL when there is none.
 */
static const json_t *
concern_use_reasons(struct concern_run *r)
{
	const json_t *u, *used = NULL;
	size_t i;

	json_array_foreach(r->f->uses, i, u)
	{
		unsigned pm = concern_proto_mask(concern_str(u, "protocols")) & r->asked;
		int malware = concern_is_category(u, "malware");
		const char *who = concern_str(u, "who"), *common;
		json_t *o;

		if (pm == 0)
			continue;
		if (!malware && !concern_is_category(u, "scanner")) {
			used = used ? used : u;
			continue;
		}
		if (!concern_sourced(u)) {
			o = concern_add(r, "unsourced", CONCERN_NONE, pm, u, who, "");
		} else if (concern_width(u) > CONCERN_NARROW) {
			o = concern_add(r, "wide-claim",
			                concern_cap_width(malware ? CONCERN_HIGH : CONCERN_LOW,
			                                  concern_width(u)),
			                pm, u, who, "");
			if (o)
				json_object_set_new(o, "width", json_integer(concern_width(u)));
		} else if (!malware) {
			o = concern_add(r, "scanner", CONCERN_LOW, pm, u, who, "");
		} else if ((common = concern_common_use(r, u, pm)) != NULL) {
			o = concern_add(r, "malware-shared", CONCERN_LOW, pm, u, who, "");
			if (o)
				json_object_set_new(o, "shared_with", json_string(common));
		} else {
			o = concern_add(r, "malware", CONCERN_HIGH, pm, u, who, "");
		}
		if (o)
			json_object_set_new(o, "category", json_string(concern_str(u, "category")));
	}
	return used;
}

/* Whether IANA's note names the port itself ("Known Unauthorized Use on port 4490"). */
static int
concern_names_port(const char *text, long lo, long hi)
{
	for (const char *p = text; *p; p++) {
		char *end;
		long a, b;

		if (*p < '0' || *p > '9' || (p > text && p[-1] >= '0' && p[-1] <= '9'))
			continue;
		a = b = strtol(p, &end, 10);
		if (*end == '-' && end[1] >= '0' && end[1] <= '9')
			b = strtol(end + 1, &end, 10);
		if (a <= hi && lo <= b)
			return 1;
		p = end - 1;
	}
	return 0;
}

/*
 * IANA's unauthorized-use reports: someone uses the port without the
 * assignment, so what you find may not be the registered service (low).
 * A report on a wide range counts only where its note names the port.
 * Returns 1 when a service is registered on the port for the question's
 * protocols.
 */
static int
concern_record_reasons(struct concern_run *r)
{
	const json_t *rec;
	size_t i;
	int assigned = 0;

	json_array_foreach(r->f->records, i, rec)
	{
		const char *p = concern_str(rec, "protocol"), *u = concern_str(rec, "unauthorized");
		unsigned pm = (p[0] ? concern_proto_mask(p) : CONCERN_ANYPROTO) & r->asked;
		enum concern_level level = CONCERN_LOW;
		json_t *o;

		if (pm == 0)
			continue;
		assigned |= strcmp(concern_str(rec, "status"), "assigned") == 0;
		if (u[0] == '\0')
			continue;
		if (concern_width(rec) > CONCERN_NARROW &&
		    !concern_names_port(u, r->f->lo, r->f->hi))
			level = CONCERN_NONE;
		o = concern_add(r, "unauthorized", level, pm, rec, "", u);
		if (o && level == CONCERN_NONE)
			json_object_set_new(o, "width", json_integer(concern_width(rec)));
	}
	return assigned;
}

/* Higher levels first; equal levels keep the order they were found in. */
static int
concern_cmp(const void *a, const void *b)
{
	const json_t *x = *(const json_t *const *)a, *y = *(const json_t *const *)b;
	int lx = (int)concern_level_parse(concern_str(x, "level"));
	int ly = (int)concern_level_parse(concern_str(y, "level"));

	if (lx != ly)
		return ly - lx;
	return concern_int(x, "order_") < concern_int(y, "order_") ? -1 : 1;
}

/* The codes, ordered, the overall and per-protocol levels.  The renderers word them. */
static json_t *
concern_finish(struct concern_run *r)
{
	size_t n = json_array_size(r->codes), i, p;
	json_t **v = calloc(n ? n : 1, sizeof(*v)), *codes = json_array();
	json_t *by = json_object();
	enum concern_level level = CONCERN_NONE, per[CONCERN_NPROTO] = {CONCERN_NONE};

	for (i = 0; v && i < n; i++) {
		v[i] = json_array_get(r->codes, i);
		json_object_set_new(v[i], "order_", json_integer((json_int_t)i));
	}
	if (v && n > 1)
		qsort(v, n, sizeof(*v), concern_cmp);
	for (i = 0; v && i < n; i++) {
		enum concern_level l = concern_level_parse(concern_str(v[i], "level"));
		unsigned pm = concern_list_mask(v[i], r->asked);

		json_object_del(v[i], "order_");
		for (p = 0; p < CONCERN_NPROTO; p++)
			if ((pm & (1u << p)) && l > per[p])
				per[p] = l;
		if (l > level)
			level = l;
		json_array_append(codes, v[i]);
	}
	/* tcp and udp always, other protocols only when asked about. */
	for (p = 0; p < CONCERN_NPROTO; p++)
		if ((r->asked & (1u << p)) && (p < 2 || r->asked != CONCERN_ANYPROTO))
			json_object_set_new(by, concern_protocols[p],
			                    json_string(concern_level_name(per[p])));
	free(v);
	return json_pack("{s:s, s:o, s:o}", "level", concern_level_name(level), "codes", codes,
	                 "by_protocol", by);
}

json_t *
concern_assess(const struct concern_facts *f)
{
	struct concern_run r = {.f = f, .codes = json_array()};
	const struct range_class *dyn = range_by_name("dynamic");
	const json_t *used;
	json_t *out;
	int assigned;

	r.asked =
	    f->protocol && f->protocol[0] ? concern_proto_mask(f->protocol) : CONCERN_ANYPROTO;
	concern_exposure_reasons(&r);
	used = concern_use_reasons(&r);
	assigned = concern_record_reasons(&r);
	/* Reasons not to worry, so a level of none or low says why. */
	if (dyn && f->lo >= dyn->lo)
		concern_add(&r, "dynamic", CONCERN_NONE, 0, NULL, "", "");
	else if (used && !assigned)
		concern_add(&r, "unassigned-used", CONCERN_NONE,
		            concern_proto_mask(concern_str(used, "protocols")) & r.asked, used,
		            concern_str(used, "who"), "");
	out = concern_finish(&r);
	json_decref(r.codes);
	return out;
}

/* The current row of r from column first on, as an object keyed by column name. */
static json_t *
concern_row(struct rows *r, int first)
{
	json_t *o = json_object();
	int n = sqlite3_column_count(r->stmt);

	for (int i = first; i < n; i++) {
		const char *name = sqlite3_column_name(r->stmt, i);
		const char *v = (const char *)sqlite3_column_text(r->stmt, i);

		if (sqlite3_column_type(r->stmt, i) == SQLITE_INTEGER)
			json_object_set_new(o, name,
			                    json_integer(sqlite3_column_int64(r->stmt, i)));
		else if (sqlite3_column_type(r->stmt, i) == SQLITE_FLOAT)
			json_object_set_new(o, name, json_real(sqlite3_column_double(r->stmt, i)));
		else if (strcmp(name, "sources") == 0)
			json_object_set_new(o, name, concern_lines(v ? v : ""));
		else
			json_object_set_new(o, name, json_string(v ? v : ""));
	}
	return o;
}

/*
 * The facts for concern_exposure(), from the store, in the report's shapes.
 * Every step is checked: an error is never mistaken for "no more rows".
 */
static int
concern_rows(struct store *st, const char *sql, long lo, long hi, const char *protocol, json_t *out,
             struct err *e)
{
	struct rows r;

	if (rows_open(st, &r, sql, e) == -1)
		return -1;
	sqlite3_bind_int64(r.stmt, 1, lo);
	sqlite3_bind_int64(r.stmt, 2, hi);
	sqlite3_bind_text(r.stmt, 3, protocol, -1, SQLITE_STATIC);
	while (rows_next(&r) == 1)
		json_array_append_new(out, concern_row(&r, 0));
	return rows_close(&r);
}

/* The protocols filter every query shares: ?3 is the protocol or "" for any. */
#define CONCERN_PROTO_SQL " AND (?3 = '' OR instr(' ' || protocols || ' ', ' ' || ?3 || ' ') > 0)"

json_t *
concern_exposure(struct store *st, long lo, long hi, const char *protocol, struct err *e)
{
	json_t *out = json_array();

	if (concern_rows(
	        st,
	        "SELECT port_lo, port_hi, protocols, who, level, text, sources, file, line,"
	        " source_id AS source FROM exposure WHERE port_lo <= ?2 AND port_hi >= "
	        "?1" CONCERN_PROTO_SQL " ORDER BY port_lo, id",
	        lo, hi, protocol ? protocol : "", out, e) == -1) {
		json_decref(out);
		return NULL;
	}
	return out;
}

/* A registry row's status, as the report's records give it. */
#define CONCERN_STATUS_SQL                                                                         \
	"CASE WHEN service <> '' THEN 'assigned'"                                                  \
	" WHEN description LIKE 'Unassigned%' THEN 'unassigned'"                                   \
	" WHEN description LIKE 'Reserved%' THEN 'reserved' ELSE 'unnamed' END"

/* Whether protocol ("" for any) is one of the space-separated protocols, as CONCERN_PROTO_SQL. */
static int
concern_has_proto(const char *protocols, const char *protocol)
{
	size_t n = strlen(protocol);

	if (n == 0)
		return 1;
	for (const char *p = protocols; *p; p += strcspn(p, " "), p += *p == ' ')
		if (strncmp(p, protocol, n) == 0 && (p[n] == ' ' || p[n] == '\0'))
			return 1;
	return 0;
}

/*
 * Append o to the facts in *slot, made on first use: most ports have no
 * facts of most kinds, and 24,000 empty arrays for 4,000 ports cost more
 * than the facts.  steal: o's reference is the array's.
 */
static void
concern_push(json_t **slot, json_t *o, int steal)
{
	if (*slot == NULL)
		*slot = json_array();
	if (steal)
		json_array_append_new(*slot, o);
	else
		json_array_append(*slot, o);
}

/*
 * The rows of a small table (curated uses, exposure risks, the registry's
 * ranges: hundreds of rows, some claiming thousands of ports) read once,
 * in the order a query for one port gives them, each appended to the facts
 * of every want it covers and counts for: columns 0-2 are port_lo, port_hi
 * and the protocols, where "" is any protocol when empty_any (a registry
 * row naming none), none otherwise; the fact is the row from column first
 * on.  With at_lo, a row starting at the want's own port goes there
 * instead.  A range join per port would walk most of the table once per
 * port.  A big table is read the same way for the wanted ports only: they
 * are bound as ?1 (concern_port_list()), and its rows are single ports.
 */
struct concern_order {
	const struct concern_want *v;
	size_t *by; /* indices into v, by port */
	size_t n;
	char *ports; /* "[22,80]": the distinct ports, for json_each() */
};

/* qsort_r()'s comparison of two indices into the wants (arg) by port. */
static int
concern_by_port(const void *a, const void *b, void *arg)
{
	const struct concern_want *v = arg;
	long x = v[*(const size_t *)a].port, y = v[*(const size_t *)b].port;

	return x < y ? -1 : x > y;
}

/* The first position in o->by whose port is at least port. */
static size_t
concern_first(const struct concern_order *o, long port)
{
	size_t lo = 0, hi = o->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (o->v[o->by[mid]].port < port)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/*
 * o->ports: the distinct ports, as a JSON array of numbers, which json_each()
 * hands to a join as they are; -1 when out of memory.  Each port once, so
 * that a join gives each row once, for every want of its port at once.
 */
static int
concern_port_list(struct concern_order *o)
{
	struct strbuf sb;

	strbuf_init(&sb, 64u << 20);
	strbuf_appendc(&sb, '[');
	for (size_t k = 0; k < o->n; k++)
		if (k == 0 || o->v[o->by[k]].port != o->v[o->by[k - 1]].port)
			strbuf_appendf(&sb, "%s%ld", k ? "," : "", o->v[o->by[k]].port);
	if (strbuf_appendc(&sb, ']') == -1) {
		strbuf_free(&sb);
		return -1;
	}
	o->ports = sb.buf;
	return 0;
}

static int
concern_small_rows(struct store *st, const char *sql, const struct concern_order *o, int empty_any,
                   int first, json_t **facts, json_t **at_lo, struct err *e)
{
	struct rows r;

	if (rows_open(st, &r, sql, e) == -1)
		return -1;
	if (sqlite3_bind_parameter_count(r.stmt) > 0)
		sqlite3_bind_text(r.stmt, 1, o->ports, -1, SQLITE_STATIC);
	while (rows_next(&r) == 1) {
		long lo = (long)sqlite3_column_int64(r.stmt, 0),
		     hi = (long)sqlite3_column_int64(r.stmt, 1);
		const char *protocols = (const char *)sqlite3_column_text(r.stmt, 2);
		json_t *obj = NULL;

		protocols = protocols ? protocols : "";
		for (size_t k = concern_first(o, lo); k < o->n && o->v[o->by[k]].port <= hi; k++) {
			size_t i = o->by[k];
			const char *want = o->v[i].protocol ? o->v[i].protocol : "";

			if (!((empty_any && protocols[0] == '\0') ||
			      concern_has_proto(protocols, want)))
				continue;
			if (obj == NULL)
				obj = concern_row(&r, first);
			concern_push(at_lo && lo == o->v[i].port ? &at_lo[i] : &facts[i], obj, 0);
		}
		json_decref(obj);
	}
	return rows_close(&r);
}

/*
 * What an assessment depends on, as a string, when it can be shared: the
 * protocol, whether the port is dynamic, and which rows of the small
 * tables (each one object, shared by every port it covers) are its facts.
 * "" when the port has facts of its own (its registry rows, its nmap
 * frequency) or an unauthorized-use note, which is read against the port
 * number: then it is assessed alone.  Thousands of ephemeral ports share a
 * handful of such keys.
 */
static void
concern_memo_key(const struct concern_want *w, json_t *const facts[4], int own, char *buf,
                 size_t len)
{
	const struct range_class *dyn = range_by_name("dynamic");
	size_t used, i;
	json_t *x;

	buf[0] = '\0';
	if (own || json_array_size(facts[2]) > 0)
		return;
	json_array_foreach(facts[0], i, x) if (concern_str(x, "unauthorized")[0]) return;
	used = (size_t)snprintf(buf, len, "%s/%d", w->protocol ? w->protocol : "",
	                        dyn && w->port >= dyn->lo);
	for (int a = 0; a < 4; a++) {
		used += (size_t)snprintf(buf + used, used < len ? len - used : 0, "|");
		json_array_foreach(facts[a], i, x) used +=
		    (size_t)snprintf(buf + used, used < len ? len - used : 0, "%p,", (void *)x);
	}
	if (used >= len)
		buf[0] = '\0'; /* too many to name: assessed alone */
}

/* FNV-1a of a memo key. */
static uint64_t
concern_hash(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3ULL;
	return h;
}

int
concern_ports(struct store *st, struct concern_want *v, size_t n, struct err *e)
{
	/* Per want: records, uses, freq, exposure, own records, ranges at the port. */
	json_t **facts = calloc(6 * n + 1, sizeof(*facts));
	json_t **records, **uses, **freq, **exposure, **own, **ranges_at;
	json_t *none = json_array(); /* the facts of a kind a port has none of */
	struct concern_order o = {.v = v, .by = calloc(n + 1, sizeof(size_t)), .n = n};
	struct {
		char key[512];
		uint64_t hash; /* of key: most keys differ, and share their first bytes */
		json_t *assessment;
	} *memo = calloc(n + 1, sizeof(*memo));
	size_t nmemo = 0;
	int rc = -1;

	for (size_t i = 0; i < n; i++)
		v[i].assessment = NULL;
	if (facts == NULL || o.by == NULL || memo == NULL) {
		err_internal(e, "out of memory");
		goto done;
	}
	records = facts, uses = facts + n, freq = facts + 2 * n, exposure = facts + 3 * n;
	own = facts + 4 * n, ranges_at = facts + 5 * n;
	for (size_t i = 0; i < n; i++)
		o.by[i] = i;
	qsort_r(o.by, n, sizeof(*o.by), concern_by_port, v); /* the server sorts on many threads */
	if (concern_port_list(&o) == -1) {
		err_internal(e, "out of memory");
		goto done;
	}
	/*
	 * The registry's rows in the one-port query's order (port_lo, port_hi,
	 * id): ranges starting below the port, the port's own rows (by
	 * equality on record_port), then ranges starting at it.  The ranges,
	 * a few hundred rows, are read once; a BETWEEN as wide as the widest
	 * of them walked every row in the window once per port.
	 */
	if (concern_small_rows(st,
	                       "SELECT port_lo, port_hi, protocol, service, " CONCERN_STATUS_SQL
	                       " AS status, unauthorized, source_id AS source FROM record"
	                       " WHERE port_lo < port_hi ORDER BY port_lo, port_hi, id",
	                       &o, 1, 0, records, ranges_at, e) == -1 ||
	    concern_small_rows(
	        st,
	        "SELECT r.port_lo, r.port_hi, r.protocol, r.service, " CONCERN_STATUS_SQL
	        " AS status, r.unauthorized, r.source_id AS source"
	        " FROM json_each(?1) AS w JOIN record AS r"
	        " ON r.port_lo = w.value AND r.port_hi = w.value"
	        " ORDER BY r.port_lo, r.id",
	        &o, 1, 0, own, NULL, e) == -1 ||
	    concern_small_rows(st,
	                       "SELECT port_lo, port_hi, protocols, who, category, sources,"
	                       " source_id AS source FROM use ORDER BY port_lo, port_hi, id",
	                       &o, 0, 0, uses, NULL, e) == -1 ||
	    concern_small_rows(st,
	                       "SELECT a.port, a.port, a.protocol, a.service AS nmap_name,"
	                       " max(a.frequency) AS open_frequency"
	                       " FROM json_each(?1) AS w JOIN alias AS a ON a.port = w.value"
	                       " WHERE a.frequency IS NOT NULL"
	                       " GROUP BY a.port, a.protocol ORDER BY a.port, a.protocol",
	                       &o, 0, 2, freq, NULL, e) == -1 ||
	    concern_small_rows(st,
	                       "SELECT port_lo, port_hi, protocols, who, level, text, sources,"
	                       " source_id AS source FROM exposure ORDER BY port_lo, id",
	                       &o, 0, 0, exposure, NULL, e) == -1)
		goto done;
	for (size_t i = 0; i < n; i++) {
		json_t *mine[4], *x;
		char key[512];
		uint64_t h;
		size_t k, j;

		/* The registry's rows in order: ranges below the port, its own, ranges at it. */
		json_array_foreach(own[i], j, x) concern_push(&records[i], x, 0);
		json_array_foreach(ranges_at[i], j, x) concern_push(&records[i], x, 0);
		for (int a = 0; a < 4; a++)
			mine[a] = facts[a * n + i] ? facts[a * n + i] : none;
		concern_memo_key(&v[i], mine, json_array_size(own[i]) > 0, key, sizeof(key));
		h = concern_hash(key);
		for (k = 0;
		     key[0] && k < nmemo && (memo[k].hash != h || strcmp(memo[k].key, key) != 0);
		     k++)
			;
		if (key[0] && k < nmemo) {
			v[i].assessment = json_incref(memo[k].assessment);
			continue;
		}
		struct concern_facts f = {.lo = v[i].port,
		                          .hi = v[i].port,
		                          .protocol = v[i].protocol ? v[i].protocol : "",
		                          .records = mine[0],
		                          .uses = mine[1],
		                          .frequency = mine[2],
		                          .exposure = mine[3]};

		v[i].assessment = concern_assess(&f);
		if (key[0] && v[i].assessment) {
			memcpy(memo[nmemo].key, key, sizeof(key));
			memo[nmemo].hash = h;
			memo[nmemo++].assessment = v[i].assessment;
		}
	}
	rc = 0;
done:
	for (size_t i = 0; facts && i < 6 * n; i++)
		json_decref(facts[i]);
	json_decref(none);
	free(facts);
	free(o.ports);
	free(o.by);
	free(memo);
	return rc;
}

json_t *
concern_port(struct store *st, long port, const char *protocol, struct err *e)
{
	struct concern_want w = {.port = port, .protocol = protocol};

	return concern_ports(st, &w, 1, e) == -1 ? NULL : w.assessment;
}
