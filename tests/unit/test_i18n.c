/*
 * test_i18n.c - catalogs, plural rules, printf checks, negotiation, and
 * numbers and dates per language.
 *
 * Catalogs are written to a fresh temporary directory so each case states
 * its .po text inline; the last case loads the repository's own po/ (the
 * unit tests run from the top of the tree), so a broken catalog fails here
 * before a server ever starts.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "render/i18n.h"
#include "render/i18n_plural.h"
#include "render/i18n_po.h"
#include "render/i18n_printf.h"

#define HEADER(lang, plural)                                                                       \
	"msgid \"\"\n"                                                                             \
	"msgstr \"\"\n"                                                                            \
	"\"Content-Type: text/plain; charset=UTF-8\\n\"\n"                                         \
	"\"Language: " lang "\\n\"\n"                                                              \
	"\"Plural-Forms: " plural "\\n\"\n\n"

#define RU_PLURAL                                                                                  \
	"nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || "       \
	"n%100>=20) ? 1 : 2);"

static void
test_plural_rules(void **state)
{
	struct plural p;
	struct err e = {0};

	(void)state;
	assert_int_equal(i18n_plural_parse(RU_PLURAL, &p, &e), 0);
	assert_int_equal(p.nplurals, 3);
	assert_int_equal(i18n_plural_eval(&p, 1), 0);
	assert_int_equal(i18n_plural_eval(&p, 21), 0);
	assert_int_equal(i18n_plural_eval(&p, 2), 1);
	assert_int_equal(i18n_plural_eval(&p, 24), 1);
	assert_int_equal(i18n_plural_eval(&p, 5), 2);
	assert_int_equal(i18n_plural_eval(&p, 11), 2);
	assert_int_equal(i18n_plural_eval(&p, 111), 2);
	assert_int_equal(i18n_plural_eval(&p, 0), 2);
	assert_int_equal(i18n_plural_parse("nplurals=2; plural=(n > 1);", &p, &e), 0);
	assert_int_equal(i18n_plural_eval(&p, 0), 0);
	assert_int_equal(i18n_plural_eval(&p, 1), 0);
	assert_int_equal(i18n_plural_eval(&p, 2), 1);
	assert_int_equal(i18n_plural_parse("nplurals=1; plural=0;", &p, &e), 0);
	assert_int_equal(i18n_plural_eval(&p, 7), 0);
	/* Division by zero is defined (0), not SIGFPE. */
	assert_int_equal(i18n_plural_parse("nplurals=2; plural=n/0;", &p, &e), 0);
	assert_int_equal(i18n_plural_eval(&p, 5), 0);
	assert_int_equal(i18n_plural_parse("nplurals=2;plural=!(n<=1)", &p, &e), 0);
	assert_int_equal(i18n_plural_eval(&p, 1), 0);
	assert_int_equal(i18n_plural_eval(&p, 3), 1);
	i18n_plural_default(&p);
	assert_int_equal(i18n_plural_eval(&p, 1), 0);
	assert_int_equal(i18n_plural_eval(&p, 0), 1);
}

static void
plural_refused(const char *spec, const char *why)
{
	struct plural p;
	struct err e = {0};

	assert_int_equal(i18n_plural_parse(spec, &p, &e), -1);
	if (strstr(e.msg, why) == NULL)
		fail_msg("\"%s\": message \"%s\" lacks \"%s\"", spec, e.msg, why);
}

