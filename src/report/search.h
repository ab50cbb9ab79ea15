/*
 * search.h - find the port a person means from what they type.
 *
 * A query is either a port ("22", "6010", "6000-6063", "22/tcp") or words.
 * A port puts that port's entry first: the port itself where IANA names it,
 * else the IANA range around it (6010 -> x11, 6000-6063), else the bare
 * port.  Words are looked up in the full-text index (store.c) of registry
 * rows, other databases' names, the curated aliases (data/aliases.txt) and
 * the curated uses, history and notes.
 *
 * Every indexed row that matches is scored in C, from what a person means
 * by a word rather than from word statistics: the whole query equal to the
 * row's name (or to a registry row's description, IANA's long name) beats
 * every word being a word of the name, which beats a prefix of it, then the
 * description, then the notes; a registry row or a curated alias counts a
 * little more than another database's name or a curated use, a row without
 * a port or a name IANA withdrew from its port much less; among equals, the
 * port nmap finds open more often first.  The rows are then merged into one hit per
 * port or range (a name-only registration is a hit of its own), scored by
 * its best row plus a little for each further kind of source that agrees,
 * and the hits are sorted by that score, which is the one they show.
 *
 * The user's words are never passed to FTS5 as syntax: each becomes a
 * quoted term, so any input is safe.  All words must match; if none does
 * every word, any word may.  Work is bounded whatever the input: at most
 * SEARCH_MAX_WORDS words of at most SEARCH_MAX_WORD bytes, each looked up
 * once; only the last word (the one still being typed) may match as a
 * prefix, and only if it has SEARCH_MIN_PREFIX bytes (a one-letter prefix
 * would match most of the index) and is not a number; and at most
 * SEARCH_MAX_ROWS index rows are read per query.
 *
 * search_run() returns a new "portolan.search/2" object (docs/json-schema.md)
 * the caller releases with json_decref(); NULL on failure, with e filled
 * (ERR_INPUT for a query with no words or too many).
 */
#ifndef PORTOLAN_SEARCH_H
#define PORTOLAN_SEARCH_H

#include <jansson.h>

#include "registry/store.h"

#define SEARCH_SCHEMA     "portolan.search/2"
#define SEARCH_MAX_WORDS  16
#define SEARCH_MAX_WORD   48
#define SEARCH_MIN_PREFIX 3
#define SEARCH_MAX_ROWS   2000
#define SEARCH_MAX_LIMIT  200

json_t *search_run(struct store *st, const char *text, int limit, struct err *e);
/*
 * The FTS5 expression for text: every word quoted, the last a prefix term
 * ("word"*) when it may be one (see above), joined by AND (any == 0), or
 * by OR with no prefix.  No words gives -1 with e (ERR_INPUT), as do too
 * many.
 */
int search_expression(const char *text, int any, char *out, size_t len, struct err *e);

#endif
