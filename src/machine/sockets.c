/*
 * sockets.c - inet_diag dumps over NETLINK_SOCK_DIAG.
 *
 * The netlink messages are built and walked with the kernel's own UAPI
 * definitions (struct nlmsghdr, NLMSG_ALIGN, NLA_HDRLEN), as ss(8) does, not with
 * libmnl: a lookup is a whole process, and mapping libmnl cost each one
 * about 0.14 ms, a tenth of the time `getent services` takes in all
 * (bench/lookup), for one request and one receive loop.  The walk of a
 * received datagram, sockets_parse(), is kept apart from the I/O so the
 * fuzzer (tests/fuzz/fuzz_sockets_parse.c) can feed it any bytes.
 *
 * One netlink socket serves every dump of a call; dumps run one after the
 * other because the kernel refuses a second dump on a socket while one is
 * in progress.  The receive buffer is 32 KiB, the most the kernel puts in
 * one dump message, so a dump of thousands of listeners costs a handful of
 * recvmsg() calls.
 *
 * The state mask asks for TCP_LISTEN on TCP and SCTP and for TCP_CLOSE
 * ("unconnected") on UDP: a UDP socket appears in the kernel's tables only
 * once bound, so that is the set of UDP sockets that receive on a port,
 * the same set `ss -ul` shows.
 *
 * Fallback: if the kernel refuses sock_diag altogether the call fails with
 * a message saying so; reading /proc/net/{tcp,udp}* instead is not
 * implemented (it would be slower and lose nothing the caller could use
 * to recover).
 */
#include <sys/socket.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sock_diag.h>

#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "sockets.h"

#define SOCKETS_BUFSIZE 32768
#define SOCKETS_MAX     (1u << 22) /* 4 M listeners: far beyond any real host */

struct sockets_dump {
	struct msock_list *out;
	unsigned proto;
	int overflow;
	int nomem;
};

static int
sockets_push(struct msock_list *l, const struct msock *s, struct sockets_dump *d)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 256;
		struct msock *v;

		if (cap > SOCKETS_MAX) {
			d->overflow = 1;
			return -1;
		}
		v = realloc(l->v, cap * sizeof(*v));
		if (v == NULL) {
			d->nomem = 1;
			return -1;
		}
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n++] = *s;
	return 0;
}

/* The attributes after the message that a struct msock keeps: INET_DIAG_SKV6ONLY. */
static void
sockets_attrs(const struct nlmsghdr *nlh, struct msock *s)
{
	size_t off = NLMSG_LENGTH(NLMSG_ALIGN(sizeof(struct inet_diag_msg)));
	const struct rtattr *a;

	while (off + sizeof(*a) <= nlh->nlmsg_len) {
		a = (const struct rtattr *)((const char *)nlh + off);
		if (a->rta_len < sizeof(*a) || a->rta_len > nlh->nlmsg_len - off)
			return; /* malformed: keep what we have */
		if (a->rta_type == INET_DIAG_SKV6ONLY && a->rta_len >= RTA_LENGTH(1))
			s->v6only = *(const uint8_t *)RTA_DATA(a) != 0;
		off += RTA_ALIGN(a->rta_len);
	}
}

/* One inet_diag_msg into the list; -1 when the list cannot take it. */
static int
sockets_add(const struct nlmsghdr *nlh, struct sockets_dump *d)
{
	const struct inet_diag_msg *m = NLMSG_DATA(nlh);
	struct msock s;

	if (nlh->nlmsg_len < NLMSG_LENGTH(sizeof(*m)))
		return 0; /* short message: nothing we can use */
	memset(&s, 0, sizeof(s));
	s.proto = d->proto;
	s.family = m->idiag_family;
	s.state = m->idiag_state;
	s.port = ntohs(m->id.idiag_sport);
	memcpy(s.addr, m->id.idiag_src, s.family == AF_INET ? 4 : 16);
	s.ifindex = m->id.idiag_if;
	s.uid = m->idiag_uid;
	s.inode = m->idiag_inode;
	s.rport = ntohs(m->id.idiag_dport);
	memcpy(s.raddr, m->id.idiag_dst, s.family == AF_INET ? 4 : 16);
	sockets_attrs(nlh, &s);
	return sockets_push(d->out, &s, d);
}

