/*
 * test_web_votes.c - the votes store: every acknowledged vote is in the
 * file, a changed answer replaces the earlier one, tallies put the least
 * helpful page first, the rate limit refuses a burst and gives every
 * client a bucket of its own, client keys are one per IPv6 /64 and
 * survive a restart the same day, and page tokens check.
 */
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "web/feedback.h"
#include "web/votes.h"

struct waiter {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	int done, ok;
};

static void
waiter_done(void *arg, int ok)
{
	struct waiter *w = arg;

	pthread_mutex_lock(&w->lock);
	w->done++;
	w->ok += ok;
	pthread_cond_signal(&w->cond);
	pthread_mutex_unlock(&w->lock);
}

static void
waiter_wait(struct waiter *w, int n)
{
	pthread_mutex_lock(&w->lock);
	while (w->done < n)
		pthread_cond_wait(&w->cond, &w->lock);
	pthread_mutex_unlock(&w->lock);
}

/* The key of a numeric IPv4 or IPv6 address at time now. */
static int
client_key(struct votes *v, const char *addr, time_t now, unsigned char out[VOTES_CLIENT_LEN])
{
	struct sockaddr_in in4 = {.sin_family = AF_INET, .sin_port = htons(1234)};
	struct sockaddr_in6 in6 = {.sin6_family = AF_INET6, .sin6_port = htons(4321)};

	if (inet_pton(AF_INET, addr, &in4.sin_addr) == 1)
		return votes_client(v, (struct sockaddr *)&in4, now, out);
	assert_int_equal(inet_pton(AF_INET6, addr, &in6.sin6_addr), 1);
	return votes_client(v, (struct sockaddr *)&in6, now, out);
}

/* A time early today: what follows adds seconds, not days (salts exist from today on). */
static time_t
today(void)
{
	return time(NULL) / 86400 * 86400 + 1000;
}

static void
vote_make(struct votes *v, struct vote *vt, const char *page, const char *client,
          enum vote_answer a)
{
	memset(vt, 0, sizeof(*vt));
	snprintf(vt->page, sizeof(vt->page), "%s", page);
	snprintf(vt->lang, sizeof(vt->lang), "en");
	vt->answer = a;
	assert_int_equal(client_key(v, client, time(NULL), vt->client), 0);
	votes_day(0, vt->day);
}

static void
test_group_commit_and_tally(void **state)
{
	char path[] = "/tmp/test_votes_XXXXXX", side[64];
	struct votes_config cfg = {.path = NULL, .rate_per_minute = 0};
	struct waiter w = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, 0};
	struct votes *v;
	struct vote vt;
	struct err e = {0};
	char client[32];
	json_t *t, *first;
	int i, fd;

	(void)state;
	assert_true((fd = mkstemp(path)) >= 0);
	close(fd);
	cfg.path = path;
	assert_int_equal(votes_open(&cfg, &v, &e), 0);
	for (i = 0; i < 1000; i++) { /* many batches' worth, all acknowledged */
		snprintf(client, sizeof(client), "10.0.%d.%d", i / 256, i % 256);
		vote_make(v, &vt, i % 2 ? "/port/80" : "/port/3516", client,
		          i % 2 ? VOTE_HAPPY : VOTE_SAD);
		assert_int_equal(votes_submit(v, &vt, waiter_done, &w, &e), 0);
	}
	/* The same client changes its mind on the same page and day: replaced. */
	vote_make(v, &vt, "/port/80", "10.0.0.1", VOTE_MEH);
	assert_int_equal(votes_submit(v, &vt, waiter_done, &w, &e), 0);
	waiter_wait(&w, 1001);
	assert_int_equal(w.ok, 1001);
	assert_int_equal(votes_committed(v), 1001);
	votes_close(v);

	assert_non_null(t = feedback_tally(path, 0, &e));
	assert_int_equal(json_integer_value(json_object_get(t, "votes")), 1000);
	assert_int_equal(json_array_size(json_object_get(t, "tallies")), 2);
	first = json_array_get(json_object_get(t, "tallies"), 0);
	assert_string_equal(json_string_value(json_object_get(first, "page")), "/port/3516");
	assert_int_equal(json_integer_value(json_object_get(first, "sad")), 500);
	first = json_array_get(json_object_get(t, "tallies"), 1);
	assert_int_equal(json_integer_value(json_object_get(first, "meh")), 1);
	assert_int_equal(json_integer_value(json_object_get(first, "happy")), 499);
	json_decref(t);
	assert_non_null(t = feedback_tally(path, 1, &e));
	assert_int_equal(json_array_size(json_object_get(t, "tallies")), 1);
	json_decref(t);
	unlink(path);
	snprintf(side, sizeof(side), "%s-wal", path);
	unlink(side);
	snprintf(side, sizeof(side), "%s-shm", path);
	unlink(side);
}

