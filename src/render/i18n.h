/*
 * i18n.h - the interface's languages: gettext-style catalogs from po/,
 * language negotiation, and numbers and dates written the way each
 * language writes them.
 *
 * Catalogs are the .po files in po/ (one per language, e.g. po/ko.po), so
 * translators work with the standard gettext tools (xgettext extracts the
 * msgids from src/render/ and src/web/ into po/portolan.pot; msgmerge and msgfmt -c
 * check them).  They are parsed at start-up by i18n_load(); a msgstr whose
 * printf conversions differ from its msgid's is refused with FILE:LINE,
 * because the pages format untrusted data through these strings.
 *
 * English is the source language and always present (msgid = text).
 *
 * Memory: the set owns every catalog and string; pointers returned by the
 * i18n_* accessors live as long as the set.  The set is read-only after
 * i18n_load(), so server threads share it without locking.
 */
#ifndef PORTOLAN_I18N_H
#define PORTOLAN_I18N_H

#include <stddef.h>

#include "util/err.h"

struct i18n;     /* one language */
struct i18n_set; /* every loaded language, English first */

/* Load every po/<code>.po under podir; English needs no file. */
int i18n_load(const char *podir, struct i18n_set **out, struct err *e);
void i18n_free(struct i18n_set *set);
/*
 * For one reader (the terminal): English plus only the catalog of the
 * language i18n_pick() would choose for lang_param and accept_language,
 * so a lookup parses one .po file, not eleven.  *picked is that language,
 * or English when it names none we have or its catalog is not installed.
 * A lang_param that names no language at all is an input error.
 */
int i18n_load_for(const char *podir, const char *lang_param, const char *accept_language,
                  struct i18n_set **out, const struct i18n **picked, struct err *e);
/*
 * The locale's language as a BCP 47 tag for i18n_pick()'s accept_language:
 * LC_ALL, else LC_MESSAGES, else LANG, as POSIX orders them;
 * "ko_KR.UTF-8" -> "ko-KR" in buf.  NULL for C, POSIX or nothing set.
 */
const char *i18n_locale_tag(char *buf, size_t len);

/*
 * The language for a request: ?lang= wins when it names a language here,
 * read as Accept-Language is ("pt-BR" is Portuguese), then Accept-Language
 * q-values, then English.
 */
const struct i18n *i18n_pick(const struct i18n_set *set, const char *lang_param,
                             const char *accept_language);
/* Exactly this code ("ko", "pt", "zh"), or NULL. */
const struct i18n *i18n_get(const struct i18n_set *set, const char *code);
size_t i18n_count(const struct i18n_set *set);
const struct i18n *i18n_at(const struct i18n_set *set, size_t i);

const char *i18n_code(const struct i18n *t); /* BCP 47 code for <html lang>: "ko", "zh-Hans"... */
const char *i18n_name(const struct i18n *t); /* the language's own name: "한국어" */
const char *i18n_file(const struct i18n *t); /* po/'s and data/'s name: "zh_Hans"; NULL: English */
/*
 * The translation of msgid, or msgid itself.  format_arg lets the compiler
 * check a translated format against its arguments through the msgid
 * (-Wformat=2 would otherwise refuse the non-literal format); i18n_load()
 * guarantees the msgstr has the same conversions.
 */
const char *i18n_text(const struct i18n *t, const char *msgid) __attribute__((format_arg(2)));
/* Plural forms per the catalog's Plural-Forms rule. */
const char *i18n_ntext(const struct i18n *t, const char *msgid, const char *msgid_plural,
                       unsigned long n) __attribute__((format_arg(2), format_arg(3)));
/* 26000 -> "26,000" (en), "26.000" (de), "26 000" (fr, ru, sv)... */
void i18n_number(const struct i18n *t, long long n, char *buf, size_t len);
/* "2002-05" or "2002-05-14" -> "May 2002", "14 May 2002" (en), "2002년 5월" (ko)... */
void i18n_date(const struct i18n *t, const char *iso, char *buf, size_t len);

#endif
