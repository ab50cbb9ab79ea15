/*
 * test_machine_sockets.c - sock_diag dumps and the join with /proc, on
 * real loopback sockets this test opens.
 *
 * The kernel's port filter is checked by asking for one port and getting
 * exactly the test's listener, with the inode fstat() reports; an
 * established connection on the same port must not be listed, nor a
 * connected UDP socket.  listeners_collect() must name this process as
 * the holder.
 */
#include <sys/socket.h>
#include <sys/stat.h>
#include <netinet/in.h>
#include <arpa/inet.h>

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
	    cmocka_unit_test(test_udp6_and_holder),
	    cmocka_unit_test(test_sort_order_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
