/*
 * listening.c - see listening.h.
 *
 * The registry questions asked per listener (is the port assigned, does
 * the curated data list malware on it, is the holder's command the name of
 * another registered service) are single indexed lookups, so annotating
 * thousands of listeners stays well under the time the /proc walk takes.
 */
#include <sys/socket.h>
#include <net/if.h>
#include <arpa/inet.h>

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "listening.h"
#include "registry/rows.h"

static const char *const listening_flag_names[LISTENING_NFLAGS] = {"unassigned", "ephemeral",
                                                                   "malware", "other-service"};

const char *
listening_flag_name(size_t i)
{
	return i < LISTENING_NFLAGS ? listening_flag_names[i] : NULL;
}

/* Whether the curated data lists a malware use of this port: 1, 0, or -1 (e filled). */
static int
listening_malware(struct store *st, unsigned port, struct err *e)
{
	struct rows r;
	int hit = 0;

	if (rows_open(st, &r,
	              "SELECT 1 FROM use WHERE port_lo BETWEEN ?1 - ?2 AND ?1 AND port_hi >= ?1"
	              " AND category = 'malware' LIMIT 1",
	              e) == -1)
		return -1;
	sqlite3_bind_int64(r.stmt, 1, port);
	sqlite3_bind_int64(r.stmt, 2, store_span(st, "use"));
	hit = rows_next(&r) == 1;
	return rows_close(&r) == -1 ? -1 : hit;
}

/* Whether name is a registered service name: 1, 0, or -1 (e filled). */
static int
listening_is_service(struct store *st, const char *name, struct err *e)
{
	struct rows r;
	int hit;

	/* Registry names keep IANA's case ("3Com-nsd"); record_service_nocase serves this. */
	if (rows_open(st, &r, "SELECT 1 FROM record WHERE service = ?1 COLLATE NOCASE LIMIT 1",
	              e) == -1)
		return -1;
	sqlite3_bind_text(r.stmt, 1, name, -1, SQLITE_STATIC);
	hit = rows_next(&r) == 1;
	return rows_close(&r) == -1 ? -1 : hit;
}

/*
 * Whether a process is named after a registered service other than the
 * port's own: "sshd" on the http port looks like ssh.  Only the command
 * itself, without a trailing 'd', and its part before the first '-'
 * ("redis-server") are tried, and only exact registry names count, so a
 * process with an unrelated name (nginx, python3) is never flagged.
 * 1 with the name in out, 0, or -1 (e filled).
 */
static int
listening_looks_like(struct store *st, const char *comm, const char *service, char *out, size_t len,
                     struct err *e)
{
	int hit;

	char cand[3][32];
	size_t n = strlen(comm);

	if (n == 0 || n >= sizeof(cand[0]))
		return 0;
	snprintf(cand[0], sizeof(cand[0]), "%s", comm);
	snprintf(cand[1], sizeof(cand[1]), "%.*s", (int)(n - (comm[n - 1] == 'd')), comm);
	snprintf(cand[2], sizeof(cand[2]), "%.*s", (int)strcspn(comm, "-"), comm);
	for (size_t i = 0; i < 3; i++) {
		if (cand[i][0] == '\0' || strcasecmp(cand[i], service) == 0)
			return 0; /* named after the port's own service */
	}
	for (size_t i = 0; i < 3; i++) {
		if ((hit = listening_is_service(st, cand[i], e)) != 0) {
			snprintf(out, len, "%.31s", cand[i]);
			return hit;
		}
	}
	return 0;
}

/*
 * The registry annotation.  A database that fails to answer fails the
 * caller: the annotation would silently say less than it should.
 */
int
listening_annotate(struct store *st, const struct range_machine *rm, const struct listener *l,
                   struct listening_note *n, struct err *e)
{
	const struct msock *s = &l->s;
	int hit;

	memset(n, 0, sizeof(*n));
	if (s->port >= (unsigned)rm->ephemeral_lo && s->port <= (unsigned)rm->ephemeral_hi)
		n->flags |= LISTENING_EPHEMERAL;
	if (st == NULL)
		return 0;
	if (identity_port(st, (long)s->port, portspec_proto_name(s->proto), &n->id, e) == -1)
		return -1;
	n->have = 1;
	if (!n->id.assigned)
		n->flags |= LISTENING_UNASSIGNED;
	if ((hit = listening_malware(st, s->port, e)) == -1)
		return -1;
	if (hit)
		n->flags |= LISTENING_MALWARE;
	if (n->id.assigned && l->nholders > 0 &&
	    (hit = listening_looks_like(st, l->holders[0].comm, n->id.service, n->looks_like,
	                                sizeof(n->looks_like), e)) != 0) {
		if (hit == -1)
			return -1;
		n->flags |= LISTENING_OTHER_SERVICE;
	}
	return 0;
}

