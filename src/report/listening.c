/*
 * listening.c - see listening.h.
 *
 * The registry questions (is the port assigned, how worried to be about
 * it for the listener's protocol, is the holder's command the name of
 * another registered service) are asked once for the whole set of
 * listeners: the identity and the holders' names each as one statement
 * over a JSON array of the ports or names present (json_each()), the
 * concern once per (port, protocol) present, not per socket.  The answers
 * sit in a sorted table that listening_annotate() searches per listener.
 *
 * JSON is written as it is produced (util/jsonw.h): a listing of
 * thousands of listeners never exists as a tree.  The port report's few
 * listeners are parsed back from the same writer's text, so there is one
 * definition of a listener's JSON shape.
 */
#include <sys/socket.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "listening.h"
#include "registry/rows.h"

static const char *const listening_flag_names[LISTENING_NFLAGS] = {"unassigned", "ephemeral",
                                                                   "malware", "other-service"};

const char *
listening_flag_name(size_t i)
{
	return i < LISTENING_NFLAGS ? listening_flag_names[i] : NULL;
}

struct listening_port {
	unsigned port, proto; /* the key: sorted by port, then proto */
	struct port_identity id;
	unsigned flags;             /* LISTENING_MALWARE when a malware association counts */
	enum concern_level concern; /* for the port and protocol (concern.h) */
	char concern_codes[128];    /* the codes of its reasons, comma-separated */
};

struct listening_index {
	enum listening_end end; /* which port of each socket the index is about */
	struct store *st;       /* NULL: no registry */
	struct range_machine rm;
	struct listening_port *v; /* every (port, proto) present */
	size_t n;
	char (*names)[32]; /* the holders' command candidates that are service names, sorted */
	size_t nnames;
};

static int
listening_port_cmp(const void *a, const void *b)
{
	const struct listening_port *x = a, *y = b;

	if (x->port != y->port)
		return x->port < y->port ? -1 : 1;
	return x->proto < y->proto ? -1 : x->proto > y->proto;
}

static int
listening_name_cmp(const void *a, const void *b)
{
	return strcasecmp(a, b);
}

/*
 * The names a process's command might be a service's: the command itself,
 * without a trailing 'd' ("sshd"), and its part before the first '-'
 * ("redis-server").  0 when the command is empty or too long to be one.
 */
static int
listening_candidates(const char *comm, char cand[3][32])
{
	size_t n = strlen(comm);

	if (n == 0 || n >= sizeof(cand[0]))
		return 0;
	snprintf(cand[0], sizeof(cand[0]), "%s", comm);
	snprintf(cand[1], sizeof(cand[1]), "%.*s", (int)(n - (comm[n - 1] == 'd')), comm);
	snprintf(cand[2], sizeof(cand[2]), "%.*s", (int)strcspn(comm, "-"), comm);
	return 1;
}

/* The port of s the index annotates: its own, or its peer's. */
static unsigned
listening_port_of(const struct listening_index *ix, const struct msock *s)
{
	return ix->end == LISTENING_REMOTE ? s->rport : s->port;
}

/* ix->v: every (port, proto) of the n listeners once, sorted. */
static int
listening_index_ports(struct listening_index *ix, const struct listener *v, size_t n)
{
	if ((ix->v = calloc(n + 1, sizeof(*ix->v))) == NULL)
		return -1;
	for (size_t i = 0; i < n; i++)
		ix->v[i] = (struct listening_port){.port = listening_port_of(ix, &v[i].s),
		                                   .proto = v[i].s.proto};
	qsort(ix->v, n, sizeof(*ix->v), listening_port_cmp);
	for (size_t i = 0; i < n; i++)
		if (ix->n == 0 || listening_port_cmp(&ix->v[ix->n - 1], &ix->v[i]) != 0)
			ix->v[ix->n++] = ix->v[i];
	return 0;
}

/* The registry's identity of each (port, proto) present: one statement for all. */
static int
listening_index_identity(struct listening_index *ix, struct err *e)
{
	struct identity_want *w = calloc(ix->n + 1, sizeof(*w));
	int rc;

	if (w == NULL)
		return err_internal(e, "out of memory");
	for (size_t i = 0; i < ix->n; i++)
		w[i] = (struct identity_want){.port = ix->v[i].port,
		                              .protocol = portspec_proto_name(ix->v[i].proto)};
	if ((rc = identity_ports(ix->st, w, ix->n, e)) == 0)
		for (size_t i = 0; i < ix->n; i++)
			ix->v[i].id = w[i].id;
	free(w);
	return rc;
}

