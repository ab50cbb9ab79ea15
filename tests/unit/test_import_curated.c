/*
 * test_import_curated.c - the curated-data parser and each validation rule.
 *
 * Each rule gets a small inline file that breaks it and an assertion on the
 * exact "FILE:LINE: what" prefix, because the message is the product: a
 * contributor must be able to fix the data from it alone.  The last tests
 * validate the repository's own data/ tree (PORTOLAN_DATADIR), so
 * broken curated data fails `make unit` as well as `portolan check-data`.
 */
#include <sys/stat.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "registry/import_curated.h"

#define MAXCALLS 16

/* The Makefile passes the repository's data/; by hand, run from the repo root. */
#ifndef PORTOLAN_DATADIR
#define PORTOLAN_DATADIR "data"
#endif

/* A sink that copies what it is given, so tests can look after the import. */
struct collect {
	size_t nuse, nhist, nnote, nexpo;
	long lo[MAXCALLS], hi[MAXCALLS];
	char who[MAXCALLS][64], first_source[MAXCALLS][128], ports[MAXCALLS][64];
	size_t nsources[MAXCALLS];
	long line[MAXCALLS];
	char date[64], kind[32], title[128], body[256];
	int fail; /* make the callback fail */
};

static int
collect_use(void *ctx, const struct reg_use *u, struct err *e)
{
	struct collect *c = ctx;
	size_t i = c->nuse++;

	if (c->fail)
		return err_set(e, "sink refused %ld", u->port_lo);
	assert_true(i < MAXCALLS);
	c->lo[i] = u->port_lo;
	c->hi[i] = u->port_hi;
	c->line[i] = u->line;
	c->nsources[i] = u->nsources;
	snprintf(c->who[i], sizeof(c->who[i]), "%s", u->who);
	snprintf(c->ports[i], sizeof(c->ports[i]), "%s", u->ports);
	snprintf(c->first_source[i], sizeof(c->first_source[i]), "%s",
	         u->nsources ? u->sources[0] : "");
	return 0;
}

static int
collect_history(void *ctx, const struct reg_history *h, struct err *e)
{
	struct collect *c = ctx;

	(void)e;
	c->nhist++;
	snprintf(c->date, sizeof(c->date), "%s", h->date);
	snprintf(c->kind, sizeof(c->kind), "%s", h->kind);
	c->lo[0] = h->port_lo;
	c->hi[0] = h->port_hi;
	return 0;
}

static int
collect_note(void *ctx, const struct reg_note *n, struct err *e)
{
	struct collect *c = ctx;

	(void)e;
	if (c->nnote < MAXCALLS) {
		c->lo[c->nnote] = n->port_lo;
		c->hi[c->nnote] = n->port_hi;
	}
	c->nnote++;
	snprintf(c->title, sizeof(c->title), "%s", n->title);
	snprintf(c->body, sizeof(c->body), "%s", n->markdown);
	return 0;
}

static int
collect_exposure(void *ctx, const struct reg_exposure *x, struct err *e)
{
	struct collect *c = ctx;
	size_t i = c->nexpo++;

	(void)e;
	assert_true(i < MAXCALLS);
	c->lo[i] = x->port_lo;
	c->hi[i] = x->port_hi;
	c->nsources[i] = x->nsources;
	snprintf(c->who[i], sizeof(c->who[i]), "%s", x->who);
	snprintf(c->kind, sizeof(c->kind), "%s", x->level);
	return 0;
}

static int
run(const char *text, const char *name, enum import_curated_kind kind, struct collect *c,
    struct err *e)
{
	struct reg_sink sink = {.ctx = c,
	                        .use = collect_use,
	                        .history = collect_history,
	                        .note = collect_note,
	                        .exposure = collect_exposure};

	memset(e, 0, sizeof(*e));
	return import_curated_buffer(text, strlen(text), name, kind, &sink, e);
}

/* The import must fail with an input error whose message starts with want. */
static void
expect_fail(const char *text, const char *name, enum import_curated_kind kind, const char *want)
{
	struct collect c = {0};
	struct err e;

	assert_int_equal(run(text, name, kind, &c, &e), -1);
	if (strncmp(e.msg, want, strlen(want)) != 0)
		fail_msg("message \"%s\"\n   does not start with \"%s\"", e.msg, want);
	assert_int_equal(e.kind, ERR_INPUT);
}

#define USE_OK                                                                                     \
	"# Steam\n"                                                                                \
	"ports: 27015-27030\n"                                                                     \
	"proto: tcp udp\n"                                                                         \
	"who: Steam (Valve)\n"                                                                     \
	"category: game\n"                                                                         \
	"text: Game servers and matchmaking.\n"                                                    \
	"source: https://help.steampowered.com/en/faqs/view/2EA8-4D75-DA21-31EB\n"                 \
	"source: https://example.org/b\n"

