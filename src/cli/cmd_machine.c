/*
 * cmd_machine.c - `who`, `listening` (alias `ls`), `connections` (alias
 * `conns`) and `audit`: the machine module's sockets, annotated with what
 * the registry says each port is (a connection: its remote port).
 *
 * The commands share one pipeline: parse options (who, listening and
 * connections the same selection: protocols, family, ports, --pid,
 * --user), collect sockets (src/machine/listeners.h), open the registry if
 * there is one, then render as text, JSON or (listening) Prometheus
 * metrics.  The registry is optional here: a machine
 * question must be answerable before `portolan update` has ever run, so a
 * missing database only drops the annotation, unless --db names one
 * explicitly, in which case failing to open it is an error.  A database
 * that is there but damaged or unreadable is an error either way, and so
 * is one that fails while annotating: every listener is annotated before
 * the first line is printed, so a failure never leaves half a list.
 *
 * "Unexpected" listeners are flagged from facts by src/report/listening.c,
 * which the port report and the web share: the port is unassigned in the
 * registry, sits in this machine's ephemeral range (where the kernel also
 * hands out client ports, so a listener there may collide or be a
 * leftover), the curated data lists a malware use of it, or the process is
 * named after another registered service.
 *
 * JSON is written as it is produced (util/jsonw.h), listener by
 * listener, after a header of `who`'s facts built with jansson; text goes
 * straight to stdout.  Library calls return struct err; this file is the
 * only place that turns them into messages and exit codes.
 */
#include <sys/socket.h>
#include <net/if.h>
#include <arpa/inet.h>

#include <getopt.h>
#include <pwd.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <jansson.h>

#include "claims/claims.h"
#include "cli/cli.h"
#include "cli/cmd_machine.h"
#include "machine/audit.h"
#include "machine/listeners.h"
#include "render/render.h"
#include "report/range.h"
#include "report/identity.h"
#include "report/listening.h"
#include "report/listening_prom.h"
#include "report/report.h"
#include "util/jsonw.h"
#include "util/strbuf.h"

struct cmd_machine {
	const char *cmd;
	struct cli_opts o; /* --json, --db, --no-color (colour also needs a terminal) */
	struct listener_set ls;
	struct store *st;             /* NULL: no registry annotation */
	struct listening_note *notes; /* per listener in ls, by cmd_machine_annotate() */
	struct range_machine rm;
	int all_netns;          /* --all-netns */
	enum listening_end end; /* LISTENING_REMOTE: connections, annotated by the peer's port */
	struct i18n_set *langs; /* o.t's catalog (cmd_machine_lang()) */
};

/*
 * The reader's language, once the options are read: JSON and metrics
 * (programs != 0) are English codes for programs, so the catalog is read
 * for text, or to check --lang.  0, or the exit status of a bad --lang.
 */
static int
cmd_machine_lang(struct cmd_machine *m, const char *lang, int programs)
{
	if (programs && lang == NULL)
		return 0;
	return cli_lang(m->cmd, lang, &m->langs, &m->o.t);
}

static int
cmd_machine_open_registry(struct cmd_machine *m, struct err *e)
{
	range_machine_read(&m->rm);
	if (m->st != NULL) /* already open: `who NAME` needed it to find the port */
		return 0;
	if (cli_open_store(m->o.db, &m->st, e) == 0)
		return 0;
	m->st = NULL;
	/* Only a database the user named must exist; one that exists must work. */
	return m->o.db || e->kind == ERR_INTERNAL ? -1 : 0;
}

/*
 * Annotate every listener, in ls's final order (after any sort): what the
 * registry says of every port present is read at once, then each listener
 * is annotated from that.
 */
static int
cmd_machine_annotate(struct cmd_machine *m, struct err *e)
{
	struct listening_index *ix;
	int rc = 0;

	if ((m->notes = calloc(m->ls.n + 1, sizeof(*m->notes))) == NULL)
		return err_internal(e, "out of memory");
	if ((ix = listening_index_load(m->st, &m->rm, m->ls.v, m->ls.n, m->end, e)) == NULL)
		return -1;
	for (size_t i = 0; i < m->ls.n && rc == 0; i++)
		rc = listening_annotate(ix, &m->ls.v[i], &m->notes[i], e);
	listening_index_free(ix);
	return rc;
}

/* The note cmd_machine_annotate() made for l, one of m->ls's. */
static const struct listening_note *
cmd_machine_note(const struct cmd_machine *m, const struct listener *l)
{
	return &m->notes[l - m->ls.v];
}

static int
cmd_machine_collect(struct cmd_machine *m, const struct sockets_query *q, struct err *e)
{
	const char *no_bpf = getenv("PORTOLAN_NO_BPF");
	struct owners_opts oo = {.no_bpf = no_bpf && no_bpf[0] && strcmp(no_bpf, "0") != 0};

	if (listeners_collect(q, &oo, &m->ls, e) == -1)
		return -1;
	return cmd_machine_open_registry(m, e);
}

static void
cmd_machine_close(struct cmd_machine *m)
{
	listeners_free(&m->ls);
	free(m->notes);
	if (m->st)
		store_close(m->st);
	i18n_free(m->langs);
}

/* "nginx:812,813(www-data) sshd:90(root)": holders grouped by command and user. */
static void
cmd_machine_holders(const struct listener *l, struct strbuf *sb)
{
	for (size_t i = 0; i < l->nholders; i++) {
		const struct owner *o = &l->holders[i];
		size_t j;

		for (j = 0; j < i; j++)
			if (strcmp(l->holders[j].comm, o->comm) == 0 &&
			    strcmp(l->holders[j].user, o->user) == 0)
				break;
		if (j < i)
			continue; /* printed with its group */
		strbuf_appendf(sb, "%s%s:%d", sb->len ? " " : "", o->comm, (int)o->pid);
		for (j = i + 1; j < l->nholders; j++)
			if (strcmp(l->holders[j].comm, o->comm) == 0 &&
			    strcmp(l->holders[j].user, o->user) == 0 &&
			    l->holders[j].pid != l->holders[j - 1].pid)
				strbuf_appendf(sb, ",%d", (int)l->holders[j].pid);
		strbuf_appendf(sb, "(%s)", o->user);
	}
	if (l->nholders == 0)
		strbuf_appends(sb, "?");
}

