/*
 * test_machine_sockets.c - sock_diag dumps and the join with /proc, on
 * real loopback sockets this test opens.
 *
 * The kernel's port filter is checked by asking for one port and getting
 * exactly the test's listener, with the inode fstat() reports; an
 * established connection on the same port must not be listed, nor a
 * connected UDP socket.  listeners_collect() must name this process as
 * the holder.  The walk of a reply, sockets_parse(), is also fed datagrams
 * built here: errors the kernel sends, answers to other requests, and
 * messages cut short.
 */
#include <sys/socket.h>
#include <sys/stat.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "machine/listeners.h"

static unsigned
bound_port(int fd)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);

	assert_int_equal(getsockname(fd, (struct sockaddr *)&ss, &len), 0);
	if (ss.ss_family == AF_INET)
		return ntohs(((struct sockaddr_in *)&ss)->sin_port);
	return ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
}

static uint64_t
inode_of(int fd)
{
	struct stat st;

	assert_int_equal(fstat(fd, &st), 0);
	return st.st_ino;
}

static void
test_tcp4_port_filter(void **state)
{
	struct sockaddr_in sin = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	struct msock_list l = {0};
	struct err e = {0};
	int lfd, cfd, afd;
	char addr[64];

	(void)state;
	lfd = socket(AF_INET, SOCK_STREAM, 0);
	assert_int_equal(bind(lfd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	assert_int_equal(listen(lfd, 4), 0);
	sin.sin_port = htons((uint16_t)bound_port(lfd));
	cfd = socket(AF_INET, SOCK_STREAM, 0);
	assert_int_equal(connect(cfd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	afd = accept(lfd, NULL, NULL);
	assert_true(afd >= 0);

	struct sockets_query q = {.protos = PROTO_TCP | PROTO_UDP, .port = bound_port(lfd)};
	assert_int_equal(sockets_list(&q, &l, &e), 0);
	assert_int_equal(l.n, 1);
	assert_int_equal(l.v[0].proto, PROTO_TCP);
	assert_int_equal(l.v[0].family, AF_INET);
	assert_int_equal(l.v[0].port, bound_port(lfd));
	assert_int_equal(l.v[0].inode, inode_of(lfd));
	sockets_addr_str(&l.v[0], addr, sizeof(addr));
	assert_string_equal(addr, "127.0.0.1");
	sockets_free(&l);
	close(afd);
	close(cfd);
	close(lfd);
}

/* TCP in both families comes from one request (TCPDIAG_GETSOCK); the filter still holds. */
static void
test_tcp_both_families_one_port(void **state)
{
	struct sockaddr_in sin = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	struct sockaddr_in6 sin6 = {.sin6_family = AF_INET6, .sin6_addr = IN6ADDR_LOOPBACK_INIT};
	struct msock_list l = {0};
	struct err e = {0};
	int fd4, fd6, other, one = 1;

	(void)state;
	fd4 = socket(AF_INET, SOCK_STREAM, 0);
	assert_int_equal(bind(fd4, (struct sockaddr *)&sin, sizeof(sin)), 0);
	assert_int_equal(listen(fd4, 4), 0);
	fd6 = socket(AF_INET6, SOCK_STREAM, 0);
	assert_int_equal(setsockopt(fd6, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one)), 0);
	sin6.sin6_port = htons((uint16_t)bound_port(fd4));
	assert_int_equal(bind(fd6, (struct sockaddr *)&sin6, sizeof(sin6)), 0);
	assert_int_equal(listen(fd6, 4), 0);
	other = socket(AF_INET6, SOCK_STREAM, 0); /* another port: filtered out */
	sin6.sin6_port = 0;
	assert_int_equal(bind(other, (struct sockaddr *)&sin6, sizeof(sin6)), 0);
	assert_int_equal(listen(other, 4), 0);

	struct sockets_query q = {.protos = PROTO_TCP, .port = bound_port(fd4)};
	assert_int_equal(sockets_list(&q, &l, &e), 0);
	assert_int_equal(l.n, 2);
	assert_int_equal(l.v[0].family + l.v[1].family, AF_INET + AF_INET6);
	for (size_t i = 0; i < 2; i++) {
		assert_int_equal(l.v[i].proto, PROTO_TCP);
		assert_int_equal(l.v[i].port, bound_port(fd4));
		assert_int_equal(l.v[i].inode, inode_of(l.v[i].family == AF_INET ? fd4 : fd6));
	}
	sockets_free(&l);
	close(other);
	close(fd6);
	close(fd4);
}

static void
test_udp6_and_holder(void **state)
{
	struct sockaddr_in6 sin6 = {.sin6_family = AF_INET6, .sin6_addr = IN6ADDR_LOOPBACK_INIT};
	struct listener_set ls;
	struct err e = {0};
	int ufd, cfd;

	(void)state;
	ufd = socket(AF_INET6, SOCK_DGRAM, 0);
	assert_int_equal(bind(ufd, (struct sockaddr *)&sin6, sizeof(sin6)), 0);
	/* A connected UDP socket on the same port is not a listener. */
	cfd = socket(AF_INET6, SOCK_DGRAM, 0);
	sin6.sin6_port = htons((uint16_t)bound_port(ufd));
	assert_int_equal(connect(cfd, (struct sockaddr *)&sin6, sizeof(sin6)), 0);

	struct sockets_query q = {.protos = PROTO_UDP, .port = bound_port(ufd)};
	assert_int_equal(listeners_collect(&q, NULL, &ls, &e), 0);
	assert_int_equal(ls.n, 1);
	assert_int_equal(ls.v[0].s.family, AF_INET6);
	assert_int_equal(ls.v[0].s.inode, inode_of(ufd));
	assert_int_equal(ls.v[0].nholders, 1);
	assert_int_equal(ls.v[0].holders[0].pid, getpid());
	assert_int_equal(ls.v[0].holders[0].fd, ufd);
	assert_int_equal(ls.unseen, 0);
	listeners_free(&ls);
	close(cfd);
	close(ufd);
}

/* Append a netlink message of type and seq with payload to buf at *off. */
static void
put_msg(char *buf, size_t *off, uint16_t type, uint32_t seq, const void *payload, size_t len)
{
	struct nlmsghdr h = {.nlmsg_len = NLMSG_LENGTH(len), .nlmsg_type = type, .nlmsg_seq = seq};

	memcpy(buf + *off, &h, sizeof(h));
	memcpy(buf + *off + NLMSG_HDRLEN, payload, len);
	*off += NLMSG_ALIGN(h.nlmsg_len);
}

static void
test_parse_messages(void **state)
{
	_Alignas(struct nlmsghdr) char buf[1024];
	struct inet_diag_msg m = {.idiag_family = AF_INET, .idiag_state = 10, .idiag_inode = 4242};
	struct msock_list l = {0};
	int done = 0, err = -ENOENT;
	size_t off = 0;

	(void)state;
	m.id.idiag_sport = htons(3106);
	m.id.idiag_src[0] = htonl(INADDR_LOOPBACK);
	put_msg(buf, &off, SOCK_DIAG_BY_FAMILY, 7, &m, sizeof(m));
	put_msg(buf, &off, SOCK_DIAG_BY_FAMILY, 8, &m, sizeof(m)); /* another request's */
	put_msg(buf, &off, SOCK_DIAG_BY_FAMILY, 7, &m, 8);         /* too short to use */
	m.idiag_family = AF_INET6; /* the two-family TCP request's answers */
	put_msg(buf, &off, TCPDIAG_GETSOCK, 7, &m, sizeof(m));
	assert_int_equal(sockets_parse(buf, off, 7, PROTO_TCP, &l), 0);
	assert_int_equal(l.n, 2);
	assert_int_equal(l.v[1].family, AF_INET6);
	m.idiag_family = AF_INET;
	assert_int_equal(l.v[0].port, 3106);
	assert_int_equal(l.v[0].inode, 4242);
	assert_int_equal(l.v[0].proto, PROTO_TCP);

	/* The end of the dump, then bytes that are no whole message. */
	put_msg(buf, &off, NLMSG_DONE, 7, &done, sizeof(done));
	assert_int_equal(sockets_parse(buf, off + 5, 7, PROTO_TCP, &l), 1);
	assert_int_equal(l.n, 4); /* the same two again, then the end */
	sockets_free(&l);

	/* A dump the kernel refuses ends in DONE or ERROR carrying -errno. */
	off = 0;
	put_msg(buf, &off, NLMSG_DONE, 7, &err, sizeof(err));
	errno = 0;
	assert_int_equal(sockets_parse(buf, off, 7, PROTO_SCTP, &l), -1);
	assert_int_equal(errno, ENOENT);
	off = 0;
	put_msg(buf, &off, NLMSG_ERROR, 7, &(struct nlmsgerr){.error = -EPERM},
	        sizeof(struct nlmsgerr));
	assert_int_equal(sockets_parse(buf, off, 7, PROTO_TCP, &l), -1);
	assert_int_equal(errno, EPERM);
	off = 0;
	put_msg(buf, &off, NLMSG_ERROR, 7, &err, 2); /* an error too short to read */
	assert_int_equal(sockets_parse(buf, off, 7, PROTO_TCP, &l), -1);
	assert_int_equal(errno, EBADMSG);
	off = 0;
	err = INT32_MIN; /* no errno: found by the fuzzer, once negated unchecked */
	put_msg(buf, &off, NLMSG_DONE, 7, &err, sizeof(err));
	assert_int_equal(sockets_parse(buf, off, 7, PROTO_TCP, &l), -1);
	assert_int_equal(errno, EBADMSG);

	/* A header that claims more bytes than arrived ends the walk. */
	off = 0;
	put_msg(buf, &off, SOCK_DIAG_BY_FAMILY, 7, &m, sizeof(m));
	assert_int_equal(sockets_parse(buf, off - 1, 7, PROTO_TCP, &l), 0);
	assert_int_equal(l.n, 0);
	assert_int_equal(sockets_parse(buf, 3, 7, PROTO_TCP, &l), 0);
	sockets_free(&l);
}

static void
test_sort_order_names(void **state)
{
	enum listeners_order o;
	struct err e = {0};

	(void)state;
	assert_int_equal(listeners_order_parse("pid", &o, &e), 0);
	assert_int_equal(o, LISTENERS_BY_PID);
	assert_int_equal(listeners_order_parse("size", &o, &e), -1);
	assert_int_equal(e.kind, ERR_INPUT);
	assert_non_null(strstr(e.msg, "size"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_tcp4_port_filter),
	    cmocka_unit_test(test_tcp_both_families_one_port),
	    cmocka_unit_test(test_udp6_and_holder),
	    cmocka_unit_test(test_parse_messages),
	    cmocka_unit_test(test_sort_order_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