/* A JSON array written by fill into a new string (free() it); NULL when out of memory. */
static char *
listening_json_list(void (*fill)(struct jsonw *, const void *), const void *arg, size_t *len)
{
	struct jsonw w;
	char *buf = NULL;
	FILE *f = open_memstream(&buf, len);

	if (f == NULL)
		return NULL;
	jsonw_init(&w, f, 0);
	jsonw_begin_array(&w);
	fill(&w, arg);
	jsonw_end_array(&w);
	if (fclose(f) != 0) {
		free(buf);
		return NULL;
	}
	return buf;
}

/* Whether "exposure,malware-shared" lists code (whole items only). */
static int
listening_has_code(const char *list, const char *code)
{
	size_t n = strlen(code);

	for (const char *p = list; *p; p += strcspn(p, ",") + (p[strcspn(p, ",")] == ','))
		if (strncmp(p, code, n) == 0 && (p[n] == ',' || p[n] == '\0'))
			return 1;
	return 0;
}

/*
 * The concern level of each (port, protocol) present (concern.h), the
 * same computation as the port report's: a UDP game range says nothing of
 * a TCP listener.  "malware" is flagged only for a malware association
 * that counts (sourced, narrow, not shared with common software).
 */
static void
listening_concern(struct listening_port *p, const json_t *c)
{
	size_t i, used = 0;
	json_t *x;

	p->concern = concern_level_parse(json_string_value(json_object_get(c, "level")));
	json_array_foreach(json_object_get(c, "codes"), i, x)
	{
		const char *code = json_string_value(json_object_get(x, "code"));

		if (strcmp(code, "malware") == 0)
			p->flags |= LISTENING_MALWARE;
		if (!listening_has_code(p->concern_codes, code) && used < sizeof(p->concern_codes))
			used += (size_t)snprintf(p->concern_codes + used,
			                         sizeof(p->concern_codes) - used, "%s%s",
			                         used ? "," : "", code);
	}
}

/* The concern of every (port, protocol) present, read at once (concern_ports()). */
static int
listening_index_concern(struct listening_index *ix, struct err *e)
{
	struct concern_want *w = calloc(ix->n + 1, sizeof(*w));

	if (w == NULL)
		return err_internal(e, "out of memory");
	for (size_t i = 0; i < ix->n; i++)
		w[i] = (struct concern_want){.port = ix->v[i].port,
		                             .protocol = portspec_proto_name(ix->v[i].proto)};
	if (concern_ports(ix->st, w, ix->n, e) == -1) {
		free(w);
		return -1;
	}
	for (size_t i = 0; i < ix->n; i++) {
		listening_concern(&ix->v[i], w[i].assessment);
		json_decref(w[i].assessment);
	}
	free(w);
	return 0;
}

struct listening_comms {
	char (*v)[32];
	size_t n;
};

static void
listening_fill_names(struct jsonw *w, const void *arg)
{
	const struct listening_comms *c = arg;

	for (size_t i = 0; i < c->n; i++)
		jsonw_string(w, c->v[i]);
}

static int
listening_str_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/*
 * Every candidate name of the listeners' first holders, once each, sorted.
 * Thousands of listeners are held by a few commands: the commands are
 * made distinct first, so each one's candidates are made and sorted once.
 */
static int
listening_comms(const struct listener *v, size_t n, struct listening_comms *c)
{
	const char **comm = calloc(n + 1, sizeof(*comm));
	char cand[3][32];
	size_t k = 0, m = 0;

	if (comm == NULL || (c->v = calloc(3 * n + 1, sizeof(*c->v))) == NULL) {
		free(comm);
		return -1;
	}
	for (size_t i = 0; i < n; i++)
		if (v[i].nholders > 0)
			comm[m++] = v[i].holders[0].comm;
	qsort(comm, m, sizeof(*comm), listening_str_cmp);
	for (size_t i = 0; i < m; i++)
		if ((i == 0 || strcmp(comm[i - 1], comm[i]) != 0) &&
		    listening_candidates(comm[i], cand))
			for (size_t j = 0; j < 3; j++)
				if (cand[j][0])
					memcpy(c->v[k++], cand[j], sizeof(cand[j]));
	free(comm);
	qsort(c->v, k, sizeof(*c->v), listening_name_cmp);
	c->n = 0;
	for (size_t i = 0; i < k; i++)
		if (c->n == 0 || strcasecmp(c->v[c->n - 1], c->v[i]) != 0)
			memcpy(c->v[c->n++], c->v[i], sizeof(c->v[i]));
	return 0;
}