/* The error a NLMSG_ERROR or NLMSG_DONE message carries (0: none), or -EBADMSG. */
static int
sockets_msg_error(const struct nlmsghdr *nlh)
{
	int error;

	if (nlh->nlmsg_len < NLMSG_LENGTH(sizeof(error)))
		return nlh->nlmsg_type == NLMSG_DONE ? 0 : -EBADMSG;
	memcpy(&error, NLMSG_DATA(nlh), sizeof(error));       /* nlmsgerr starts with it */
	return error > 0 || error < -4095 ? -EBADMSG : error; /* the kernel's errno range */
}

/* The message at off when a whole one starts there, else NULL. */
static const struct nlmsghdr *
sockets_msg_at(const char *buf, size_t len, size_t off)
{
	const struct nlmsghdr *nlh;

	if (off > len || len - off < sizeof(*nlh))
		return NULL;
	nlh = (const struct nlmsghdr *)(buf + off);
	if (nlh->nlmsg_len < sizeof(*nlh) || nlh->nlmsg_len > len - off)
		return NULL;
	return nlh;
}

int
sockets_parse(const void *buf, size_t len, unsigned seq, unsigned proto, struct msock_list *out)
{
	struct sockets_dump d = {.out = out, .proto = proto};
	const struct nlmsghdr *nlh;
	size_t off;
	int error;

	for (off = 0; (nlh = sockets_msg_at(buf, len, off)) != NULL;
	     off += NLMSG_ALIGN(nlh->nlmsg_len)) {
		if (nlh->nlmsg_seq != seq)
			continue; /* not an answer to this request */
		switch (nlh->nlmsg_type) {
		case NLMSG_DONE:
		case NLMSG_ERROR:
			if ((error = sockets_msg_error(nlh)) < 0) {
				errno = -error;
				return -1;
			}
			return 1;
		case NLMSG_OVERRUN:
			errno = ENOBUFS;
			return -1;
		case SOCK_DIAG_BY_FAMILY:
		case TCPDIAG_GETSOCK: /* the answer to the two-family TCP request */
			if (sockets_add(nlh, &d) == -1) {
				errno = d.overflow ? E2BIG : ENOMEM;
				return -1;
			}
			break;
		default:
			break; /* NLMSG_NOOP and anything newer */
		}
	}
	return 0;
}

static int
sockets_ipproto(unsigned proto)
{
	switch (proto) {
	case PROTO_UDP:
		return IPPROTO_UDP;
	case PROTO_SCTP:
		return IPPROTO_SCTP;
	}
	return IPPROTO_TCP;
}

/*
 * A dump request: the header, the inet_diag request and, for one port, its
 * filter; the size goes in nlmsg_len.  family AF_UNSPEC asks for TCP in
 * both families at once through the older TCPDIAG_GETSOCK request, whose
 * struct inet_diag_req has no family the kernel heeds: one walk of the
 * listening hash (16 K buckets here) instead of two, a fifth of the
 * machine part of a lookup.  SOCK_DIAG_BY_FAMILY cannot do that, and UDP
 * has no older request, so UDP and SCTP take one dump per family.
 */
union sockets_request {
	struct nlmsghdr nlh;
	char bytes[NLMSG_ALIGN(NLMSG_LENGTH(sizeof(struct inet_diag_req))) + NLA_HDRLEN +
	           2 * sizeof(struct inet_diag_bc_op)];
};

/*
 * The states asked for: listening TCP and SCTP, bound unconnected UDP; or,
 * for connections, what `ss -t` and `ss -u` show by default (every state
 * but LISTEN, CLOSE, SYN-RECV and TIME-WAIT; a connected UDP socket is
 * ESTABLISHED).
 */
static uint32_t
sockets_states(unsigned proto, int connected)
{
	if (connected)
		return proto == PROTO_UDP ? 1u << TCP_ESTABLISHED
		                          : ((1u << (TCP_CLOSING + 1)) - 1) &
		                                ~(1u << TCP_LISTEN | 1u << TCP_CLOSE |
		                                  1u << TCP_SYN_RECV | 1u << TCP_TIME_WAIT | 1u);
	return proto == PROTO_UDP ? 1u << TCP_CLOSE : 1u << TCP_LISTEN;
}

