/*
 * report.h - the port report: everything portolan knows about one port, a
 * range or a service name, assembled from the store.
 *
 * The report is the single product every renderer draws from: `portolan
 * PORT --json` prints it as is, the terminal renderer lays it out for a
 * reader, and the web pages render the same object.  No renderer computes
 * a fact of its own, so the three can never disagree.  It is a jansson
 * json_t tree whose shape is the stable, documented schema in
 * docs/json-schema.md ("portolan.report/2"); building it as JSON from the
 * start avoids a parallel C struct hierarchy that would need its own
 * serialiser.
 *
 * Ownership: report_port() returns a new reference the
 * caller releases with json_decref().  They return NULL only on internal
 * failure (e filled); "nothing known" is a report with "found": false.
 */
#ifndef PORTOLAN_REPORT_H
#define PORTOLAN_REPORT_H

#include <stddef.h>
#include <time.h>

#include <jansson.h>

#include "range.h"
#include "query.h"
#include "registry/store.h"

#define REPORT_SCHEMA      "portolan.report/2"
#define REPORT_MAX_RECORDS 500 /* a range query wider than this is truncated, and says so */

struct report_env {
	struct range_machine machine;
	time_t now;
	int with_listening; /* add "listening": who listens on a single port here, now */
	/*
	 * Optional: the organisation's own claims on lo..hi, as a new JSON
	 * array, for the report's "claims", present when the array is not
	 * empty (src/claims/ supplies it; NULL: no such section).
	 * report_env_init() clears it.
	 */
	json_t *(*claims)(void *ctx, long lo, long hi);
	void *claims_ctx;
	/*
	 * The reader's language as data/ and po/ name it ("ko", "zh_Hans"), or
	 * NULL for English: curated texts translated into it replace the
	 * English, and every curated text says its "lang" (BCP 47: "zh-Hans").
	 */
	const char *lang;
};

/* Read this machine's facts and the clock once per process. */
void report_env_init(struct report_env *env);

json_t *report_port(struct store *st, const struct query *q, const struct report_env *env,
                    struct err *e);

/*
 * Put a report's curated texts (uses, history, note) into lang (as
 * report_env.lang; NULL: English) where data/ translates them, setting
 * each one's "lang".  rep must hold the English texts, as report_port()
 * with no lang gives them: a copy per language serves many (the export).
 */
int report_set_lang(struct store *st, json_t *rep, const char *lang, struct err *e);

/*
 * The port a service name stands for, as the port report resolves a name
 * (case-insensitively): the registry's lowest port for the name over
 * protocol ("" for any; a row naming no protocol serves every one), else
 * the port other databases give the name most often.  *port is PORT_NONE
 * for a name the registry lists with no port.  1 found, 0 not, -1 error.
 */
int report_service_port(struct store *st, const char *service, const char *protocol, long *port,
                        struct err *e);

/*
 * How common an nmap open frequency is: the class ("very-common", "common",
 * "uncommon", "rare", "very-rare", "almost-never", or "never" for 0) as a
 * static string, and in *one_in the "1 in N" rounded to two significant
 * figures (1 for "nearly every host", 0 when never seen).
 */
const char *report_frequency_class(double frequency, long *one_in);

/* A stored "url\nurl" list (curated sources) as a new JSON array of strings. */
json_t *report_lines(const char *s);
/* String member key of a JSON object (borrowed), "" when absent or not a string. */
const char *report_str(const json_t *o, const char *key);

#endif
