/*
 * main.c - portolan's entry point: find the subcommand and hand over.
 *
 * Git-style: `portolan COMMAND [options]`.  A first argument that is not a
 * command is a query, so `portolan 3516` means `portolan lookup 3516`.
 * A word near a command's name ("serach") is still looked up first, since
 * it may be a service's name; only when the database knows no such name
 * is it reported as a mistyped command (cmd_lookup_guess()).  Nothing else
 * happens here; each command parses its own options.
 *
 * Which program runs which command (stated here only; the table below and
 * src/cli/serve_main.c follow it):
 *
 *   command                                   runs in
 *   lookup (or a bare query), search, who,    portolan
 *   listening/ls, audit, free, feedback,
 *   claim
 *   claim, lookup, free, audit, feedback      portolan-serve (libpq), by
 *   given a PostgreSQL store (--store URL     cli_claims_open()
 *   or $PORTOLAN_STORE)
 *   check-data, update --from FILE | --npm    portolan; portolan-serve in
 *                                             the dynamic build (STATIC=0)
 *   update --from URL, or with no source      portolan-serve (libcurl)
 *   serve, export                             portolan-serve (libmicrohttpd,
 *                                             md4c-html)
 *
 * portolan execs portolan-serve (PORTOLAN_LIBEXECDIR when installed, else
 * its own directory) with the command's own argv; the reasons are below
 * and in serve_main.c.  The dynamic build (the Debian package) also hands
 * over the two commands that import (PORTOLAN_LEAN_CLI): then portolan
 * does not link expat at all (loading expat and libunistring was 0.2 ms
 * of a 1.9 ms lookup, bench/lookup).  libunistring it loads with dlopen()
 * only when text that is not ASCII needs it (a catalog in another
 * language, prose folded by character: src/util/unicode.c).  The
 * static build links only what it uses, so there they cost nothing.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cmd.h"
#include "cli/cmd_machine.h"

#ifndef PORTOLAN_VERSION
#define PORTOLAN_VERSION "0.1.0"
#endif

/*
 * The commands that need a dynamically linked program run in
 * portolan-serve instead of this one (see src/cli/serve_main.c): the server and
 * the export (libmicrohttpd, md4c).  update does the same when it
 * downloads (cmd_update_static()): libcurl resolves host names on a
 * thread of its own.
 */
static int
cmd_dynamic_exec(int argc, char **argv)
{
	return cli_exec_companion("portolan-serve", argc, argv);
}

struct command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
};

static const struct command commands[] = {
    {"lookup", cmd_lookup, "everything known about a port, a range or a service name"},
    {"search", cmd_search, "ranked full-text search of names, descriptions and notes"},
    {"who", cmd_who, "who listens on a port on this machine"},
    {"listening", cmd_listening, "every listener on this machine, annotated and flagged"},
    {"ls", cmd_listening, "same as listening"},
    {"connections", cmd_connections, "every connection on this machine, by its remote port"},
    {"conns", cmd_connections, "same as connections"},
    {"audit", cmd_audit, "compare listeners with an expected set (--expect, --snapshot)"},
    {"free", cmd_free, "good ports for a new service: unclaimed, quiet, unused here"},
    {"claim", cmd_claim, "the organisation's own ports, checked for collisions"},
#ifdef PORTOLAN_LEAN_CLI
    {"update", cmd_dynamic_exec, "rebuild the database (IANA, npm snapshot, nmap, curated data)"},
    {"check-data", cmd_dynamic_exec, "validate the curated data in data/ and count it"},
#else
    {"update", cmd_update_static, "rebuild the database (IANA, npm snapshot, nmap, curated data)"},
    {"check-data", cmd_check_data, "validate the curated data in data/ and count it"},
#endif
    {"serve", cmd_dynamic_exec, "the website, the JSON API and the vote (127.0.0.1:6174)"},
    {"export", cmd_dynamic_exec, "the whole website as static files, for any static host"},
    {"feedback", cmd_feedback,
     "tallies of the site's \"Was this page helpful?\" votes, worst first"},
};

/* The command a mistyped word was probably meant to be, or NULL. */
static const char *
main_nearest_command(const char *word)
{
	const char *names[sizeof(commands) / sizeof(commands[0])];
	size_t i;

	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		names[i] = commands[i].name;
	return cli_nearest(word, names, i);
}

static void
usage(FILE *out)
{
	size_t i;

	fprintf(out, "usage: portolan PORT[/PROTO] | RANGE | SERVICE   (same as: portolan lookup)\n"
	             "       portolan COMMAND [options] [args]\n\ncommands:\n");
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(out, "  %-12s %s\n", commands[i].name, commands[i].summary);
	fprintf(out, "\n'portolan COMMAND --help' explains one; `man portolan` all of them.\n");
}

int
main(int argc, char **argv)
{
	size_t i;

	opterr = 0; /* commands report bad options themselves, naming the command */
	cli_seed_json();
	if (argc < 2) {
		usage(stderr);
		return CLI_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		usage(stdout);
		return CLI_FOUND;
	}
	if (strcmp(argv[1], "--version") == 0) {
		printf("portolan %s\n", PORTOLAN_VERSION);
		return CLI_FOUND;
	}
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(argv[1], commands[i].name) == 0)
			return commands[i].run(argc - 1, argv + 1);
	/*
	 * `portolan --json who` could be the command or a lookup of the service
	 * "who" (513/udp), so options never come first; say where they go.
	 */
	if (argv[1][0] == '-' && !(argv[1][1] >= '0' && argv[1][1] <= '9'))
		return cli_usage_error("lookup",
		                       "'%s' comes after the query (portolan 3516 %s) or after "
		                       "a command's name",
		                       argv[1], argv[1]);
	/* `portolan 3516 --json`: the whole command line is a lookup. */
	argv[0] = "lookup";
	return cmd_lookup_guess(argc, argv, main_nearest_command(argv[1]));
}
