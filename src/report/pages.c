/*
 * pages.c - the data behind the site's index, range and service pages
 * (see pages.h and docs/json-schema.md).
 *
 * Crowding (how many ports of a range are assigned) is the one costly
 * question.  A port counts once, assigned if any protocol is, and
 * registry rows are both single ports and ranges (x11 is 6000-6063), so
 * counting in SQL would mean expanding ranges into ports.  Instead one
 * indexed scan reads the rows that overlap the range and marks a byte per
 * port (64 KiB on the heap at most), and the counting is a pass over that
 * map: a few milliseconds for the whole registry, and the same code serves
 * the index's three totals and a range's blocks.
 *
 * The service page reuses the port report for its records, so a record on
 * /service/NAME is byte for byte the record on /port/N.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "concern.h"
#include "pages.h"
#include "query.h"
#include "range.h"
#include "registry/rows.h"
#include "report.h"

#define PAGES_SCHEMA_INDEX   "portolan.index/1"
#define PAGES_SCHEMA_RANGE   "portolan.range/1"
#define PAGES_SCHEMA_SERVICE "portolan.service/1"
#define PAGES_SCHEMA_BLOCK   "portolan.block/1"
#define PAGES_MAX_BLOCKS     64
#define PAGES_MAX_COMMON     100
#define PAGES_MAX_PORTS      64 /* ports listed for one service name */

/* What the map holds per port; a higher value wins. */
enum { PORT_FREE = 0, PORT_RESERVED = 1, PORT_ASSIGNED = 2 };

struct pages_count {
	long long assigned, unassigned, reserved;
};

/*
 * Each port's registry name and description into names[p - lo] (objects
 * with "service" and "description"): a row with a service name wins over
 * one without, the first named row over later ones.
 */
static void
pages_name(json_t *names, long i, const char *svc, const char *desc)
{
	json_t *o = json_array_get(names, (size_t)i);

	if (json_string_length(json_object_get(o, "description")) > 0 &&
	    (svc[0] == '\0' || json_string_length(json_object_get(o, "service")) > 0))
		return;
	json_object_set_new(o, "service", json_string(svc));
	json_object_set_new(o, "description", json_string(desc));
}

/*
 * Mark lo..hi in map (indexed from lo) from every registry row that
 * overlaps it; with names (an array of lo..hi's port objects), also each
 * port's name (pages_name()).
 */
static int
pages_map(struct store *st, long lo, long hi, unsigned char *map, json_t *names, struct err *e)
{
	static const char sql[] =
	    "SELECT port_lo, port_hi, service <> '', description LIKE 'Reserved%', service,"
	    " description FROM record WHERE port_lo BETWEEN ?1 - ?3 AND ?2 AND port_hi >= ?1";
	struct rows r;
	sqlite3_stmt *stmt; /* r's, to bind and read */
	long a, b, p;
	int v;

	if (rows_open(st, &r, sql, e) == -1)
		return -1;
	stmt = r.stmt;
	sqlite3_bind_int64(stmt, 1, lo);
	sqlite3_bind_int64(stmt, 2, hi);
	sqlite3_bind_int64(stmt, 3, store_span(st, "record"));
	while (rows_next(&r) == 1) {
		a = (long)sqlite3_column_int64(stmt, 0);
		b = (long)sqlite3_column_int64(stmt, 1);
		v = sqlite3_column_int(stmt, 2)   ? PORT_ASSIGNED
		    : sqlite3_column_int(stmt, 3) ? PORT_RESERVED
		                                  : PORT_FREE;
		for (p = a < lo ? lo : a; p <= b && p <= hi; p++) {
			if (map[p - lo] < v)
				map[p - lo] = (unsigned char)v;
			if (names != NULL)
				pages_name(names, p - lo,
				           (const char *)sqlite3_column_text(stmt, 4),
				           (const char *)sqlite3_column_text(stmt, 5));
		}
	}
	return rows_close(&r);
}

static void
pages_tally(const unsigned char *map, long from, long to, struct pages_count *c)
{
	long p;

	*c = (struct pages_count){0};
	for (p = from; p <= to; p++) {
		if (map[p] == PORT_ASSIGNED)
			c->assigned++;
		else if (map[p] == PORT_RESERVED)
			c->reserved++;
		else
			c->unassigned++;
	}
}

