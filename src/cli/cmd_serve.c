/*
 * cmd_serve.c - `portolan serve`: the website, the JSON API and the vote,
 * from the same database and report as the command line.
 *
 * The default port, 6174, is one portolan itself calls unassigned and quiet:
 * an Unassigned row in IANA's registry, absent from nmap-services, no
 * curated use, and below the kernel's ephemeral range (32768-60999), so
 * the server neither squats on a registered service nor races outgoing
 * connections for its port (tests/e2e/test_web.py checks it stays so).
 *
 * Signals: SIGTERM and SIGINT are blocked before any thread starts, so
 * every thread inherits the mask and the main thread takes them with
 * sigwait() in server_wait(): a clean shutdown with no handler and no
 * global flag.
 */
#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "cmd.h"
#include "web/server.h"

#define CMD_SERVE_PORT 6174

static const char cmd_serve_usage[] =
    "usage: portolan serve [--listen ADDR:PORT] [--public] [--db FILE] "
    "[--votes FILE]\n"
    "                      [--show-machine | --hide-machine] [--trust-proxy]\n"
    "                      [--threads N]\n"
    "                      [--user NAME] [--vote-rate N] [--max-connections N]\n"
    "                      [--max-per-address N]\n"
    "                      [--po DIR]\n"
    "\n"
    "Serve the site: a page per port, search, the ranges, services, the JSON "
    "API\n"
    "(/api/v1/ports/N, /api/v1/search?q=, /api/v1/free?near=N), /healthz, /metrics,\n"
    "and the vote.\n"
    "\n"
    "  --listen ADDR:PORT  where to listen (default 127.0.0.1:6174; port 0 "
    "picks one)\n"
    "  --public            allow a non-loopback address\n"
    "  --db FILE           the database to serve (read-only)\n"
    "  --votes FILE        where votes are kept (default: the database's path\n"
    "                      + .votes)\n"
    "  --show-machine      show who listens on this machine to everyone (default:\n"
    "                      to clients on this machine, and not through a proxy)\n"
    "  --hide-machine      never show it\n"
    "  --trust-proxy       a proxy on this machine forwards requests: show it when\n"
    "                      the client it names (Forwarded, X-Forwarded-For) is local\n"
    "  --threads N         worker threads (default: the number of CPUs)\n"
    "  --user NAME         started as root: become NAME after binding (default\n"
    "                      nobody)\n"
    "  --vote-rate N       votes a minute per client address (default 30; 0: no\n"
    "                      limit)\n"
    "  --max-connections N connection cap (default 4096)\n"
    "  --max-per-address N connections from one address, IPv6 by /64 (default\n"
    "                      an eighth of --max-connections)\n"
    "  --po DIR            translation catalogs (default: the po/ beside "
    "data/)\n"
    "\n"
    "Stops gracefully on SIGTERM or SIGINT (exit 0).\n"
    "Exit status: 0 stopped cleanly, 2 bad input, 3 internal error.\n";

static void
cmd_serve_log(void *arg, const char *msg)
{
	(void)arg;
	fprintf(stderr, "portolan serve: %s\n", msg);
}

/* A count option: min..max, digits only; -1 after saying what is allowed. */
static int
cmd_serve_count(const char *cmd, const char *opt, const char *s, unsigned min, unsigned max,
                unsigned *out)
{
	char *end;
	unsigned long v = strtoul(s, &end, 10);

	if (*end || s[0] < '0' || s[0] > '9' || v < min || v > max) {
		cli_usage_error(cmd, "%s takes %u to %u", opt, min, max);
		return -1;
	}
	*out = (unsigned)v;
	return 0;
}

struct cmd_serve_opts {
	const char *listen, *votes, *po;
	unsigned threads, rate, conns, per_address;
};