static void
test_use_ok(void **state)
{
	const char *text = USE_OK "\n"
	                          "ports: 6881-6889, 6969\n"
	                          "proto: tcp\n"
	                          "who: BitTorrent\n"
	                          "category: game\n"
	                          "text: Peers.\n"
	                          "source: none\n";
	struct collect c = {0};
	struct err e;

	(void)state;
	assert_int_equal(run(text, "data/unofficial/game.txt", IMPORT_CURATED_USE, &c, &e), 0);
	assert_int_equal(c.nuse, 3);
	assert_int_equal(c.lo[0], 27015);
	assert_int_equal(c.hi[0], 27030);
	assert_string_equal(c.who[0], "Steam (Valve)");
	assert_int_equal(c.nsources[0], 2);
	assert_int_equal(c.line[0], 2);
	assert_string_equal(c.first_source[0],
	                    "https://help.steampowered.com/en/faqs/view/2EA8-4D75-DA21-31EB");
	assert_int_equal(c.lo[1], 6881);
	assert_int_equal(c.hi[1], 6889);
	assert_int_equal(c.lo[2], 6969);
	assert_int_equal(c.hi[2], 6969);
	assert_string_equal(c.ports[2], "6881-6889, 6969");
	assert_int_equal(c.nsources[2], 0); /* "none" */
	assert_int_equal(c.line[2], 10);
}

static void
test_unknown_key(void **state)
{
	(void)state;
	expect_fail(USE_OK "colour: blue\n", "u/game.txt", IMPORT_CURATED_USE,
	            "u/game.txt:9: unknown key 'colour'");
	/* A history key is unknown in a uses file. */
	expect_fail(USE_OK "kind: renamed\n", "u/game.txt", IMPORT_CURATED_USE,
	            "u/game.txt:9: unknown key 'kind'");
	expect_fail("ports 80\n", "u/game.txt", IMPORT_CURATED_USE,
	            "u/game.txt:1: expected 'key: value'");
	expect_fail(USE_OK "  continued\n", "u/game.txt", IMPORT_CURATED_USE,
	            "u/game.txt:9: line starts with white space");
}

static void
test_missing_and_repeated_key(void **state)
{
	(void)state;
	expect_fail("ports: 80\nproto: tcp\ncategory: game\ntext: x\nsource: none\n", "game.txt",
	            IMPORT_CURATED_USE, "game.txt:1: missing required key 'who'");
	expect_fail("\n\nports: 80\nproto: tcp\nwho: a\ncategory: game\nsource: none\n", "game.txt",
	            IMPORT_CURATED_USE, "game.txt:3: missing required key 'text'");
	expect_fail(USE_OK "who: again\n", "game.txt", IMPORT_CURATED_USE,
	            "game.txt:9: who: repeated (first on line 4)");
}

static const char *
use_with_ports(char *buf, size_t size, const char *ports)
{
	snprintf(buf, size,
	         "ports: %s\nproto: tcp\nwho: a\ncategory: game\ntext: t\nsource: none\n", ports);
	return buf;
}

static void
test_ports(void **state)
{
	char buf[256];
	struct collect c = {0};
	struct err e;

	(void)state;
	expect_fail(use_with_ports(buf, sizeof(buf), "70000"), "game.txt", IMPORT_CURATED_USE,
	            "game.txt:1: ports: '70000' is not N or N-M");
	expect_fail(use_with_ports(buf, sizeof(buf), "80-65536"), "game.txt", IMPORT_CURATED_USE,
	            "game.txt:1: ports: '80-65536': bad or out-of-range end");
	expect_fail(use_with_ports(buf, sizeof(buf), "5-3"), "game.txt", IMPORT_CURATED_USE,
	            "game.txt:1: ports: range 5-3 is reversed");
	expect_fail(use_with_ports(buf, sizeof(buf), "80,81"), "game.txt", IMPORT_CURATED_USE,
	            "game.txt:1: ports: '80,81' is not N or N-M");
	expect_fail(use_with_ports(buf, sizeof(buf), "080"), "game.txt", IMPORT_CURATED_USE,
	            "game.txt:1: ports: '080' is not N or N-M");
	expect_fail(use_with_ports(buf, sizeof(buf), "-1"), "game.txt", IMPORT_CURATED_USE,
	            "game.txt:1: ports: '-1' is not N or N-M");
	expect_fail(use_with_ports(buf, sizeof(buf), "80, "), "game.txt", IMPORT_CURATED_USE,
	            "game.txt:1: ports: '80,' is not N or N-M"); /* trailing blank trimmed */
	expect_fail(use_with_ports(buf, sizeof(buf), "10-20, 15"), "game.txt", IMPORT_CURATED_USE,
	            "game.txt:1: ports: 15-15 overlaps 10-20");
	/* The bounds themselves are fine. */
	assert_int_equal(run(use_with_ports(buf, sizeof(buf), "0-65535"), "game.txt",
	                     IMPORT_CURATED_USE, &c, &e),
	                 0);
	assert_int_equal(c.hi[0], 65535);
}

static void
test_proto(void **state)
{
	(void)state;
	expect_fail("ports: 80\nproto: tcp tpc\nwho: a\ncategory: game\ntext: t\nsource: none\n",
	            "game.txt", IMPORT_CURATED_USE, "game.txt:2: proto: unknown protocol 'tpc'");
	expect_fail("ports: 80\nproto: udp udp\nwho: a\ncategory: game\ntext: t\nsource: none\n",
	            "game.txt", IMPORT_CURATED_USE, "game.txt:2: proto: udp listed twice");
	expect_fail("ports: 80\nproto: tcp  udp\nwho: a\ncategory: game\ntext: t\nsource: none\n",
	            "game.txt", IMPORT_CURATED_USE, "game.txt:2: proto: unknown protocol ''");
}