static void
test_plural_refused(void **state)
{
	char deep[256];

	(void)state;
	plural_refused("nplurals=2; plural=n;", "gives 2 for n=2");
	plural_refused("nplurals=0; plural=0;", "nplurals must be 1..6");
	plural_refused("nplurals=7; plural=0;", "nplurals must be 1..6");
	plural_refused("plural=n!=1; nplurals=2;", "must start with");
	plural_refused("nplurals=2; plural=n !! 1;", "expected");
	plural_refused("nplurals=2; plural=(n != 1;", "\")\" expected");
	plural_refused("nplurals=2; plural=n != 1 ? 1;", "\":\" expected");
	plural_refused("nplurals=2; plural=n & 1;", "expected");
	plural_refused("nplurals=2; plural=nn;", "expected");
	plural_refused("nplurals=2; plural=1234567890;", "longer than 9 digits");
	memset(deep, 0, sizeof(deep));
	strcpy(deep, "nplurals=2; plural=");
	memset(deep + strlen(deep), '(', 100);
	plural_refused(deep, "nested deeper");
	plural_refused("nplurals=2; plural=n+n+n+n+n+n+n+n+n+n+n+n+n+n+n+n+n+n+n+n+n+n+n+n+n+n+n"
	               "+n+n+n+n+n+n+n+n>0;",
	               "more than 64 nodes");
}

static void
same(const char *a, const char *b)
{
	struct err e = {0};

	if (i18n_printf_same(a, b, &e) != 0)
		fail_msg("\"%s\" vs \"%s\": %s", a, b, e.msg);
}

static void
differs(const char *a, const char *b, const char *why)
{
	struct err e = {0};

	assert_int_equal(i18n_printf_same(a, b, &e), -1);
	assert_int_equal(e.kind, ERR_INPUT);
	if (strstr(e.msg, why) == NULL)
		fail_msg("\"%s\" vs \"%s\": message \"%s\" lacks \"%s\"", a, b, e.msg, why);
}

static void
test_printf(void **state)
{
	(void)state;
	same("Port %s", "포트 %s");
	same("%s of %d", "%2$d의 %1$s");
	same("%1$s of %2$d", "%2$d의 %1$s");
	same("%lu votes", "%lu 票");
	same("%lu votes", "%lx");
	same("100%% sure: %s", "%s à 100 %%");
	same("%-5.*s|", "|%.*s");
	same("%.*s", "%2$.*1$s");
	same("no conversions", "keine Umwandlungen");
	differs("Port %s", "Port", "0 printf arguments where the msgid has 1");
	differs("Port %s", "Port %s %s", "2 printf arguments");
	differs("Port %s", "Port %d", "argument 1 is %d where the msgid has %s");
	differs("%lu votes", "%u votes", "argument 1 is %u where the msgid has %lu");
	differs("%s %d", "%d %s", "argument 1 is %d");
	differs("%s", "%n", "%n is refused");
	differs("%s %d", "%1$s %d", "mixed");
	differs("%s %d", "%2$d", "argument 1 is never used");
	differs("%s", "%1$s %1$d", "used as %s and as %d");
	differs("%s", "%17$s", "outside 1..16");
	differs("%s", "%s %", "incomplete conversion");
	differs("%s", "%k", "unknown conversion");
	differs("%s", "%Ls", "unknown conversion");
	differs("%d%", "%d", "in the msgid");
	differs("%.*s", "%s", "1 printf argument where the msgid has 2");
	differs("%.*s", "%s%s", "argument 1 is %s where the msgid has %d");
}

static struct i18n_po *
po_ok(const char *text)
{
	struct i18n_po *po = NULL;
	struct err e = {0};

	if (i18n_po_parse(text, strlen(text), "t.po", &po, &e) != 0)
		fail_msg("parse failed: %s", e.msg);
	return po;
}

