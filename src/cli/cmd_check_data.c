/*
 * cmd_check_data.c - `portolan check-data`: validate the curated data in
 * data/ (syntax, port bounds, categories, sources, duplicates), and print
 * its counts for the README, so no count there is ever typed by hand.
 */
#include <getopt.h>
#include <stdio.h>

#include "cli.h"
#include "cmd.h"
#include "registry/import_curated.h"
#include "render/render.h"

static const char cmd_check_data_usage[] =
    "usage: portolan check-data [--data DIR] [--counts] [--json]\n"
    "\n"
    "Validate every curated file (data/unofficial/*.txt, data/history.txt,\n"
    "data/exposure.txt, data/aliases.txt, data/notes/*.md, data/likely.txt):\n"
    "syntax, port bounds, ranges ordered, categories known, no duplicate\n"
    "entries, one likely answer per port and protocol, a source URL or the\n"
    "explicit 'source: none' on each (exposure risks need a URL).\n"
    "The first problem is reported as FILE:LINE: what is wrong.\n"
    "\n"
    "  --data DIR   the data directory (default: $PORTOLAN_DATA or the built-in\n"
    "               data/)\n"
    "  --counts     print entries per category, history claims, notes, likely\n"
    "               answers and aliases, and what is translated into each\n"
    "               language (Markdown)\n"
    "  --json       the counts as JSON (schema portolan.data-counts/1)\n"
    "\n"
    "Exit status: 0 valid, 2 a file is invalid, 3 internal error.\n";

static void
cmd_check_data_markdown(const struct curated_counts *c)
{
	const char *name;
	size_t i;

	printf("| unofficial uses by category | entries |\n|---|---:|\n");
	for (i = 0; (name = import_curated_category(i)) != NULL; i++)
		printf("| %s | %zu |\n", name, c->uses[i]);
	printf("| **all categories** | **%zu** |\n\n", c->uses_total);
	printf("History claims: %zu. Exposure risks: %zu. Editorial notes: %zu. Likely answers: "
	       "%zu. Aliases: %zu. Files: %zu.\n",
	       c->history, c->exposure, c->notes, c->likely, c->aliases, c->files);
	/* What a reader of each language gets in their language; the rest shows in English. */
	printf("\n| translated into | notes | unofficial uses | history claims | likely answers "
	       "| exposure risks |\n"
	       "|---|---:|---:|---:|---:|---:|\n");
	for (i = 0; (name = import_curated_lang(i)) != NULL; i++)
		printf("| %s | %zu of %zu | %zu of %zu | %zu of %zu | %zu of %zu | %zu of %zu |\n",
		       name, c->notes_tr[i], c->notes, c->uses_tr[i], c->uses_total,
		       c->history_tr[i], c->history, c->likely_tr[i], c->likely, c->exposure_tr[i],
		       c->exposure);
}

static void
cmd_check_data_json(const struct curated_counts *c)
{
	json_t *uses = json_object(), *tr = json_object(), *o;
	const char *name;
	size_t i;

	for (i = 0; (name = import_curated_category(i)) != NULL; i++)
		json_object_set_new(uses, name, json_integer((json_int_t)c->uses[i]));
	for (i = 0; (name = import_curated_lang(i)) != NULL; i++)
		json_object_set_new(
		    tr, name,
		    json_pack("{s:I, s:I, s:I, s:I, s:I}", "notes", (json_int_t)c->notes_tr[i],
		              "uses", (json_int_t)c->uses_tr[i], "history",
		              (json_int_t)c->history_tr[i], "likely", (json_int_t)c->likely_tr[i],
		              "exposure", (json_int_t)c->exposure_tr[i]));
	o = json_pack("{s:s, s:o, s:I, s:I, s:I, s:I, s:I, s:I}", "schema",
	              "portolan.data-counts/1", "uses", uses, "uses_total",
	              (json_int_t)c->uses_total, "history", (json_int_t)c->history, "exposure",
	              (json_int_t)c->exposure, "notes", (json_int_t)c->notes, "likely",
	              (json_int_t)c->likely, "aliases", (json_int_t)c->aliases, "files",
	              (json_int_t)c->files);
	json_object_set_new(o, "translations", tr);
	render_json(stdout, o);
	json_decref(o);
}

int
cmd_check_data(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"data", required_argument, NULL, 'D'},
	    {"counts", no_argument, NULL, 'c'},
	    {"json", no_argument, NULL, 'j'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	const struct reg_sink validate_only = {0};
	struct curated_counts counts;
	const char *dir = NULL;
	struct err e = {0};
	struct cli_opts co = {0};
	int c, want_counts = 0, rc;

	optind = 1;
	while ((c = getopt_long(argc, argv, ":D:cjh", opts, NULL)) != -1) {
		switch (c) {
		case 'D':
			dir = optarg;
			break;
		case 'c':
			want_counts = 1;
			break;
		default:
			if (cli_option(c, &co, cmd_check_data_usage, argc, argv, &rc) < 0)
				return rc;
		}
	}
	if (optind < argc)
		return cli_usage_error(argv[0], "unexpected argument '%s'", argv[optind]);
	dir = cli_data_dir(dir);
	if (import_curated_dir(dir, &validate_only, &e) == -1)
		return cli_fail(argv[0], &e);
	if (import_curated_counts(dir, &counts, &e) == -1)
		return cli_fail(argv[0], &e);
	if (co.json)
		cmd_check_data_json(&counts);
	else if (want_counts)
		cmd_check_data_markdown(&counts);
	else
		printf("%s: valid: %zu unofficial uses, %zu history claims, %zu notes, %zu likely "
		       "answers, %zu aliases\n",
		       dir, counts.uses_total, counts.history, counts.notes, counts.likely,
		       counts.aliases);
	return CLI_FOUND;
}
