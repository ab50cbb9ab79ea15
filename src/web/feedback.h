/*
 * feedback.h - tallies of "Was this page helpful?" from the votes file the
 * server writes (votes.h), for `portolan feedback`.
 *
 * Read-only and safe while the server runs: the file is in WAL mode, so a
 * reader sees every committed vote and never blocks the writer.
 */
#ifndef PORTOLAN_FEEDBACK_H
#define PORTOLAN_FEEDBACK_H

#include <stddef.h>

#include <jansson.h>

#include "util/err.h"

/*
 * Tallies per canonical page (canon.h) and language from the votes file at path, least helpful
 * first (score = (happy - sad) / votes, ascending; more votes first on a
 * tie); at most worst rows (0: all).  A new "portolan.feedback/1" object:
 * {"schema", "votes" (in the rows listed), "tallies": [{page, lang, sad, meh,
 * happy, votes, score}]}.  NULL with e filled when the file is missing or
 * unreadable.
 */
json_t *feedback_tally(const char *path, size_t worst, struct err *e);
/* The same from a PostgreSQL store the servers keep their votes in (votes_config.store). */
struct cstore;
json_t *feedback_tally_store(struct cstore *st, size_t worst, struct err *e);

#endif