static void
test_po_parse(void **state)
{
	static const char text[] = "# A translator's comment.\n" HEADER(
	    "ru", RU_PLURAL) "#: src/render/html.c:10\n"
	                     "msgid \"Port %s\"\n"
	                     "msgstr \"Порт %s\"\n"
	                     "\n"
	                     "msgid \"\"\n"
	                     "\"Two \"\n"
	                     "\"lines\"\n"
	                     "msgstr \"\"\n"
	                     "\"Две \"\n"
	                     "\"строки\\n\\t\\\"q\\\" \\101\\x42\"\n"
	                     "\n"
	                     "msgctxt \"menu\"\n"
	                     "msgid \"Port %s\"\n"
	                     "msgstr \"Меню %s\"\n"
	                     "\n"
	                     "#, c-format\n"
	                     "msgid \"%lu vote\"\n"
	                     "msgid_plural \"%lu votes\"\n"
	                     "msgstr[0] \"%lu голос\"\n"
	                     "msgstr[1] \"%lu голоса\"\n"
	                     "msgstr[2] \"%lu голосов\"\n"
	                     "\n"
	                     "#, fuzzy\n"
	                     "msgid \"Home\"\n"
	                     "msgstr \"Дом\"\n"
	                     "\n"
	                     "msgid \"Search\"\n"
	                     "msgstr \"\"\n"
	                     "\n"
	                     "#, no-c-format\n"
	                     "msgid \"100% free\"\n"
	                     "msgstr \"100% бесплатно\"\n"
	                     "\n"
	                     "#~ msgid \"Old\"\n"
	                     "#~ msgstr \"Старое\"\r\n";
	struct i18n_po *po = po_ok(text);

	(void)state;
	assert_int_equal(i18n_po_count(po), 5);
	assert_string_equal(i18n_po_language(po), "ru");
	assert_int_equal(i18n_po_plural(po)->nplurals, 3);
	assert_string_equal(i18n_po_find(po, "Port %s", 0), "Порт %s");
	assert_string_equal(i18n_po_find(po, "Two lines", 0), "Две строки\n\t\"q\" AB");
	assert_string_equal(i18n_po_find(po, "menu\004Port %s", 0), "Меню %s");
	assert_string_equal(i18n_po_find(po, "%lu vote", 2), "%lu голосов");
	assert_string_equal(i18n_po_find(po, "100% free", 0), "100% бесплатно");
	assert_null(i18n_po_find(po, "%lu vote", 3));
	assert_null(i18n_po_find(po, "Home", 0));   /* fuzzy: left out */
	assert_null(i18n_po_find(po, "Search", 0)); /* untranslated */
	assert_null(i18n_po_find(po, "Old", 0));    /* obsolete */
	assert_null(i18n_po_find(po, "Nope", 0));
	i18n_po_free(po);
	/* No header: English's plural rule; an empty file is an empty catalog. */
	po = po_ok("msgid \"a\"\nmsgstr \"b\"\n");
	assert_int_equal(i18n_po_plural(po)->nplurals, 2);
	i18n_po_free(po);
	po = po_ok("");
	assert_int_equal(i18n_po_count(po), 0);
	i18n_po_free(po);
}

static void
po_refused(const char *text, size_t len, const char *why)
{
	struct i18n_po *po = NULL;
	struct err e = {0};

	assert_int_equal(i18n_po_parse(text, len, "po/xx.po", &po, &e), -1);
	assert_null(po);
	if (strstr(e.msg, why) == NULL)
		fail_msg("message \"%s\" lacks \"%s\" for:\n%s", e.msg, why, text);
}

#define REFUSED(text, why) po_refused(text, sizeof(text) - 1, why)

