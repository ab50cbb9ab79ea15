/*
 * cmd_claim.c - `portolan claim`: an organisation's own ports (add, list,
 * show, rm, import, export).
 *
 * The claims live in the claims store (src/claims/cstore.h), never in the
 * registry database; `add` first asks everything public about the port
 * (src/claims/collide.h) and refuses or warns with the evidence, and the
 * store refuses a claim that overlaps another inside its write
 * transaction, so two hosts adding at once cannot both win.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "claims/claims.h"
#include "claims/collide.h"
#include "claims/cstore.h"
#include "cli.h"
#include "cmd.h"
#include "render/render.h"
#include "report/freeports.h"
#include "report/report.h"

static const char cmd_claim_usage[] =
    "usage: portolan claim add PORT[-HI][/PROTO] SERVICE --owner TEAM\n"
    "                          [--contact ADDR] [--hosts PATTERN] [--note TEXT]\n"
    "                          [--force]\n"
    "       portolan claim add --suggest SERVICE --owner TEAM [--near PORT] [...]\n"
    "       portolan claim list [--owner TEAM]\n"
    "       portolan claim show PORT\n"
    "       portolan claim rm PORT[/PROTO] [--hosts PATTERN]\n"
    "       portolan claim import FILE [--replace]\n"
    "       portolan claim export\n"
    "   options everywhere: --store URL, --db FILE, --json\n"
    "\n"
    "An organisation's own ports: which team runs which service on which port, on\n"
    "which hosts.  Each claim records who made it (the login user) and when.\n"
    "\n"
    "add checks every claim first and shows the evidence: refused (exit 2) when\n"
    "another claim holds the same port, protocol and hosts, or the port lies in\n"
    "this machine's ephemeral range; warned (exit 1, nothing stored) when IANA\n"
    "assigns the port to another service, the curated data records a use or a\n"
    "malware association, nmap-services or /etc/services names it, or something\n"
    "else listens on it here.  --force stores it anyway, the warnings recorded as\n"
    "acknowledged.  --suggest takes the port `portolan free` offers first (nearest\n"
    "--near), skipping claimed ports, and claims it in one step.\n"
    "\n"
    "export writes, and import reads, one claim per line, sorted, diff-friendly:\n"
    "    # portolan claims/1\n"
    "    8443/tcp       billing-api owner=payments contact=pay@example.org\n"
    "    9100-9110/udp  metrics owner=sre note=\"one per shard\" by=alice\n"
    "PROTO is tcp (the default), udp or tcp,udp; hosts a shell pattern for host\n"
    "names (alternatives separated by commas; * by default); a value with blanks\n"
    "is quoted.  import adds and updates claims in one transaction (importing a\n"
    "file twice changes nothing); --replace also removes claims the file lacks.\n"
    "\n"
    "  --owner TEAM      who owns the service (add: required; list: only theirs)\n"
    "  --contact ADDR    how to reach them\n"
    "  --hosts PATTERN   the hosts the claim covers (default *: every host)\n"
    "  --note TEXT       anything worth knowing\n"
    "  --force           store a claim despite warnings (never despite a refusal)\n"
    "  --suggest         pick the port with `free` (also --near PORT, --range LO-HI)\n"
    "  --store URL       postgresql://... (shared), sqlite:FILE or FILE; default\n"
    "                    $PORTOLAN_STORE, else the database's path + \".claims\"\n"
    "\n"
    "Exit status: 0 done (list/show: some claim), 1 nothing to show or warned and\n"
    "not stored, 2 refused or bad input, 3 internal error (an unreachable store).\n";

struct cmd_claim {
	struct cli_opts o;
	struct claim c;
	int force, suggest, replace;
	const char *owner_filter;
	struct freeports_query fq;
	int argc;
	char **argv; /* for handing a PostgreSQL store over to portolan-serve */
};

/* Print a document and release it. */
static void
cmd_claim_json(json_t *doc)
{
	render_json(stdout, doc);
	json_decref(doc);
}