static void
test_category(void **state)
{
	(void)state;
	expect_fail("ports: 80\nproto: tcp\nwho: a\ncategory: games\ntext: t\nsource: none\n",
	            "game.txt", IMPORT_CURATED_USE,
	            "game.txt:4: category: unknown category 'games'");
	expect_fail("ports: 80\nproto: tcp\nwho: a\ncategory: malware\ntext: t\nsource: none\n",
	            "data/unofficial/game.txt", IMPORT_CURATED_USE,
	            "data/unofficial/game.txt:4: category: 'malware' does not match the file name");
	expect_fail(USE_OK, "data/unofficial/games.txt", IMPORT_CURATED_USE,
	            "data/unofficial/games.txt: a uses file is named <category>.txt");
}

static void
test_sources(void **state)
{
	(void)state;
	expect_fail("ports: 80\nproto: tcp\nwho: a\ncategory: game\ntext: t\n", "game.txt",
	            IMPORT_CURATED_USE, "game.txt:1: no source");
	expect_fail(USE_OK "source: none\n", "game.txt", IMPORT_CURATED_USE,
	            "game.txt:9: source: 'none' mixed with URLs");
	expect_fail("ports: 80\nproto: tcp\nwho: a\ncategory: game\ntext: t\nsource: none\n"
	            "source: https://example.org/\n",
	            "game.txt", IMPORT_CURATED_USE, "game.txt:7: source: URL mixed with 'none'");
	expect_fail(USE_OK "source: ftp://example.org/x\n", "game.txt", IMPORT_CURATED_USE,
	            "game.txt:9: source: 'ftp://example.org/x' is neither");
	expect_fail(USE_OK "source: https://\n", "game.txt", IMPORT_CURATED_USE,
	            "game.txt:9: source: 'https://' has no host");
	expect_fail(USE_OK "source: http://a b\n", "game.txt", IMPORT_CURATED_USE,
	            "game.txt:9: source: URL contains white space");
}

static void
test_encoding_and_bounds(void **state)
{
	char *big;
	struct collect c = {0};
	struct err e;

	(void)state;
	expect_fail(USE_OK "\n# caf\xc3\x28\n", "game.txt", IMPORT_CURATED_USE,
	            "game.txt:10: invalid UTF-8");
	expect_fail("# \xc0\xaf overlong\n", "game.txt", IMPORT_CURATED_USE,
	            "game.txt:1: invalid UTF-8");
	expect_fail("# \xed\xa0\x80 surrogate\n", "game.txt", IMPORT_CURATED_USE,
	            "game.txt:1: invalid UTF-8");
	expect_fail("ports: 80\r\n", "game.txt", IMPORT_CURATED_USE, "game.txt:1: carriage return");
	expect_fail("# a\n# \x01\n", "game.txt", IMPORT_CURATED_USE,
	            "game.txt:2: control character 0x01");
	/* Valid UTF-8 passes through. */
	assert_int_equal(run("ports: 80\nproto: tcp\nwho: Café\ncategory: game\ntext: t\n"
	                     "source: none\n",
	                     "game.txt", IMPORT_CURATED_USE, &c, &e),
	                 0);
	assert_string_equal(c.who[0], "Café");

	big = malloc(IMPORT_CURATED_MAX_LINE + 4);
	assert_non_null(big);
	memset(big, 'x', IMPORT_CURATED_MAX_LINE + 2);
	memcpy(big, "# ", 2);
	big[IMPORT_CURATED_MAX_LINE + 2] = '\n';
	big[IMPORT_CURATED_MAX_LINE + 3] = '\0';
	expect_fail(big, "game.txt", IMPORT_CURATED_USE, "game.txt:1: line longer than 4096");
	free(big);
}

static void
test_empty_text(void **state)
{
	(void)state;
	expect_fail("ports: 80\nproto: tcp\nwho: a\ncategory: game\ntext:   \nsource: none\n",
	            "game.txt", IMPORT_CURATED_USE, "game.txt:5: text: empty value");
}

static void
test_duplicate(void **state)
{
	const char *text = USE_OK "\n"
	                          "ports: 80\nproto: tcp\nwho: other\ncategory: game\ntext: t\n"
	                          "source: none\n"
	                          "\n" USE_OK;
	struct collect c = {0};
	struct err e;

	(void)state;
	expect_fail(text, "game.txt", IMPORT_CURATED_USE,
	            "game.txt:18: duplicate entry: same ports, proto, who and category as "
	            "game.txt:2");
	/* Another protocol set is another entry. */
	assert_int_equal(run(USE_OK "\nports: 27015-27030\nproto: tcp\nwho: Steam (Valve)\n"
	                            "category: game\ntext: t\nsource: none\n",
	                     "game.txt", IMPORT_CURATED_USE, &c, &e),
	                 0);
	assert_int_equal(c.nuse, 2);
}