static void
sockets_request(union sockets_request *q, unsigned seq, int family, unsigned proto, unsigned port,
                int connected)
{
	uint32_t states = sockets_states(proto, connected);
	struct inet_diag_bc_op *ops;
	struct nlattr *bc;

	memset(q, 0, sizeof(*q));
	q->nlh.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	q->nlh.nlmsg_seq = seq;
	if (family == AF_UNSPEC) {
		struct inet_diag_req *r = NLMSG_DATA(&q->nlh);

		q->nlh.nlmsg_type = TCPDIAG_GETSOCK;
		q->nlh.nlmsg_len = NLMSG_LENGTH(sizeof(*r));
		r->idiag_family = AF_INET;
		r->idiag_states = states;
	} else {
		struct inet_diag_req_v2 *r = NLMSG_DATA(&q->nlh);

		q->nlh.nlmsg_type = SOCK_DIAG_BY_FAMILY;
		q->nlh.nlmsg_len = NLMSG_LENGTH(sizeof(*r));
		r->sdiag_family = (uint8_t)family;
		r->sdiag_protocol = (uint8_t)sockets_ipproto(proto);
		r->idiag_states = states;
	}
	if (port != 0) {
		/*
		 * One comparison: local port equal -> jump to the end (accept);
		 * otherwise jump 4 bytes past it (reject).
		 */
		bc = (struct nlattr *)(q->bytes + NLMSG_ALIGN(q->nlh.nlmsg_len));
		ops = (struct inet_diag_bc_op *)((char *)bc + NLA_HDRLEN);
		ops[0] = (struct inet_diag_bc_op){
		    .code = INET_DIAG_BC_S_EQ, .yes = 2 * sizeof(*ops), .no = 2 * sizeof(*ops) + 4};
		ops[1] = (struct inet_diag_bc_op){.no = (uint16_t)port};
		bc->nla_type = INET_DIAG_REQ_BYTECODE;
		bc->nla_len = NLA_HDRLEN + 2 * sizeof(*ops);
		q->nlh.nlmsg_len = NLMSG_ALIGN(q->nlh.nlmsg_len) + NLA_ALIGN(bc->nla_len);
	}
}

/* The next datagram from the kernel (never from another sender); -1 with errno. */
static ssize_t
sockets_recv(int fd, char *buf)
{
	struct sockaddr_nl from;
	struct iovec iov = {buf, SOCKETS_BUFSIZE};
	struct msghdr msg = {
	    .msg_name = &from, .msg_namelen = sizeof(from), .msg_iov = &iov, .msg_iovlen = 1};
	ssize_t n;

	for (;;) {
		n = recvmsg(fd, &msg, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (msg.msg_flags & MSG_TRUNC) {
			errno = EMSGSIZE;
			return -1;
		}
		if (from.nl_pid == 0)
			return n;
		msg.msg_namelen = sizeof(from); /* a user process's message: drop it */
	}
}

static int
sockets_dump(int fd, char *buf, unsigned seq, int family, unsigned proto,
             const struct sockets_query *sq, struct msock_list *out, struct err *e)
{
	static const struct sockaddr_nl kernel = {.nl_family = AF_NETLINK};
	const char *what = family == AF_INET ? "IPv4" : family == AF_INET6 ? "IPv6" : "IPv4+IPv6";
	union sockets_request q;
	ssize_t n;
	int done = 0;

	sockets_request(&q, seq, family, proto, sq->port, sq->connected);
	if (sendto(fd, &q, q.nlh.nlmsg_len, 0, (const struct sockaddr *)&kernel, sizeof(kernel)) <
	    0)
		return err_internal(e, "sock_diag %s %s: send: %s", portspec_proto_name(proto),
		                    what, strerror(errno));
	while (done == 0) {
		if ((n = sockets_recv(fd, buf)) < 0)
			break;
		done = sockets_parse(buf, (size_t)n, seq, proto, out);
	}
	if (done == 1)
		return 0;
	if (errno == E2BIG)
		return err_internal(e, "sock_diag: more than %u listeners", SOCKETS_MAX);
	if (errno == ENOMEM)
		return err_internal(e, "sock_diag: out of memory");
	/* No sctp_diag in this kernel: no SCTP listeners to report. */
	if (proto == PROTO_SCTP && (errno == ENOENT || errno == EOPNOTSUPP))
		return 0;
	return err_internal(e, "sock_diag %s %s dump: %s", portspec_proto_name(proto), what,
	                    strerror(errno));
}

/* Keep out->v[first..] that q's family and port list want. */
static void
sockets_keep(const struct sockets_query *q, struct msock_list *out, size_t first)
{
	size_t k = first;

	if (q->family == 0 && q->ports == NULL)
		return;
	for (size_t i = first; i < out->n; i++)
		if ((q->family == 0 || out->v[i].family == q->family) &&
		    (q->ports == NULL || portset_has(q->ports, out->v[i].port, out->v[i].proto) ||
		     (q->connected && portset_has(q->ports, out->v[i].rport, out->v[i].proto))))
			out->v[k++] = out->v[i];
	out->n = k;
}

static int
sockets_all(int fd, char *buf, const struct sockets_query *q, struct msock_list *out, struct err *e)
{
	static const unsigned protos[] = {PROTO_TCP, PROTO_UDP, PROTO_SCTP};
	static const int families[] = {AF_INET, AF_INET6};
	unsigned seq = (unsigned)time(NULL);
	size_t n;

	for (size_t i = 0; i < sizeof(protos) / sizeof(protos[0]); i++) {
		if ((q->protos & protos[i]) == 0)
			continue;
		n = out->n;
		if (protos[i] == PROTO_TCP && q->family == 0) {
			if (sockets_dump(fd, buf, ++seq, AF_UNSPEC, PROTO_TCP, q, out, e) == 0) {
				sockets_keep(q, out, n);
				continue;
			}
			out->n = n; /* a kernel without the older request: one dump per family */
		}
		for (size_t j = 0; j < 2; j++) {
			if (q->family != 0 && q->family != families[j])
				continue;
			if (sockets_dump(fd, buf, ++seq, families[j], protos[i], q, out, e) == -1)
				return -1;
		}
		sockets_keep(q, out, n);
	}
	return 0;
}

/* Every dump q asks for on a new netlink socket of the calling thread's network namespace. */
static int
sockets_dump_here(char *buf, const struct sockets_query *q, struct msock_list *out, struct err *e)
{
	int fd, rc;

	/* The kernel binds the socket to a port id of its choosing at the first send. */
	if ((fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_SOCK_DIAG)) == -1)
		return err_internal(e, "netlink sock_diag refused: %s", strerror(errno));
	rc = sockets_all(fd, buf, q, out, e);
	close(fd);
	return rc;
}

