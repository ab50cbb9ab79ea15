/*
 * test_web_conns.c - fair shares of connections: one IPv4 address or one
 * IPv6 /64 is one client for the cap, the cap holds and frees, idle
 * connections leave in the order they came, and drops are summed up in
 * one line while the library's messages are held to a few an interval.
 */
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "web/conns.h"

static unsigned
slot_of(const struct conns_addrs *t, const char *addr)
{
	struct sockaddr_in in4 = {.sin_family = AF_INET, .sin_port = htons(1)};
	struct sockaddr_in6 in6 = {.sin6_family = AF_INET6, .sin6_port = htons(2)};

	if (inet_pton(AF_INET, addr, &in4.sin_addr) == 1)
		return conns_addr_slot(t, (struct sockaddr *)&in4);
	assert_int_equal(inet_pton(AF_INET6, addr, &in6.sin6_addr), 1);
	return conns_addr_slot(t, (struct sockaddr *)&in6);
}

static void
test_cap_per_address_and_per_64(void **state)
{
	struct conns_addrs *t = malloc(sizeof(*t));
	unsigned a, b;
	int i;

	(void)state;
	assert_int_equal(conns_addrs_init(t, 3), 0);
	a = slot_of(t, "2001:db8:1:2::1");
	assert_int_equal(slot_of(t, "2001:db8:1:2:aaaa::9"), a); /* the same /64 */
	assert_int_equal(slot_of(t, "192.0.2.1"), slot_of(t, "::ffff:192.0.2.1"));
	for (i = 0; i < 3; i++)
		assert_true(conns_addr_take(t, a));
	assert_false(conns_addr_take(t, a)); /* the fourth from that /64 */
	b = slot_of(t, "192.0.2.1");
	if (b != a) /* another client is not affected (a shared slot is 1 in 65,536) */
		assert_true(conns_addr_take(t, b));
	conns_addr_put(t, a);
	assert_true(conns_addr_take(t, a)); /* one closed: one more may come */
	free(t);
}

static void
test_idle_oldest_first(void **state)
{
	struct conns_idle l = {0};
	struct conns_link c[3] = {0};

	(void)state;
	conns_idle_add(&l, &c[0], 100);
	conns_idle_add(&l, &c[1], 200);
	conns_idle_add(&l, &c[2], 300);
	conns_idle_add(&l, &c[0], 400); /* already idle: keeps its place and time */
	assert_ptr_equal(l.head, &c[0]);
	assert_int_equal(l.head->since, 100);
	conns_idle_remove(&l, &c[0]); /* its request came in */
	assert_ptr_equal(l.head, &c[1]);
	conns_idle_add(&l, &c[0], 500); /* idle again, now the newest */
	assert_ptr_equal(l.tail, &c[0]);
	conns_idle_remove(&l, &c[1]);
	conns_idle_remove(&l, &c[1]);
	conns_idle_remove(&l, &c[2]);
	conns_idle_remove(&l, &c[0]);
	assert_null(l.head);
	assert_null(l.tail);
}

static void
test_drops_are_summed_up(void **state)
{
	static struct conns_log g;
	char line[400];
	int i, allowed = 0;

	(void)state;
	for (i = 0; i < 1000; i++) {
		conns_drop(&g, CONNS_DROP_ADDRESS);
		allowed += conns_log_allow(&g, 50000);
	}
	conns_drop(&g, CONNS_DROP_DEADLINE);
	assert_int_equal(allowed, CONNS_LOG_BURST);
	conns_log_summary(&g, line, sizeof(line));
	assert_non_null(strstr(line, "1000 over the per-address cap"));
	assert_non_null(strstr(line, "1 past the request-head deadline"));
	assert_non_null(strstr(line, "997 library messages not shown"));
	conns_log_summary(&g, line, sizeof(line));
	assert_string_equal(line, "");                                /* nothing new: no line */
	assert_true(conns_log_allow(&g, 50000 + CONNS_LOG_INTERVAL)); /* a new interval */
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_cap_per_address_and_per_64),
	    cmocka_unit_test(test_idle_oldest_first),
	    cmocka_unit_test(test_drops_are_summed_up),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
