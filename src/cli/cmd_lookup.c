/*
 * cmd_lookup.c - `portolan lookup QUERY` and its short form `portolan QUERY`:
 * print the port report for a port, a range or a service name.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "claims/claims.h"
#include "cli.h"
#include "cmd.h"
#include "render/render.h"
#include "render/words.h"
#include "report/report.h"

static const char cmd_lookup_usage[] =
    "usage: portolan lookup [--json] [--db FILE] QUERY...\n"
    "       portolan QUERY...\n"
    "\n"
    "Everything known about a port: the IANA registry rows for each protocol, who\n"
    "registered it and when, references, notes, the range it is in and what that\n"
    "means on this machine, how common it is, other databases' names, related ports,\n"
    "and where each fact came from.\n"
    "\n"
    "QUERY is a port (3516), a port and protocol (3516/udp), a range (6000-6063) or\n"
    "a service name (smartcard-port, http/tcp).\n"
    "\n"
    "  --json       the report as JSON (schema portolan.report/2,\n"
    "               docs/json-schema.md)\n"
    "  --lang CODE  the language to answer in: en hi id sv ko de fr es pt ja\n"
    "               zh-Hans ru (default: the locale's, LC_ALL/LC_MESSAGES/LANG,\n"
    "               else English)\n"
    "  --db FILE    database to read (default: $PORTOLAN_DB or\n"
    "               $XDG_DATA_HOME/portolan)\n"
    "  --no-color   never colour the output (also: NO_COLOR=1)\n"
    "  --no-machine leave out who listens on the port on this machine\n"
    "  --store URL  the organisation's claims (see `portolan claim --help`)\n"
    "\n"
    "Exit status: 0 found, 1 nothing known, 2 bad query, 3 internal error.\n";

/* A word given for a command that neither is one nor names anything. */
static int
cmd_lookup_unknown_command(const char *word, const char *near)
{
	fprintf(stderr,
	        "portolan: unknown command '%s'; did you mean '%s'?\n"
	        "Try 'portolan --help'.\n",
	        word, near);
	return CLI_USAGE;
}

/* near: see cmd_lookup_guess(); NULL for `portolan lookup`. */
static int
cmd_lookup_run(int argc, char **argv, const char *near)
{
	static const struct option opts[] = {
	    CLI_OPTS_LONG,
	    {"no-machine", no_argument, NULL, 'M'},
	    {"lang", required_argument, NULL, 'L'},
	    {NULL, 0, NULL, 0},
	};
	const char *lang = NULL;
	struct i18n_set *langs = NULL;
	struct cli_opts co = {.color = 1}; /* --no-color clears it */
	struct render_opts ro = {0};
	struct report_env env;
	struct store *st;
	struct cstore *cs;
	struct claim_list claimed = {0};
	struct query q;
	struct err e = {0};
	int c, rc = CLI_FOUND, i, machine = 1;
	json_t *rep, *all = NULL;

	optind = 1;
	while ((c = getopt_long(argc, argv, ":jd:CML:h", opts, NULL)) != -1) {
		if (c == 'M')
			machine = 0;
		else if (c == 'L')
			lang = optarg;
		else if (cli_option(c, &co, cmd_lookup_usage, argc, argv, &rc) < 0)
			return rc;
	}
	ro.color = co.color && !co.json && cli_color(stdout); /* JSON: no ioctl */
	if (optind >= argc)
		return cli_usage_error(argv[0], "give a port, a range or a service name");
	/* Validate every query before touching the database: bad input is exit 2 alone. */
	for (i = optind; i < argc; i++)
		if (query_parse(argv[i], &q, &e) == -1)
			return cli_fail(argv[0], &e);
	/* One catalog, the reader's: --lang, else the locale. */
	if ((rc = cli_lang(argv[0], lang, &langs, &ro.t)) != 0)
		return rc;
	rc = CLI_FOUND;
	if (query_parse(argv[optind], &q, &e) == 0 && q.service[0] == '\0')
		near = NULL; /* a port or a range is never a mistyped command */
	if (cli_open_store(co.db, &st, &e) == -1) {
		i18n_free(langs);
		return near ? cmd_lookup_unknown_command(argv[optind], near)
		            : cli_fail(argv[0], &e);
	}
	report_env_init(&env);
	env.with_listening = machine;
	/*
	 * The organisation's claims (a claims store not yet created has none).
	 * A store that cannot be reached costs the report its claims, not the
	 * answer: said on stderr.  A malformed --store is still a usage error.
	 */
	if (cli_claims_open(&co, CSTORE_READ, argc, argv, &cs, &e) == -1 ||
	    cstore_list(cs, &claimed, &e) == -1) {
		cstore_close(cs);
		cs = NULL;
		if (e.kind != ERR_INTERNAL) {
			cli_store_done(st);
			return cli_fail(argv[0], &e);
		}
		fprintf(stderr, "portolan %s: the organisation's claims are not shown: %s\n",
		        argv[0], e.msg);
		e = (struct err){0};
	}
	env.claims = claims_report_hook;
	env.claims_ctx = &claimed;
	cstore_close(cs);
	env.lang = i18n_file(ro.t);
	if (co.json && argc - optind > 1)
		all = json_array();
	for (i = optind; i < argc; i++) {
		query_parse(argv[i], &q, &e);
		if ((rep = report_port(st, &q, &env, &e)) == NULL) {
			rc = cli_fail(argv[0], &e);
			break;
		}
		if (!json_is_true(json_object_get(rep, "found")))
			rc = CLI_NOT_FOUND;
		if (words_localize(rep, ro.t) == -1) {
			json_decref(rep);
			err_internal(&e, "out of memory");
			rc = cli_fail(argv[0], &e);
			break;
		}
		if (i == optind && near && rc == CLI_NOT_FOUND) {
			json_decref(rep);
			json_decref(all);
			claims_free(&claimed);
			cli_store_done(st);
			i18n_free(langs);
			return cmd_lookup_unknown_command(argv[i], near);
		}
		if (all)
			json_array_append(all, rep);
		else if (co.json)
			render_json(stdout, rep);
		else {
			if (i > optind)
				fputc('\n', stdout);
			render_text_report(stdout, rep, &ro);
		}
		json_decref(rep);
	}
	if (all) {
		render_json(stdout, all);
		json_decref(all);
	}
	claims_free(&claimed);
	cli_store_done(st);
	i18n_free(langs);
	return rc;
}

int
cmd_lookup(int argc, char **argv)
{
	return cmd_lookup_run(argc, argv, NULL);
}

int
cmd_lookup_guess(int argc, char **argv, const char *near)
{
	return cmd_lookup_run(argc, argv, near);
}
