/*
 * cmd_feedback.c - `portolan feedback`: what readers answered to "Was this
 * page helpful?", per page and language, least helpful first, so the
 * pages most in need of work come at the top.
 *
 * It reads the votes file `portolan serve` writes (WAL mode, so reading
 * while the server runs is safe and sees every committed vote).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "claims/cstore.h"
#include "cli.h"
#include "cmd.h"
#include "render/render.h"
#include "web/feedback.h"

static const char cmd_feedback_usage[] =
    "usage: portolan feedback [--worst N] [--json] [--db FILE | --votes FILE |\n"
    "                          --store postgresql://...]\n"
    "\n"
    "Tallies of \"Was this page helpful?\" per page and language, least helpful\n"
    "first (score = (happy - sad) / votes).  Pages are listed by their one\n"
    "canonical address (/port/22, not /port/022).\n"
    "\n"
    "  --worst N     only the N least helpful pages\n"
    "  --json        as JSON (schema portolan.feedback/1)\n"
    "  --db FILE     the registry database; votes are read from FILE.votes\n"
    "  --votes FILE  the votes database itself\n"
    "  --store URL   the PostgreSQL several servers keep their votes in (also\n"
    "                $PORTOLAN_STORE)\n"
    "\n"
    "Exit status: 0 votes listed, 1 no votes yet, 2 bad input, 3 internal error.\n";

static void
cmd_feedback_text(FILE *out, const json_t *t, const struct render_opts *ro)
{
	const json_t *rows = json_object_get(t, "tallies"), *r;
	size_t i;

	(void)ro; /* a plain table: nothing to colour */
	fprintf(out, "%-32s %-8s %6s %6s %6s %6s %6s\n", "page", "lang", "sad", "meh", "happy",
	        "votes", "score");
	json_array_foreach(rows, i, r)
	{
		fprintf(out, "%-32s %-8s %6lld %6lld %6lld %6lld %+6.2f\n",
		        json_string_value(json_object_get(r, "page")),
		        json_string_value(json_object_get(r, "lang")),
		        (long long)json_integer_value(json_object_get(r, "sad")),
		        (long long)json_integer_value(json_object_get(r, "meh")),
		        (long long)json_integer_value(json_object_get(r, "happy")),
		        (long long)json_integer_value(json_object_get(r, "votes")),
		        json_real_value(json_object_get(r, "score")));
	}
}

int
cmd_feedback(int argc, char **argv)
{
	static const struct option opts[] = {
	    CLI_OPTS_LONG,
	    {"worst", required_argument, NULL, 'w'},
	    {"votes", required_argument, NULL, 'v'},
	    {NULL, 0, NULL, 0},
	};
	struct cli_opts co = {.color = 0};
	const char *votes = NULL;
	char db[4096], path[4200], url[CSTORE_MAX_URL];
	struct cstore *st;
	unsigned long worst = 0;
	struct err e = {0};
	int c, rc = CLI_FOUND;
	char *end;
	json_t *t;

	optind = 1;
	while ((c = getopt_long(argc, argv, ":jd:Chw:v:", opts, NULL)) != -1) {
		if (c == 'w') {
			worst = strtoul(optarg, &end, 10);
			if (*end || optarg[0] < '1' || optarg[0] > '9' || worst > 1000000)
				return cli_usage_error(argv[0], "--worst takes 1 to 1000000");
		} else if (c == 'v') {
			votes = optarg;
		} else if (cli_option(c, &co, cmd_feedback_usage, argc, argv, &rc) < 0) {
			return rc;
		}
	}
	if (optind < argc)
		return cli_usage_error(argv[0], "unexpected argument '%s'", argv[optind]);
	/* Servers on a PostgreSQL store keep their votes there (votes.h), unless --votes says. */
	if (votes == NULL && cli_store_url(&co, url, sizeof(url), &e) == 0 &&
	    cstore_is_postgresql(url)) {
		if (cli_claims_open(&co, CSTORE_READ, argc, argv, &st, &e) == -1)
			return cli_fail(argv[0], &e);
		t = feedback_tally_store(st, worst, &e);
		cstore_close(st);
		if (t == NULL)
			return cli_fail(argv[0], &e);
		return cli_answer(&co, t, "tallies", cmd_feedback_text);
	}
	if (votes == NULL) {
		if (cli_db_path(co.db, db, sizeof(db), &e) == -1)
			return cli_fail(argv[0], &e);
		snprintf(path, sizeof(path), "%s.votes", db);
		votes = path;
	}
	if ((t = feedback_tally(votes, worst, &e)) == NULL)
		return cli_fail(argv[0], &e);
	return cli_answer(&co, t, "tallies", cmd_feedback_text);
}