struct sockets_ns {
	uint64_t ino;
	pid_t pid; /* a process in it, to reach it through /proc/PID/ns/net */
};

static int
sockets_ns_cmp(const void *a, const void *b)
{
	const struct sockets_ns *x = a, *y = b;

	return x->ino < y->ino ? -1 : x->ino > y->ino;
}

/* Every network namespace some process is in, one process each, sorted.  -1 with errno. */
static int
sockets_namespaces(struct sockets_ns **out, size_t *n)
{
	struct sockets_ns *v = NULL, *grown;
	size_t cap = 0, k = 0, i;
	char path[64];
	struct dirent *de;
	struct stat sb;
	DIR *d;

	*out = NULL;
	*n = 0;
	if ((d = opendir("/proc")) == NULL)
		return -1;
	while ((de = readdir(d)) != NULL) {
		char *end;
		long pid = strtol(de->d_name, &end, 10);

		if (*end != '\0' || pid <= 0 || pid > INT_MAX)
			continue; /* not a process */
		snprintf(path, sizeof(path), "/proc/%ld/ns/net", pid);
		if (stat(path, &sb) == -1) /* gone (a zombie's), or a kernel thread's */
			continue;
		if (k == cap) {
			cap = cap ? 2 * cap : 64;
			if ((grown = realloc(v, cap * sizeof(*v))) == NULL) {
				free(v);
				closedir(d);
				errno = ENOMEM;
				return -1;
			}
			v = grown;
		}
		v[k++] = (struct sockets_ns){(uint64_t)sb.st_ino, (pid_t)pid};
	}
	closedir(d);
	if (k > 0)
		qsort(v, k, sizeof(*v), sockets_ns_cmp);
	for (i = 0; i < k; i++) /* one process per namespace */
		if (*n == 0 || v[*n - 1].ino != v[i].ino)
			v[(*n)++] = v[i];
	*out = v;
	return 0;
}

/*
 * A netlink socket in each namespace, made on a thread of its own: setns()
 * moves only the calling thread, so this one enters each namespace in
 * turn, and the rest of the program never leaves its own.  A socket keeps
 * the namespace it was made in, so the dumps run afterwards, here.
 */
