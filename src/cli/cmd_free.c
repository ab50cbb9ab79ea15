/*
 * cmd_free.c - `portolan free`: good ports for a new service, from the
 * registry, the other databases, the curated data and this machine (the
 * rules are in src/report/freeports.h).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "claims/claims.h"
#include "cli.h"
#include "cmd.h"
#include "render/render.h"
#include "report/freeports.h"

static const char cmd_free_usage[] =
    "usage: portolan free [--count N] [--near PORT] [--range LO-HI] [--no-machine]\n"
    "                     [--json] [--db FILE]\n"
    "\n"
    "Ports a new service can take without meeting anyone: no IANA assignment or\n"
    "reservation, no number IANA says was released or withdrawn, no unauthorized\n"
    "use reported to IANA, no name in other databases (nmap-services,\n"
    "/etc/services), no curated use, outside this machine's ephemeral range, and\n"
    "nothing bound to it here over TCP or UDP, and not claimed by the organisation\n"
    "(`portolan claim`).  A curated claim wider than 100\n"
    "ports that cites no source leaves its ports in (the answer counts them).\n"
    "Each port left out counts under its first reason.  Without --near, the\n"
    "middle of the longest quiet stretches; with it, the closest quiet ports.\n"
    "\n"
    "  --count N      how many ports to offer (default 5, at most 100)\n"
    "  --near PORT    the closest quiet ports to PORT\n"
    "  --range LO-HI  look only here (default: the registered range from the first\n"
    "                 unprivileged port, 1024-49151)\n"
    "  --no-machine   do not ask the kernel which ports are bound here\n"
    "  --json         the answer as JSON (schema portolan.free/1)\n"
    "  --lang CODE    the language to answer in (as `portolan PORT --lang`)\n"
    "  --db FILE      database to read\n"
    "  --store URL    the claims store (see `portolan claim --help`)\n"
    "  --no-color     never colour the output\n"
    "\n"
    "Exit status: 0 some port qualifies, 1 none does, 2 bad input, 3 internal error.\n";

int
cmd_free(int argc, char **argv)
{
	static const struct option opts[] = {
	    CLI_OPTS_LONG,
	    {"count", required_argument, NULL, 'n'},
	    {"near", required_argument, NULL, 'N'},
	    {"range", required_argument, NULL, 'r'},
	    {"no-machine", no_argument, NULL, 'M'},
	    {"lang", required_argument, NULL, 'L'},
	    {NULL, 0, NULL, 0},
	};
	struct cli_opts co = {.color = 1};
	struct i18n_set *langs = NULL;
	const char *lang = NULL;
	struct freeports_query q = FREEPORTS_QUERY_DEFAULT;
	struct store *st;
	struct cstore *cs;
	struct claim_list claimed = {0};
	struct err e = {0};
	int c, rc = CLI_FOUND;
	json_t *res;

	optind = 1;
	while ((c = getopt_long(argc, argv, ":jd:n:N:r:L:MCh", opts, NULL)) != -1) {
		if (c == 'n' || c == 'N' || c == 'r') {
			const char *name = c == 'n' ? "count" : c == 'N' ? "near" : "range";
			char label[16];

			snprintf(label, sizeof(label), "--%s", name);
			if (freeports_option(&q, name, optarg, label, &e) == -1)
				return cli_usage_error(argv[0], "%s", e.msg);
		} else if (c == 'M') {
			q.machine = 0;
		} else if (c == 'L') {
			lang = optarg;
		} else if (cli_option(c, &co, cmd_free_usage, argc, argv, &rc) < 0) {
			return rc;
		}
	}
	if (optind < argc)
		return cli_usage_error(argv[0], "unexpected argument \"%s\"", argv[optind]);
	/* JSON is in English codes: the catalog is read for text, or to check --lang. */
	if ((!co.json || lang != NULL) && (rc = cli_lang(argv[0], lang, &langs, &co.t)) != 0)
		return rc;
	/* Claimed ports are never offered. */
	if (cli_claims_open(&co, CSTORE_READ, argc, argv, &cs, &e) == -1 ||
	    cstore_list(cs, &claimed, &e) == -1) {
		cstore_close(cs);
		i18n_free(langs);
		return cli_fail(argv[0], &e);
	}
	cstore_close(cs);
	q.claimed = (const long(*)[2])claims_ranges(&claimed);
	q.nclaimed = q.claimed ? claimed.n : 0;
	claims_free(&claimed);
	if (cli_open_store(co.db, &st, &e) == -1) {
		free((void *)q.claimed);
		i18n_free(langs);
		return cli_fail(argv[0], &e);
	}
	res = freeports_find(st, &q, &e);
	free((void *)q.claimed);
	cli_store_done(st);
	rc = res == NULL ? cli_fail(argv[0], &e) : cli_answer(&co, res, "ports", render_text_free);
	i18n_free(langs);
	return rc;
}