static void
cmd_claim_print(FILE *out, const struct claim *c)
{
	char port[32];

	claims_port_str(c, port, sizeof(port));
	fprintf(out, "%-14s %-20s owner %s", port, c->service, c->owner);
	if (strcmp(c->hosts, "*") != 0)
		fprintf(out, ", hosts %s", c->hosts);
	if (c->contact[0])
		fprintf(out, ", contact %s", c->contact);
	fprintf(out, "  (%s, %s)\n", c->by, c->at);
	if (c->note[0])
		fprintf(out, "%15s%s\n", "", c->note);
	if (c->ack[0])
		fprintf(out, "%15sacknowledged: %s\n", "", c->ack);
}

static int
cmd_claim_open(struct cmd_claim *m, enum cstore_mode mode, struct cstore **st, struct err *e)
{
	return cli_claims_open(&m->o, mode, m->argc, m->argv, st, e);
}

static int
cmd_claim_list(struct cmd_claim *m, long port)
{
	struct cstore *st;
	struct claim_list l = {0};
	struct err e = {0};
	json_t *arr = json_array();
	int shown = 0;

	if (cmd_claim_open(m, CSTORE_READ, &st, &e) == -1 || cstore_list(st, &l, &e) == -1) {
		cstore_close(st);
		json_decref(arr);
		return cli_fail(m->argv[0], &e);
	}
	cstore_close(st);
	for (size_t i = 0; i < l.n; i++) {
		const struct claim *c = &l.v[i];

		if ((m->owner_filter && strcmp(c->owner, m->owner_filter) != 0) ||
		    (port >= 0 && (port < c->lo || port > c->hi)))
			continue;
		shown++;
		if (m->o.json)
			json_array_append_new(arr, claims_json(c));
		else
			cmd_claim_print(stdout, c);
	}
	if (m->o.json)
		cmd_claim_json(
		    json_pack("{s:s, s:O}", "schema", "portolan.claims/1", "claims", arr));
	else if (shown == 0)
		fprintf(stderr, "portolan %s: no claim%s\n", m->argv[0],
		        port >= 0 ? " on that port" : "");
	json_decref(arr);
	claims_free(&l);
	return shown ? CLI_FOUND : CLI_NOT_FOUND;
}

static void
cmd_claim_findings(const json_t *findings, int force)
{
	const json_t *f;
	size_t i;

	json_array_foreach(findings, i, f)
	{
		int refused = json_is_true(json_object_get(f, "refused"));

		fprintf(stderr, "%s (%s): %s\n",
		        refused ? "refused"
		        : force ? "acknowledged"
		                : "warning",
		        report_str(f, "code"), report_str(f, "evidence"));
	}
}

/* Check, then store.  *rc is the exit code; returns 1 when stored. */
static int
cmd_claim_try(struct cmd_claim *m, struct store *reg, struct cstore *st, struct claim *c, int *rc)
{
	struct report_env env;
	struct claim clash;
	struct err e = {0};
	json_t *findings;
	int warned, stored = 0;

	report_env_init(&env);
	if ((findings = collide_check(reg, c, &env, &e)) == NULL) {
		*rc = cli_fail(m->argv[0], &e);
		return 0;
	}
	warned = json_array_size(findings) > 0;
	if (collide_refused(findings)) {
		*rc = CLI_USAGE;
	} else if (warned && !m->force) {
		*rc = CLI_NOT_FOUND;
	} else {
		collide_ack(findings, c->ack, sizeof(c->ack));
		if (cstore_add(st, c, &clash, &e) == 0) {
			stored = 1;
			*rc = CLI_FOUND;
		} else if (clash.service[0]) {
			json_array_append_new(findings,
			                      json_pack("{s:s, s:b, s:s}", "code", "claimed",
			                                "refused", 1, "evidence", e.msg));
			*rc = CLI_USAGE;
		} else {
			json_decref(findings);
			*rc = cli_fail(m->argv[0], &e);
			return 0;
		}
	}
	if (m->o.json) {
		cmd_claim_json(json_pack("{s:s, s:b, s:o, s:O}", "schema", "portolan.claim/1",
		                         "stored", stored, "claim", claims_json(c), "findings",
		                         findings));
	} else {
		cmd_claim_findings(findings, stored);
		if (stored) {
			printf("claimed: ");
			cmd_claim_print(stdout, c);
		} else if (*rc == CLI_NOT_FOUND) {
			fprintf(stderr, "portolan %s: not stored; --force to claim it anyway\n",
			        m->argv[0]);
		}
	}
	json_decref(findings);
	return stored;
}

