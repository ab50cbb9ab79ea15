/*
 * headline.c - the report's headline: what you will most likely find on a
 * port, from data/likely.txt, with IANA's registration beside it (see
 * headline.h for which stanza answers a query).
 *
 * The likely table holds a few dozen rows, one per stanza and range, so a
 * query reads every row that contains the ports and keeps the best in C;
 * the registry half comes from the records the report already holds, so
 * the headline can never name a registration the report does not show.
 */
#include <string.h>
#include <strings.h>

#include "headline.h"
#include "registry/rows.h"
#include "report.h"

/* The order a bare port number's protocols are tried in. */
static const char *const headline_protocols[] = {"tcp", "udp", "sctp", "dccp"};

#define HEADLINE_NPROTO (sizeof(headline_protocols) / sizeof(headline_protocols[0]))

/* Whether word is one of the space-separated words in list ("tcp udp"). */
static int
headline_has(const char *list, const char *word)
{
	size_t n = strlen(word);

	for (const char *s = list; (s = strstr(s, word)) != NULL; s += n)
		if ((s == list || s[-1] == ' ') && (s[n] == '\0' || s[n] == ' '))
			return 1;
	return 0;
}

/* Index of the earliest protocol of list that the query allows (want, "" any); -1 for none. */
static int
headline_protocol(const char *list, const char *want)
{
	for (size_t i = 0; i < HEADLINE_NPROTO; i++)
		if ((want[0] == '\0' || strcmp(want, headline_protocols[i]) == 0) &&
		    headline_has(list, headline_protocols[i]))
			return (int)i;
	return -1;
}

/* How well a record answers: the service named, then any assigned one, then the rest. */
static int
headline_iana_rank(const json_t *rec, const char *service)
{
	if (service[0] != '\0' && strcasecmp(report_str(rec, "service"), service) == 0)
		return 2;
	return strcmp(report_str(rec, "status"), "assigned") == 0;
}

/*
 * IANA's registration for the ports and protocol: of the records that
 * cover them all, for that protocol or for none, the one named service
 * (when given), else the first assigned one, else the first Unassigned or
 * Reserved row.  A range that no one row covers (6881-6889: a row per
 * port or stretch) is "various" when some of its rows assign a service and
 * "unassigned" when none does; no row at all is "unlisted".
 */
static json_t *
headline_iana(const json_t *rep, const char *protocol, const char *service)
{
	json_int_t lo = json_integer_value(json_object_get(rep, "port_lo"));
	json_int_t hi = json_integer_value(json_object_get(rep, "port_hi"));
	const json_t *rec, *best = NULL;
	const char *status = "unlisted";
	size_t i;

	json_array_foreach(json_object_get(rep, "records"), i, rec)
	{
		const char *p = report_str(rec, "protocol");

		if (p[0] != '\0' && strcmp(p, protocol) != 0)
			continue;
		if (strcmp(status, "various") != 0)
			status = strcmp(report_str(rec, "status"), "assigned") == 0 ? "various"
			                                                            : "unassigned";
		if (json_integer_value(json_object_get(rec, "port_lo")) > lo ||
		    json_integer_value(json_object_get(rec, "port_hi")) < hi)
			continue;
		if (best == NULL ||
		    headline_iana_rank(rec, service) > headline_iana_rank(best, service))
			best = rec;
	}
	return json_pack("{s:s, s:s, s:s, s:s}", "service", report_str(best, "service"),
	                 "description", report_str(best, "description"), "protocol", protocol,
	                 "status", best ? report_str(best, "status") : status);
}

/*
 * The headline from one likely row (columns as in headline_build()'s
 * query) for the chosen protocol.  An official answer names IANA's service
 * (the one its stanza names, if any), so it stands only where IANA
 * registers one for that protocol.
 */
static json_t *
headline_from_row(sqlite3_stmt *stmt, const json_t *rep, const char *protocol)
{
	const char *answer = (const char *)sqlite3_column_text(stmt, 3);
	const char *name = (const char *)sqlite3_column_text(stmt, 4);
	const char *text = (const char *)sqlite3_column_text(stmt, 5);
	int official = strcmp(answer, "official") == 0;
	json_t *iana = headline_iana(rep, protocol, official ? name : "");

	if (official && strcmp(report_str(iana, "status"), "assigned") != 0) {
		json_decref(iana);
		return json_null();
	}
	return json_pack(
	    "{s:s, s:b, s:s, s:s, s:s, s:I, s:I, s:s, s:s, s:o, s:s, s:I, s:I, s:o}", "answer",
	    answer, "official", official, "name", official ? report_str(iana, "service") : name,
	    "description",
	    official && report_str(iana, "description")[0] ? report_str(iana, "description") : text,
	    "protocol", protocol, "port_lo", (json_int_t)sqlite3_column_int64(stmt, 0), "port_hi",
	    (json_int_t)sqlite3_column_int64(stmt, 1), "protocols",
	    (const char *)sqlite3_column_text(stmt, 2), "text", text, "sources",
	    report_lines((const char *)sqlite3_column_text(stmt, 6)), "file",
	    (const char *)sqlite3_column_text(stmt, 7), "line",
	    (json_int_t)sqlite3_column_int64(stmt, 8), "source",
	    (json_int_t)sqlite3_column_int64(stmt, 9), "iana", iana);
}

json_t *
headline_build(struct store *st, const json_t *rep, const char *protocol, struct err *e)
{
	static const char sql[] =
	    "SELECT port_lo, port_hi, protocols, answer, name, text, sources, file, line,"
	    " source_id FROM likely WHERE port_lo <= ?1 AND port_hi >= ?2";
	const json_t *lo = json_object_get(rep, "port_lo"), *hi = json_object_get(rep, "port_hi");
	json_t *best = json_null();
	struct rows r;
	int rank = (int)HEADLINE_NPROTO;

	if (!json_is_integer(lo) || !json_is_integer(hi))
		return best;
	if (rows_open(st, &r, sql, e) == -1)
		goto fail;
	sqlite3_bind_int64(r.stmt, 1, json_integer_value(lo));
	sqlite3_bind_int64(r.stmt, 2, json_integer_value(hi));
	while (rows_next(&r) == 1) {
		int n = headline_protocol((const char *)sqlite3_column_text(r.stmt, 2), protocol);
		json_t *h;

		if (n < 0 || n >= rank)
			continue;
		if ((h = headline_from_row(r.stmt, rep, headline_protocols[n])) == NULL) {
			err_internal(e, "out of memory");
			goto fail;
		}
		rank = n;
		json_decref(best);
		best = h;
	}
	if (rows_close(&r) == -1)
		goto fail;
	return best;
fail:
	rows_close(&r);
	json_decref(best);
	return NULL;
}