static int
cmd_serve_parse(int argc, char **argv, struct cmd_serve_opts *o, struct server_config *cfg,
                struct cli_opts *co, int *rc)
{
	static const struct option opts[] = {
	    CLI_OPTS_LONG,
	    {"listen", required_argument, NULL, 'l'},
	    {"public", no_argument, NULL, 'P'},
	    {"votes", required_argument, NULL, 'v'},
	    {"show-machine", no_argument, NULL, 'm'},
	    {"hide-machine", no_argument, NULL, 'M'},
	    {"trust-proxy", no_argument, NULL, 'T'},
	    {"threads", required_argument, NULL, 't'},
	    {"user", required_argument, NULL, 'u'},
	    {"vote-rate", required_argument, NULL, 'r'},
	    {"max-connections", required_argument, NULL, 'c'},
	    {"max-per-address", required_argument, NULL, 'a'},
	    {"po", required_argument, NULL, 'p'},
	    {NULL, 0, NULL, 0},
	};
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, ":jd:Chl:Pv:mMTt:u:r:c:a:p:", opts, NULL)) != -1) {
		switch (c) {
		case 'l':
			o->listen = optarg;
			break;
		case 'P':
			cfg->public = 1;
			break;
		case 'v':
			o->votes = optarg;
			break;
		case 'm':
			cfg->show_machine = 1;
			break;
		case 'M':
			cfg->show_machine = 0;
			break;
		case 'T':
			cfg->trust_proxy = 1;
			break;
		case 'u':
			cfg->user = optarg;
			break;
		case 'p':
			o->po = optarg;
			break;
		case 't':
			if (cmd_serve_count(argv[0], "--threads", optarg, 1, SERVER_MAX_THREADS,
			                    &o->threads) == -1)
				goto usage;
			break;
		case 'r':
			if (cmd_serve_count(argv[0], "--vote-rate", optarg, 0, 100000, &o->rate) ==
			    -1)
				goto usage;
			break;
		case 'c':
			if (cmd_serve_count(argv[0], "--max-connections", optarg, 1, 65536,
			                    &o->conns) == -1)
				goto usage;
			break;
		case 'a':
			if (cmd_serve_count(argv[0], "--max-per-address", optarg, 1, 65536,
			                    &o->per_address) == -1)
				goto usage;
			break;
		default:
			if (cli_option(c, co, cmd_serve_usage, argc, argv, rc) < 0)
				return -1;
		}
	}
	if (optind < argc) {
		cli_usage_error(argv[0], "unexpected argument '%s'", argv[optind]);
		goto usage;
	}
	return 0;
usage:
	*rc = CLI_USAGE;
	return -1;
}

int
cmd_serve(int argc, char **argv)
{
	struct cmd_serve_opts o = {.rate = SERVER_DEFAULT_RATE, .conns = 4096};
	struct server_config cfg = {.show_machine = -1, .log = cmd_serve_log};
	struct cli_opts co = {0};
	struct server *srv;
	struct err e = {0};
	char db[4096], votes[4200], po[4200], url[128];
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	sigset_t set;
	struct store *st;
	int rc = CLI_FOUND;

	o.threads = ncpu < 1 ? 1 : ncpu > SERVER_MAX_THREADS ? SERVER_MAX_THREADS : (unsigned)ncpu;
	if (cmd_serve_parse(argc, argv, &o, &cfg, &co, &rc) == -1)
		return rc;
	if (server_parse_listen(o.listen ? o.listen : SERVER_DEFAULT_ADDR, CMD_SERVE_PORT,
	                        &cfg.listen, &e) == -1 ||
	    cli_db_path(co.db, db, sizeof(db), &e) == -1)
		return cli_fail(argv[0], &e);
	/* Missing, unreadable or damaged: said now, in store_open()'s words, not per request. */
	if (store_open(db, &st, &e) == -1)
		return cli_fail(argv[0], &e);
	store_close(st);
	snprintf(votes, sizeof(votes), "%s.votes", db);
	cli_po_dir(o.po, po, sizeof(po));
	cfg.db = db;
	cfg.votes = o.votes ? o.votes : votes;
	cfg.podir = po;
	cfg.threads = o.threads;
	cfg.vote_rate = o.rate;
	cfg.connections = o.conns;
	cfg.per_address = o.per_address;

	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);                /* reopen the database: server_wait() */
	pthread_sigmask(SIG_BLOCK, &set, NULL); /* before any thread exists */
	signal(SIGPIPE, SIG_IGN);
	if (server_start(&cfg, &srv, &e) == -1)
		return cli_fail(argv[0], &e);
	server_url(srv, url, sizeof(url));
	printf("portolan serve: listening on %s\n", url);
	fflush(stdout);
	server_wait(srv, &set);
	server_free(srv);
	fprintf(stderr, "portolan serve: stopped\n");
	return CLI_FOUND;
}