static void
test_po_refused(void **state)
{
	static const char big[] = "msgid \"a\"\nmsgstr \"b\"\n";

	(void)state;
	REFUSED(HEADER("de", "nplurals=2; plural=(n != 1);") "msgid \"Port %s\"\nmsgstr \"Port\"\n",
	        "po/xx.po:8: msgstr: 0 printf arguments where the msgid has 1");
	REFUSED(HEADER("de", "nplurals=2; plural=(n != 1);") "msgid \"%s of %d\"\n"
	                                                     "msgstr \"%d von %s\"\n",
	        "po/xx.po:8: msgstr: argument 1 is %d where the msgid has %s");
	REFUSED(
	    HEADER(
	        "de",
	        "nplurals=2; plural=(n != 1);") "msgid \"%lu vote\"\nmsgid_plural \"%lu votes\"\n"
	                                        "msgstr[0] \"%lu Stimme\"\nmsgstr[1] \"%s "
	                                        "Stimmen\"\n",
	    "po/xx.po:10: msgstr[1]: argument 1 is %s");
	REFUSED(
	    HEADER("de", "nplurals=2; plural=(n != 1);") "msgid \"%lu vote\"\nmsgid_plural \"%lu "
	                                                 "votes\"\nmsgstr[0] \"%lu Stimme\"\n",
	    "po/xx.po:7: msgid: 1 msgstr[] forms where Plural-Forms says nplurals=2");
	REFUSED(HEADER("de",
	               "nplurals=2; plural=(n != 1);") "msgid \"a\"\nmsgid_plural "
	                                               "\"as\"\nmsgstr[0] \"x\"\nmsgstr[1] \"\"\n",
	        "1 of 2 plural forms are empty");
	REFUSED(HEADER("de", "nplurals=2; plural=(n != 1);") "msgid \"a\"\nmsgid_plural "
	                                                     "\"as\"\nmsgstr[1] \"x\"\n",
	        "po/xx.po:9: msgstr[1]: expected msgstr[0] here");
	REFUSED(HEADER("de", "nplurals=2; plural=n;"), "po/xx.po:1: Plural-Forms: ");
	REFUSED("msgid \"\"\nmsgstr \"Content-Type: text/plain; charset=ISO-8859-1\\n\"\n",
	        "po/xx.po:1: msgid: Content-Type must say charset=UTF-8");
	REFUSED("msgid \"a\"\nmsgstr \"b\"\n\nmsgid \"\"\nmsgstr \"Language: de\\n\"\n",
	        "po/xx.po:4: msgid: the header (msgid \"\") must be the first entry");
	REFUSED("msgid \"a\"\nmsgstr \"b\"\n\nmsgid \"a\"\nmsgstr \"c\"\n",
	        "po/xx.po:4: msgid: duplicate of the entry at line 1");
	REFUSED("msgid \"a\"\nmsgstr \"b\\q\"\n", "po/xx.po:2: msgstr: unknown escape");
	REFUSED("msgid \"a\"\nmsgstr \"b\\0\"\n", "NUL byte");
	REFUSED("msgid \"a\"\nmsgstr \"b\\x\"\n", "\\x without hex digits");
	REFUSED("msgid \"a\"\nmsgstr \"b\n", "po/xx.po:2: msgstr: string lacks its closing quote");
	REFUSED("msgid \"a\"\nmsgstr \"b\" x\n", "po/xx.po:2: msgstr: text after the closing");
	REFUSED("msgid \"a\"\nmsgstr b\n", "a \"quoted string\" was expected");
	REFUSED("msgid \"a\"\nmsgsrt \"b\"\n", "po/xx.po:2: msgsrt: unknown keyword");
	REFUSED("msgid \"a\"\nmsgid \"b\"\n", "po/xx.po:2: msgid: msgid out of place");
	REFUSED("msgid \"a\"\n", "po/xx.po:1: msgid: entry has no msgstr");
	REFUSED("msgid \"a\"\n# c\nmsgstr \"b\"\n", "po/xx.po:2: comment: a comment inside");
	REFUSED("\"a\"\n", "po/xx.po:1: po: a string outside an entry");
	REFUSED("msgid \"a\"\nmsgstr[0] \"b\"\n", "msgstr[N] without msgid_plural");
	REFUSED("msgid \"a\"\nmsgid_plural \"b\"\nmsgstr \"c\"\n",
	        "a plural entry needs msgstr[N]");
	REFUSED("msgid \"a\"\nmsgstr \"\xff\"\n", "po/xx.po:2: po: invalid UTF-8");
	REFUSED("msgid \"a\"\nmsgstr \"b\x01\"\n", "raw control character");
	po_refused("msgid \"a\"\0msgstr \"b\"\n", 21, "NUL byte in the file");
	po_refused(big, PO_MAX_BYTES + 1, "larger than");
}