static json_t *
pages_count_json(const struct pages_count *c)
{
	return json_pack("{s:I, s:I, s:I}", "assigned", (json_int_t)c->assigned, "unassigned",
	                 (json_int_t)c->unassigned, "reserved", (json_int_t)c->reserved);
}

static json_t *
pages_class_json(const struct range_class *rc)
{
	return json_pack("{s:s, s:s, s:I, s:I}", "name", rc->name, "iana", rc->iana, "lo",
	                 (json_int_t)rc->lo, "hi", (json_int_t)rc->hi);
}

static json_t *
pages_snapshot(struct store *st)
{
	char as_of[32], source[64];

	store_get_meta(st, "registry_as_of", as_of, sizeof(as_of));
	store_get_meta(st, "registry_source", source, sizeof(source));
	return json_pack("{s:s, s:s}", "registry_source", source, "registry_as_of", as_of);
}

/*
 * Finish a list built row by row from r: the list when every step
 * succeeded, else NULL with the error (the partial list is freed).
 */
static json_t *
pages_list_done(struct rows *r, json_t *list)
{
	if (rows_close(r) == 0)
		return list;
	json_decref(list);
	return NULL;
}

/* nmap's most often open ports, with the registry's name where it has one. */
static json_t *
pages_common(struct store *st, int n, struct err *e)
{
	static const char sql[] =
	    "SELECT a.port, a.protocol, a.service, a.frequency,"
	    " (SELECT min(r.service) FROM record r WHERE r.port_lo = a.port AND r.port_hi = a.port"
	    "  AND r.protocol = a.protocol AND r.service <> '')"
	    " FROM alias a JOIN source s ON s.id = a.source_id"
	    " WHERE s.kind = 'nmap-services' AND a.frequency > 0"
	    " ORDER BY a.frequency DESC, a.port LIMIT ?1";
	struct rows r;
	sqlite3_stmt *stmt; /* r's, to bind and read */
	json_t *list = json_array();

	if (rows_open(st, &r, sql, e) == -1) {
		json_decref(list);
		return NULL;
	}
	stmt = r.stmt;
	sqlite3_bind_int(stmt, 1, n);
	while (rows_next(&r) == 1) {
		const unsigned char *svc = sqlite3_column_text(stmt, 4);

		double f = sqlite3_column_double(stmt, 3);
		const char *class;
		long one_in;

		class = report_frequency_class(f, &one_in);
		json_array_append_new(
		    list, json_pack("{s:I, s:s, s:s, s:s, s:f, s:s, s:I}", "port",
		                    (json_int_t)sqlite3_column_int64(stmt, 0), "protocol",
		                    (const char *)sqlite3_column_text(stmt, 1), "name",
		                    (const char *)sqlite3_column_text(stmt, 2), "service",
		                    svc ? (const char *)svc : "", "open_frequency", f, "class",
		                    class, "one_in", (json_int_t)one_in));
	}
	return pages_list_done(&r, list);
}

json_t *
pages_index(struct store *st, int most_common, struct err *e)
{
	static const char *const names[] = {"well-known", "registered", "dynamic"};
	unsigned char *map = calloc(PORT_MAX + 1, 1);
	json_t *ranges = json_array(), *common = NULL, *out = NULL, *r;
	struct pages_count cnt;
	size_t i;

	if (map == NULL) {
		err_internal(e, "pages: out of memory");
		goto done;
	}
	if (most_common < 0 || most_common > PAGES_MAX_COMMON)
		most_common = PAGES_MAX_COMMON;
	if (pages_map(st, 0, PORT_MAX, map, NULL, e) == -1 ||
	    (common = pages_common(st, most_common, e)) == NULL)
		goto done;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		const struct range_class *rc = range_by_name(names[i]);

		pages_tally(map, rc->lo, rc->hi, &cnt);
		r = pages_class_json(rc);
		json_object_update_new(
		    r, json_pack("{s:I, s:I, s:I, s:I}", "ports", (json_int_t)(rc->hi - rc->lo + 1),
		                 "assigned", (json_int_t)cnt.assigned, "unassigned",
		                 (json_int_t)cnt.unassigned, "reserved", (json_int_t)cnt.reserved));
		json_array_append_new(ranges, r);
	}
	out = json_pack("{s:s, s:o, s:O, s:O}", "schema", PAGES_SCHEMA_INDEX, "snapshot",
	                pages_snapshot(st), "ranges", ranges, "most_common", common);
