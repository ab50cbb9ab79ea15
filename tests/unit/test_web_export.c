/*
 * test_web_export.c - the static export's sitemap and --base-url (export.h).
 *
 * The command's end-to-end tests (tests/e2e/test_export.py) cover the tree
 * a user gets; these reach what the command line cannot set: a sitemap
 * file holds 50,000 URLs, more than a test should render, so the split
 * into sitemap-N.xml files is tested here with a handful per file.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <ftw.h>
#include <sys/stat.h>

#include "test_db.h"
#include "web/export.h"

static struct test_db db;
static char dir[64];
static size_t html_files;

static int
setup(void **state)
{
	*state = test_db_open(&db) == 0 ? &db : NULL;
	snprintf(dir, sizeof(dir), "/tmp/portolan-export-XXXXXX");
	return mkdtemp(dir) == NULL ? -1 : 0;
}

static int
remove_cb(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static int
teardown(void **state)
{
	if (*state != NULL)
		test_db_close(&db);
	nftw(dir, remove_cb, 16, FTW_DEPTH | FTW_PHYS);
	return 0;
}

static struct export_cfg
cfg_for(const char *site, const char *base)
{
	const char *given = getenv("PORTOLAN_TEST_DB");

	return (struct export_cfg){.db = db.path[0] ? db.path : given,
	                           .dir = site,
	                           .podir = PORTOLAN_DATADIR "/../po",
	                           .langs = "en,ko",
	                           .port_lo = 3516,
	                           .port_hi = 3520,
	                           .threads = 2,
	                           .base_url = base,
	                           .sitemap_urls = 7};
}

static char *
slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf;
	long n;

	if (f == NULL)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = calloc(1, (size_t)n + 1);
	if (buf != NULL && fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	return buf;
}

/* Export ports 3516-3520 in en and ko to dir/NAME; its path in site. */
static void
export_to(const char *name, const char *base, char *site, size_t len)
{
	struct export_stats stats;
	struct err e = {0};

	snprintf(site, len, "%s/%s", dir, name);
	struct export_cfg cfg = cfg_for(site, base);
	assert_int_equal(export_site(&cfg, &stats, &e), 0);
}

/* A file of the tree, read whole; NULL when there is none. */
static char *
site_file(const char *site, const char *rel)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/%s", site, rel);
	return slurp(path);
}

static size_t
count(const char *s, const char *what)
{
	size_t n = 0;

	for (; (s = strstr(s, what)) != NULL; s += strlen(what))
		n++;
	return n;
}

static int
count_html_cb(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	size_t n = strlen(path);

	(void)sb;
	(void)ftw;
	/* Pages in language directories; the root's index.html and 404.html are copies. */
	if (flag == FTW_F && ftw->level >= 2 && n > 5 && strcmp(path + n - 5, ".html") == 0)
		html_files++;
	return 0;
}

/* Every page of every language is in exactly one sitemap file, 7 to a file, in order. */
static void
test_sitemap_is_split_and_complete(void **state)
{
	char site[128], name[32], want[160];
	char *index, *part;
	size_t files, urls = 0, i;

	if (*state == NULL)
		skip();
	export_to("split", "https://ports.example.org/a/b", site, sizeof(site));

	html_files = 0;
	nftw(site, count_html_cb, 16, FTW_PHYS);
	assert_true(html_files > 2 * 9); /* index, 3 ranges, 5 ports, services: per language */

	assert_non_null(index = site_file(site, "sitemap.xml"));
	files = count(index, "<sitemap>");
	assert_int_equal(files, (html_files + 6) / 7);
	for (i = 1; i <= files; i++) {
		snprintf(want, sizeof(want),
		         "<sitemap><loc>https://ports.example.org/a/b/sitemap-%zu.xml</loc>", i);
		assert_non_null(strstr(index, want));
		snprintf(name, sizeof(name), "sitemap-%zu.xml", i);
		assert_non_null(part = site_file(site, name));
		assert_true(count(part, "<url>") <= 7);
		assert_true(i == files || count(part, "<url>") == 7);
		assert_int_equal(count(part, "<loc>https://ports.example.org/a/b/"),
		                 count(part, "<url>"));
		urls += count(part, "<url>");
		if (i == 1) /* the first language's home comes first */
			assert_non_null(strstr(
			    part,
			    "<url><loc>https://ports.example.org/a/b/en/index.html</loc></url>\n"
			    "<url><loc>https://ports.example.org/a/b/en/range/well-known.html"));
		free(part);
	}
	assert_int_equal(urls, html_files);
	snprintf(name, sizeof(name), "sitemap-%zu.xml", files + 1);
	assert_null(part = site_file(site, name));
	free(index);

	assert_non_null(index = site_file(site, "robots.txt"));
	assert_string_equal(index, "User-agent: *\nDisallow:\n"
	                           "Sitemap: https://ports.example.org/a/b/sitemap.xml\n");
	free(index);
}