/*
 * Which of the holders' command candidates are registered service names,
 * as IANA spells them in any case (record_service_nocase serves this).
 */
static int
listening_index_names(struct listening_index *ix, const struct listener *v, size_t n, struct err *e)
{
	struct listening_comms c;
	struct rows r;
	size_t len;
	char *list;

	if (listening_comms(v, n, &c) == -1)
		return err_internal(e, "out of memory");
	ix->names = c.v; /* reused in place: the hits are a subset, in order */
	if ((list = listening_json_list(listening_fill_names, &c, &len)) == NULL)
		return err_internal(e, "out of memory");
	if (rows_open(ix->st, &r,
	              "SELECT j.value FROM json_each(?1) AS j WHERE EXISTS"
	              " (SELECT 1 FROM record WHERE service = j.value COLLATE NOCASE)",
	              e) == -1) {
		free(list);
		return -1;
	}
	sqlite3_bind_text(r.stmt, 1, list, (int)len, SQLITE_STATIC);
	while (rows_next(&r) == 1)
		snprintf(ix->names[ix->nnames++], sizeof(ix->names[0]), "%s",
		         (const char *)sqlite3_column_text(r.stmt, 0));
	free(list);
	return rows_close(&r);
}

struct listening_index *
listening_index_load(struct store *st, const struct range_machine *rm, const struct listener *v,
                     size_t n, enum listening_end end, struct err *e)
{
	struct listening_index *ix = calloc(1, sizeof(*ix));

	if (ix == NULL) {
		err_internal(e, "out of memory");
		return NULL;
	}
	ix->st = st;
	ix->rm = *rm;
	ix->end = end;
	if (st == NULL)
		return ix;
	if (listening_index_ports(ix, v, n) == -1) {
		err_internal(e, "out of memory");
		goto fail;
	}
	/*
	 * Nothing listens: nothing to annotate.  The bulk loaders below read
	 * every registry range once whatever the count, which was 0.9 ms of a
	 * `portolan 3106` on a port where nothing listens (bench/lookup).
	 */
	if (ix->n == 0)
		return ix;
	if (listening_index_identity(ix, e) == -1 || listening_index_concern(ix, e) == -1 ||
	    listening_index_names(ix, v, n, e) == -1)
		goto fail;
	return ix;
fail:
	listening_index_free(ix);
	return NULL;
}

void
listening_index_free(struct listening_index *ix)
{
	if (ix == NULL)
		return;
	free(ix->v);
	free(ix->names);
	free(ix);
}

/*
 * Whether a process is named after a registered service other than the
 * port's own: "sshd" on the http port looks like ssh.  Only exact
 * registry names count, so a process with an unrelated name (nginx,
 * python3) is never flagged.  1 with the name in out, else 0.
 */
static int
listening_looks_like(const struct listening_index *ix, const char *comm, const char *service,
                     char *out, size_t len)
{
	char cand[3][32];

	if (!listening_candidates(comm, cand))
		return 0;
	for (size_t i = 0; i < 3; i++) {
		if (cand[i][0] == '\0' || strcasecmp(cand[i], service) == 0)
			return 0; /* named after the port's own service */
	}
	for (size_t i = 0; i < 3; i++) {
		if (bsearch(cand[i], ix->names, ix->nnames, sizeof(ix->names[0]),
		            listening_name_cmp)) {
			snprintf(out, len, "%.31s", cand[i]);
			return 1;
		}
	}
	return 0;
}

/*
 * The registry annotation, from the index.  It can fail (the signature
 * says so) because an annotation that reads more than the index holds
 * must be able to report a failing database.
 */
