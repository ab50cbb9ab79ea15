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
 *
 * --metrics-only is an exporter, not the site: one libmicrohttpd thread
 * answering GET /metrics with this machine's listeners in Prometheus'
 * text format (src/report/listening_prom.h), collected afresh at each
 * scrape, and 404 for everything else.  It keeps the privileges it was
 * started with, because seeing every process's sockets needs root; the
 * site's database, votes and pages are not opened at all.
 */
#include <sys/resource.h>
#include <sys/socket.h>

#include <getopt.h>
#include <netdb.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <microhttpd.h>

#include "cli.h"
#include "cmd.h"
#include "report/listening_prom.h"
#include "web/server.h"

#define CMD_SERVE_PORT 6174

static const char cmd_serve_usage[] =
    "usage: portolan serve [--listen ADDR:PORT] [--public] [--db FILE] "
    "[--votes FILE]\n"
    "                      [--show-machine | --hide-machine] [--trust-proxy]\n"
    "                      [--threads N]\n"
    "                      [--user NAME] [--vote-rate N] [--max-connections N]\n"
    "                      [--max-per-address N]\n"
    "                      [--po DIR] [--base-url URL] [--store URL]\n"
    "\n"
    "Serve the site: a page per port, search, the ranges, services, the JSON "
    "API\n"
    "(/api/v1/ports/N, /api/v1/search?q=, /api/v1/free?near=N), /healthz, /metrics,\n"
    "the organisation's claims (/claims, /api/v1/claims) and the vote.\n"
    "\n"
    "  --listen ADDR:PORT  where to listen (default 127.0.0.1:6174; port 0 "
    "picks one)\n"
    "  --public            allow a non-loopback address\n"
    "  --db FILE           the database to serve (read-only)\n"
    "  --votes FILE        where votes are kept (default: the database's path\n"
    "                      + .votes)\n"
    "  --store URL         the organisation's claims, shown at /claims and on port\n"
    "                      pages (read-only), and with postgresql://... the votes\n"
    "                      too, shared by every server on it; default\n"
    "                      $PORTOLAN_STORE, else the database's path + .claims\n"
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
    "  --base-url URL      the site's public address, for pages' canonical\n"
    "                      links (default: the address it listens on)\n"
    "  --metrics-only      serve only /metrics: this machine's listeners as\n"
    "                      Prometheus metrics (see portolan(1)); run as root to\n"
    "                      see every process.  The database only annotates\n"
    "  --expect FILE       with --metrics-only: audit gauges and the claimed label\n"
    "                      from an expect file (see `portolan audit`)\n"
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
	int metrics_only;   /* --metrics-only */
	const char *expect; /* --expect FILE */
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
	    {"base-url", required_argument, NULL, 'b'},
	    {"metrics-only", no_argument, NULL, 'X'},
	    {"expect", required_argument, NULL, 'e'},
	    {NULL, 0, NULL, 0},
	};
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, ":jd:Chl:Pv:mMTt:u:r:c:a:p:b:Xe:", opts, NULL)) != -1) {
		switch (c) {
		case 'X':
			o->metrics_only = 1;
			break;
		case 'e':
			o->expect = optarg;
			break;
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
		case 'b':
			/* An absolute http(s) URL of printable ASCII: it is written into every
			 * page. */
			if ((strncmp(optarg, "http://", 7) != 0 &&
			     strncmp(optarg, "https://", 8) != 0) ||
			    strlen(optarg) > 400 || strpbrk(optarg, " \"'<>\\?#") != NULL) {
				cli_usage_error(argv[0],
				                "--base-url: give an http:// or https:// URL");
				goto usage;
			}
			cfg->base_url = optarg;
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
	if (o->expect && !o->metrics_only) {
		cli_usage_error(argv[0], "--expect goes with --metrics-only");
		goto usage;
	}
	return 0;
usage:
	*rc = CLI_USAGE;
	return -1;
}

/* ------------------------------------------------------ --metrics-only */

struct cmd_serve_metrics {
	struct store *st; /* NULL: no registry, the listeners unannotated */
	struct range_machine rm;
	struct listening_prom_opts po;
	unsigned long long scrapes;
};

/* The exporter's own cost, so a fleet can see what a scrape takes. */
static void
cmd_serve_metrics_self(struct cmd_serve_metrics *x, struct strbuf *out)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	strbuf_appendf(out,
	               "# HELP portolan_exporter_scrapes_total Scrapes of /metrics answered.\n"
	               "# TYPE portolan_exporter_scrapes_total counter\n"
	               "portolan_exporter_scrapes_total %llu\n"
	               "# HELP portolan_exporter_cpu_seconds_total CPU time the exporter used.\n"
	               "# TYPE portolan_exporter_cpu_seconds_total counter\n"
	               "portolan_exporter_cpu_seconds_total %.6f\n",
	               x->scrapes,
	               (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
	                   (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6);
}

static enum MHD_Result
cmd_serve_metrics_answer(void *cls, struct MHD_Connection *conn, const char *url,
                         const char *method, const char *version, const char *upload,
                         size_t *upload_size, void **req)
{
	struct cmd_serve_metrics *x = cls;
	struct MHD_Response *r;
	struct strbuf out;
	struct err e = {0};
	unsigned status = MHD_HTTP_OK;
	enum MHD_Result ret;

	(void)version, (void)upload, (void)upload_size, (void)req;
	strbuf_init(&out, 256u << 20);
	if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0) {
		status = MHD_HTTP_METHOD_NOT_ALLOWED;
		strbuf_appends(&out, "GET /metrics\n");
	} else if (strcmp(url, "/metrics") != 0) {
		status = MHD_HTTP_NOT_FOUND;
		strbuf_appends(&out, "only /metrics here\n");
	} else if (x->scrapes++, listening_prom(x->st, &x->rm, &x->po, &out, &e) == -1) {
		status = MHD_HTTP_INTERNAL_SERVER_ERROR;
		strbuf_reset(&out);
		strbuf_appendf(&out, "%s\n", e.msg);
		fprintf(stderr, "portolan serve: /metrics: %s\n", e.msg);
	} else {
		cmd_serve_metrics_self(x, &out);
	}
	r = MHD_create_response_from_buffer(out.len, out.buf, MHD_RESPMEM_MUST_COPY);
	strbuf_free(&out);
	if (r == NULL)
		return MHD_NO;
	MHD_add_response_header(r, "Content-Type",
	                        status == MHD_HTTP_OK ? "text/plain; version=0.0.4; charset=utf-8"
	                                              : "text/plain; charset=utf-8");
	ret = MHD_queue_response(conn, status, r);
	MHD_destroy_response(r);
	return ret;
}

/* The exporter: until SIGTERM or SIGINT.  The database is optional here. */
static int
cmd_serve_metrics(const char *cmd, const struct server_config *cfg, const char *db,
                  const struct cmd_serve_opts *o, sigset_t *set)
{
	const char *no_bpf = getenv("PORTOLAN_NO_BPF");
	struct cmd_serve_metrics x = {
	    .po = {.expect = o->expect, .no_bpf = no_bpf && no_bpf[0] && strcmp(no_bpf, "0") != 0}};
	struct sockaddr_storage bound;
	socklen_t len = sizeof(bound);
	const union MHD_DaemonInfo *info;
	struct MHD_Daemon *d;
	struct err e = {0};
	char host[64], port[8];
	int sig;

	if (!cfg->listen.loopback && !cfg->public)
		return cli_usage_error(cmd, "--listen: not a loopback address; add --public to "
		                            "serve the metrics there");
	range_machine_read(&x.rm);
	if (access(db, F_OK) == 0 && store_open(db, &x.st, &e) == -1)
		return cli_fail(cmd, &e);      /* there but damaged: said now, not at each scrape */
	pthread_sigmask(SIG_BLOCK, set, NULL); /* before MHD's thread exists */
	d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD |
	                         (cfg->listen.addr.ss_family == AF_INET6 ? MHD_USE_IPv6 : 0),
	                     0, NULL, NULL, cmd_serve_metrics_answer, &x, MHD_OPTION_SOCK_ADDR,
	                     &cfg->listen.addr, MHD_OPTION_CONNECTION_TIMEOUT, 10u, MHD_OPTION_END);
	if (d == NULL) {
		if (x.st)
			store_close(x.st);
		return cli_fail(cmd, &(struct err){ERR_INTERNAL, "--metrics-only: cannot listen "
		                                                 "there (in use, or not an address "
		                                                 "of this machine)"});
	}
	info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_LISTEN_FD);
	if (info && getsockname(info->listen_fd, (struct sockaddr *)&bound, &len) == 0 &&
	    getnameinfo((struct sockaddr *)&bound, len, host, sizeof(host), port, sizeof(port),
	                NI_NUMERICHOST | NI_NUMERICSERV) == 0)
		printf("portolan serve: metrics on http://%s%s%s:%s/metrics\n",
		       bound.ss_family == AF_INET6 ? "[" : "", host,
		       bound.ss_family == AF_INET6 ? "]" : "", port);
	fflush(stdout);
	sigdelset(set, SIGHUP); /* nothing to reopen: the store is read at each scrape */
	sigwait(set, &sig);
	MHD_stop_daemon(d);
	if (x.st)
		store_close(x.st);
	fprintf(stderr, "portolan serve: stopped\n");
	return CLI_FOUND;
}