static void
cmd_machine_text_line(struct cmd_machine *m, const struct listener *l)
{
	const struct listening_note *n = cmd_machine_note(m, l);
	struct strbuf who;
	char ep[INET6_ADDRSTRLEN + IF_NAMESIZE + 16];

	listening_endpoint(&l->s, ep, sizeof(ep));
	strbuf_init(&who, 4096);
	cmd_machine_holders(l, &who);
	if (l->s.netns != 0) /* as /proc/PID/ns/net names it */
		strbuf_appendf(&who, " net:[%llu]", (unsigned long long)l->s.netns);
	printf("%-4s %-28s ", portspec_proto_name(l->s.proto), ep);
	if (m->end == LISTENING_REMOTE) { /* a connection: the peer, whose port is annotated */
		listening_remote(&l->s, ep, sizeof(ep));
		printf("%-28s ", ep);
	}
	printf("%-30s", who.buf);
	if (n->have)
		printf(" %s", n->id.assigned ? n->id.service : n->id.description);
	for (size_t i = 0; i < LISTENING_NFLAGS; i++)
		if (n->flags & (1u << i))
			printf(" %s!%s%s%s%s", m->o.color ? "\033[1;31m" : "",
			       listening_flag_name(i),
			       (1u << i) == LISTENING_OTHER_SERVICE ? "=" : "",
			       (1u << i) == LISTENING_OTHER_SERVICE ? n->looks_like : "",
			       m->o.color ? "\033[0m" : "");
	if (n->have && n->concern != CONCERN_NONE) /* the port's, for this protocol (concern.h) */
		printf(" concern:%s", concern_level_name(n->concern));
	putchar('\n');
	strbuf_free(&who);
}

static json_t *
cmd_machine_json_listener(struct cmd_machine *m, const struct listener *l)
{
	return listening_json(l, cmd_machine_note(m, l));
}

/* What a listener must be to be shown, beyond what the kernel was asked. */
struct cmd_machine_filter {
	const char *user; /* --user: held by a process of this login name */
	long pid;         /* --pid: held by this process; 0: any */
	int unexpected;   /* --unexpected: flagged */
};

/* Whether some holder of l is pid (pid != 0) and runs as user (user != NULL). */
static int
cmd_machine_held_by(const struct listener *l, long pid, const char *user)
{
	for (size_t i = 0; i < l->nholders; i++)
		if ((pid == 0 || l->holders[i].pid == pid) &&
		    (user == NULL || strcmp(l->holders[i].user, user) == 0))
			return 1;
	return 0;
}

static int
cmd_machine_keep(struct cmd_machine *m, const struct listener *l,
                 const struct cmd_machine_filter *f)
{
	if ((f->user || f->pid) && !cmd_machine_held_by(l, f->pid, f->user))
		return 0;
	if (f->unexpected)
		return cmd_machine_note(m, l)->flags != 0;
	return 1;
}

/*
 * The JSON document: root's members (the schema, `who`'s port and its
 * identity), then the listeners, written one by one as they pass the
 * filters, then the count of those nobody visible holds.
 */
static void
cmd_machine_print_json(struct cmd_machine *m, const struct cmd_machine_filter *f, json_t *root)
{
	struct jsonw w;
	const char *key;
	json_t *v;
	size_t unseen = 0;
	char note[160];

	jsonw_init(&w, stdout, 2);
	jsonw_begin_object(&w);
	json_object_foreach(root, key, v)
	{
		jsonw_key(&w, key);
		jsonw_value(&w, v);
	}
	jsonw_key(&w, m->end == LISTENING_REMOTE ? "connections" : "listeners");
	jsonw_begin_array(&w);
	for (size_t i = 0; i < m->ls.n; i++) {
		const struct listener *l = &m->ls.v[i];

		if (!cmd_machine_keep(m, l, f))
			continue;
		unseen += l->nholders == 0;
		listening_write(&w, l, cmd_machine_note(m, l));
	}
	jsonw_end_array(&w);
	listening_unseen(&m->ls, unseen, note, sizeof(note));
	jsonw_key(&w, "unseen");
	jsonw_int(&w, (long long)unseen);
	jsonw_key(&w, "note");
	if (note[0])
		jsonw_string(&w, note);
	else
		jsonw_null(&w);
	jsonw_end_object(&w);
	putchar('\n');
}

/* The note on unseen holders for the text output, in the reader's language. */
static const char *
cmd_machine_unseen(const struct cmd_machine *m, size_t unseen, char *buf, size_t len)
{
	return render_unseen(m->o.t, listening_unseen_why(&m->ls), m->end == LISTENING_REMOTE,
	                     (unsigned long)unseen, m->ls.hidepid, buf, len);
}

static void
cmd_machine_print(struct cmd_machine *m, const struct cmd_machine_filter *f, json_t *root)
{
	size_t unseen = 0;
	char note[512];

	if (m->o.json) {
		cmd_machine_print_json(m, f, root);
		return;
	}
	for (size_t i = 0; i < m->ls.n; i++) {
		const struct listener *l = &m->ls.v[i];

		if (!cmd_machine_keep(m, l, f))
			continue;
		unseen += l->nholders == 0;
		cmd_machine_text_line(m, l);
	}
	if (unseen > 0 && cmd_machine_unseen(m, unseen, note, sizeof(note)) != NULL)
		printf("%s\n", note);
}

/* --------------------------------------------------- shared selection */

/*
 * What `who` and `listening` select, from the options both take: the
 * kernel's part (protocols, family, ports) goes into the sockets query,
 * the holders' part (--pid, --user) into the filter.
 */
struct cmd_machine_sel {
	struct sockets_query q;
	struct portset ports; /* the port list, when it is more than one port */
	struct cmd_machine_filter f;
	unsigned only;    /* -t, -u, --sctp: PROTO_* bits; 0 for none given */
	char user[64];    /* --user as the holders name it */
	const char *lang; /* --lang: the text's sentences, not the listing's tokens */
};

/* clang-format off */
#define CMD_MACHINE_SEL_LONG                                            \
	{"lang", required_argument, NULL, 'L'},                         \
	{"tcp", no_argument, NULL, 't'},                                \
	{"udp", no_argument, NULL, 'u'},                                \
	{"sctp", no_argument, NULL, 'S'},                               \
	{"ipv4", no_argument, NULL, '4'},                               \
	{"ipv6", no_argument, NULL, '6'},                               \
	{"pid", required_argument, NULL, 'P'},                          \
	{"user", required_argument, NULL, 'U'},                         \
	{"all-netns", no_argument, NULL, 'N'}
