/*
 * test_web_routes.c - the pieces of the web server that decide without
 * HTTP: which route a path is, which votes are acceptable, when an ETag
 * matches If-None-Match, and what /metrics says.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "render/i18n.h"
#include "web/cache.h"
#include "web/metrics.h"
#include "web/routes.h"

static void
test_route_match(void **state)
{
	(void)state;
	assert_int_equal(routes_match("/"), ROUTE_INDEX);
	assert_int_equal(routes_match("/port/3516"), ROUTE_PORT);
	assert_int_equal(routes_match("/port/abc"), ROUTE_PORT); /* then 404 by its argument */
	assert_int_equal(routes_match("/search"), ROUTE_SEARCH);
	assert_int_equal(routes_match("/searchx"), ROUTE_OTHER);
	assert_int_equal(routes_match("/api/v1/ports/80"), ROUTE_API_PORT);
	assert_int_equal(routes_match("/feedback"), ROUTE_VOTE);
	assert_int_equal(routes_match("/assets/style.css"), ROUTE_ASSET);
	assert_int_equal(routes_match("//port/1"), ROUTE_OTHER);
	assert_string_equal(routes_name(ROUTE_API_SEARCH), "api_search");
}

static int
parse(const struct routes_env *env, const char *body, struct vote *vt, struct err *e)
{
	memset(vt, 0, sizeof(*vt));
	return routes_vote_parse(env, body, strlen(body), vt, e);
}

static void
test_vote_parse(void **state)
{
	struct routes_env env = {0};
	struct i18n_set *langs;
	struct vote vt;
	struct err e = {0};

	(void)state;
	assert_int_equal(i18n_load(PORTOLAN_DATADIR "/../po", &langs, &e), 0);
	env.langs = langs;
	assert_int_equal(parse(&env, "page=%2Fport%2F3516%2Fudp&answer=sad&lang=ko", &vt, &e), 0);
	assert_string_equal(vt.page, "/port/3516/udp");
	assert_string_equal(vt.lang, "ko");
	assert_int_equal(vt.answer, VOTE_SAD);
	assert_int_equal(parse(&env, "page=/&answer=happy", &vt, &e), 0);
	assert_string_equal(vt.lang, "en"); /* no lang: English */
	assert_int_equal(parse(&env, "page=/range/dynamic&answer=meh&lang=en", &vt, &e), 0);
	assert_int_equal(parse(&env, "page=/service/http&answer=meh", &vt, &e), 0);
	/* Aliases are stored under the page's one name, the 301's target. */
	assert_int_equal(parse(&env, "page=/port/022&answer=sad", &vt, &e), 0);
	assert_string_equal(vt.page, "/port/22");
	assert_int_equal(parse(&env, "page=/port/22/TCP&answer=sad", &vt, &e), 0);
	assert_string_equal(vt.page, "/port/22/tcp");
	assert_int_equal(parse(&env, "page=/port/22/&answer=sad", &vt, &e), 0);
	assert_string_equal(vt.page, "/port/22");
	assert_int_equal(parse(&env, "page=/service/SSH&answer=sad&token=ab", &vt, &e), 0);
	assert_string_equal(vt.page, "/service/ssh");
	assert_string_equal(vt.token, "ab");
	assert_int_equal(parse(&env,
	                       "page=/port/000000000000000000000000000000000000000000000000000"
	                       "22&answer=sad",
	                       &vt, &e),
	                 -1);

	assert_int_equal(parse(&env, "page=/port/70000&answer=sad", &vt, &e), -1);
	assert_non_null(strstr(e.msg, "'page'"));
	assert_int_equal(parse(&env, "page=/range/nowhere&answer=sad", &vt, &e), -1);
	assert_int_equal(parse(&env, "page=/api/v1/ports/80&answer=sad", &vt, &e), -1);
	assert_int_equal(parse(&env, "page=/port/1&answer=great", &vt, &e), -1);
	assert_non_null(strstr(e.msg, "'answer'"));
	assert_int_equal(parse(&env, "page=/port/1&answer=sad&lang=tlh", &vt, &e), -1);
	assert_non_null(strstr(e.msg, "'lang'"));
	assert_int_equal(parse(&env, "answer=sad", &vt, &e), -1);
	i18n_free(langs);
}

static void
test_etag_match(void **state)
{
	(void)state;
	assert_true(cache_etag_match("\"abc\"", "\"abc\""));
	assert_true(cache_etag_match("W/\"abc\"", "\"abc\""));
	assert_true(cache_etag_match("\"x\", \"abc\" ", "\"abc\""));
	assert_true(cache_etag_match("*", "\"abc\""));
	assert_false(cache_etag_match("\"abcd\"", "\"abc\""));
	assert_false(cache_etag_match("\"ab\"", "\"abc\""));
	assert_false(cache_etag_match("", "\"abc\""));
	assert_false(cache_etag_match(NULL, "\"abc\""));
}

static void
test_metrics_text(void **state)
{
	struct metrics m;
	struct strbuf out;

	(void)state;
	metrics_init(&m);
	metrics_request(&m, ROUTE_PORT, 200, 700);
	metrics_request(&m, ROUTE_PORT, 404, 20);
	metrics_request(&m, ROUTE_PORT, 418, 5000000);
	metrics_vote_rejected(&m, METRICS_VOTE_RATE);
	strbuf_init(&out, 0);
	assert_int_equal(metrics_render(&m, 7, &out), 0);
	assert_non_null(
	    strstr(out.buf, "portolan_http_requests_total{route=\"port\",status=\"200\"} 1"));
	assert_non_null(strstr(out.buf, "{route=\"port\",status=\"other\"} 1"));
	assert_non_null(strstr(out.buf, "_bucket{route=\"port\",le=\"0.0005\"} 1\n"));
	assert_non_null(strstr(out.buf, "_bucket{route=\"port\",le=\"0.001\"} 2\n"));
	assert_non_null(strstr(out.buf, "_bucket{route=\"port\",le=\"+Inf\"} 3\n"));
	assert_non_null(strstr(out.buf, "portolan_votes_committed_total 7\n"));
	assert_non_null(strstr(out.buf, "{reason=\"rate_limited\"} 1\n"));
	assert_null(strstr(out.buf, "route=\"index\"")); /* never asked for: no series */
	strbuf_reset(&out);
	assert_int_equal(metrics_render_connections((const int[]){31, 33}, 2, &out), 0);
	assert_string_equal(out.buf, "# HELP portolan_connections Client connections open, by "
	                             "server thread.\n# TYPE portolan_connections gauge\n"
	                             "portolan_connections{thread=\"0\"} 31\n"
	                             "portolan_connections{thread=\"1\"} 33\n");
	strbuf_free(&out);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_route_match),
	    cmocka_unit_test(test_vote_parse),
	    cmocka_unit_test(test_etag_match),
	    cmocka_unit_test(test_metrics_text),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