#define NOTE_OK                                                                                    \
	"---\n"                                                                                    \
	"ports: 3105-3106\n"                                                                       \
	"title: Cardbox\n"                                                                         \
	"source: none\n"                                                                           \
	"---\n"                                                                                    \
	"\n"                                                                                       \
	"Cardbox is a *database*.\n"

static void
test_note_ok(void **state)
{
	struct collect c = {0};
	struct err e;

	(void)state;
	assert_int_equal(run(NOTE_OK, "data/notes/3105-3106.md", IMPORT_CURATED_NOTE, &c, &e), 0);
	assert_int_equal(c.nnote, 1);
	assert_int_equal(c.lo[0], 3105);
	assert_int_equal(c.hi[0], 3106);
	assert_string_equal(c.title, "Cardbox");
	assert_string_equal(c.body, "Cardbox is a *database*.\n");
}

static void
test_note_errors(void **state)
{
	(void)state;
	expect_fail("ports: 80\n", "80.md", IMPORT_CURATED_NOTE,
	            "80.md:1: a note must begin with a '---' line");
	expect_fail("---\nports: 80\ntitle: t\nsource: none\n", "80.md", IMPORT_CURATED_NOTE,
	            "80.md:4: front matter opened on line 1 is not closed");
	expect_fail("---\nports: 80\n\ntitle: t\nsource: none\n---\nx\n", "80.md",
	            IMPORT_CURATED_NOTE, "80.md:3: blank line inside the front matter");
	expect_fail("---\nports: 80\ntitle: t\nwho: x\nsource: none\n---\nx\n", "80.md",
	            IMPORT_CURATED_NOTE, "80.md:4: unknown key 'who'");
	expect_fail("---\nports: 80\nsource: none\n---\nx\n", "80.md", IMPORT_CURATED_NOTE,
	            "80.md:1: missing required key 'title'");
	expect_fail("---\nports: 80\ntitle: t\n---\nx\n", "80.md", IMPORT_CURATED_NOTE,
	            "80.md:1: no source");
	expect_fail(NOTE_OK, "notes/3105.md", IMPORT_CURATED_NOTE,
	            "notes/3105.md:2: ports: 3105-3106 does not match the file name "
	            "(expected 3105-3106.md)");
	expect_fail("---\nports: 80, 443\ntitle: t\nsource: none\n---\nx\n", "80, 443.md",
	            IMPORT_CURATED_NOTE,
	            "80, 443.md:2: ports: a note covers one port or one range");
	expect_fail("---\nports: 80\ntitle: t\nsource: none\n---\n\n  \n", "80.md",
	            IMPORT_CURATED_NOTE, "80.md:5: empty text");
}

static void
test_history(void **state)
{
	const char *ok = "ports: 3126\nproto: tcp udp\nkind: former-name\n"
	                 "former: Microsoft .NETster Port\ndate: 2007-10-04\ntext: t\n"
	                 "source: https://www.iana.org/assignments/service-names-port-numbers/"
	                 "service-names-port-numbers.xhtml\n";
	struct collect c = {0};
	struct err e;
	char buf[512];

	(void)state;
	assert_int_equal(run(ok, "data/history.txt", IMPORT_CURATED_HISTORY, &c, &e), 0);
	assert_int_equal(c.nhist, 1);
	assert_string_equal(c.date, "2007-10-04");
	assert_string_equal(c.kind, "former-name");
	assert_int_equal(c.lo[0], 3126);

	expect_fail("ports: 1\nproto: tcp\nkind: moved\nformer: x\ntext: t\nsource: none\n",
	            "history.txt", IMPORT_CURATED_HISTORY,
	            "history.txt:3: kind: unknown kind 'moved'");
	expect_fail("ports: 1\nproto: tcp\nkind: renamed\nformer: x\ndate: 2007-02-30\ntext: t\n"
	            "source: none\n",
	            "history.txt", IMPORT_CURATED_HISTORY,
	            "history.txt:5: date: '2007-02-30' is not YYYY");
	expect_fail("ports: 1\nproto: tcp\nkind: renamed\nformer: x\ndate: 07-10\ntext: t\n"
	            "source: none\n",
	            "history.txt", IMPORT_CURATED_HISTORY, "history.txt:5: date: '07-10' is not");
	expect_fail("ports: 1\nproto: tcp\nkind: renamed\ntext: t\nsource: none\n", "history.txt",
	            IMPORT_CURATED_HISTORY, "history.txt:1: missing required key 'former'");
	expect_fail("ports: 1\nproto: tcp\nkind: renamed\nformer: x\nwho: y\ntext: t\n"
	            "source: none\n",
	            "history.txt", IMPORT_CURATED_HISTORY, "history.txt:5: unknown key 'who'");
	snprintf(buf, sizeof(buf), "%s\n%s", ok, ok);
	expect_fail(buf, "history.txt", IMPORT_CURATED_HISTORY,
	            "history.txt:9: duplicate claim: same ports, proto, kind and former as "
	            "history.txt:1");
	/* Year-only and leap-day dates are real dates. */
	memset(&c, 0, sizeof(c));
	assert_int_equal(run("ports: 1\nproto: tcp\nkind: renamed\nformer: x\ndate: 2004-02-29\n"
	                     "text: t\nsource: none\n\n"
	                     "ports: 2\nproto: tcp\nkind: renamed\nformer: x\ndate: 1999\n"
	                     "text: t\nsource: none\n",
	                     "history.txt", IMPORT_CURATED_HISTORY, &c, &e),
	                 0);
	assert_int_equal(c.nhist, 2);
}