/* A temporary po/ directory holding the named catalogs. */
static char *
podir(const char *const *files, size_t n)
{
	char tmpl[] = "/tmp/test_i18n.XXXXXX", path[512];
	char *dir = mkdtemp(tmpl);
	size_t i;
	FILE *f;

	assert_non_null(dir);
	for (i = 0; i < n; i += 2) {
		snprintf(path, sizeof(path), "%s/%s", dir, files[i]);
		f = fopen(path, "w");
		assert_non_null(f);
		fputs(files[i + 1], f);
		fclose(f);
	}
	return strdup(dir);
}

static void
rmdir_all(char *dir)
{
	char cmd[600];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
	free(dir);
}

static const char *const all_files[] = {
    "ko.po",
    HEADER("ko", "nplurals=1; plural=0;") "msgid \"Search\"\nmsgstr \"검색\"\n\n"
                                          "msgid \"%lu vote\"\nmsgid_plural \"%lu votes\"\n"
                                          "msgstr[0] \"%lu표\"\n",
    "de.po",
    HEADER("de", "nplurals=2; plural=(n != 1);") "msgid \"Search\"\nmsgstr \"Suche\"\n\n"
                                                 "msgid \"%lu vote\"\nmsgid_plural \"%lu "
                                                 "votes\"\n"
                                                 "msgstr[0] \"%lu Stimme\"\nmsgstr[1] \"%lu "
                                                 "Stimmen\"\n",
    "hi.po",
    HEADER("hi", "nplurals=2; plural=(n != 1);"),
    "id.po",
    HEADER("id", "nplurals=1; plural=0;"),
    "sv.po",
    HEADER("sv", "nplurals=2; plural=(n != 1);"),
    "fr.po",
    HEADER("fr", "nplurals=2; plural=(n > 1);"),
    "es.po",
    HEADER("es", "nplurals=2; plural=(n != 1);"),
    "pt.po",
    HEADER("pt", "nplurals=2; plural=(n != 1);"),
    "ja.po",
    HEADER("ja", "nplurals=1; plural=0;"),
    "zh_Hans.po",
    HEADER("zh_Hans", "nplurals=1; plural=0;"),
    "ru.po",
    HEADER("ru", RU_PLURAL),
};

static int
setup_all(void **state)
{
	char *dir = podir(all_files, sizeof(all_files) / sizeof(all_files[0]));
	struct i18n_set *set = NULL;
	struct err e = {0};

	if (i18n_load(dir, &set, &e) != 0)
		fail_msg("%s", e.msg);
	rmdir_all(dir);
	*state = set;
	return 0;
}

static int
teardown_all(void **state)
{
	i18n_free(*state);
	return 0;
}

static const char *
picked(const struct i18n_set *set, const char *param, const char *accept)
{
	return i18n_code(i18n_pick(set, param, accept));
}