static int
cmd_claim_add(struct cmd_claim *m, int argc, char **argv)
{
	struct store *reg;
	struct cstore *st;
	struct claim_list l = {0};
	struct err e = {0};
	json_t *free_ports, *p;
	size_t i;
	int rc = CLI_INTERNAL;

	if (argc != (m->suggest ? 1 : 2))
		return cli_usage_error(m->argv[0], m->suggest
		                                       ? "claim add --suggest SERVICE --owner TEAM"
		                                       : "claim add PORT SERVICE --owner TEAM");
	if (!m->suggest && claims_parse_port(argv[0], &m->c, &e) == -1)
		return cli_usage_error(m->argv[0], "%s", e.msg);
	if (m->suggest)
		m->c.protos = CLAIM_TCP;
	snprintf(m->c.service, sizeof(m->c.service), "%s", argv[argc - 1]);
	if (m->c.hosts[0] == '\0')
		strcpy(m->c.hosts, "*");
	claims_stamp(&m->c);
	if (m->suggest)
		m->c.lo = m->c.hi = 1; /* any valid port, for the check of the other fields */
	if (claims_validate(&m->c, &e) == -1)
		return cli_usage_error(m->argv[0], "%s", e.msg);
	if (cmd_claim_open(m, CSTORE_WRITE, &st, &e) == -1)
		return cli_fail(m->argv[0], &e);
	if (cli_open_store(m->o.db, &reg, &e) == -1) {
		cstore_close(st);
		return cli_fail(m->argv[0], &e);
	}
	if (!m->suggest) {
		cmd_claim_try(m, reg, st, &m->c, &rc);
		goto done;
	}
	/* The quietest free ports, claimed ones left out; the first one the store takes. */
	if (cstore_list(st, &l, &e) == -1) {
		rc = cli_fail(m->argv[0], &e);
		goto done;
	}
	m->fq.claimed = (const long(*)[2])claims_ranges(&l);
	m->fq.nclaimed = m->fq.claimed ? l.n : 0;
	free_ports = freeports_find(reg, &m->fq, &e);
	free((void *)m->fq.claimed);
	if (free_ports == NULL) {
		rc = cli_fail(m->argv[0], &e);
		goto done;
	}
	rc = CLI_NOT_FOUND;
	json_array_foreach(json_object_get(free_ports, "ports"), i, p)
	{
		m->c.lo = m->c.hi = (long)json_integer_value(json_object_get(p, "port"));
		if (cmd_claim_try(m, reg, st, &m->c, &rc) || rc != CLI_USAGE)
			break; /* stored, or failed for a reason the next port would share */
	}
	if (json_array_size(json_object_get(free_ports, "ports")) == 0)
		fprintf(stderr, "portolan %s: no free port to suggest\n", m->argv[0]);
	json_decref(free_ports);
done:
	claims_free(&l);
	cli_store_done(reg);
	cstore_close(st);
	return rc;
}