/*
 * exposure.txt: a level the concern rules know, and always a URL, because
 * an exposure risk raises a concern level and an unsourced entry may not.
 */
static void
test_exposure(void **state)
{
	const char *ok = "ports: 139, 445\nproto: tcp\nwho: SMB\nlevel: elevated\ntext: t\n"
	                 "source: https://nvd.nist.gov/vuln/detail/CVE-2017-0144\n";
	struct collect c = {0};
	struct err e;
	char buf[512];

	(void)state;
	assert_int_equal(run(ok, "data/exposure.txt", IMPORT_CURATED_EXPOSURE, &c, &e), 0);
	assert_int_equal(c.nexpo, 2);
	assert_int_equal(c.lo[1], 445);
	assert_string_equal(c.kind, "elevated");
	assert_string_equal(c.who[0], "SMB");
	expect_fail("ports: 23\nproto: tcp\nwho: Telnet\nlevel: none\ntext: t\n"
	            "source: https://www.rfc-editor.org/rfc/rfc854\n",
	            "exposure.txt", IMPORT_CURATED_EXPOSURE,
	            "exposure.txt:4: level: unknown level 'none' (expected low, elevated, high)");
	expect_fail(
	    "ports: 23\nproto: tcp\nwho: Telnet\nlevel: high\ntext: t\nsource: none\n",
	    "exposure.txt", IMPORT_CURATED_EXPOSURE,
	    "exposure.txt:1: source: an exposure risk raises a concern level, so it needs a "
	    "URL");
	expect_fail("ports: 23\nproto: tcp\nwho: Telnet\ntext: t\nsource: https://a.example/\n",
	            "exposure.txt", IMPORT_CURATED_EXPOSURE,
	            "exposure.txt:1: missing required key 'level'");
	expect_fail("ports: 23\nproto: tcp\nwho: Telnet\ncategory: iot\nlevel: low\ntext: t\n"
	            "source: https://a.example/\n",
	            "exposure.txt", IMPORT_CURATED_EXPOSURE,
	            "exposure.txt:4: unknown key 'category'");
	snprintf(buf, sizeof(buf), "%s\n%s", ok, ok);
	expect_fail(buf, "exposure.txt", IMPORT_CURATED_EXPOSURE,
	            "exposure.txt:8: duplicate entry: same ports, proto and who as exposure.txt:1");
}

static void
test_sink_error_stops(void **state)
{
	struct collect c = {.fail = 1};
	struct err e;

	(void)state;
	assert_int_equal(run(USE_OK, "game.txt", IMPORT_CURATED_USE, &c, &e), -1);
	assert_string_equal(e.msg, "sink refused 27015");
	assert_int_equal(c.nuse, 1);
}

static void
test_file_errors(void **state)
{
	struct err e = {0};

	(void)state;
	assert_int_equal(import_curated_file("/nonexistent/unofficial/game.txt", NULL, &e), -1);
	assert_non_null(strstr(e.msg, "/nonexistent/unofficial/game.txt: No such file"));
	assert_int_equal(import_curated_file("data/README.md.bak", NULL, &e), -1);
	assert_non_null(strstr(e.msg, "not a curated data file"));
	assert_int_equal(import_curated_dir("/nonexistent-datadir", NULL, &e), -1);
	assert_non_null(strstr(e.msg, "/nonexistent-datadir: No such file"));
}

/* dir/notes/name holding text (dir/notes made if missing); its path in path. */
static void
write_note_file(const char *dir, const char *name, const char *text, char *path, size_t len)
{
	FILE *f;

	snprintf(path, len, "%s/notes", dir);
	(void)mkdir(path, 0700);
	snprintf(path, len, "%s/notes/%s", dir, name);
	assert_non_null(f = fopen(path, "w"));
	fputs(text, f);
	fclose(f);
}

/* A data directory with a stray file is rejected, naming the file. */
static void
test_dir_stray_file(void **state)
{
	char dir[] = "/tmp/portolan-curated-XXXXXX", path[128];
	struct err e = {0};

	(void)state;
	assert_non_null(mkdtemp(dir));
	write_note_file(dir, "80.txt", "", path, sizeof(path));
	assert_int_equal(import_curated_dir(dir, NULL, &e), -1);
	assert_non_null(strstr(e.msg, "/notes/80.txt: unexpected file"));
	unlink(path);
	snprintf(path, sizeof(path), "%s/notes", dir);
	rmdir(path);
	rmdir(dir);
}

/* The translations a file hands the sink, as "kind file:line lang title|text" lines. */
struct translations {
	char out[4096];
	size_t len;
};

static int
collect_translation(void *ctx, const struct reg_translation *t, struct err *e)
{
	struct translations *tr = ctx;

	(void)e;
	tr->len += (size_t)snprintf(tr->out + tr->len, sizeof(tr->out) - tr->len,
	                            "%s %s:%ld %s %s|%s\n", t->kind, t->file, t->line, t->lang,
	                            t->title ? t->title : "-", t->text);
	return 0;
}