/* clang-format on */
#define CMD_MACHINE_SEL_SHORT "tuS46P:U:NL:"

/*
 * The login name for a user name or uid in /etc/passwd, read as a file:
 * getpwnam() in this static binary loads the NSS modules, and systemd's
 * crashes outside the dynamic libc it was built for.  0, or -1 when no
 * entry matches.
 */
static int
cmd_machine_passwd(const char *name, long uid, char *out, size_t len)
{
	struct passwd pw, *res;
	char buf[4096];
	FILE *f = fopen("/etc/passwd", "re");
	int found = -1;

	if (f == NULL)
		return -1;
	while (found == -1 && fgetpwent_r(f, &pw, buf, sizeof(buf), &res) == 0)
		if (name ? strcmp(pw.pw_name, name) == 0 : (long)pw.pw_uid == uid) {
			snprintf(out, len, "%s", pw.pw_name);
			found = 0;
		}
	fclose(f);
	return found;
}

/*
 * --user: a login name of this machine, or a uid (holders show a uid with
 * no passwd entry as its number).  A name nobody has is an error, not an
 * empty list: it is a typo far more often than a question.
 */
static int
cmd_machine_user(const char *arg, struct cmd_machine_sel *sel, struct err *e)
{
	char *end;
	long uid;

	if (arg[0] >= '0' && arg[0] <= '9' && (uid = strtol(arg, &end, 10)) <= UINT32_MAX &&
	    *end == '\0') {
		if (cmd_machine_passwd(NULL, uid, sel->user, sizeof(sel->user)) == -1)
			snprintf(sel->user, sizeof(sel->user), "%ld", uid);
	} else if (cmd_machine_passwd(arg, 0, sel->user, sizeof(sel->user)) == -1) {
		return err_set(e, "--user: no user '%s' in /etc/passwd", arg);
	}
	sel->f.user = sel->user;
	return 0;
}

/* --pid: a process id (it need not exist: then nothing is held by it). */
static int
cmd_machine_pid(const char *arg, struct cmd_machine_sel *sel, struct err *e)
{
	char *end;
	long pid = strtol(arg, &end, 10);

	if (arg[0] < '0' || arg[0] > '9' || *end != '\0' || pid < 1 || pid > INT32_MAX)
		return err_set(e, "--pid \"%s\": not a process id", arg);
	sel->f.pid = pid;
	return 0;
}

/* One selection option: 1 taken, 0 not one of them, -1 bad value (e filled). */
static int
cmd_machine_sel_opt(int c, struct cmd_machine_sel *sel, struct err *e)
{
	switch (c) {
	case 't':
		sel->only |= PROTO_TCP;
		return 1;
	case 'u':
		sel->only |= PROTO_UDP;
		return 1;
	case 'S':
		sel->only |= PROTO_SCTP;
		return 1;
	case '4':
	case '6':
		if (sel->q.family != 0 && sel->q.family != (c == '4' ? AF_INET : AF_INET6))
			return err_set(e, "-4 and -6 together: give neither to see both");
		sel->q.family = c == '4' ? AF_INET : AF_INET6;
		return 1;
	case 'P':
		return cmd_machine_pid(optarg, sel, e) == -1 ? -1 : 1;
	case 'U':
		return cmd_machine_user(optarg, sel, e) == -1 ? -1 : 1;
	case 'N':
		sel->q.all_netns = 1;
		return 1;
	case 'L':
		sel->lang = optarg;
		return 1;
	}
	return 0;
}

/*
 * One item of a port list that is not a number or range: a service name,
 * as `lsof -i :ssh` takes one, stands for the port the port report would
 * show for it (report_service_port()), which needs the registry.  A
 * mistyped number keeps portspec's message (in e on entry).
 */
static int
cmd_machine_service(struct cmd_machine *m, const char *item, struct portrange *r, struct err *e)
{
	struct query q;
	long port = PORT_NONE;
	int found;

	if (query_parse(item, &q, NULL) == -1 || q.service[0] == '\0')
		return -1;
	if (cmd_machine_open_registry(m, e) == -1)
		return -1;
	if (m->st == NULL)
		return err_set(e,
		               "\"%s\": a service name needs the registry (`portolan update`); "
		               "give a port number",
		               item);
	if ((found = report_service_port(m->st, q.service, q.protocol, &port, e)) == -1)
		return -1;
	if (!found)
		return err_set(e, "\"%s\": neither a port (1-65535) nor a service name known here",
		               item);
	if (port == PORT_NONE || port < 1)
		return err_set(e, "\"%s\": the registry gives this name no port", item);
	r->lo = r->hi = (unsigned)port;
	r->protos = q.protocol[0] ? portspec_proto(q.protocol) : PROTO_DEFAULT;
	if (r->protos == 0)
		return err_set(e, "\"%s\": unknown protocol \"%s\" (tcp, udp or sctp)", item,
		               q.protocol);
	return 0;
}

/*
 * A port list: "22", "8000-8100,ssh", "53/udp,http".  One port goes to
 * the kernel's own filter (sockets_query.port); a list is matched after
 * the dump.  -t/-u/--sctp narrow the items that name no protocol.
 */
static int
cmd_machine_ports(struct cmd_machine *m, const char *arg, struct cmd_machine_sel *sel,
                  struct err *e)
{
	char item[128];
	const char *p = arg;

	sel->ports.n = 0;
	do {
		struct portrange r;
		size_t n = strcspn(p, ",");

		if (n == 0 || n >= sizeof(item))
			return err_set(e, "\"%s\": an empty or overlong item in the port list",
			               arg);
		snprintf(item, sizeof(item), "%.*s", (int)n, p);
		if (portspec_parse_range(item, &r, e) == -1 &&
		    cmd_machine_service(m, item, &r, e) == -1)
			return -1;
		if (sel->only && r.protos == PROTO_DEFAULT)
			r.protos = sel->only;
		if (portset_add(&sel->ports, &r, e) == -1)
			return -1;
		p += n + (p[n] == ',');
	} while (*p);
	sel->q.protos = portset_protos(&sel->ports);
	if (sel->ports.n == 1 && sel->ports.v[0].lo == sel->ports.v[0].hi) {
		sel->q.port = sel->ports.v[0].lo;
		sel->q.ports = NULL;
	} else {
		sel->q.port = 0;
		sel->q.ports = &sel->ports;
	}
	return 0;
}