static void
test_load_and_text(void **state)
{
	const struct i18n_set *set = *state;
	const struct i18n *ko = i18n_get(set, "ko"), *de = i18n_get(set, "de");
	const struct i18n *en = i18n_at(set, 0);

	assert_int_equal(i18n_count(set), 12);
	assert_string_equal(i18n_code(en), "en");
	assert_string_equal(i18n_name(en), "English");
	assert_non_null(ko);
	assert_string_equal(i18n_name(ko), "한국어");
	assert_string_equal(i18n_code(i18n_get(set, "zh")), "zh-Hans");
	assert_string_equal(i18n_code(i18n_get(set, "ZH-hans")), "zh-Hans");
	assert_string_equal(i18n_name(i18n_get(set, "zh_Hans")), "简体中文");
	assert_null(i18n_get(set, "xx"));
	assert_null(i18n_at(set, 12));
	assert_string_equal(i18n_text(ko, "Search"), "검색");
	assert_string_equal(i18n_text(ko, "Missing"), "Missing");
	assert_string_equal(i18n_text(en, "Search"), "Search");
	assert_string_equal(i18n_text(NULL, "Search"), "Search");
	assert_string_equal(i18n_ntext(ko, "%lu vote", "%lu votes", 1), "%lu표");
	assert_string_equal(i18n_ntext(ko, "%lu vote", "%lu votes", 5), "%lu표");
	assert_string_equal(i18n_ntext(de, "%lu vote", "%lu votes", 1), "%lu Stimme");
	assert_string_equal(i18n_ntext(de, "%lu vote", "%lu votes", 0), "%lu Stimmen");
	assert_string_equal(i18n_ntext(en, "%lu vote", "%lu votes", 1), "%lu vote");
	assert_string_equal(i18n_ntext(en, "%lu vote", "%lu votes", 2), "%lu votes");
	assert_string_equal(i18n_ntext(de, "%lu file", "%lu files", 2), "%lu files");
}

static void
test_pick(void **state)
{
	const struct i18n_set *set = *state;

	assert_string_equal(picked(set, NULL, NULL), "en");
	assert_string_equal(picked(set, "ko", "de"), "ko");
	assert_string_equal(picked(set, "xx", "de"), "de"); /* an unknown ?lang= falls through */
	/* ?lang= is read as Accept-Language is: pt-BR is Portuguese either way. */
	assert_string_equal(picked(set, "ko-KR", NULL), "ko");
	assert_string_equal(picked(set, "pt-BR", "en"), "pt");
	assert_string_equal(picked(set, "zh-TW", "de"), "de");
	assert_string_equal(picked(set, NULL, "ko"), "ko");
	assert_string_equal(picked(set, NULL, "ko-KR,ko;q=0.9,en-US;q=0.8,en;q=0.7"), "ko");
	assert_string_equal(picked(set, NULL, "pt-BR"), "pt");
	assert_string_equal(picked(set, NULL, "zh-CN,zh;q=0.9"), "zh-Hans");
	assert_string_equal(picked(set, NULL, "zh-Hans-CN"), "zh-Hans");
	assert_string_equal(picked(set, NULL, "zh-TW"), "en");
	assert_string_equal(picked(set, NULL, "zh-Hant, ja;q=0.5"), "ja");
	assert_string_equal(picked(set, NULL, "fr;q=0.5, de;q=0.8"), "de");
	assert_string_equal(picked(set, NULL, "fr;q=0.8, de;q=0.8"), "fr"); /* tie: first */
	assert_string_equal(picked(set, NULL, "xx, ru;q=0.1"), "ru");
	assert_string_equal(picked(set, NULL, "ko;q=0, de;q=0.1"), "de");
	assert_string_equal(picked(set, NULL, "ko;q=0"), "en");
	assert_string_equal(picked(set, NULL, "ko;q=2, sv"), "sv"); /* bad q: ignored */
	assert_string_equal(picked(set, NULL, "ko;q=abc, sv"), "sv");
	assert_string_equal(picked(set, NULL, "ko;level=1, sv;q=0.5"), "sv");
	assert_string_equal(picked(set, NULL, "*;q=0.9, hi;q=0.5"), "en");
	assert_string_equal(picked(set, NULL, "EN-gb;q=0.4, ES-419;q=0.6"), "es");
	assert_string_equal(picked(set, NULL, ",,,;;;q=,"), "en");
	assert_string_equal(picked(set, NULL, ""), "en");
}

static void
test_pick_bounded(void **state)
{
	const struct i18n_set *set = *state;
	char *huge = malloc(100000);
	size_t i;

	assert_non_null(huge);
	for (i = 0; i + 4 < 100000; i += 4)
		memcpy(huge + i, "xx, ", 4);
	strcpy(huge + i, "ko");
	/* The wanted tag is beyond what is read: English, and no overrun. */
	assert_string_equal(picked(set, NULL, huge), "en");
	memset(huge, 'a', 99999);
	huge[99999] = '\0';
	assert_string_equal(picked(set, NULL, huge), "en");
	free(huge);
}

