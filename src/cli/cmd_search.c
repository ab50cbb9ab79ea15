/*
 * cmd_search.c - `portolan search WORDS`: the port a person means, from a
 * port number or words, over registry names, descriptions and notes, other
 * databases' names and the curated knowledge (report/search.h).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cmd.h"
#include "render/render.h"
#include "report/search.h"
#include "util/strbuf.h"

static const char cmd_search_usage[] =
    "usage: portolan search [--json] [--limit N] [--db FILE] WORDS...|PORT\n"
    "\n"
    "Find the port you mean: a port (22, 6000-6063, 22/tcp) comes first, then\n"
    "ports whose names, descriptions or notes have every word (the last word may\n"
    "be the start of one; licence and license are one word).  A name equal to the\n"
    "words ranks first, then names, descriptions, notes; one line per port.\n"
    "\n"
    "  --json       results as JSON (schema portolan.search/2)\n"
    "  --limit N    at most N hits (default 20, at most 200)\n"
    "  --lang CODE  the language to answer in (as `portolan PORT --lang`)\n"
    "  --db FILE    database to read\n"
    "  --no-color   never colour the output\n"
    "\n"
    "Exit status: 0 something matched, 1 nothing did, 2 bad input, 3 internal error.\n";

int
cmd_search(int argc, char **argv)
{
	static const struct option opts[] = {
	    CLI_OPTS_LONG,
	    {"limit", required_argument, NULL, 'n'},
	    {"lang", required_argument, NULL, 'L'},
	    {NULL, 0, NULL, 0},
	};
	struct cli_opts co = {.color = 1}; /* --no-color clears it */
	struct i18n_set *langs = NULL;
	const char *lang = NULL;
	struct strbuf words;
	struct store *st;
	struct err e = {0};
	int c, limit = 20, rc = CLI_FOUND, i;
	char *end;
	json_t *res;

	optind = 1;
	while ((c = getopt_long(argc, argv, ":jd:n:L:Ch", opts, NULL)) != -1) {
		if (c == 'n') {
			limit = (int)strtol(optarg, &end, 10);
			if (*end || limit < 1 || limit > SEARCH_MAX_LIMIT)
				return cli_usage_error(argv[0], "--limit takes 1 to %d",
				                       SEARCH_MAX_LIMIT);
		} else if (c == 'L') {
			lang = optarg;
		} else if (cli_option(c, &co, cmd_search_usage, argc, argv, &rc) < 0) {
			return rc;
		}
	}
	if (optind >= argc)
		return cli_usage_error(argv[0], "give words to search for");
	/* JSON is in English codes: the catalog is read for text, or to check --lang. */
	if ((!co.json || lang != NULL) && (rc = cli_lang(argv[0], lang, &langs, &co.t)) != 0)
		return rc;
	strbuf_init(&words, 4096);
	for (i = optind; i < argc; i++)
		if ((i > optind && strbuf_appendc(&words, ' ') == -1) ||
		    strbuf_appends(&words, argv[i]) == -1) {
			strbuf_free(&words);
			i18n_free(langs);
			return cli_usage_error(argv[0], "search text too long");
		}
	if (cli_open_store(co.db, &st, &e) == -1) {
		strbuf_free(&words);
		i18n_free(langs);
		return cli_fail(argv[0], &e);
	}
	res = search_run(st, words.buf, limit, &e);
	strbuf_free(&words);
	cli_store_done(st);
	rc = res == NULL ? cli_fail(argv[0], &e) : cli_answer(&co, res, "hits", render_text_search);
	i18n_free(langs);
	return rc;
}