int
listening_annotate(struct listening_index *ix, const struct listener *l, struct listening_note *n,
                   struct err *e)
{
	const struct msock *s = &l->s;
	struct listening_port key = {.port = listening_port_of(ix, s), .proto = s->proto}, *p;
	int local = ix->end == LISTENING_LOCAL;

	(void)e;
	memset(n, 0, sizeof(*n));
	/* The machine's facts are about its own ports: a peer's port is the peer's business. */
	if (local && s->port >= (unsigned)ix->rm.ephemeral_lo &&
	    s->port <= (unsigned)ix->rm.ephemeral_hi)
		n->flags |= LISTENING_EPHEMERAL;
	if (ix->st == NULL ||
	    (p = bsearch(&key, ix->v, ix->n, sizeof(*ix->v), listening_port_cmp)) == NULL)
		return 0;
	n->have = 1;
	n->id = p->id;
	n->flags |= p->flags;
	n->concern = p->concern;
	memcpy(n->concern_codes, p->concern_codes, sizeof(n->concern_codes));
	if (!n->id.assigned)
		n->flags |= LISTENING_UNASSIGNED;
	if (local && n->id.assigned && l->nholders > 0 &&
	    listening_looks_like(ix, l->holders[0].comm, n->id.service, n->looks_like,
	                         sizeof(n->looks_like)))
		n->flags |= LISTENING_OTHER_SERVICE;
	return 0;
}

const char *
listening_concern_label(const struct listening_note *n)
{
	return n->have ? concern_level_name(n->concern) : "";
}

/* Whether s is bound to the IPv6 wildcard "::". */
static int
listening_any6(const struct msock *s)
{
	static const uint8_t any[16];

	return s->family == AF_INET6 && memcmp(s->addr, any, sizeof(any)) == 0;
}

/*
 * "127.0.0.1:80", "[::1]:80", "[fe80::1%eth0]:80" as ss(8) writes them,
 * and as it does "*:80" for [::] that takes IPv4 too (dual-stack) and
 * "[::]:80" for [::] that is IPv6-only: the two differ in who can connect.
 */
void
listening_endpoint(const struct msock *s, char *buf, size_t len)
{
	char addr[INET6_ADDRSTRLEN] = "", ifn[IF_NAMESIZE + 1] = "";

	sockets_addr_str(s, addr, sizeof(addr));
	/* An interface index names an interface of the socket's own namespace. */
	if (s->ifindex && s->netns == 0 && if_indextoname(s->ifindex, ifn + 1))
		ifn[0] = '%';
	if (listening_any6(s) && !s->v6only)
		snprintf(buf, len, "*%s:%u", ifn, s->port);
	else if (s->family == AF_INET6)
		snprintf(buf, len, "[%s%s]:%u", addr, ifn, s->port);
	else
		snprintf(buf, len, "%s%s:%u", addr, ifn, s->port);
}

/* The kernel's TCP_* state as ss(8) names it, lower case; UDP's bound is "unconnected". */
static const char *
listening_state_name(int state)
{
	static const char *const names[] = {
	    [TCP_ESTABLISHED] = "established", [TCP_SYN_SENT] = "syn-sent",
	    [TCP_SYN_RECV] = "syn-recv",       [TCP_FIN_WAIT1] = "fin-wait-1",
	    [TCP_FIN_WAIT2] = "fin-wait-2",    [TCP_TIME_WAIT] = "time-wait",
	    [TCP_CLOSE] = "unconnected",       [TCP_CLOSE_WAIT] = "close-wait",
	    [TCP_LAST_ACK] = "last-ack",       [TCP_LISTEN] = "listen",
	    [TCP_CLOSING] = "closing",
	};

	if (state < 0 || (size_t)state >= sizeof(names) / sizeof(names[0]) || !names[state])
		return "unknown";
	return names[state];
}

/* The peer's end of a connection, as listening_endpoint() writes a socket's own. */
void
listening_remote(const struct msock *s, char *buf, size_t len)
{
	struct msock peer = {.family = s->family, .port = s->rport, .v6only = 1};

	memcpy(peer.addr, s->raddr, sizeof(peer.addr));
	listening_endpoint(&peer, buf, len);
}