done:
	free(map);
	json_decref(ranges);
	json_decref(common);
	return out;
}

/* {lo, hi, name: "LO-HI"}: a block as pages link it. */
static json_t *
pages_block_json(long lo, long hi)
{
	char name[48];

	snprintf(name, sizeof(name), "%ld-%ld", lo, hi);
	return json_pack("{s:I, s:I, s:s}", "lo", (json_int_t)lo, "hi", (json_int_t)hi, "name",
	                 name);
}

json_t *
pages_range(struct store *st, const char *name, struct err *e)
{
	const struct range_class *rc = range_by_name(name ? name : "");
	unsigned char *map = NULL;
	json_t *blocks, *out;
	struct pages_count cnt;
	long width, lo, ports;

	if (rc == NULL) {
		err_set(e, "range: \"%s\" is not one of well-known, registered, dynamic",
		        name ? name : "");
		return NULL;
	}
	ports = rc->hi - rc->lo + 1;
	/* Equal blocks, at most PAGES_MAX_BLOCKS of them: 16 ports each for 0-1023. */
	width = (ports + PAGES_MAX_BLOCKS - 1) / PAGES_MAX_BLOCKS;
	if ((map = calloc((size_t)ports, 1)) == NULL) {
		err_internal(e, "pages: out of memory");
		return NULL;
	}
	if (pages_map(st, rc->lo, rc->hi, map, NULL, e) == -1) {
		free(map);
		return NULL;
	}
	blocks = json_array();
	for (lo = 0; lo < ports; lo += width) {
		long hi = lo + width - 1 < ports - 1 ? lo + width - 1 : ports - 1;
		json_t *b;

		pages_tally(map, lo, hi, &cnt);
		b = pages_block_json(rc->lo + lo, rc->lo + hi);
		json_object_update_new(b, pages_count_json(&cnt));
		json_array_append_new(blocks, b);
	}
	pages_tally(map, 0, ports - 1, &cnt);
	free(map);
	out = json_pack("{s:s}", "schema", PAGES_SCHEMA_RANGE);
	json_object_update_new(out, pages_class_json(rc));
	json_object_set_new(out, "block_width", json_integer(width));
	json_object_set_new(out, "totals", pages_count_json(&cnt));
	json_object_set_new(out, "blocks", blocks);
	return out;
}

int
pages_block_parse(const char *name, long *lo, long *hi)
{
	char *end;

	if (name == NULL || name[0] < '0' || name[0] > '9')
		return -1;
	*lo = strtol(name, &end, 10);
	if (*end != '-' || end[1] < '0' || end[1] > '9')
		return -1;
	*hi = strtol(end + 1, &end, 10);
	if (*end != '\0' || *lo < 0 || *hi > PORT_MAX || *lo > *hi || *hi - *lo >= PAGES_BLOCK_MAX)
		return -1;
	return 0;
}