/* text.<lang> keys and notes/<ports>.<lang>.md: what they translate, and what is refused. */
static void
test_translations(void **state)
{
	struct translations tr = {{0}, 0};
	struct reg_sink sink = {.ctx = &tr, .translation = collect_translation};
	const char *use = USE_OK "text.ko: 게임 서버와 매치메이킹.\ntext.zh_Hans: 游戏服务器。\n";
	const char *note = "---\nports: 22\ntitle: 보안 셸\n---\n\nSSH 본문.\n";
	struct err e = {0};

	(void)state;
	assert_int_equal(import_curated_buffer(use, strlen(use), "unofficial/game.txt",
	                                       IMPORT_CURATED_USE, &sink, &e),
	                 0);
	assert_int_equal(import_curated_buffer(note, strlen(note), "notes/22.ko.md",
	                                       IMPORT_CURATED_NOTE, &sink, &e),
	                 0);
	/* The use's translations point at its stanza; the note's at the English note, line 1. */
	assert_string_equal(
	    tr.out, "use unofficial/game.txt:2 ko -|게임 서버와 매치메이킹.\n"
	            "use unofficial/game.txt:2 zh_Hans -|游戏服务器。\n"
	            "note notes/22.md:1 ko 보안 셸|SSH 본문.\n\n"); /* a body ends in its newline */
	expect_fail(USE_OK "text.xx: t\n", "unofficial/game.txt", IMPORT_CURATED_USE,
	            "unofficial/game.txt:9: text.xx: unknown language (one of hi, id, sv, ko");
	expect_fail(USE_OK "text.ko: a\ntext.ko: b\n", "unofficial/game.txt", IMPORT_CURATED_USE,
	            "unofficial/game.txt:10: text.ko: repeated (first on line 9)");
	expect_fail(USE_OK "text.ko:  \n", "unofficial/game.txt", IMPORT_CURATED_USE,
	            "unofficial/game.txt:9: text.ko: empty value");
	expect_fail("---\nports: 22\ntitle: t\nsource: none\n---\nx\n", "notes/22.xx.md",
	            IMPORT_CURATED_NOTE,
	            "notes/22.xx.md:2: ports: 22 does not match the file name (expected 22.md); a "
	            "translation is 22.<lang>.md");
	expect_fail("---\nports: 22\ntitle: t\n---\n\n", "notes/22.ko.md", IMPORT_CURATED_NOTE,
	            "notes/22.ko.md:4: empty text");
}