struct sockets_opener {
	const struct sockets_ns *ns;
	size_t n;
	int *fd;  /* per namespace: the socket, or -1 (as it starts) */
	int *err; /* per namespace: errno when fd is -1; 0 (as it starts) when its processes are
	             gone */
};

static void *
sockets_open_each(void *arg)
{
	struct sockets_opener *o = arg;
	char path[64];
	int nsfd;

	for (size_t i = 0; i < o->n; i++) {
		snprintf(path, sizeof(path), "/proc/%d/ns/net", (int)o->ns[i].pid);
		if ((nsfd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
			continue; /* the process exited: its namespace may be gone with it */
		if (setns(nsfd, CLONE_NEWNET) == -1)
			o->err[i] = errno;
		else if ((o->fd[i] =
		              socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_SOCK_DIAG)) == -1)
			o->err[i] = errno;
		close(nsfd);
	}
	return NULL;
}

static int
sockets_all_netns(char *buf, const struct sockets_query *q, struct msock_list *out, struct err *e)
{
	struct sockets_opener o;
	struct sockets_ns *ns;
	struct stat self;
	pthread_t tid;
	size_t n, i, k, first;
	int rc;

	/*
	 * Not root: other users' processes hide their namespaces and setns()
	 * is refused, so the answer would be silently partial.
	 */
	if (geteuid() != 0)
		return err_set(e, "--all-netns needs root: other users' network namespaces "
		                  "are hidden");
	if (stat("/proc/self/ns/net", &self) == -1)
		return err_internal(e, "/proc/self/ns/net: %s", strerror(errno));
	if ((rc = sockets_dump_here(buf, q, out, e)) == -1)
		return -1;
	if (sockets_namespaces(&ns, &n) == -1)
		return err_internal(e, "--all-netns: listing /proc: %s", strerror(errno));
	for (i = k = 0; i < n; i++) /* ours is done */
		if (ns[i].ino != (uint64_t)self.st_ino)
			ns[k++] = ns[i];
	o = (struct sockets_opener){ns, k, malloc((k + 1) * sizeof(int)),
	                            calloc(k + 1, sizeof(int))};
	for (i = 0; o.fd != NULL && i < k; i++)
		o.fd[i] = -1;
	if (o.fd == NULL || o.err == NULL)
		rc = err_internal(e, "sock_diag: out of memory");
	else if ((errno = pthread_create(&tid, NULL, sockets_open_each, &o)) != 0)
		rc = err_internal(e, "--all-netns: %s", strerror(errno));
	else
		pthread_join(tid, NULL);
	for (i = 0; rc == 0 && i < k; i++) {
		if (o.err[i] == EPERM)
			rc = err_set(e, "--all-netns: entering another network namespace needs "
			                "CAP_SYS_ADMIN (run as root)");
		else if (o.err[i] != 0)
			rc = err_internal(e, "--all-netns: the namespace of pid %d: %s",
			                  (int)ns[i].pid, strerror(o.err[i]));
		if (rc == -1 || o.fd[i] == -1)
			continue;
		first = out->n;
		rc = sockets_all(o.fd[i], buf, q, out, e);
		for (; first < out->n; first++)
			out->v[first].netns = ns[i].ino;
	}
	for (i = 0; o.fd != NULL && i < k; i++)
		if (o.fd[i] != -1)
			close(o.fd[i]);
	free(o.fd);
	free(o.err);
	free(ns);
	return rc;
}

int
sockets_list(const struct sockets_query *q, struct msock_list *out, struct err *e)
{
	char *buf;
	int rc;

	if ((buf = malloc(SOCKETS_BUFSIZE)) == NULL)
		return err_internal(e, "sock_diag: out of memory");
	rc = q->all_netns ? sockets_all_netns(buf, q, out, e) : sockets_dump_here(buf, q, out, e);
	free(buf);
	return rc;
}

void
sockets_free(struct msock_list *l)
{
	free(l->v);
	l->v = NULL;
	l->n = l->cap = 0;
}

void
sockets_addr_str(const struct msock *s, char *buf, size_t len)
{
	if (inet_ntop(s->family, s->addr, buf, (socklen_t)len) == NULL && len > 0)
		buf[0] = '\0';
}
