/*
 * test_web_votes.c - the votes store: every acknowledged vote is in the
 * file, a changed answer replaces the earlier one, tallies put the least
 * helpful page first, and the rate limit refuses a burst.
 */
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

static void
vote_make(struct votes *v, struct vote *vt, const char *page, const char *client,
          enum vote_answer a)
{
	memset(vt, 0, sizeof(*vt));
	snprintf(vt->page, sizeof(vt->page), "%s", page);
	snprintf(vt->lang, sizeof(vt->lang), "en");
	vt->answer = a;
	votes_client(v, client, strlen(client), vt->client);
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
	struct err e = {0};
	char day[11];

	(void)state;
	assert_int_equal(votes_open(&cfg, &v, &e), 0);
	votes_client(v, "1.2.3.4", 7, a);
	votes_client(v, "1.2.3.5", 7, b);
	assert_memory_not_equal(a, b, sizeof(a));
	assert_int_equal(votes_allow(v, a, 1000), 1);
	assert_int_equal(votes_allow(v, a, 1000), 1);
	assert_int_equal(votes_allow(v, a, 1000), 1);
	assert_int_equal(votes_allow(v, a, 1000), 0);
	assert_int_equal(votes_allow(v, a, 1020), 1); /* 3 a minute: one more after 20 s */
	assert_int_equal(votes_allow(v, a, 1020), 0);
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

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_group_commit_and_tally),
	    cmocka_unit_test(test_rate_limit_and_answers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