/* -------------------------------------------------------------- who */

static const char cmd_who_usage[] =
    "usage: portolan who [options] PORTS\n"
    "\n"
    "Who listens on PORTS on this machine: every process holding the socket (pre-fork\n"
    "workers, inherited descriptors and SO_REUSEPORT groups all count), with its user\n"
    "and systemd unit, and what the registry says the port is.  PORTS is a port, a\n"
    "range or a service name, each with an optional /PROTO (tcp, udp or sctp), or\n"
    "several separated by commas: 22, 53/udp, 8000-8100,ssh.  Without a protocol TCP\n"
    "and UDP are both checked.  A service name (ssh, http) means its port, as\n"
    "`portolan SERVICE` shows it (the lowest, if it has several).\n"
    "\n"
    "  -t, --tcp, -u, --udp, --sctp  only these protocols\n"
    "  -4, --ipv4, -6, --ipv6        only this address family (a dual-stack [::]\n"
    "                                listener is IPv6, as in ss)\n"
    "  --pid PID     only listeners held by this process\n"
    "  --user USER   only listeners held by a process of USER (a login name or uid)\n"
    "  --all-netns   also every other network namespace (containers, `ip netns`);\n"
    "                needs root.  Such listeners show their namespace, net:[INODE]\n"
    "  --json        machine-readable output (schema portolan.listening/1)\n"
    "  --lang CODE   the language of the sentences (as `portolan PORT --lang`)\n"
    "  --db FILE     registry database for the annotation (default: as `portolan\n"
    "                lookup`)\n"
    "  --no-color    never colour the output (also: NO_COLOR=1)\n"
    "\n"
    "*:PORT is a listener on [::] that takes IPv4 too; [::]:PORT one that is\n"
    "IPv6-only.\n"
    "Run as root to see processes of other users; as root a BPF iterator replaces the\n"
    "/proc walk (PORTOLAN_NO_BPF=1 forces the walk).\n"
    "Exit status: 0 something listens, 1 nothing does, 2 bad port, 3 internal error.\n";

static int
cmd_who_identity(struct cmd_machine *m, const struct cmd_machine_sel *sel, json_t *root,
                 struct err *e)
{
	static const unsigned protos[] = {PROTO_TCP, PROTO_UDP, PROTO_SCTP};
	json_t *reg = json_object();

	for (size_t i = 0; i < 3 && m->st; i++) {
		struct port_identity id;
		const char *name = portspec_proto_name(protos[i]);

		if ((sel->q.protos & protos[i]) == 0)
			continue;
		if (identity_port(m->st, (long)sel->q.port, name, &id, e) == -1) {
			json_decref(reg);
			return -1;
		}
		json_object_set_new(reg, name,
		                    json_pack("{s:s, s:s, s:b}", "service", id.service,
		                              "description", id.description, "assigned",
		                              id.assigned));
	}
	json_object_set_new(root, "port_identity", reg);
	return 0;
}

/* The registry's words for the port, asked before anything is printed. */
static void
cmd_who_identity_text(const struct i18n *t, unsigned port, const json_t *root)
{
	const char *name;
	json_t *id;

	json_object_foreach(json_object_get(root, "port_identity"), name, id)
	{
		const char *svc = json_string_value(json_object_get(id, "service"));
		char pp[32], words[1024];

		snprintf(pp, sizeof(pp), "%u/%s", port, name);
		snprintf(words, sizeof(words), "%s%s%s", svc, svc[0] ? ": " : "",
		         json_string_value(json_object_get(id, "description")));
		render_text_machine(stdout, t, RENDER_IN_REGISTRY, pp, words, NULL);
		putchar('\n');
	}
}

static int
cmd_who_parse(int argc, char **argv, struct cmd_machine *m, struct cmd_machine_sel *sel,
              struct err *e)
{
	static const struct option opts[] = {
	    CLI_OPTS_LONG, CMD_MACHINE_SEL_LONG, {NULL, 0, NULL, 0}};
	struct portspec ps;
	int c, rc, taken;

	/* "who -1" would otherwise read as an unknown option "-1"; -4 and -6 are options. */
	for (c = 1; c < argc; c++)
		if (argv[c][0] == '-' && argv[c][1] >= '0' && argv[c][1] <= '9' &&
		    strcmp(argv[c], "-4") != 0 && strcmp(argv[c], "-6") != 0 &&
		    portspec_parse(argv[c], &ps, e) == -1) {
			cli_fail(argv[0], e);
			return -1;
		}
	optind = 1;
	while ((c = getopt_long(argc, argv, ":jd:Ch" CMD_MACHINE_SEL_SHORT, opts, NULL)) != -1) {
		if ((taken = cmd_machine_sel_opt(c, sel, e)) == -1) {
			cli_fail(argv[0], e);
			return -1;
		}
		if (taken == 0 && cli_option(c, &m->o, cmd_who_usage, argc, argv, &rc) < 0)
			return rc == CLI_FOUND ? 1 : -1; /* --help, or a usage error reported */
	}
	if (argc - optind != 1) {
		cli_usage_error(argv[0], "give one PORT, PORT/PROTO or a list of them");
		return -1;
	}
	if (cmd_machine_ports(m, argv[optind], sel, e) == -1) {
		cli_fail(argv[0], e);
		return -1;
	}
	return 0;
}

