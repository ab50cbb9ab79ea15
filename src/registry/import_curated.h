/*
 * import_curated.h - parse and validate the project's curated data (data/).
 *
 * Three formats, all UTF-8 text in "key: value" stanzas (data/README.md has
 * the full description for contributors):
 *
 *	data/unofficial/<category>.txt	one stanza per known unofficial use
 *	data/history.txt		one stanza per former name or de-assignment
 *	data/notes/<ports>.md		front matter between "---" lines, then Markdown
 *	data/notes/<ports>.<lang>.md	the same note in another language
 *	data/aliases.txt		one stanza per name people use for a port
 *	data/likely.txt			one stanza per port: what you will most likely meet
 *	data/exposure.txt		one stanza per exposure risk (docs/concern.md)
 *
 * The parser is also the validator: every rule is checked while reading,
 * and the first violation stops the import with an input error of the form
 * "FILE:LINE: what is wrong" (for a duplicate, both locations).  Facts reach
 * the caller through the sink callbacks use, history, note, likely, exposure,
 * curated_alias and translation (model.h); a
 * NULL callback skips that kind, so a sink with no callbacks validates only.
 * A callback that returns -1 stops the import; its message is kept.
 *
 * Bounds: a file may hold at most IMPORT_CURATED_MAX_FILE bytes and a line
 * at most IMPORT_CURATED_MAX_LINE bytes; a stanza at most
 * IMPORT_CURATED_MAX_SOURCES sources and IMPORT_CURATED_MAX_RANGES port ranges.
 *
 * The data carries no date of its own, so import_curated_dir() and
 * import_curated_file() date it by its files: after the last fact, one
 * sink->meta("updated", "YYYY-MM-DD") with the newest modification time
 * (UTC) of the files read.  A NULL sink->meta is skipped.
 *
 * Memory: everything handed to the sink is borrowed for the duration of the
 * callback.  The functions allocate only internally and free it all before
 * they return, on success and on failure.  Out of memory and unreadable
 * files are internal errors (ERR_INTERNAL); everything else is ERR_INPUT.
 */
#ifndef PORTOLAN_IMPORT_CURATED_H
#define PORTOLAN_IMPORT_CURATED_H

#include <stddef.h>

#include "model.h"

#define IMPORT_CURATED_MAX_FILE    (8u << 20) /* 8 MiB */
#define IMPORT_CURATED_MAX_LINE    4096
#define IMPORT_CURATED_MAX_SOURCES 16
#define IMPORT_CURATED_MAX_RANGES  64
#define IMPORT_CURATED_NCATEGORIES 8
#define IMPORT_CURATED_NLANGS      11 /* the languages besides English, as po/ names them */

/* What a file holds; import_curated_file() infers it from the path. */
enum import_curated_kind {
	IMPORT_CURATED_USE = 1,  /* unofficial/<category>.txt */
	IMPORT_CURATED_HISTORY,  /* history.txt */
	IMPORT_CURATED_NOTE,     /* notes/<ports>.md */
	IMPORT_CURATED_LIKELY,   /* likely.txt */
	IMPORT_CURATED_EXPOSURE, /* exposure.txt */
	IMPORT_CURATED_ALIAS,    /* aliases.txt */
};

/* Entries (stanzas, not port ranges) in a data directory. */
struct curated_counts {
	size_t uses[IMPORT_CURATED_NCATEGORIES]; /* indexed like import_curated_category() */
	size_t uses_total;
	size_t history;
	size_t notes;
	size_t likely;   /* likely.txt stanzas */
	size_t exposure; /* exposure.txt stanzas */
	size_t aliases;  /* aliases.txt stanzas */
	size_t files;
	/* Translations per language, indexed like import_curated_lang(). */
	size_t notes_tr[IMPORT_CURATED_NLANGS];
	size_t uses_tr[IMPORT_CURATED_NLANGS];    /* stanzas with text.<lang> */
	size_t history_tr[IMPORT_CURATED_NLANGS]; /* stanzas with text.<lang> */
	size_t likely_tr[IMPORT_CURATED_NLANGS];
	size_t exposure_tr[IMPORT_CURATED_NLANGS];
};

/*
 * Walk datadir: unofficial/<category>.txt, history.txt, exposure.txt, aliases.txt,
 * notes/<ports>.md, likely.txt, in that order and in byte order of file names.  Each part may be
 * absent, but datadir must exist.  Duplicate entries are detected across the whole directory.
 */
int import_curated_dir(const char *datadir, const struct reg_sink *sink, struct err *e);

/* One file; its kind (and for uses, its category) follows from its path. */
int import_curated_file(const char *path, const struct reg_sink *sink, struct err *e);

/*
 * One file's contents, already in memory.  name is used in messages and, as
 * with a path, decides the category of a uses file ("unofficial/game.txt")
 * and the ports a note must declare ("notes/3105-3106.md").
 */
int import_curated_buffer(const char *data, size_t len, const char *name,
                          enum import_curated_kind kind, const struct reg_sink *sink,
                          struct err *e);

/* Validate datadir and count its entries into *out (zeroed first). */
int import_curated_counts(const char *datadir, struct curated_counts *out, struct err *e);

/* The i-th translation language ("hi", ..., "zh_Hans", "ru"), or NULL when out of range. */
const char *import_curated_lang(size_t i);

/* The i-th category name ("game", ...), or NULL when i is out of range. */
const char *import_curated_category(size_t i);

#endif
