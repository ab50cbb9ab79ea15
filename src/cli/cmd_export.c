/*
 * cmd_export.c - `portolan export DIR`: the whole site as static files
 * (src/web/export.h), built into the site's binary with `serve`.
 */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "cmd.h"
#include "util/portnum.h"
#include "web/export.h"

static const char cmd_export_usage[] =
    "usage: portolan export [--lang all|CODE,...] [--ports LO-HI] [--base-url URL]\n"
    "                       [--threads N] [--db FILE] [--po DIR] [--quiet] DIR\n"
    "\n"
    "Write the whole site to DIR as static files: a page per port, the home page,\n"
    "the ranges and every service the pages link, in each language asked for,\n"
    "with the JSON reports under api/v1/ports/N.json.  The links are relative, so\n"
    "DIR works on any static host and opened from disk.  Left out, as they need a\n"
    "server: search, the vote, and this machine's listeners.\n"
    "\n"
    "DIR is replaced in one step when it is empty or an earlier export; any other\n"
    "existing DIR is refused.  Interrupted (SIGINT, SIGTERM), it leaves DIR as it\n"
    "was.\n"
    "\n"
    "  --lang LIST    all, or language codes separated by commas (default en);\n"
    "                 the first one's pages are also at DIR/index.html\n"
    "  --ports LO-HI  the ports that get a page (default 0-65535)\n"
    "  --base-url URL where the site will be published (https://ports.example.org/):\n"
    "                 pages get canonical and hreflang links, and DIR gets\n"
    "                 sitemap.xml and robots.txt\n"
    "  --threads N    pages rendered at once (default: one per CPU, 16 at most)\n"
    "  --db FILE      database to read\n"
    "  --po DIR       translation catalogs (default: the po/ beside data/)\n"
    "  --quiet        no summary line\n"
    "\n"
    "Exit status: 0 written, 2 bad input, 3 internal error.\n";

/*
 * SIGINT, SIGTERM and SIGHUP stop the export cleanly: the workers see the
 * flag between pages, the temporary tree is removed and DIR stays as it
 * was.  A signal handler can only reach a flag like this one.
 */
static volatile sig_atomic_t cmd_export_stop;

static void
cmd_export_on_signal(int sig)
{
	(void)sig;
	cmd_export_stop = 1;
}

int
cmd_export(int argc, char **argv)
{
	static const struct option opts[] = {
	    CLI_OPTS_LONG,
	    {"base-url", required_argument, NULL, 'B'},
	    {"lang", required_argument, NULL, 'L'},
	    {"ports", required_argument, NULL, 'P'},
	    {"po", required_argument, NULL, 'p'},
	    {"quiet", no_argument, NULL, 'q'},
	    {"threads", required_argument, NULL, 't'},
	    {NULL, 0, NULL, 0},
	};
	struct export_cfg cfg = {.langs = "en", .port_lo = 0, .port_hi = 65535};
	struct cli_opts co = {0};
	struct export_stats stats;
	struct sigaction sa = {0};
	struct timespec t0, t1;
	struct err e = {0};
	char db[4096], po[4200], dir[4096];
	size_t n;
	const char *po_flag = NULL;
	char *end;
	int c, quiet = 0, rc = CLI_FOUND;

	optind = 1;
	while ((c = getopt_long(argc, argv, ":jd:ChB:L:P:p:qt:", opts, NULL)) != -1) {
		if (c == 'L') {
			cfg.langs = optarg;
		} else if (c == 'B') {
			cfg.base_url = optarg;
		} else if (c == 'P') {
			if (portnum_parse_range(optarg, &cfg.port_lo, &cfg.port_hi) == -1)
				return cli_usage_error(
				    argv[0], "--ports: \"%s\" is not LO-HI within 0-65535", optarg);
		} else if (c == 'p') {
			po_flag = optarg;
		} else if (c == 't') {
			cfg.threads = strtoul(optarg, &end, 10);
			if (*end || optarg[0] < '0' || optarg[0] > '9' || cfg.threads < 1 ||
			    cfg.threads > 16)
				return cli_usage_error(argv[0], "--threads takes 1 to 16");
		} else if (c == 'q') {
			quiet = 1;
		} else if (cli_option(c, &co, cmd_export_usage, argc, argv, &rc) < 0) {
			return rc;
		}
	}
	if (optind != argc - 1)
		return cli_usage_error(argv[0],
		                       optind == argc ? "where to? give a directory"
		                                      : "unexpected argument \"%s\"",
		                       argv[argc - 1]);
	if (cli_db_read_path(co.db, db, sizeof(db), &e) == -1)
		return cli_fail(argv[0], &e);
	cli_po_dir(po_flag, po, sizeof(po));
	cfg.db = db;
	cfg.podir = po;
	/* "site/" names the same directory as "site"; the temporary tree goes beside it. */
	snprintf(dir, sizeof(dir), "%s", argv[optind]);
	for (n = strlen(dir); n > 1 && dir[n - 1] == '/'; n--)
		dir[n - 1] = '\0';
	if (dir[0] == '\0')
		return cli_usage_error(argv[0], "where to? give a directory");
	cfg.dir = dir;
	cfg.stop = &cmd_export_stop;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESTART;
	sa.sa_handler = cmd_export_on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (export_site(&cfg, &stats, &e) == -1)
		return cli_fail(argv[0], &e);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (!quiet)
		printf("%s: %zu pages in %zu language%s, %zu files, %.1f MB, in %.1f s\n", cfg.dir,
		       stats.pages, stats.languages, stats.languages == 1 ? "" : "s", stats.files,
		       (double)stats.bytes / 1e6,
		       (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
	return CLI_FOUND;
}