static void
test_rate_limit_and_answers(void **state)
{
	struct votes_config cfg = {.path = ":memory:", .rate_per_minute = 3};
	unsigned char a[VOTES_CLIENT_LEN], b[VOTES_CLIENT_LEN];
	enum vote_answer ans;
	struct votes *v;
	time_t t0;
	struct err e = {0};
	char day[11];

	(void)state;
	t0 = today();
	assert_int_equal(votes_open(&cfg, &v, &e), 0);
	assert_int_equal(client_key(v, "1.2.3.4", t0, a), 0);
	assert_int_equal(client_key(v, "1.2.3.5", t0, b), 0);
	assert_memory_not_equal(a, b, sizeof(a));
	assert_int_equal(votes_allow(v, a, t0), 1);
	assert_int_equal(votes_allow(v, a, t0), 1);
	assert_int_equal(votes_allow(v, a, t0), 1);
	assert_int_equal(votes_allow(v, a, t0), 0);
	assert_int_equal(votes_allow(v, a, t0 + 20), 1); /* 3 a minute: one more after 20 s */
	assert_int_equal(votes_allow(v, a, t0 + 20), 0);
	votes_close(v);
	assert_int_equal(votes_answer_parse("happy", &ans), 0);
	assert_int_equal(ans, VOTE_HAPPY);
	assert_int_equal(votes_answer_parse("HAPPY", &ans), -1);
	assert_int_equal(votes_answer_parse("", &ans), -1);
	votes_day(86400 * 365, day);
	assert_string_equal(day, "1971-01-01");
	assert_null(feedback_tally("/nonexistent/votes", 0, &e));
	assert_int_equal(e.kind, ERR_INPUT);
}

/*
 * Two clients whose keys fell in one slot of the old table (the first 12
 * bits of the key) each get their own rate: 5 votes, not 20 each because
 * they kept resetting each other's bucket.
 */
static void
test_buckets_are_not_shared(void **state)
{
	struct votes_config cfg = {.path = ":memory:", .rate_per_minute = 5};
	unsigned char a[VOTES_CLIENT_LEN], b[VOTES_CLIENT_LEN];
	struct votes *v;
	time_t t0;
	struct err e = {0};
	char addr[32];
	int i, na = 0, nb = 0;

	(void)state;
	t0 = today();
	assert_int_equal(votes_open(&cfg, &v, &e), 0);
	assert_int_equal(client_key(v, "10.0.0.1", t0, a), 0);
	for (i = 2;; i++) { /* a second address in the same old slot: about 4096 tries */
		snprintf(addr, sizeof(addr), "10.%d.%d.%d", i >> 16 & 255, i >> 8 & 255, i & 255);
		assert_int_equal(client_key(v, addr, t0, b), 0);
		if (((a[0] | a[1] << 8) % 4096) == ((b[0] | b[1] << 8) % 4096))
			break;
	}
	for (i = 0; i < 20; i++) {
		na += votes_allow(v, a, t0);
		nb += votes_allow(v, b, t0);
	}
	assert_int_equal(na, 5);
	assert_int_equal(nb, 5);
	votes_close(v);
}

