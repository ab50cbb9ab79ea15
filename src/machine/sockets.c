/*
 * sockets.c - inet_diag dumps over NETLINK_SOCK_DIAG, via libmnl.
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
#include <linux/sock_diag.h>
#include <libmnl/libmnl.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

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

static int
sockets_cb(const struct nlmsghdr *nlh, void *data)
{
	struct sockets_dump *d = data;
	const struct inet_diag_msg *m = mnl_nlmsg_get_payload(nlh);
	struct msock s;

	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(*m))
		return MNL_CB_OK; /* short message: nothing we can use */
	memset(&s, 0, sizeof(s));
	s.proto = d->proto;
	s.family = m->idiag_family;
	s.state = m->idiag_state;
	s.port = ntohs(m->id.idiag_sport);
	memcpy(s.addr, m->id.idiag_src, s.family == AF_INET ? 4 : 16);
	s.ifindex = m->id.idiag_if;
	s.uid = m->idiag_uid;
	s.inode = m->idiag_inode;
	if (sockets_push(d->out, &s, d) == -1)
		return MNL_CB_ERROR;
	return MNL_CB_OK;
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

static void
sockets_request(struct nlmsghdr *nlh, unsigned seq, int family, unsigned proto, unsigned port)
{
	struct inet_diag_req_v2 *r;

	nlh->nlmsg_type = SOCK_DIAG_BY_FAMILY;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	nlh->nlmsg_seq = seq;
	r = mnl_nlmsg_put_extra_header(nlh, sizeof(*r));
	r->sdiag_family = (uint8_t)family;
	r->sdiag_protocol = (uint8_t)sockets_ipproto(proto);
	r->idiag_states = proto == PROTO_UDP ? 1u << TCP_CLOSE : 1u << TCP_LISTEN;
	if (port != 0) {
		/*
		 * One comparison: local port equal -> jump to the end (accept);
		 * otherwise jump 4 bytes past it (reject).
		 */
		struct inet_diag_bc_op ops[2] = {
		    {.code = INET_DIAG_BC_S_EQ, .yes = sizeof(ops), .no = sizeof(ops) + 4},
		    {.no = (uint16_t)port},
		};
		mnl_attr_put(nlh, INET_DIAG_REQ_BYTECODE, sizeof(ops), ops);
	}
}

static int
sockets_dump(struct mnl_socket *nl, char *buf, unsigned seq, int family, unsigned proto,
             unsigned port, struct msock_list *out, struct err *e)
{
	const char *what = family == AF_INET ? "IPv4" : "IPv6";
	struct sockets_dump d = {.out = out, .proto = proto};
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	unsigned portid = mnl_socket_get_portid(nl);
	ssize_t n;
	int ret = MNL_CB_OK;

	sockets_request(nlh, seq, family, proto, port);
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
		return err_internal(e, "sock_diag %s %s: send: %s", portspec_proto_name(proto),
		                    what, strerror(errno));
	do {
		n = mnl_socket_recvfrom(nl, buf, SOCKETS_BUFSIZE);
		if (n < 0)
			break;
		ret = mnl_cb_run(buf, (size_t)n, seq, portid, sockets_cb, &d);
	} while (n >= 0 && ret > MNL_CB_STOP);
	if (d.overflow)
		return err_internal(e, "sock_diag: more than %u listeners", SOCKETS_MAX);
	if (d.nomem)
		return err_internal(e, "sock_diag: out of memory");
	if (n < 0 || ret < 0) {
		/* No sctp_diag in this kernel: no SCTP listeners to report. */
		if (proto == PROTO_SCTP && (errno == ENOENT || errno == EOPNOTSUPP))
			return 0;
		return err_internal(e, "sock_diag %s %s dump: %s", portspec_proto_name(proto), what,
		                    strerror(errno));
	}
	return 0;
}

static int
sockets_all(struct mnl_socket *nl, char *buf, const struct sockets_query *q, struct msock_list *out,
            struct err *e)
{
	static const unsigned protos[] = {PROTO_TCP, PROTO_UDP, PROTO_SCTP};
	static const int families[] = {AF_INET, AF_INET6};
	unsigned seq = (unsigned)time(NULL);

	for (size_t i = 0; i < sizeof(protos) / sizeof(protos[0]); i++) {
		if ((q->protos & protos[i]) == 0)
			continue;
		for (size_t j = 0; j < 2; j++)
			if (sockets_dump(nl, buf, ++seq, families[j], protos[i], q->port, out, e) ==
			    -1)
				return -1;
	}
	return 0;
}

int
sockets_list(const struct sockets_query *q, struct msock_list *out, struct err *e)
{
	struct mnl_socket *nl;
	char *buf;
	int rc = -1;

	nl = mnl_socket_open(NETLINK_SOCK_DIAG);
	if (nl == NULL)
		return err_internal(e, "netlink sock_diag refused: %s", strerror(errno));
	buf = malloc(SOCKETS_BUFSIZE);
	if (buf == NULL) {
		err_internal(e, "sock_diag: out of memory");
		goto out;
	}
	if (mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		err_internal(e, "netlink sock_diag bind: %s", strerror(errno));
		goto out;
	}
	rc = sockets_all(nl, buf, q, out, e);
out:
	free(buf);
	mnl_socket_close(nl);
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