/* An IPv6 literal is a host like any other; the '/' at the end is added once. */
static void
test_ipv6_base_url(void **state)
{
	char site[128];
	char *robots;

	if (*state == NULL)
		skip();
	export_to("ipv6", "http://[::1]:8080/site", site, sizeof(site));
	assert_non_null(robots = site_file(site, "robots.txt"));
	assert_non_null(strstr(robots, "Sitemap: http://[::1]:8080/site/sitemap.xml\n"));
	free(robots);
}

/* Without a public URL there is nothing to put in a sitemap. */
static void
test_no_base_url_no_sitemap(void **state)
{
	char site[128];
	char *page;

	if (*state == NULL)
		skip();
	export_to("plain", NULL, site, sizeof(site));
	assert_null(site_file(site, "sitemap.xml"));
	assert_null(site_file(site, "robots.txt"));
	assert_non_null(page = site_file(site, "en/port/3516.html"));
	assert_null(strstr(page, "rel=\"canonical\""));
	assert_null(strstr(page, "hreflang=\"x-default\""));
	free(page);
}

/* A bad --base-url is refused before anything is written, saying what is wrong. */
static void
test_bad_base_urls(void **state)
{
	static const struct {
		const char *url, *says;
	} cases[] = {
	    {"ftp://example.org/", "does not start with https:// or http://"},
	    {"example.org", "does not start with https:// or http://"},
	    {"https://", "has no host name"},
	    {"https:///path", "has no host name"},
	    {"https://example.org/?a=1", "byte 21: the site's address has no query"},
	    {"https://example.org/#top", "byte 21: the site's address has no query"},
	    {"https://example.org/a b", "byte 22 cannot be in a URL"},
	    {"https://example.org/\"><script>", "byte 21 cannot be in a URL"},
	    {"https://example.org/\xc3\xa9", "byte 21 cannot be in a URL"},
	};
	struct export_stats stats;
	char site[128], big[600];
	size_t i;

	if (*state == NULL)
		skip();
	snprintf(site, sizeof(site), "%s/refused", dir);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct export_cfg cfg = cfg_for(site, cases[i].url);
		struct err e = {0};

		assert_int_equal(export_site(&cfg, &stats, &e), -1);
		assert_int_equal(e.kind, ERR_INPUT);
		assert_non_null(strstr(e.msg, cases[i].says));
		assert_int_equal(access(site, F_OK), -1);
	}
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	memcpy(big, "https://", 8);
	struct export_cfg cfg = cfg_for(site, big);
	struct err e = {0};
	assert_int_equal(export_site(&cfg, &stats, &e), -1);
	assert_non_null(strstr(e.msg, "longer than 512 bytes"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_sitemap_is_split_and_complete),
	    cmocka_unit_test(test_ipv6_base_url),
	    cmocka_unit_test(test_no_base_url_no_sitemap),
	    cmocka_unit_test(test_bad_base_urls),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