json_t *
pages_block(struct store *st, const char *name, struct err *e)
{
	static const char *const status[] = {"unassigned", "reserved", "assigned"};
	unsigned char *map;
	json_t *ports, *out = NULL, *c;
	struct pages_count cnt;
	long lo, hi, p;

	if (pages_block_parse(name, &lo, &hi) == -1) {
		err_set(e, "range: \"%s\" is no block LO-HI of at most %d ports", name ? name : "",
		        PAGES_BLOCK_MAX);
		return NULL;
	}
	if ((map = calloc((size_t)(hi - lo + 1), 1)) == NULL) {
		err_internal(e, "pages: out of memory");
		return NULL;
	}
	ports = json_array();
	for (p = lo; p <= hi; p++)
		json_array_append_new(ports, json_pack("{s:I, s:s, s:s}", "port", (json_int_t)p,
		                                       "service", "", "description", ""));
	if (pages_map(st, lo, hi, map, ports, e) == -1)
		goto done;
	for (p = lo; p <= hi; p++) {
		json_t *o = json_array_get(ports, (size_t)(p - lo));

		if ((c = concern_port(st, p, "", e)) == NULL)
			goto done;
		json_object_set_new(o, "status", json_string(status[map[p - lo]]));
		json_object_set(o, "concern", json_object_get(c, "level"));
		json_decref(c);
	}
	pages_tally(map, 0, hi - lo, &cnt);
	out = json_pack("{s:s, s:I, s:I, s:o, s:o, s:O}", "schema", PAGES_SCHEMA_BLOCK, "lo",
	                (json_int_t)lo, "hi", (json_int_t)hi, "class",
	                pages_class_json(range_classify(lo)), "totals", pages_count_json(&cnt),
	                "ports", ports);
	/* The blocks of the same width on either side, cut at 0 and PORT_MAX. */
	if (out != NULL && lo > 0)
		json_object_set_new(
		    out, "prev",
		    pages_block_json(lo - (hi - lo + 1) < 0 ? 0 : lo - (hi - lo + 1), lo - 1));
	if (out != NULL && hi < PORT_MAX)
		json_object_set_new(out, "next",
		                    pages_block_json(hi + 1, hi + (hi - lo + 1) > PORT_MAX
		                                                 ? PORT_MAX
		                                                 : hi + (hi - lo + 1)));
done:
	free(map);
	json_decref(ports);
	return out;
}