static void
number(const struct i18n_set *set, const char *code, long long n, const char *want)
{
	char buf[64];

	i18n_number(i18n_get(set, code), n, buf, sizeof(buf));
	if (strcmp(buf, want) != 0)
		fail_msg("%s %lld: \"%s\", want \"%s\"", code, n, buf, want);
}

static void
test_number(void **state)
{
	const struct i18n_set *set = *state;
	char small[5];

	number(set, "en", 26000, "26,000");
	number(set, "en", 0, "0");
	number(set, "en", 999, "999");
	number(set, "en", 1000, "1,000");
	number(set, "en", -1234567, "-1,234,567");
	number(set, "en", -9223372036854775807LL - 1, "-9,223,372,036,854,775,808");
	number(set, "de", 26000, "26.000");
	number(set, "id", 1234567, "1.234.567");
	number(set, "pt", 26000, "26.000");
	number(set, "fr", 26000,
	       "26\xe2\x80\xaf"
	       "000");
	number(set, "sv", 26000,
	       "26\xc2\xa0"
	       "000");
	number(set, "ru", 65535,
	       "65\xc2\xa0"
	       "535");
	number(set, "es", 3516, "3516");
	number(set, "es", 26000, "26.000");
	number(set, "hi", 1234567, "12,34,567");
	number(set, "hi", 123456789, "12,34,56,789");
	number(set, "hi", 1000, "1,000");
	number(set, "ko", 26000, "26,000");
	number(set, "ja", 26000, "26,000");
	number(set, "zh", 26000, "26,000");
	/* Truncation never splits a UTF-8 sequence. */
	i18n_number(i18n_get(set, "fr"), 26000, small, sizeof(small));
	assert_string_equal(small, "26");
	i18n_number(NULL, 26000, small, sizeof(small));
	assert_string_equal(small, "26,0");
	i18n_number(NULL, 26000, small, 0);
}

static void
date(const struct i18n_set *set, const char *code, const char *iso, const char *want)
{
	char buf[96];

	i18n_date(i18n_get(set, code), iso, buf, sizeof(buf));
	if (strcmp(buf, want) != 0)
		fail_msg("%s %s: \"%s\", want \"%s\"", code, iso, buf, want);
}

static void
test_date(void **state)
{
	const struct i18n_set *set = *state;
	char small[6];

	date(set, "en", "2002-05", "May 2002");
	date(set, "en", "2002-05-14", "14 May 2002");
	date(set, "en", "2002", "2002");
	date(set, "de", "2002-05", "Mai 2002");
	date(set, "de", "2002-05-14", "14. Mai 2002");
	date(set, "fr", "2002-05", "mai 2002");
	date(set, "fr", "2002-05-01", "1er mai 2002");
	date(set, "fr", "2002-08-14", "14 août 2002");
	date(set, "es", "2002-05-14", "14 de mayo de 2002");
	date(set, "pt", "2002-03", "março de 2002");
	date(set, "sv", "2002-05", "maj 2002");
	date(set, "id", "2002-08", "Agustus 2002");
	date(set, "hi", "2002-05", "मई 2002");
	date(set, "ja", "2002-05", "2002年5月");
	date(set, "ja", "2002-05-14", "2002年5月14日");
	date(set, "zh-Hans", "2002-12-01", "2002年12月1日");
	date(set, "ko", "2002-05", "2002년 5월");
	date(set, "ko", "2002-05-14", "2002년 5월 14일");
	date(set, "ko", "2002", "2002년");
	date(set, "ru", "2002-05", "май 2002\xc2\xa0г.");
	date(set, "ru", "2002-05-14", "14 мая 2002\xc2\xa0г.");
	date(set, "en", "2004-02-29", "29 February 2004");
	/* Not ISO: given back unchanged. */
	date(set, "en", "2001-02-29", "2001-02-29");
	date(set, "en", "2002-13", "2002-13");
	date(set, "en", "2002-00", "2002-00");
	date(set, "en", "2002-5", "2002-5");
	date(set, "en", "2002-05-14T00", "2002-05-14T00");
	date(set, "en", "", "");
	i18n_date(NULL, NULL, small, sizeof(small));
	assert_string_equal(small, "");
	i18n_date(i18n_get(set, "ja"), "2002-05", small, sizeof(small));
	assert_string_equal(small, "2002");
}