static int
cmd_claim_rm(struct cmd_claim *m, int argc, char **argv)
{
	struct claim key = {0};
	struct cstore *st;
	struct err e = {0};
	long n = 0;
	int explicit_proto;

	if (argc != 1)
		return cli_usage_error(m->argv[0], "claim rm PORT[/PROTO] [--hosts PATTERN]");
	if (claims_parse_port(argv[0], &key, &e) == -1 || key.lo != key.hi)
		return cli_usage_error(m->argv[0], "%s",
		                       e.msg[0] ? e.msg : "claim rm takes one port of the claim");
	explicit_proto = strchr(argv[0], '/') != NULL;
	if (cmd_claim_open(m, CSTORE_WRITE, &st, &e) == -1 ||
	    cstore_remove(st, key.lo, explicit_proto ? key.protos : 0,
	                  m->c.hosts[0] ? m->c.hosts : NULL, &n, &e) == -1) {
		cstore_close(st);
		return cli_fail(m->argv[0], &e);
	}
	cstore_close(st);
	if (m->o.json)
		cmd_claim_json(json_pack("{s:s, s:I}", "schema", "portolan.claim-rm/1", "removed",
		                         (json_int_t)n));
	else
		printf("removed %ld claim%s\n", n, n == 1 ? "" : "s");
	return n ? CLI_FOUND : CLI_NOT_FOUND;
}

static int
cmd_claim_import(struct cmd_claim *m, int argc, char **argv)
{
	struct claim_list l = {0};
	struct cstore_counts n;
	struct cstore *st = NULL;
	struct err e = {0};

	if (argc != 1)
		return cli_usage_error(m->argv[0], "claim import FILE (- for standard input)");
	if (claims_load(argv[0], &l, &e) == -1) {
		claims_free(&l);
		return cli_fail(m->argv[0], &e);
	}
	/* Who and when, for lines that do not say: the person importing, now. */
	for (size_t i = 0; i < l.n; i++)
		if (l.v[i].by[0] == '\0' || l.v[i].at[0] == '\0') {
			struct claim s = l.v[i];

			claims_stamp(&s);
			if (l.v[i].by[0] == '\0')
				memcpy(l.v[i].by, s.by, sizeof(s.by));
			if (l.v[i].at[0] == '\0')
				memcpy(l.v[i].at, s.at, sizeof(s.at));
		}
	if (cmd_claim_open(m, CSTORE_WRITE, &st, &e) == -1 ||
	    cstore_import(st, &l, m->replace, &n, &e) == -1) {
		cstore_close(st);
		claims_free(&l);
		return cli_fail(m->argv[0], &e);
	}
	cstore_close(st);
	claims_free(&l);
	if (m->o.json)
		cmd_claim_json(json_pack(
		    "{s:s, s:I, s:I, s:I, s:I}", "schema", "portolan.claim-import/1", "added",
		    (json_int_t)n.added, "updated", (json_int_t)n.updated, "unchanged",
		    (json_int_t)n.unchanged, "removed", (json_int_t)n.removed));
	else
		printf("%ld added, %ld updated, %ld unchanged, %ld removed\n", n.added, n.updated,
		       n.unchanged, n.removed);
	return CLI_FOUND;
}

static int
cmd_claim_export(struct cmd_claim *m)
{
	struct claim_list l = {0};
	struct cstore *st;
	struct strbuf sb;
	struct err e = {0};

	strbuf_init(&sb, CLAIMS_MAX_BYTES * 2);
	if (cmd_claim_open(m, CSTORE_READ, &st, &e) == -1 || cstore_list(st, &l, &e) == -1 ||
	    claims_format(&l, &sb, &e) == -1) {
		cstore_close(st);
		claims_free(&l);
		strbuf_free(&sb);
		return cli_fail(m->argv[0], &e);
	}
	cstore_close(st);
	fputs(sb.buf, stdout);
	strbuf_free(&sb);
	claims_free(&l);
	return CLI_FOUND;
}

static int
cmd_claim_field(char *dst, size_t size, const char *v, const char *name, const char *cmd)
{
	if (strlen(v) >= size)
		return cli_usage_error(cmd, "--%s: at most %zu bytes", name, size - 1);
	memcpy(dst, v, strlen(v) + 1);
	return 0;
}