/* A translated note needs its English original in the same directory. */
static void
test_translation_needs_original(void **state)
{
	char dir[] = "/tmp/portolan-curated-XXXXXX", path[128];
	struct err e = {0};
	struct curated_counts n;

	(void)state;
	assert_non_null(mkdtemp(dir));
	write_note_file(dir, "22.ko.md", "---\nports: 22\ntitle: t\n---\nx\n", path, sizeof(path));
	assert_int_equal(import_curated_dir(dir, NULL, &e), -1);
	assert_non_null(strstr(e.msg, "/notes/22.ko.md: translates "));
	assert_non_null(strstr(e.msg, "/notes/22.md, which does not exist"));
	write_note_file(dir, "22.md", "---\nports: 22\ntitle: t\nsource: none\n---\nx\n", path,
	                sizeof(path));
	assert_int_equal(import_curated_counts(dir, &n, &e), 0);
	assert_int_equal(n.notes, 1); /* a translation is not another note */
	assert_int_equal(n.notes_tr[3], 1);
	assert_string_equal(import_curated_lang(3), "ko");
	unlink(path);
	snprintf(path, sizeof(path), "%s/notes/22.ko.md", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/notes", dir);
	rmdir(path);
	rmdir(dir);
}

static int
has_note(const struct reg_note *notes, size_t n, long lo, long hi)
{
	for (size_t i = 0; i < n; i++)
		if (notes[i].port_lo == lo && notes[i].port_hi == hi)
			return 1;
	return 0;
}

struct noteports {
	struct reg_note notes[512];
	size_t n;
};

static int
note_ports(void *ctx, const struct reg_note *n, struct err *e)
{
	struct noteports *np = ctx;

	if (np->n == 512)
		return err_set(e, "too many notes for the test");
	np->notes[np->n++] = (struct reg_note){.port_lo = n->port_lo, .port_hi = n->port_hi};
	return 0;
}

/* The exposure risks the concern rules rely on are in the repository's data. */
static int
counts_have_exposure(void)
{
	struct curated_counts counts;
	struct err e = {0};

	return import_curated_counts(PORTOLAN_DATADIR, &counts, &e) == 0 && counts.exposure >= 20;
}

/* A sink for aliases: name and range of each call. */
struct aliases {
	size_t n;
	char name[MAXCALLS][64];
	long lo[MAXCALLS], hi[MAXCALLS];
};

static int
collect_alias(void *ctx, const struct reg_curated_alias *a, struct err *e)
{
	struct aliases *c = ctx;

	(void)e;
	assert_true(c->n < MAXCALLS);
	snprintf(c->name[c->n], sizeof(c->name[c->n]), "%s", a->name);
	c->lo[c->n] = a->port_lo;
	c->hi[c->n++] = a->port_hi;
	return 0;
}

#define ALIAS_OK                                                                                   \
	"alias: samba\n"                                                                           \
	"ports: 445, 139\n"                                                                        \
	"text: The SMB server for Unix.\n"                                                         \
	"source: https://www.samba.org/\n"

static void
test_aliases(void **state)
{
	struct aliases c = {0};
	struct reg_sink sink = {.ctx = &c, .curated_alias = collect_alias};
	struct err e = {0};
	const char *two = ALIAS_OK "\nalias: h.323\nports: 1720\ntext: Calls.\nsource: none\n";

	(void)state;
	assert_int_equal(
	    import_curated_buffer(two, strlen(two), "aliases.txt", IMPORT_CURATED_ALIAS, &sink, &e),
	    0);
	/* One call per range, in the order written: the main port first. */
	assert_int_equal(c.n, 3);
	assert_string_equal(c.name[0], "samba");
	assert_int_equal(c.lo[0], 445);
	assert_int_equal(c.lo[1], 139);
	assert_string_equal(c.name[2], "h.323");
	assert_int_equal(c.hi[2], 1720);

	expect_fail("alias: RDP\nports: 3389\ntext: x\nsource: none\n", "aliases.txt",
	            IMPORT_CURATED_ALIAS, "aliases.txt:1: alias: 'RDP' has upper case");
	expect_fail("alias: remote  desktop\nports: 3389\ntext: x\nsource: none\n", "aliases.txt",
	            IMPORT_CURATED_ALIAS, "aliases.txt:1: alias: 'remote  desktop' is not letters");
	expect_fail("alias: -rdp\nports: 3389\ntext: x\nsource: none\n", "aliases.txt",
	            IMPORT_CURATED_ALIAS, "aliases.txt:1: alias: '-rdp' is not letters");
	expect_fail("alias: rdp;\nports: 3389\ntext: x\nsource: none\n", "aliases.txt",
	            IMPORT_CURATED_ALIAS, "aliases.txt:1: alias: 'rdp;' is not letters");
	expect_fail("alias: rdp\nports: 3389\nsource: none\n", "aliases.txt", IMPORT_CURATED_ALIAS,
	            "aliases.txt:1: missing required key 'text'");
	expect_fail("alias: rdp\nports: 3389\ntext: x\nwho: y\nsource: none\n", "aliases.txt",
	            IMPORT_CURATED_ALIAS, "aliases.txt:4: unknown key 'who'");
	expect_fail(ALIAS_OK "\n" ALIAS_OK, "aliases.txt", IMPORT_CURATED_ALIAS,
	            "aliases.txt:6: duplicate entry: same alias and ports as aliases.txt:1");
}

/* The repository's own data/ must validate and carry the required notes. */
static void
test_repo_data(void **state)
{
	static struct noteports np;
	struct reg_sink sink = {.ctx = &np, .note = note_ports};
	struct curated_counts counts;
	struct err e = {0};
	size_t sum = 0;

	(void)state;
	if (import_curated_dir(PORTOLAN_DATADIR, &sink, &e) == -1)
		fail_msg("data/ does not validate: %s", e.msg);
	assert_true(np.n >= 60);
	assert_true(has_note(np.notes, np.n, 3105, 3106));
	assert_true(has_note(np.notes, np.n, 3126, 3126));
	assert_true(has_note(np.notes, np.n, 3516, 3516));
	assert_true(has_note(np.notes, np.n, 2906, 2906));
	assert_true(has_note(np.notes, np.n, 80, 80));
	assert_true(counts_have_exposure());

	if (import_curated_counts(PORTOLAN_DATADIR, &counts, &e) == -1)
		fail_msg("counts: %s", e.msg);
	assert_int_equal(counts.notes, np.n);
	/* data/aliases.txt names the ports issue 13 says people mean. */
	assert_true(counts.aliases >= 6);
	for (size_t i = 0; i < IMPORT_CURATED_NCATEGORIES; i++)
		sum += counts.uses[i];
	assert_int_equal(sum, counts.uses_total);
	assert_null(import_curated_category(IMPORT_CURATED_NCATEGORIES));
	assert_string_equal(import_curated_category(0), "game");
}

/* data/likely.txt: what a person most likely meets on a port. */
struct likely_seen {
	size_t n;
	long lo[MAXCALLS], hi[MAXCALLS];
	char answer[MAXCALLS][16], name[MAXCALLS][64], protocols[MAXCALLS][32];
};

static int
collect_likely(void *ctx, const struct reg_likely *l, struct err *e)
{
	struct likely_seen *c = ctx;
	size_t i = c->n++;

	(void)e;
	assert_true(i < MAXCALLS);
	c->lo[i] = l->port_lo;
	c->hi[i] = l->port_hi;
	snprintf(c->answer[i], sizeof(c->answer[i]), "%s", l->answer);
	snprintf(c->name[i], sizeof(c->name[i]), "%s", l->name);
	snprintf(c->protocols[i], sizeof(c->protocols[i]), "%s", l->protocols);
	return 0;
}

#define LIKELY_9200                                                                                \
	"ports: 9200\nproto: tcp\nanswer: unofficial\nname: Elasticsearch REST API\n"              \
	"text: Search.\nsource: https://example.org/es\n"

static void
test_likely_ok(void **state)
{
	const char *text = "# header\n" LIKELY_9200 "\n"
	                   "ports: 22\nproto: tcp\nanswer: official\ntext: OpenSSH.\n"
	                   "source: https://www.rfc-editor.org/rfc/rfc4253\n\n"
	                   "ports: 9200\nproto: udp\nanswer: mixed\nname: a, b\ntext: Both.\n"
	                   "source: none\n\n"
	                   "ports: 6881-6889, 6969\nproto: tcp udp\nanswer: unofficial\n"
	                   "name: BitTorrent\ntext: Peers.\nsource: none\n";
	struct likely_seen c = {0};
	struct reg_sink sink = {.ctx = &c, .likely = collect_likely};
	struct err e = {0};

	(void)state;
	if (import_curated_buffer(text, strlen(text), "data/likely.txt", IMPORT_CURATED_LIKELY,
	                          &sink, &e) == -1)
		fail_msg("%s", e.msg);
	assert_int_equal(c.n, 5);
	assert_int_equal(c.lo[0], 9200);
	assert_string_equal(c.answer[0], "unofficial");
	assert_string_equal(c.name[0], "Elasticsearch REST API");
	assert_string_equal(c.answer[1], "official");
	assert_string_equal(c.name[1], ""); /* the registry's name is the answer */
	assert_string_equal(c.answer[2], "mixed");
	assert_int_equal(c.lo[3], 6881);
	assert_int_equal(c.hi[3], 6889);
	assert_int_equal(c.lo[4], 6969);
	assert_string_equal(c.protocols[4], "tcp udp");
}

static void
test_likely_errors(void **state)
{
	(void)state;
	/* Two answers for one port and protocol: neither is "the most likely". */
	expect_fail(LIKELY_9200 "\nports: 9000-9300\nproto: udp tcp\nanswer: mixed\nname: x\n"
	                        "text: t\nsource: none\n",
	            "likely.txt", IMPORT_CURATED_LIKELY,
	            "likely.txt:8: port 9200/tcp already has a likely answer, on line 1");
	expect_fail("ports: 1\nproto: tcp\nanswer: likely\ntext: t\nsource: none\n", "likely.txt",
	            IMPORT_CURATED_LIKELY,
	            "likely.txt:3: answer: unknown answer 'likely' (expected official, "
	            "unofficial, mixed)");
	expect_fail("ports: 1\nproto: tcp\nanswer: unofficial\ntext: t\nsource: none\n",
	            "likely.txt", IMPORT_CURATED_LIKELY,
	            "likely.txt:1: missing required key 'name' (answer: unofficial)");
	expect_fail("ports: 1\nproto: tcp\nname: x\ntext: t\nsource: none\n", "likely.txt",
	            IMPORT_CURATED_LIKELY, "likely.txt:1: missing required key 'answer'");
	expect_fail(LIKELY_9200 "who: Elastic\n", "likely.txt", IMPORT_CURATED_LIKELY,
	            "likely.txt:7: unknown key 'who'");
	/* The likely keys mean nothing in a uses file. */
	expect_fail(USE_OK "answer: official\n", "u/game.txt", IMPORT_CURATED_USE,
	            "u/game.txt:9: unknown key 'answer'");
}

/* The repository's likely.txt validates on its own and answers for at least 60 ports. */
static void
test_repo_likely(void **state)
{
	struct curated_counts counts;
	char path[4096];
	struct err e = {0};

	(void)state;
	snprintf(path, sizeof(path), "%s/likely.txt", PORTOLAN_DATADIR);
	if (import_curated_file(path, &(struct reg_sink){0}, &e) == -1)
		fail_msg("%s", e.msg);
	if (import_curated_counts(PORTOLAN_DATADIR, &counts, &e) == -1)
		fail_msg("counts: %s", e.msg);
	assert_true(counts.likely >= 60);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_use_ok),
	    cmocka_unit_test(test_unknown_key),
	    cmocka_unit_test(test_missing_and_repeated_key),
	    cmocka_unit_test(test_ports),
	    cmocka_unit_test(test_proto),
	    cmocka_unit_test(test_category),
	    cmocka_unit_test(test_sources),
	    cmocka_unit_test(test_encoding_and_bounds),
	    cmocka_unit_test(test_empty_text),
	    cmocka_unit_test(test_duplicate),
	    cmocka_unit_test(test_note_ok),
	    cmocka_unit_test(test_note_errors),
	    cmocka_unit_test(test_translations),
	    cmocka_unit_test(test_translation_needs_original),
	    cmocka_unit_test(test_history),
	    cmocka_unit_test(test_exposure),
	    cmocka_unit_test(test_aliases),
	    cmocka_unit_test(test_sink_error_stops),
	    cmocka_unit_test(test_file_errors),
	    cmocka_unit_test(test_dir_stray_file),
	    cmocka_unit_test(test_repo_data),
	    cmocka_unit_test(test_likely_ok),
	    cmocka_unit_test(test_likely_errors),
	    cmocka_unit_test(test_repo_likely),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