int
cmd_who(int argc, char **argv)
{
	struct cmd_machine m = {.cmd = argv[0], .o = {.color = 1}};
	struct cmd_machine_sel sel = {0};
	struct err e = {0};
	json_t *root;
	int rc;

	if ((rc = cmd_who_parse(argc, argv, &m, &sel, &e)) != 0) {
		cmd_machine_close(&m);
		return rc > 0 ? CLI_FOUND : CLI_USAGE;
	}
	if ((rc = cmd_machine_lang(&m, sel.lang, m.o.json)) != 0) {
		cmd_machine_close(&m);
		return rc;
	}
	m.o.color = m.o.color && !m.o.json && cli_color(stdout);
	if (cmd_machine_collect(&m, &sel.q, &e) == -1 || cmd_machine_annotate(&m, &e) == -1) {
		cmd_machine_close(&m);
		return cli_fail(argv[0], &e);
	}
	root = json_pack("{s:s}", "schema", "portolan.listening/1");
	if (sel.q.ports == NULL) /* one port: the registry's words for it, as before */
		json_object_set_new(root, "port", json_integer(sel.q.port));
	else
		json_object_set_new(root, "ports", json_string(argv[argc - 1]));
	json_object_set_new(root, "listening", json_boolean(m.ls.n > 0));
	if (sel.q.ports == NULL && cmd_who_identity(&m, &sel, root, &e) == -1) {
		json_decref(root);
		cmd_machine_close(&m);
		return cli_fail(argv[0], &e);
	}
	if (m.ls.n == 0 && !m.o.json) {
		char asked[64];

		if (sel.q.ports == NULL) /* a name: its port, as resolved */
			snprintf(asked, sizeof(asked), "%u%s%s", sel.q.port,
			         sel.q.protos == PROTO_DEFAULT ? "" : "/",
			         sel.q.protos == PROTO_DEFAULT ? ""
			                                       : portspec_proto_name(sel.q.protos));
		render_text_machine(stdout, m.o.t, RENDER_NOTHING_LISTENS,
		                    sel.q.ports == NULL ? asked : argv[argc - 1], NULL, NULL);
		putchar('\n');
	}
	if (!m.o.json)
		cmd_who_identity_text(m.o.t, sel.q.port, root);
	cmd_machine_print(&m, &sel.f, root);
	json_decref(root);
	rc = m.ls.n > 0 ? CLI_FOUND : CLI_NOT_FOUND;
	cmd_machine_close(&m);
	return rc;
}

/* -------------------------------------------------------- listening */

static const char cmd_listening_usage[] =
    "usage: portolan listening [options]\n"
    "       portolan ls ...\n"
    "\n"
    "Every listening TCP socket and bound UDP socket on this machine, one per line:\n"
    "protocol, address:port, the processes holding it (command:pid,pid(user)) and\n"
    "what the registry says the port is.  Listeners that look unexpected are flagged:\n"
    "  !unassigned  the registry has no service on this port\n"
    "  !ephemeral   the port is in this machine's ephemeral (client) range\n"
    "  !malware     the curated data lists malware using this port and protocol\n"
    "  concern:L    the port's concern level for this protocol (low, elevated, high)\n"
    "  !other-service=NAME  the process is named after another registered service\n"
    "               (sshd on the http port: !other-service=ssh)\n"
    "\n"
    "  -t, --tcp, -u, --udp, --sctp  only these protocols (default: TCP and UDP)\n"
    "  -4, --ipv4, -6, --ipv6        only this address family\n"
    "  --port PORTS          only these ports: 22, 8000-8100, ssh, 53/udp, or several\n"
    "                        separated by commas\n"
    "  --pid PID             only listeners held by this process\n"
    "  --user USER           only listeners held by a process of USER (a login name)\n"
    "  --unexpected          only flagged listeners\n"
    "  --sort KEY            port (default), proto, address, pid or user\n"
    "  --all-netns           also every other network namespace (containers,\n"
    "                        `ip netns`); needs root.  Such listeners show their\n"
    "                        namespace, net:[INODE]\n"
    "  --json                machine-readable output (schema portolan.listening/1)\n"
    "  --format FORMAT       text (default), json (as --json) or prometheus: metrics\n"
    "                        in the text format node_exporter's textfile collector\n"
    "                        reads (every listener; the filters do not apply)\n"
    "  --expect FILE         with prometheus: audit gauges and the claimed label from\n"
    "                        an expect file (see `portolan audit`)\n"
    "  --lang CODE           the language of the sentences (as `portolan PORT\n"
    "                        --lang`); the listing's tokens and JSON stay as they are\n"
    "  --db FILE             registry database for the annotation\n"
    "  --no-color            never colour the output (also: NO_COLOR=1)\n"
    "\n"
    "*:PORT is a listener on [::] that takes IPv4 too; [::]:PORT one that is\n"
    "IPv6-only.\n"
    "Run as root to see processes of other users; as root a BPF iterator replaces the\n"
    "/proc walk (PORTOLAN_NO_BPF=1 forces the walk).\n"
    "Exit status: 0 listed (even if empty), 2 bad option, 3 internal error.\n";

struct cmd_listening_opts {
	struct cmd_machine_sel sel;
	enum listeners_order order;
	const char *ports;  /* --port, parsed once the options are all read */
	int prometheus;     /* --format prometheus */
	const char *expect; /* --expect FILE, with --format prometheus */
};

/* --format: text and json are --json's two states; prometheus is its own path. */
static int
cmd_listening_format(const char *arg, struct cmd_machine *m, struct cmd_listening_opts *o,
                     struct err *e)
{
	if (strcmp(arg, "text") == 0 || strcmp(arg, "json") == 0)
		m->o.json = arg[0] == 'j';
	else if (strcmp(arg, "prometheus") == 0)
		o->prometheus = 1;
	else
		return err_set(e, "--format \"%s\": expected text, json or prometheus", arg);
	return 0;
}

static int
cmd_listening_opt(int c, struct cmd_machine *m, struct cmd_listening_opts *o, struct err *e)
{
	switch (c) {
	case 'F':
		return cmd_listening_format(optarg, m, o, e);
	case 'e':
		o->expect = optarg;
		return 0;
	case 'p':
		o->ports = optarg;
		return 0;
	case 'x':
		o->sel.f.unexpected = 1;
		return 0;
	case 's':
		return listeners_order_parse(optarg, &o->order, e);
	}
	return err_set(e, "unknown option");
}

