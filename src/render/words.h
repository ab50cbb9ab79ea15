/*
 * words.h - the report's facts put into words, in the reader's language.
 *
 * The report (src/report/) carries codes and parameters only: a range
 * class's name, a frequency's class and "1 in N", a concern reason's code
 * with its variable parts.  This module is the one place those become
 * sentences, through the gettext catalogs in po/ (i18n.h), so the terminal,
 * the JSON "words" and the web pages say the same thing in the same
 * language and each sentence is written once.  A NULL struct i18n is
 * English.
 *
 * words_localize() writes the words into a report for the JSON and
 * terminal renderers; the HTML renderer calls the pieces directly, because
 * it escapes each variable part and marks the English ones (curated names)
 * lang="en".
 */
#ifndef PORTOLAN_WORDS_H
#define PORTOLAN_WORDS_H

#include <stddef.h>

#include <jansson.h>

#include "i18n.h"

/* What a range class means ("well-known", ...); "" for a class not known here. */
const char *words_range_meaning(const struct i18n *t, const char *class_name);
/* A range class's title ("Registered ports"); name itself for one not known here. */
const char *words_range_title(const struct i18n *t, const char *class_name);
/* "High concern", ... "No particular concern" for a concern level. */
const char *words_concern_title(const struct i18n *t, const char *level);
/* A curated category ("game") as a word, "Other" for one not known here. */
const char *words_category(const struct i18n *t, const char *category);
/*
 * How often a port is found open, from a frequency object's class and
 * one_in.  -1 (buf "") for a class not known here.
 */
int words_frequency(const struct i18n *t, const json_t *freq, char *buf, size_t len);

#define WORDS_MAX_ARGS 3
/*
 * A sentence as a template ("%1$s ... %2$s") and its arguments, so a
 * renderer can escape or mark each argument; english[i] says argument i is
 * curated or registry text, which stays in English.
 */
struct words_sentence {
	const char *tmpl;
	const char *arg[WORDS_MAX_ARGS];
	unsigned char english[WORDS_MAX_ARGS];
	size_t n;
	char num[48]; /* storage for a number argument */
};

/* One concern reason (an element of concern.codes); -1 for a code not known here. */
int words_concern(const struct i18n *t, const json_t *code, struct words_sentence *s);
/* The template with its arguments substituted, plain text. */
void words_fill(const struct words_sentence *s, char *buf, size_t len);
/* words_fill() of tmpl ("%1$s ... %2$s", from a catalog) with up to three arguments; buf. */
const char *words_format(char *buf, size_t len, const char *tmpl, const char *a, const char *b,
                         const char *c);
/*
 * Why the port matters, from its range class, registry status, concern
 * level and what listens: a short paragraph into buf.
 */
void words_why(const struct i18n *t, const json_t *report, char *buf, size_t len);

/*
 * Write the words into a port report (portolan.report/2) for t's language:
 * "lang", range.classes[].meaning, frequency.words and
 * per_protocol[].words, concern.codes[].words, "why".  Returns 0, -1 out of
 * memory.
 */
int words_localize(json_t *report, const struct i18n *t);

#endif