/* The distinct ports registered under name, lowest first; a portless row gives port -1. */
static int
pages_service_ports(struct store *st, const char *name, long *lo, long *hi, size_t *n, char *canon,
                    size_t canon_len, struct err *e)
{
	static const char sql[] =
	    "SELECT port_lo, port_hi, min(service) FROM record WHERE service = ?1 COLLATE NOCASE"
	    " GROUP BY port_lo, port_hi ORDER BY port_lo IS NULL, port_lo LIMIT ?2";
	struct rows r;
	sqlite3_stmt *stmt; /* r's, to bind and read */

	*n = 0;
	if (rows_open(st, &r, sql, e) == -1)
		return -1;
	stmt = r.stmt;
	sqlite3_bind_text(stmt, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_int(stmt, 2, PAGES_MAX_PORTS);
	while (rows_next(&r) == 1) {
		int none = sqlite3_column_type(stmt, 0) == SQLITE_NULL;

		if (*n == 0)
			snprintf(canon, canon_len, "%s",
			         (const char *)sqlite3_column_text(stmt, 2));
		lo[*n] = none ? PORT_NONE : (long)sqlite3_column_int64(stmt, 0);
		hi[*n] = none ? PORT_NONE : (long)sqlite3_column_int64(stmt, 1);
		(*n)++;
	}
	return rows_close(&r);
}

/* Append the sources src cites to dst, unless an entry with the same id is there. */
static void
pages_merge_sources(json_t *dst, const json_t *src)
{
	const json_t *s, *d;
	size_t i, j;

	json_array_foreach(src, i, s)
	{
		int seen = 0;

		if (!json_is_true(json_object_get(s, "cited")))
			continue; /* a port report lists every source; a service page, its own */

		json_array_foreach(dst, j, d) if (json_equal(json_object_get(d, "id"),
		                                             json_object_get(s, "id"))) seen = 1;
		if (!seen)
			json_array_append(dst, (json_t *)s);
	}
}

/*
 * One port's group: the port report's records under this name.  A name
 * with no port at all is reported by name (report.c's by_name query).
 */
static json_t *
pages_service_group(struct store *st, const char *name, long lo, long hi, json_t *sources,
                    struct err *e)
{
	struct report_env env = {.now = time(NULL)};
	struct query q = {.port_lo = lo, .port_hi = hi};
	json_t *rep, *recs = json_array(), *protos = json_array(), *r, *g;
	size_t i;

	range_machine_read(&env.machine);
	snprintf(q.text, sizeof(q.text), "%s", name);
	if (lo == PORT_NONE)
		snprintf(q.service, sizeof(q.service), "%s", name);
	if ((rep = report_port(st, &q, &env, e)) == NULL) {
		json_decref(recs);
		json_decref(protos);
		return NULL;
	}
	json_array_foreach(json_object_get(rep, "records"), i, r)
	{
		const char *svc = json_string_value(json_object_get(r, "service"));
		const char *proto = json_string_value(json_object_get(r, "protocol"));

		if (svc == NULL || strcasecmp(svc, name) != 0)
			continue;
		json_array_append(recs, r);
		if (proto && proto[0])
			json_array_append_new(protos, json_string(proto));
	}
	pages_merge_sources(sources, json_object_get(rep, "sources"));
	g = json_pack("{s:o, s:o, s:o, s:o}", "port_lo",
	              lo == PORT_NONE ? json_null() : json_integer(lo), "port_hi",
	              hi == PORT_NONE ? json_null() : json_integer(hi), "protocols", protos,
	              "records", recs);
	json_decref(rep);
	return g;
}

/* Other databases' ports under this name: {port, protocols, database, service, ...}. */
static json_t *
pages_service_aliases(struct store *st, const char *name, struct err *e)
{
	static const char sql[] =
	    "SELECT a.port, group_concat(DISTINCT a.protocol), s.name, min(a.service),"
	    " max(a.frequency), min(a.comment), a.source_id"
	    " FROM alias a JOIN source s ON s.id = a.source_id WHERE a.service = ?1 COLLATE NOCASE"
	    " GROUP BY a.port, a.source_id ORDER BY a.port, a.source_id LIMIT ?2";
	struct rows r;
	sqlite3_stmt *stmt; /* r's, to bind and read */
	json_t *list = json_array();

	if (rows_open(st, &r, sql, e) == -1) {
		json_decref(list);
		return NULL;
	}
	stmt = r.stmt;
	sqlite3_bind_text(stmt, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_int(stmt, 2, PAGES_MAX_PORTS);
	while (rows_next(&r) == 1)
		json_array_append_new(
		    list, json_pack("{s:I, s:s, s:s, s:s, s:o, s:s, s:I}", "port",
		                    (json_int_t)sqlite3_column_int64(stmt, 0), "protocols",
		                    (const char *)sqlite3_column_text(stmt, 1), "database",
		                    (const char *)sqlite3_column_text(stmt, 2), "service",
		                    (const char *)sqlite3_column_text(stmt, 3), "open_frequency",
		                    sqlite3_column_type(stmt, 4) == SQLITE_NULL
		                        ? json_null()
		                        : json_real(sqlite3_column_double(stmt, 4)),
		                    "comment", (const char *)sqlite3_column_text(stmt, 5), "source",
		                    (json_int_t)sqlite3_column_int64(stmt, 6)));
	return pages_list_done(&r, list);
}

json_t *
pages_service(struct store *st, const char *name, struct err *e)
{
	long lo[PAGES_MAX_PORTS], hi[PAGES_MAX_PORTS];
	char canon[64] = "";
	json_t *ports = NULL, *sources = NULL, *others = NULL, *g;
	size_t n, i;

	if (name == NULL || name[0] == '\0' || strlen(name) >= sizeof(canon)) {
		err_set(e, "service: give a service name of 1 to 63 characters");
		return NULL;
	}
	if (pages_service_ports(st, name, lo, hi, &n, canon, sizeof(canon), e) == -1 ||
	    (others = pages_service_aliases(st, name, e)) == NULL)
		return NULL;
	if (n == 0 && json_array_size(others) == 0) {
		json_decref(others);
		err_set(e, "service: no registry or other database knows the name \"%s\"", name);
		return NULL;
	}
	ports = json_array();
	sources = json_array();
	for (i = 0; i < n; i++) {
		/* A portless row is reported only for a name that has no port at all. */
		if (lo[i] == PORT_NONE && n > 1)
			continue;
		if ((g = pages_service_group(st, canon, lo[i], hi[i], sources, e)) == NULL) {
			json_decref(ports);
			json_decref(sources);
			json_decref(others);
			return NULL;
		}
		json_array_append_new(ports, g);
	}
	if (canon[0] == '\0')
		snprintf(canon, sizeof(canon), "%s",
		         json_string_value(json_object_get(json_array_get(others, 0), "service")));
	return json_pack("{s:s, s:s, s:s, s:o, s:o, s:o}", "schema", PAGES_SCHEMA_SERVICE, "query",
	                 name, "service", canon, "ports", ports, "other_names", others, "sources",
	                 sources);
}