int
cmd_serve(int argc, char **argv)
{
	struct cmd_serve_opts o = {.rate = SERVER_DEFAULT_RATE, .conns = 4096};
	struct server_config cfg = {.show_machine = -1, .log = cmd_serve_log};
	struct cli_opts co = {0};
	struct server *srv;
	struct err e = {0};
	char db[4096], votes[4200], po[4200], url[128], claims[CSTORE_MAX_URL];
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	sigset_t set;
	struct store *st;
	int rc = CLI_FOUND;

	o.threads = ncpu < 1 ? 1 : ncpu > SERVER_MAX_THREADS ? SERVER_MAX_THREADS : (unsigned)ncpu;
	if (cmd_serve_parse(argc, argv, &o, &cfg, &co, &rc) == -1)
		return rc;
	if (server_parse_listen(o.listen ? o.listen : SERVER_DEFAULT_ADDR, CMD_SERVE_PORT,
	                        &cfg.listen, &e) == -1 ||
	    cli_db_read_path(co.db, db, sizeof(db), &e) == -1)
		return cli_fail(argv[0], &e);
	if (o.metrics_only) {
		sigemptyset(&set);
		sigaddset(&set, SIGTERM);
		sigaddset(&set, SIGINT);
		return cmd_serve_metrics(argv[0], &cfg, db, &o, &set);
	}
	/* Missing, unreadable or damaged: said now, in store_open()'s words, not per request. */
	if (store_open(db, &st, &e) == -1)
		return cli_fail(argv[0], &e);
	store_close(st);
	snprintf(votes, sizeof(votes), "%s.votes", db);
	cli_po_dir(o.po, po, sizeof(po));
	cfg.db = db;
	cfg.votes = o.votes ? o.votes : votes;
	/* The organisation's claims, read-only: --store, $PORTOLAN_STORE or "<db>.claims". */
	if (cli_store_url(&co, claims, sizeof(claims), &e) == -1)
		return cli_fail(argv[0], &e);
	cfg.claims = claims;
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