static void
listening_write_holder(struct jsonw *w, const struct owner *o)
{
	jsonw_begin_object(w);
	jsonw_key(w, "pid");
	jsonw_int(w, o->pid);
	jsonw_key(w, "fd");
	jsonw_int(w, o->fd);
	jsonw_key(w, "command");
	jsonw_string(w, o->comm);
	jsonw_key(w, "user");
	jsonw_string(w, o->user);
	jsonw_key(w, "uid");
	jsonw_int(w, o->uid == OWNERS_UID_UNKNOWN ? -1 : (long long)o->uid);
	jsonw_key(w, "unit");
	if (o->unit[0])
		jsonw_string(w, o->unit);
	else
		jsonw_null(w);
	jsonw_end_object(w);
}

static void
listening_write_registry(struct jsonw *w, const struct listening_note *n)
{
	if (!n->have) {
		jsonw_null(w);
		return;
	}
	jsonw_begin_object(w);
	jsonw_key(w, "service");
	jsonw_string(w, n->id.service);
	jsonw_key(w, "description");
	jsonw_string(w, n->id.description);
	jsonw_key(w, "assigned");
	jsonw_bool(w, n->id.assigned);
	jsonw_key(w, "concern");
	jsonw_begin_object(w);
	jsonw_key(w, "level");
	jsonw_string(w, concern_level_name(n->concern));
	jsonw_key(w, "codes"); /* "exposure,scanner" as ["exposure", "scanner"] */
	jsonw_begin_array(w);
	for (const char *c = n->concern_codes; *c;
	     c += strcspn(c, ",") + (c[strcspn(c, ",")] == ',')) {
		char code[64];

		snprintf(code, sizeof(code), "%.*s", (int)strcspn(c, ","), c);
		jsonw_string(w, code);
	}
	jsonw_end_array(w);
	jsonw_end_object(w);
	jsonw_end_object(w);
}

void
listening_write(struct jsonw *w, const struct listener *l, const struct listening_note *n)
{
	char addr[INET6_ADDRSTRLEN] = "", ifn[IF_NAMESIZE] = "";

	sockets_addr_str(&l->s, addr, sizeof(addr));
	if (l->s.ifindex && l->s.netns == 0)
		if_indextoname(l->s.ifindex, ifn);
	jsonw_begin_object(w);
	jsonw_key(w, "proto");
	jsonw_string(w, portspec_proto_name(l->s.proto));
	jsonw_key(w, "family");
	jsonw_string(w, l->s.family == AF_INET ? "ipv4" : "ipv6");
	jsonw_key(w, "address");
	jsonw_string(w, addr);
	/* IPv6 only (IPV6_V6ONLY); false: an IPv6 socket that takes IPv4 too */
	jsonw_key(w, "v6only");
	if (l->s.family == AF_INET6)
		jsonw_bool(w, l->s.v6only);
	else
		jsonw_null(w);
	jsonw_key(w, "port");
	jsonw_int(w, l->s.port);
	if (l->s.state != TCP_LISTEN && l->s.state != TCP_CLOSE) { /* a connection */
		inet_ntop(l->s.family, l->s.raddr, addr, sizeof(addr));
		jsonw_key(w, "remote_address");
		jsonw_string(w, addr);
		jsonw_key(w, "remote_port");
		jsonw_int(w, l->s.rport);
	}
	jsonw_key(w, "interface");
	if (ifn[0])
		jsonw_string(w, ifn);
	else
		jsonw_null(w);
	jsonw_key(w, "state");
	jsonw_string(w, listening_state_name(l->s.state));
	jsonw_key(w, "inode");
	jsonw_int(w, (long long)l->s.inode);
	jsonw_key(w, "socket_uid");
	jsonw_int(w, l->s.uid);
	jsonw_key(w, "holders");
	jsonw_begin_array(w);
	for (size_t i = 0; i < l->nholders; i++)
		listening_write_holder(w, &l->holders[i]);
	jsonw_end_array(w);
	jsonw_key(w, "flags");
	jsonw_begin_array(w);
	for (size_t i = 0; i < LISTENING_NFLAGS; i++)
		if (n->flags & (1u << i))
			jsonw_string(w, listening_flag_names[i]);
	jsonw_end_array(w);
	jsonw_key(w, "netns");
	if (l->s.netns)
		jsonw_int(w, (long long)l->s.netns);
	else
		jsonw_null(w);
	if (n->flags & LISTENING_OTHER_SERVICE) {
		jsonw_key(w, "looks_like");
		jsonw_string(w, n->looks_like);
	}
	jsonw_key(w, "registry");
	listening_write_registry(w, n);
	jsonw_end_object(w);
}