int
cmd_claim(int argc, char **argv)
{
	static const struct option opts[] = {
	    CLI_OPTS_LONG,
	    {"owner", required_argument, NULL, 'o'},
	    {"contact", required_argument, NULL, 'c'},
	    {"hosts", required_argument, NULL, 'H'},
	    {"note", required_argument, NULL, 'n'},
	    {"force", no_argument, NULL, 'f'},
	    {"suggest", no_argument, NULL, 's'},
	    {"near", required_argument, NULL, 'N'},
	    {"range", required_argument, NULL, 'r'},
	    {"replace", no_argument, NULL, 'R'},
	    {NULL, 0, NULL, 0},
	};
	struct cmd_claim m = {
	    .o = {.color = 1}, .fq = FREEPORTS_QUERY_DEFAULT, .argc = argc, .argv = argv};
	struct err e = {0};
	const char *sub;
	int c, rc = CLI_FOUND;

	optind = 1;
	while ((c = getopt_long(argc, argv, ":jd:Cho:c:H:n:fsN:r:R", opts, NULL)) != -1) {
		switch (c) {
		case 'o':
			m.owner_filter = optarg;
			if (cmd_claim_field(m.c.owner, sizeof(m.c.owner), optarg, "owner", argv[0]))
				return CLI_USAGE;
			break;
		case 'c':
			if (cmd_claim_field(m.c.contact, sizeof(m.c.contact), optarg, "contact",
			                    argv[0]))
				return CLI_USAGE;
			break;
		case 'H':
			if (cmd_claim_field(m.c.hosts, sizeof(m.c.hosts), optarg, "hosts", argv[0]))
				return CLI_USAGE;
			break;
		case 'n':
			if (cmd_claim_field(m.c.note, sizeof(m.c.note), optarg, "note", argv[0]))
				return CLI_USAGE;
			break;
		case 'f':
			m.force = 1;
			break;
		case 's':
			m.suggest = 1;
			break;
		case 'R':
			m.replace = 1;
			break;
		case 'N':
		case 'r':
			if (freeports_option(&m.fq, c == 'N' ? "near" : "range", optarg,
			                     c == 'N' ? "--near" : "--range", &e) == -1)
				return cli_usage_error(argv[0], "%s", e.msg);
			break;
		default:
			if (cli_option(c, &m.o, cmd_claim_usage, argc, argv, &rc) < 0)
				return rc;
		}
	}
	if (optind >= argc)
		return cli_usage_error(argv[0], "add, list, show, rm, import or export?");
	sub = argv[optind++];
	argc -= optind;
	argv += optind;
	if (strcmp(sub, "add") == 0) {
		if (m.c.owner[0] == '\0')
			return cli_usage_error(m.argv[0], "claim add needs --owner TEAM");
		return cmd_claim_add(&m, argc, argv);
	}
	if (strcmp(sub, "list") == 0 || strcmp(sub, "ls") == 0)
		return argc ? cli_usage_error(m.argv[0], "claim list takes no argument")
		            : cmd_claim_list(&m, -1);
	if (strcmp(sub, "show") == 0) {
		long port;

		if (argc != 1 || claims_parse_port(argv[0], &m.c, &e) == -1 || m.c.lo != m.c.hi)
			return cli_usage_error(m.argv[0], "claim show PORT");
		port = m.c.lo;
		return cmd_claim_list(&m, port);
	}
	if (strcmp(sub, "rm") == 0 || strcmp(sub, "remove") == 0)
		return cmd_claim_rm(&m, argc, argv);
	if (strcmp(sub, "import") == 0)
		return cmd_claim_import(&m, argc, argv);
	if (strcmp(sub, "export") == 0)
		return argc ? cli_usage_error(m.argv[0], "claim export takes no argument (> FILE)")
		            : cmd_claim_export(&m);
	return cli_usage_error(m.argv[0], "\"%s\": add, list, show, rm, import or export", sub);
}