static void
test_load_refused(void **state)
{
	static const char *const unknown[] = {"zh-Hans.po", ""};
	static const char *const wrong_lang[] = {"de.po", HEADER("fr", "nplurals=2; plural=n>1;")};
	static const char *const bad[] = {"ko.po", "msgid \"a\"\nmsgstr \"%s\"\n"};
	static const char *const partial[] = {"ko.po", "", "ko.po~", "garbage", "README.md", "x"};
	struct i18n_set *set = NULL;
	struct err e = {0};
	char *dir;

	(void)state;
	dir = podir(unknown, 2);
	assert_int_equal(i18n_load(dir, &set, &e), -1);
	assert_non_null(strstr(e.msg, "zh-Hans.po: not a language portolan knows"));
	rmdir_all(dir);
	dir = podir(wrong_lang, 2);
	assert_int_equal(i18n_load(dir, &set, &e), -1);
	assert_non_null(strstr(e.msg, "de.po: header says Language: fr"));
	rmdir_all(dir);
	dir = podir(bad, 2);
	assert_int_equal(i18n_load(dir, &set, &e), -1);
	assert_non_null(strstr(e.msg, "ko.po:2: msgstr: 1 printf argument where the msgid has 0"));
	rmdir_all(dir);
	assert_int_equal(i18n_load("/nonexistent/po", &set, &e), -1);
	assert_null(set);
	/* Absent catalogs leave their languages out; other files are ignored. */
	dir = podir(partial, 6);
	assert_int_equal(i18n_load(dir, &set, &e), 0);
	assert_int_equal(i18n_count(set), 2);
	assert_null(i18n_get(set, "de"));
	assert_string_equal(picked(set, NULL, "de, ko;q=0.5"), "ko");
	i18n_free(set);
	rmdir_all(dir);
}

/* The repository's own catalogs load, every language of the menu is there. */
static void
test_repo_catalogs(void **state)
{
	struct i18n_set *set = NULL;
	struct err e = {0};
	size_t i;

	(void)state;
	if (access("po/portolan.pot", F_OK) != 0)
		skip();
	if (i18n_load("po", &set, &e) != 0)
		fail_msg("%s", e.msg);
	assert_int_equal(i18n_count(set), 12);
	for (i = 0; i < i18n_count(set); i++)
		assert_non_null(i18n_name(i18n_at(set, i)));
	i18n_free(set);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_plural_rules),
	    cmocka_unit_test(test_plural_refused),
	    cmocka_unit_test(test_printf),
	    cmocka_unit_test(test_po_parse),
	    cmocka_unit_test(test_po_refused),
	    cmocka_unit_test_setup_teardown(test_load_and_text, setup_all, teardown_all),
	    cmocka_unit_test_setup_teardown(test_pick, setup_all, teardown_all),
	    cmocka_unit_test_setup_teardown(test_pick_bounded, setup_all, teardown_all),
	    cmocka_unit_test_setup_teardown(test_number, setup_all, teardown_all),
	    cmocka_unit_test_setup_teardown(test_date, setup_all, teardown_all),
	    cmocka_unit_test(test_load_refused),
	    cmocka_unit_test(test_repo_catalogs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