/* "127.0.0.1:80", "[::1]:80", "[fe80::1%eth0]:80" as ss(8) writes them. */
void
listening_endpoint(const struct msock *s, char *buf, size_t len)
{
	char addr[INET6_ADDRSTRLEN] = "", ifn[IF_NAMESIZE + 1] = "";

	sockets_addr_str(s, addr, sizeof(addr));
	/* An interface index names an interface of the socket's own namespace. */
	if (s->ifindex && s->netns == 0 && if_indextoname(s->ifindex, ifn + 1))
		ifn[0] = '%';
	if (s->family == AF_INET6)
		snprintf(buf, len, "[%s%s]:%u", addr, ifn, s->port);
	else
		snprintf(buf, len, "%s%s:%u", addr, ifn, s->port);
}

static json_t *
listening_json_holder(const struct owner *o)
{
	return json_pack("{s:I, s:i, s:s, s:s, s:I, s:s?}", "pid", (json_int_t)o->pid, "fd", o->fd,
	                 "command", o->comm, "user", o->user, "uid",
	                 o->uid == OWNERS_UID_UNKNOWN ? (json_int_t)-1 : (json_int_t)o->uid, "unit",
	                 o->unit[0] ? o->unit : NULL);
}

json_t *
listening_json(const struct listener *l, const struct listening_note *n)
{
	char addr[INET6_ADDRSTRLEN] = "", ifn[IF_NAMESIZE] = "";
	json_t *o, *holders = json_array(), *flags = json_array();

	sockets_addr_str(&l->s, addr, sizeof(addr));
	if (l->s.ifindex && l->s.netns == 0)
		if_indextoname(l->s.ifindex, ifn);
	for (size_t i = 0; i < l->nholders; i++)
		json_array_append_new(holders, listening_json_holder(&l->holders[i]));
	for (size_t i = 0; i < LISTENING_NFLAGS; i++)
		if (n->flags & (1u << i))
			json_array_append_new(flags, json_string(listening_flag_names[i]));
	o = json_pack("{s:s, s:s, s:s, s:i, s:s?, s:s, s:I, s:I, s:o, s:o}", "proto",
	              portspec_proto_name(l->s.proto), "family",
	              l->s.family == AF_INET ? "ipv4" : "ipv6", "address", addr, "port",
	              (int)l->s.port, "interface", ifn[0] ? ifn : NULL, "state",
	              l->s.state == 10 ? "listen" : "unconnected", "inode", (json_int_t)l->s.inode,
	              "socket_uid", (json_int_t)l->s.uid, "holders", holders, "flags", flags);
	json_object_set_new(o, "netns",
	                    l->s.netns ? json_integer((json_int_t)l->s.netns) : json_null());
	if (n->flags & LISTENING_OTHER_SERVICE)
		json_object_set_new(o, "looks_like", json_string(n->looks_like));
	if (n->have)
		json_object_set_new(o, "registry",
		                    json_pack("{s:s, s:s, s:b}", "service", n->id.service,
		                              "description", n->id.description, "assigned",
		                              n->id.assigned));
	else
		json_object_set_new(o, "registry", json_null());
	return o;
}

/* The sentence about listeners we could not attribute, "" when none. */
void
listening_unseen(const struct listener_set *ls, size_t unseen, char *buf, size_t len)
{
	buf[0] = '\0';
	if (unseen == 0)
		return;
	if (ls->denied > 0)
		snprintf(buf, len, "%zu listener%s owned by other users: run as root to see who",
		         unseen, unseen == 1 ? "" : "s");
	else
		snprintf(buf, len,
		         "%zu listener%s held by no process visible here (another PID namespace?)",
		         unseen, unseen == 1 ? "" : "s");
}

json_t *
listening_port(struct store *st, const struct range_machine *rm, long port, const char *protocol,
               struct err *e)
{
	struct sockets_query q = {.protos = PROTO_DEFAULT, .port = (unsigned)port};
	struct owners_opts oo = {0};
	struct listening_note n;
	struct listener_set ls;
	struct err refused = {0};
	json_t *arr;
	size_t unseen = 0;
	char note[160];

	if (protocol && protocol[0] && (q.protos = portspec_proto(protocol)) == 0)
		return json_pack("{s:[], s:i, s:n}", "listeners", "unseen", 0, "note");
	if (port < 1 || port > PORT_MAX)
		return json_pack("{s:[], s:i, s:n}", "listeners", "unseen", 0, "note");
	if (listeners_collect(&q, &oo, &ls, &refused) == -1)
		return json_null(); /* the machine will not say: the section says nothing */
	arr = json_array();
	for (size_t i = 0; i < ls.n; i++) {
		if (listening_annotate(st, rm, &ls.v[i], &n, e) == -1) {
			json_decref(arr);
			listeners_free(&ls);
			return NULL;
		}
		unseen += ls.v[i].nholders == 0;
		json_array_append_new(arr, listening_json(&ls.v[i], &n));
	}
	listening_unseen(&ls, unseen, note, sizeof(note));
	listeners_free(&ls);
	return json_pack("{s:o, s:I, s:s?}", "listeners", arr, "unseen", (json_int_t)unseen, "note",
	                 note[0] ? note : NULL);
}