static int
cmd_listening_parse(int argc, char **argv, struct cmd_machine *m, struct cmd_listening_opts *o,
                    const char *usage)
{
	static const struct option opts[] = {
	    CLI_OPTS_LONG,
	    CMD_MACHINE_SEL_LONG,
	    {"port", required_argument, NULL, 'p'},
	    {"unexpected", no_argument, NULL, 'x'},
	    {"sort", required_argument, NULL, 's'},
	    {"format", required_argument, NULL, 'F'},
	    {"expect", required_argument, NULL, 'e'},
	    {NULL, 0, NULL, 0},
	};
	struct err e = {0};
	int c, rc, shared;

	optind = 1;
	while ((c = getopt_long(argc, argv, ":p:xs:F:e:jd:Ch" CMD_MACHINE_SEL_SHORT, opts, NULL)) !=
	       -1) {
		if ((shared = cmd_machine_sel_opt(c, &o->sel, &e)) == 0)
			shared = cli_option(c, &m->o, usage, argc, argv, &rc);
		else if (shared == -1)
			rc = cli_fail(argv[0], &e);
		if (shared < 0)
			return rc == CLI_FOUND ? 1 : -1; /* --help, or an error reported */
		if (shared == 0 && cmd_listening_opt(c, m, o, &e) == -1) {
			cli_fail(argv[0], &e);
			return -1;
		}
	}
	if (optind < argc) {
		cli_usage_error(argv[0], "unexpected argument '%s'", argv[optind]);
		return -1;
	}
	if (o->expect && !o->prometheus) {
		cli_usage_error(argv[0], "--expect goes with --format prometheus (else: portolan "
		                         "audit --expect)");
		return -1;
	}
	o->sel.q.protos = o->sel.only ? o->sel.only : PROTO_DEFAULT;
	if (o->ports && cmd_machine_ports(m, o->ports, &o->sel, &e) == -1) {
		cli_fail(argv[0], &e);
		return -1;
	}
	return cmd_machine_lang(m, o->sel.lang, m->o.json || o->prometheus) == 0 ? 0 : -1;
}

/*
 * --format prometheus: every listener as metrics (listening_prom.h), for
 * node_exporter's textfile collector.  Written whole or not at all: the
 * collector reads a file a cron job renames into place, and a half-written
 * exposition would be a scrape error.
 */
static int
cmd_listening_prometheus(struct cmd_machine *m, const struct cmd_listening_opts *o)
{
	const char *no_bpf = getenv("PORTOLAN_NO_BPF");
	struct listening_prom_opts po = {.expect = o->expect,
	                                 .no_bpf = no_bpf && no_bpf[0] && strcmp(no_bpf, "0") != 0};
	struct strbuf out;
	struct err e = {0};
	int rc = CLI_FOUND;

	strbuf_init(&out, 256u << 20);
	if (cmd_machine_open_registry(m, &e) == -1 ||
	    listening_prom(m->st, &m->rm, &po, &out, &e) == -1)
		rc = cli_fail(m->cmd, &e);
	else if (fwrite(out.buf, 1, out.len, stdout) != out.len || fflush(stdout) != 0)
		rc = cli_fail(m->cmd, &(struct err){ERR_INTERNAL, "writing the metrics failed"});
	strbuf_free(&out);
	cmd_machine_close(m);
	return rc;
}

/* The listing `listening` and `connections` share: collect, sort, annotate, print. */
static int
cmd_listening_list(struct cmd_machine *m, const struct cmd_listening_opts *o, const char *schema)
{
	struct err e = {0};
	json_t *root;
	int rc;

	m->o.color = m->o.color && !m->o.json && cli_color(stdout);
	if ((rc = cmd_machine_collect(m, &o->sel.q, &e)) == 0) {
		listeners_sort(&m->ls, o->order); /* before annotating: notes follow ls's order */
		rc = cmd_machine_annotate(m, &e);
	}
	if (rc == -1) {
		cmd_machine_close(m);
		return cli_fail(m->cmd, &e);
	}
	root = json_pack("{s:s}", "schema", schema);
	cmd_machine_print(m, &o->sel.f, root);
	json_decref(root);
	cmd_machine_close(m);
	return CLI_FOUND;
}

int
cmd_listening(int argc, char **argv)
{
	struct cmd_machine m = {.cmd = argv[0], .o = {.color = 1}};
	struct cmd_listening_opts o = {.order = LISTENERS_BY_PORT};
	int rc;

	if ((rc = cmd_listening_parse(argc, argv, &m, &o, cmd_listening_usage)) != 0) {
		cmd_machine_close(&m);
		return rc > 0 ? CLI_FOUND : CLI_USAGE;
	}
	if (o.prometheus)
		return cmd_listening_prometheus(&m, &o);
	return cmd_listening_list(&m, &o, "portolan.listening/1");
}

/* ------------------------------------------------------ connections */

static const char cmd_connections_usage[] =
    "usage: portolan connections [options]\n"
    "       portolan conns ...\n"
    "\n"
    "Every established TCP connection and connected UDP socket on this machine, one\n"
    "per line: protocol, local address:port, remote address:port, the processes\n"
    "holding it (command:pid,pid(user)) and what the registry says the remote port\n"
    "is: \"what is this connection to 4444?\".  The set is the one `ss -tnp` and\n"
    "`ss -unp` show (established and closing TCP states, not TIME-WAIT).  A remote\n"
    "port is flagged !unassigned or !malware as `listening` flags its ports.\n"
    "\n"
    "  -t, --tcp, -u, --udp          only these protocols (default: TCP and UDP)\n"
    "  -4, --ipv4, -6, --ipv6        only this address family\n"
    "  --port PORTS          only connections with either end on these ports: 22,\n"
    "                        8000-8100, ssh, 53/udp, or several separated by commas\n"
    "  --pid PID             only connections held by this process\n"
    "  --user USER           only connections held by a process of USER\n"
    "  --unexpected          only flagged connections\n"
    "  --sort KEY            port (local; default), proto, address, pid or user\n"
    "  --all-netns           also every other network namespace; needs root\n"
    "  --json                machine-readable output (schema portolan.connections/1)\n"
    "  --lang CODE           the language of the sentences (as `portolan PORT\n"
    "                        --lang`); the listing's tokens and JSON stay as they are\n"
    "  --db FILE             registry database for the annotation\n"
    "  --no-color            never colour the output (also: NO_COLOR=1)\n"
    "\n"
    "Run as root to see processes of other users.\n"
    "Exit status: 0 listed (even if empty), 2 bad option, 3 internal error.\n";