static void
test_ipv6_by_64_and_ipv4_mapped(void **state)
{
	struct votes_config cfg = {.path = ":memory:", .rate_per_minute = 0};
	unsigned char a[VOTES_CLIENT_LEN], b[VOTES_CLIENT_LEN];
	struct votes *v;
	time_t t0;
	struct err e = {0};

	(void)state;
	t0 = today();
	assert_int_equal(votes_open(&cfg, &v, &e), 0);
	assert_int_equal(client_key(v, "2001:db8:1:2::1", t0, a), 0);
	assert_int_equal(client_key(v, "2001:db8:1:2:ffff:1:2:3", t0, b), 0);
	assert_memory_equal(a, b, sizeof(a)); /* one subscriber's /64: one client */
	assert_int_equal(client_key(v, "2001:db8:1:3::1", t0, b), 0);
	assert_memory_not_equal(a, b, sizeof(a));
	assert_int_equal(client_key(v, "192.0.2.7", t0, a), 0);
	assert_int_equal(client_key(v, "::ffff:192.0.2.7", t0, b), 0);
	assert_memory_equal(a, b, sizeof(a));
	assert_int_equal(client_key(v, "192.0.2.8", t0, b), 0);
	assert_memory_not_equal(a, b, sizeof(a));
	votes_close(v);
}

/* The salt lives in the file: the same day, a restarted server knows the client. */
static void
test_salt_survives_a_restart_and_rotates_daily(void **state)
{
	char path[] = "/tmp/test_votes_salt_XXXXXX", side[80];
	struct votes_config cfg = {.path = path, .rate_per_minute = 0};
	unsigned char a[VOTES_CLIENT_LEN], b[VOTES_CLIENT_LEN], c[VOTES_CLIENT_LEN];
	char tok[VOTES_TOKEN_LEN + 1], tok2[VOTES_TOKEN_LEN + 1];
	time_t now = time(NULL);
	struct votes *v;
	struct err e = {0};
	int fd;

	(void)state;
	assert_true((fd = mkstemp(path)) >= 0);
	close(fd);
	assert_int_equal(votes_open(&cfg, &v, &e), 0);
	assert_int_equal(client_key(v, "198.51.100.9", now, a), 0);
	assert_int_equal(votes_token(v, "/port/22", now, tok), 0);
	votes_close(v);
	assert_int_equal(votes_open(&cfg, &v, &e), 0);
	assert_int_equal(client_key(v, "198.51.100.9", now, b), 0);
	assert_memory_equal(a, b, sizeof(a));
	assert_true(votes_token_ok(v, "/port/22", tok, now));
	assert_false(votes_token_ok(v, "/port/23", tok, now)); /* another page's */
	assert_false(votes_token_ok(v, "/port/22", "", now));
	/* Tomorrow: a new key; today's token still holds, the day after not. */
	assert_int_equal(client_key(v, "198.51.100.9", now + 86400, c), 0);
	assert_memory_not_equal(a, c, sizeof(a));
	assert_true(votes_token_ok(v, "/port/22", tok, now + 86400));
	assert_int_equal(votes_token(v, "/port/22", now + 86400, tok2), 0);
	assert_string_not_equal(tok, tok2);
	assert_int_equal(client_key(v, "198.51.100.9", now + 2 * 86400, c), 0);
	assert_false(votes_token_ok(v, "/port/22", tok, now + 2 * 86400));
	votes_close(v);
	unlink(path);
	snprintf(side, sizeof(side), "%s-wal", path);
	unlink(side);
	snprintf(side, sizeof(side), "%s-shm", path);
	unlink(side);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_group_commit_and_tally),
	    cmocka_unit_test(test_rate_limit_and_answers),
	    cmocka_unit_test(test_buckets_are_not_shared),
	    cmocka_unit_test(test_ipv6_by_64_and_ipv4_mapped),
	    cmocka_unit_test(test_salt_survives_a_restart_and_rotates_daily),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
