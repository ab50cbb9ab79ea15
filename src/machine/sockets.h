/*
 * sockets.h - the kernel's own list of listening sockets (sock_diag).
 *
 * One NETLINK_SOCK_DIAG inet_diag dump per (protocol, address family)
 * returns every TCP socket in LISTEN and every bound, unconnected UDP
 * socket of this network namespace, with its address, port, creator uid
 * and inode.  That is what ss(8) reads too; parsing /proc/net/{tcp,udp}*
 * would be slower (text, every socket in every state) and is not done.
 * SCTP is asked for only when the caller names it, because the question
 * alone makes the kernel load the sctp modules.
 *
 * For a single port the port goes into the kernel's bytecode filter
 * (INET_DIAG_BC_S_EQ) so the kernel skips every other socket instead of
 * copying it to us.
 *
 * A dual-stack listener on [::] is one AF_INET6 socket and is reported
 * once, as such; v4-mapped addresses stay AF_INET6 with the ::ffff:a.b.c.d
 * address, exactly as the kernel holds them.  Whether an AF_INET6 socket
 * is IPv6-only (IPV6_V6ONLY) comes with it (INET_DIAG_SKV6ONLY), so a
 * caller can tell [::] that also takes IPv4 from [::] that does not.
 *
 * A port list (sockets_query.ports) is matched here after the dump: the
 * kernel's filter takes one port cheaply, a list is no cheaper to it than
 * to us.
 *
 * Connections (sockets_query.connected) are the other half of the same
 * tables: TCP sockets in the states `ss -t` shows by default (established
 * and closing ones, not listening, SYN-RECV or TIME-WAIT, which no process
 * holds) and UDP sockets that connect() gave a peer.  A port list then
 * matches either end, so "connections to 4444" and "from 4444" are one
 * question.
 *
 * Other network namespaces have sockets of their own, which a dump in this
 * one does not see (ss(8) neither); sockets_query.all_netns asks for them.
 *
 * Memory: sockets_list() fills a caller-provided struct msock_list whose
 * array it owns until sockets_free().  Errors: ERR_INTERNAL when netlink
 * cannot be opened or a dump fails (the message names the dump).
 */
#ifndef PORTOLAN_MACHINE_SOCKETS_H
#define PORTOLAN_MACHINE_SOCKETS_H

#include <stddef.h>
#include <stdint.h>

#include "../util/err.h"
#include "portspec.h"

struct msock {
	unsigned proto;    /* one PROTO_* bit */
	int family;        /* AF_INET or AF_INET6 */
	int state;         /* kernel TCP_* state: TCP_LISTEN, or TCP_CLOSE for bound UDP */
	unsigned port;     /* host byte order */
	uint8_t addr[16];  /* network byte order; AF_INET uses the first 4 bytes */
	unsigned ifindex;  /* SO_BINDTODEVICE interface, 0 when none */
	uint32_t uid;      /* the creator's uid: not necessarily the holder's */
	uint64_t inode;    /* 0 when the socket is being torn down */
	uint64_t netns;    /* another network namespace's inode (all_netns); 0: this one's */
	int v6only;        /* AF_INET6 with IPV6_V6ONLY: IPv6 only; 0: also IPv4 on a wildcard */
	unsigned rport;    /* connections: the peer's port (host byte order); 0 for a listener */
	uint8_t raddr[16]; /* connections: the peer's address, as addr */
};

struct msock_list {
	struct msock *v;
	size_t n, cap;
};

struct sockets_query {
	unsigned protos;             /* PROTO_* bits to dump */
	unsigned port;               /* 0: every port; else only this local port */
	int all_netns;               /* 1: every network namespace a process is in, not only ours */
	int family;                  /* AF_INET or AF_INET6 alone; 0: both */
	const struct portset *ports; /* NULL: every port (or port); else only these */
	int connected;               /* 1: connections instead of listeners (see above) */
};

/*
 * Append the listeners matching q to out (which starts zeroed).  With
 * all_netns the dumps run once per network namespace that some process
 * in /proc is in (containers, `ip netns`, sandboxes): a netlink socket
 * made while in a namespace (setns()) reports that namespace's sockets.
 * It needs root (other users' namespaces are hidden, and entering one
 * needs CAP_SYS_ADMIN): otherwise the call fails with ERR_INPUT saying so,
 * rather than answer for part of the machine.  A namespace whose last
 * process exits meanwhile is skipped.
 */
int sockets_list(const struct sockets_query *q, struct msock_list *out, struct err *e);
void sockets_free(struct msock_list *l);
/*
 * Walk one received datagram of a dump answering request seq, appending the
 * sockets it lists (protocol proto) to out: 1 when the dump is complete, 0
 * when more datagrams follow, -1 with errno set for a kernel error (its
 * errno), a malformed error message (EBADMSG), E2BIG or ENOMEM.  Messages
 * of other requests are skipped; bytes past the last whole message are
 * ignored.  Exposed for the fuzzer; sockets_list() is the interface.
 */
int sockets_parse(const void *buf, size_t len, unsigned seq, unsigned proto,
                  struct msock_list *out);
/* "127.0.0.1", "::", "::ffff:10.0.0.1" into buf (at least 46 bytes). */
void sockets_addr_str(const struct msock *s, char *buf, size_t len);

#endif
