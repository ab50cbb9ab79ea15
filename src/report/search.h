/*
 * search.h - ranked full-text search over everything the store knows.
 *
 * The user's words are never passed to FTS5 as a query expression: each
 * word becomes a quoted prefix term, so "licence server" can't be mistaken
 * for FTS5 syntax (AND, NEAR, column filters, unbalanced quotes) and any
 * input is safe.  All words must match; if that finds nothing, any word
 * may match, ranked lower.  Hits are ranked by bm25 with a name match
 * weighing ten times a description match, then folded so one port and
 * name appears once.
 *
 * search_run() returns a new "portolan.search/1" object (docs/json-schema.md)
 * the caller releases with json_decref(); NULL on internal failure.
 */
#ifndef PORTOLAN_SEARCH_H
#define PORTOLAN_SEARCH_H

#include <jansson.h>

#include "registry/store.h"

#define SEARCH_SCHEMA    "portolan.search/1"
#define SEARCH_MAX_WORDS 16
#define SEARCH_MAX_LIMIT 200

json_t *search_run(struct store *st, const char *text, int limit, struct err *e);
/* Build the FTS5 expression for text; 0 words gives "" (returns -1 with e). */
int search_expression(const char *text, int any, char *out, size_t len, struct err *e);

#endif