/* The writer's text parsed back: one definition of the shape serves both. */
json_t *
listening_json(const struct listener *l, const struct listening_note *n)
{
	struct jsonw w;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	json_t *o = NULL;

	if (f == NULL)
		return NULL;
	jsonw_init(&w, f, 0);
	listening_write(&w, l, n);
	if (fclose(f) == 0)
		o = json_loadb(buf, len, 0, NULL);
	free(buf);
	return o;
}

const char *
listening_unseen_why(const struct listener_set *ls)
{
	if (ls->hidepid >= 2 &&
	    geteuid() != 0) /* other users' processes are not there to deny us */
		return "hidepid";
	return ls->denied > 0 ? "other-users" : "namespace";
}

/* The sentence about listeners we could not attribute, "" when none. */
void
listening_unseen(const struct listener_set *ls, size_t unseen, char *buf, size_t len)
{
	const char *why = listening_unseen_why(ls);
	/* The set holds listeners or connections, never both. */
	const char *what =
	    ls->n > 0 && ls->v[0].s.state != TCP_LISTEN && ls->v[0].s.state != TCP_CLOSE
	        ? "connection"
	        : "listener";
	const char *s = unseen == 1 ? "" : "s";

	buf[0] = '\0';
	if (unseen == 0)
		return;
	if (strcmp(why, "hidepid") == 0)
		snprintf(buf, len,
		         "%zu %s%s held by processes /proc hides from this user "
		         "(mounted hidepid=%d): run as root to see who",
		         unseen, what, s, ls->hidepid);
	else if (strcmp(why, "other-users") == 0)
		snprintf(buf, len, "%zu %s%s owned by other users: run as root to see who", unseen,
		         what, s);
	else
		snprintf(buf, len,
		         "%zu %s%s held by no process visible here (another PID namespace?)",
		         unseen, what, s);
}

json_t *
listening_port(struct store *st, const struct range_machine *rm, long port, const char *protocol,
               struct err *e)
{
	struct sockets_query q = {.protos = PROTO_DEFAULT, .port = (unsigned)port};
	struct owners_opts oo = {0};
	struct listening_index *ix;
	struct listening_note n;
	struct listener_set ls;
	struct err refused = {0};
	json_t *arr, *out;
	const char *why;
	size_t unseen = 0;
	char note[160];

	if (protocol && protocol[0] && (q.protos = portspec_proto(protocol)) == 0)
		return json_pack("{s:[], s:i, s:n}", "listeners", "unseen", 0, "note");
	if (port < 1 || port > PORT_MAX)
		return json_pack("{s:[], s:i, s:n}", "listeners", "unseen", 0, "note");
	if (listeners_collect(&q, &oo, &ls, &refused) == -1)
		return json_null(); /* the machine will not say: the section says nothing */
	if ((ix = listening_index_load(st, rm, ls.v, ls.n, LISTENING_LOCAL, e)) == NULL) {
		listeners_free(&ls);
		return NULL;
	}
	arr = json_array();
	for (size_t i = 0; i < ls.n; i++) {
		if (listening_annotate(ix, &ls.v[i], &n, e) == -1) {
			json_decref(arr);
			listening_index_free(ix);
			listeners_free(&ls);
			return NULL;
		}
		unseen += ls.v[i].nholders == 0;
		json_array_append_new(arr, listening_json(&ls.v[i], &n));
	}
	listening_unseen(&ls, unseen, note, sizeof(note));
	why = unseen > 0 ? listening_unseen_why(&ls) : NULL;
	listening_index_free(ix);
	listeners_free(&ls);
	out = json_pack("{s:o, s:I, s:s?, s:s?}", "listeners", arr, "unseen", (json_int_t)unseen,
	                "note", note[0] ? note : NULL, "unseen_why", why);
	if (why != NULL && strcmp(why, "hidepid") == 0)
		json_object_set_new(out, "hidepid", json_integer(ls.hidepid));
	return out;
}