int
cmd_connections(int argc, char **argv)
{
	struct cmd_machine m = {.cmd = argv[0], .o = {.color = 1}, .end = LISTENING_REMOTE};
	struct cmd_listening_opts o = {.order = LISTENERS_BY_PORT};
	int rc;

	if ((rc = cmd_listening_parse(argc, argv, &m, &o, cmd_connections_usage)) != 0) {
		cmd_machine_close(&m);
		return rc > 0 ? CLI_FOUND : CLI_USAGE;
	}
	o.sel.q.connected = 1;
	o.sel.q.protos &= PROTO_TCP | PROTO_UDP; /* SCTP associations are not asked for */
	if (o.sel.q.port != 0) { /* either end: the kernel's filter takes the local one only */
		o.sel.q.port = 0;
		o.sel.q.ports = &o.sel.ports;
	}
	return cmd_listening_list(&m, &o, "portolan.connections/1");
}

/* ------------------------------------------------------------ audit */

static const char cmd_audit_usage[] =
    "usage: portolan audit --expect FILE [--all-netns] [--json] [--db FILE]\n"
    "       portolan audit --claims [--store URL] [--all-netns] [--json]\n"
    "       portolan audit --snapshot [--all-netns] > FILE\n"
    "\n"
    "Compare this machine's listeners with an expected set and print what appeared\n"
    "(+) and what disappeared (-).  FILE has one expected listener per line:\n"
    "\n"
    "    # PORT/PROTO   PROCESS   ADDRESS\n"
    "    22/tcp         sshd      0.0.0.0\n"
    "    53/udp         *         127.0.0.53\n"
    "    443/tcp        nginx\n"
    "\n"
    "PROCESS is the command name as /proc/PID/comm shows it (15 characters at most);\n"
    "'*' or a missing field matches anything; '#' starts a comment.  --snapshot\n"
    "writes today's listeners in this format, a starting point to edit.\n"
    "\n"
    "  --claims     expect exactly the organisation's claims for this host (those\n"
    "               whose --hosts pattern matches its name; `portolan claim`): a\n"
    "               listener no claim covers is +, a claim nothing listens on is -\n"
    "  --all-netns  also every other network namespace (containers, `ip netns`);\n"
    "               needs root\n"
    "  --json       machine-readable result (schema portolan.audit/1), for cron, CI\n"
    "  --lang CODE  the language of the sentences (as `portolan PORT --lang`)\n"
    "\n"
    "Run as root: processes of other users are otherwise invisible, and an expected\n"
    "PROCESS cannot match them.\n"
    "Exit status: 0 as expected, 1 drift, 2 bad option or expect file, 3 internal\n"
    "error.\n";

/* On stderr, beside the drift a script reads on stdout. */
static void
cmd_audit_unseen(const struct cmd_machine *m)
{
	char note[512];

	if (m->ls.unseen > 0 && cmd_machine_unseen(m, m->ls.unseen, note, sizeof(note)) != NULL)
		fprintf(stderr, "portolan %s: %s\n", m->cmd, note);
}

static json_t *
cmd_audit_json_missing(const struct expect *x, const char *file)
{
	char addr[INET6_ADDRSTRLEN] = "";

	if (x->family)
		inet_ntop(x->family, x->addr, addr, sizeof(addr));
	return json_pack("{s:i, s:s, s:s?, s:s?, s:s, s:I}", "port", (int)x->port, "proto",
	                 portspec_proto_name(x->proto), "process",
	                 x->process[0] ? x->process : NULL, "address", addr[0] ? addr : NULL,
	                 "file", file, "line", (json_int_t)x->line);
}

static void
cmd_audit_report(struct cmd_machine *m, const struct expect_set *x, const struct audit_result *r,
                 const char *file)
{
	json_t *added = json_array(), *missing = json_array(), *root;
	struct strbuf who;
	char ep[INET6_ADDRSTRLEN + IF_NAMESIZE + 16], line[160];

	for (size_t i = 0; i < r->nadded; i++) {
		const struct listener *l = &m->ls.v[r->added[i]];

		if (m->o.json) {
			json_array_append_new(added, cmd_machine_json_listener(m, l));
			continue;
		}
		strbuf_init(&who, 4096);
		cmd_machine_holders(l, &who);
		listening_endpoint(&l->s, ep, sizeof(ep));
		printf("+ %s %s %s\n", portspec_proto_name(l->s.proto), ep, who.buf);
		strbuf_free(&who);
	}
	for (size_t i = 0; i < r->nmissing; i++) {
		const struct expect *ex = &x->v[r->missing[i]];

		if (m->o.json) {
			json_array_append_new(missing, cmd_audit_json_missing(ex, file));
			continue;
		}
		audit_expect_str(ex, line, sizeof(line));
		printf("- %s   (%s:%ld)\n", line, file, ex->line);
	}
	if (!m->o.json) {
		cmd_audit_unseen(m); /* an expected PROCESS cannot match what we cannot see */
		json_decref(added);
		json_decref(missing);
		return;
	}
	root = json_pack("{s:s, s:b, s:o, s:o, s:I}", "schema", "portolan.audit/1", "clean",
	                 r->nadded + r->nmissing == 0, "added", added, "missing", missing, "unseen",
	                 (json_int_t)m->ls.unseen);
	render_json(stdout, root);
	json_decref(root);
}

static int
cmd_audit_snapshot(struct cmd_machine *m)
{
	struct strbuf sb;
	struct err e = {0};

	strbuf_init(&sb, 64u << 20);
	if (audit_snapshot(&m->ls, &sb, &e) == -1) {
		strbuf_free(&sb);
		return cli_fail(m->cmd, &e);
	}
	fputs(sb.buf, stdout);
	strbuf_free(&sb);
	cmd_audit_unseen(m);
	return CLI_FOUND;
}

static int
cmd_audit_expect(struct cmd_machine *m, const char *file)
{
	struct expect_set x = {0};
	struct audit_result r;
	struct err e = {0};
	int rc;

	if (audit_load(file, &x, &e) == -1) {
		audit_free(&x);
		return cli_fail(m->cmd, &e);
	}
	if (audit_compare(&x, &m->ls, &r, &e) == -1) {
		audit_free(&x);
		return cli_fail(m->cmd, &e);
	}
	if (m->o.json && cmd_machine_annotate(m, &e) == -1) {
		audit_result_free(&r);
		audit_free(&x);
		return cli_fail(m->cmd, &e);
	}
	cmd_audit_report(m, &x, &r, file);
	rc = r.nadded + r.nmissing == 0 ? CLI_FOUND : CLI_NOT_FOUND;
	audit_result_free(&r);
	audit_free(&x);
	return rc;
}

/* What --claims sets in place of an --expect file name (compared by address). */
static const char cmd_audit_from_claims[] = "claims";

/*
 * --claims: the organisation's claims for this host are the expected set.
 * A claim covers a listener when the port lies in its range and the
 * protocol is among its protocols; a range claim is present when any of
 * its ports listens.
 */
static int
cmd_audit_claims(struct cmd_machine *m, int argc, char **argv)
{
	struct cstore *cs;
	struct claim_list all = {0};
	struct err e = {0};
	char host[256] = "";
	unsigned char *seen;
	json_t *added = json_array(), *missing = json_array(), *root;
	size_t drift = 0;

	gethostname(host, sizeof(host) - 1);
	if (cli_claims_open(&m->o, CSTORE_READ, argc, argv, &cs, &e) == -1 ||
	    cstore_list(cs, &all, &e) == -1) {
		cstore_close(cs);
		json_decref(added);
		json_decref(missing);
		return cli_fail(m->cmd, &e);
	}
	cstore_close(cs);
	if ((seen = calloc(all.n + 1, 1)) == NULL ||
	    (m->o.json && cmd_machine_annotate(m, &e) == -1)) {
		free(seen);
		claims_free(&all);
		json_decref(added);
		json_decref(missing);
		return e.msg[0] ? cli_fail(m->cmd, &e) : CLI_INTERNAL;
	}
	for (size_t i = 0; i < m->ls.n; i++) {
		const struct listener *l = &m->ls.v[i];
		unsigned proto = l->s.proto == PROTO_UDP ? CLAIM_UDP : CLAIM_TCP;
		int covered = 0;

		for (size_t j = 0; j < all.n; j++)
			if (l->s.port >= all.v[j].lo && l->s.port <= all.v[j].hi &&
			    (all.v[j].protos & proto) && claims_hosts_match(all.v[j].hosts, host))
				covered = seen[j] = 1;
		if (covered)
			continue;
		drift++;
		if (m->o.json) {
			json_array_append_new(added, cmd_machine_json_listener(m, l));
		} else {
			struct strbuf who;
			char ep[INET6_ADDRSTRLEN + IF_NAMESIZE + 16];

			strbuf_init(&who, 4096);
			cmd_machine_holders(l, &who);
			listening_endpoint(&l->s, ep, sizeof(ep));
			printf("+ %s %s %s   ", portspec_proto_name(l->s.proto), ep, who.buf);
			render_text_machine(stdout, m->o.t, RENDER_NO_CLAIM, NULL, NULL, NULL);
			putchar('\n');
			strbuf_free(&who);
		}
	}
	for (size_t j = 0; j < all.n; j++) {
		char port[32];

		if (seen[j] || !claims_hosts_match(all.v[j].hosts, host))
			continue;
		drift++;
		claims_port_str(&all.v[j], port, sizeof(port));
		if (m->o.json)
			json_array_append_new(missing, claims_json(&all.v[j]));
		else {
			fputs("- ", stdout);
			render_text_machine(stdout, m->o.t, RENDER_CLAIM_IDLE, port,
			                    all.v[j].service, all.v[j].owner);
			putchar('\n');
		}
	}
	if (m->o.json) {
		root = json_pack("{s:s, s:s, s:b, s:o, s:o, s:I}", "schema", "portolan.audit/1",
		                 "host", host, "clean", drift == 0, "added", added, "missing",
		                 missing, "unseen", (json_int_t)m->ls.unseen);
		render_json(stdout, root);
		json_decref(root);
	} else {
		json_decref(added);
		json_decref(missing);
	}
	free(seen);
	claims_free(&all);
	return drift == 0 ? CLI_FOUND : CLI_NOT_FOUND;
}

static int
cmd_audit_parse(int argc, char **argv, struct cmd_machine *m, const char **expect, int *snapshot,
                const char **lang)
{
	static const struct option opts[] = {
	    CLI_OPTS_LONG,
	    {"claims", no_argument, NULL, 'K'},
	    {"expect", required_argument, NULL, 'e'},
	    {"snapshot", no_argument, NULL, 's'},
	    {"all-netns", no_argument, NULL, 'N'},
	    {"lang", required_argument, NULL, 'L'},
	    {NULL, 0, NULL, 0},
	};
	int c, rc, given = 0;

	optind = 1;
	while ((c = getopt_long(argc, argv, ":e:sNjd:ChL:", opts, NULL)) != -1) {
		if (cli_option(c, &m->o, cmd_audit_usage, argc, argv, &rc) < 0)
			return rc == CLI_FOUND ? 1 : -1; /* --help, or a usage error reported */
		if (c == 'e' || c == 'K' || c == 's')
			given++;
		if (c == 'e')
			*expect = optarg;
		else if (c == 'K')
			*expect = cmd_audit_from_claims; /* the claims, not a file */
		else if (c == 's')
			*snapshot = 1;
		else if (c == 'N')
			m->all_netns = 1;
		else if (c == 'L')
			*lang = optarg;
	}
	if (optind < argc || given != 1) {
		cli_usage_error(argv[0],
		                "give exactly one of --expect FILE, --claims or --snapshot");
		return -1;
	}
	return 0;
}

int
cmd_audit(int argc, char **argv)
{
	struct cmd_machine m = {.cmd = argv[0]};
	struct sockets_query q = {.protos = PROTO_DEFAULT};
	const char *expect = NULL, *lang = NULL;
	struct err e = {0};
	int snapshot = 0, rc;

	if ((rc = cmd_audit_parse(argc, argv, &m, &expect, &snapshot, &lang)) != 0)
		return rc > 0 ? CLI_FOUND : CLI_USAGE;
	/* --snapshot writes a file for programs; its note on stderr is for the reader. */
	if ((rc = cmd_machine_lang(&m, lang, m.o.json)) != 0)
		return rc;
	q.all_netns = m.all_netns;
	if (cmd_machine_collect(&m, &q, &e) == -1) {
		cmd_machine_close(&m);
		return cli_fail(argv[0], &e);
	}
	rc = snapshot                          ? cmd_audit_snapshot(&m)
	     : expect == cmd_audit_from_claims ? cmd_audit_claims(&m, argc, argv)
	                                       : cmd_audit_expect(&m, expect);
	cmd_machine_close(&m);
	return rc;
}
