/*
 * fuzz_import_curated.c - libFuzzer target for the curated-data parser.
 *
 * The first input byte picks the file kind (uses, history, note, likely,
 * exposure, aliases) so one target covers every grammar; the rest is the file.  The sink checks
 * the invariants every consumer relies on (ranges ordered and in bounds,
 * strings present, sources well-formed), and a failed import must leave a
 * message that names the file, so an abort here is a real contract breach.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "registry/import_curated.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
fuzz_check_range(long lo, long hi)
{
	if (lo < 0 || hi > PORT_MAX || lo > hi)
		abort();
}

static void
fuzz_check_sources(const char *const *sources, size_t n)
{
	if (n > IMPORT_CURATED_MAX_SOURCES)
		abort();
	for (size_t i = 0; i < n; i++)
		if (strncmp(sources[i], "http://", 7) != 0 &&
		    strncmp(sources[i], "https://", 8) != 0)
			abort();
}

static int
fuzz_use(void *ctx, const struct reg_use *u, struct err *e)
{
	(void)ctx;
	(void)e;
	fuzz_check_range(u->port_lo, u->port_hi);
	fuzz_check_sources(u->sources, u->nsources);
	if (*u->who == '\0' || *u->text == '\0' || *u->protocols == '\0' || u->line < 1)
		abort();
	return 0;
}

static int
fuzz_history(void *ctx, const struct reg_history *h, struct err *e)
{
	(void)ctx;
	(void)e;
	fuzz_check_range(h->port_lo, h->port_hi);
	fuzz_check_sources(h->sources, h->nsources);
	if (*h->former == '\0' || *h->kind == '\0' || h->date == NULL)
		abort();
	return 0;
}

static int
fuzz_note(void *ctx, const struct reg_note *n, struct err *e)
{
	(void)ctx;
	(void)e;
	fuzz_check_range(n->port_lo, n->port_hi);
	fuzz_check_sources(n->sources, n->nsources);
	if (*n->title == '\0' || *n->markdown == '\0')
		abort();
	return 0;
}

/* An alias is what search compares with a query: lower case, no stray bytes. */
static int
fuzz_alias(void *ctx, const struct reg_curated_alias *a, struct err *e)
{
	(void)ctx;
	(void)e;
	fuzz_check_range(a->port_lo, a->port_hi);
	fuzz_check_sources(a->sources, a->nsources);
	if (*a->name == '\0' || strlen(a->name) > 63 || *a->text == '\0' ||
	    strspn(a->name, "abcdefghijklmnopqrstuvwxyz0123456789 -.+_/") != strlen(a->name))
		abort();
	return 0;
}

static int
fuzz_likely(void *ctx, const struct reg_likely *l, struct err *e)
{
	(void)ctx;
	(void)e;
	fuzz_check_range(l->port_lo, l->port_hi);
	fuzz_check_sources(l->sources, l->nsources);
	if (*l->text == '\0' || *l->protocols == '\0' || l->name == NULL ||
	    (strcmp(l->answer, "official") != 0 && *l->name == '\0'))
		abort();
	return 0;
}

static int
fuzz_exposure(void *ctx, const struct reg_exposure *x, struct err *e)
{
	(void)ctx;
	(void)e;
	fuzz_check_range(x->port_lo, x->port_hi);
	fuzz_check_sources(x->sources, x->nsources);
	/* An exposure risk raises a concern level: it is never unsourced. */
	if (x->nsources == 0 || *x->who == '\0' || *x->text == '\0' || *x->protocols == '\0')
		abort();
	if (strcmp(x->level, "low") != 0 && strcmp(x->level, "elevated") != 0 &&
	    strcmp(x->level, "high") != 0)
		abort();
	return 0;
}

/* A translation names a language data/ knows, the entry it translates, and some text. */
static int
fuzz_translation(void *ctx, const struct reg_translation *t, struct err *e)
{
	const char *lang;
	size_t i;

	(void)ctx;
	(void)e;
	for (i = 0; (lang = import_curated_lang(i)) != NULL; i++)
		if (strcmp(lang, t->lang) == 0)
			break;
	if (lang == NULL || *t->text == '\0' || *t->file == '\0' || t->line < 1 ||
	    (strcmp(t->kind, "note") == 0) != (t->title != NULL))
		abort();
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const names[] = {"unofficial/game.txt", "history.txt",  "notes/80.md",
	                                    "likely.txt",          "exposure.txt", "aliases.txt",
	                                    "notes/80.ko.md"};
	static const enum import_curated_kind kinds[] = {
	    IMPORT_CURATED_USE,    IMPORT_CURATED_HISTORY,  IMPORT_CURATED_NOTE,
	    IMPORT_CURATED_LIKELY, IMPORT_CURATED_EXPOSURE, IMPORT_CURATED_ALIAS,
	    IMPORT_CURATED_NOTE};
	const struct reg_sink sink = {.use = fuzz_use,
	                              .history = fuzz_history,
	                              .note = fuzz_note,
	                              .likely = fuzz_likely,
	                              .exposure = fuzz_exposure,
	                              .curated_alias = fuzz_alias,
	                              .translation = fuzz_translation};
	struct err e = {0};
	unsigned which;

	if (size == 0)
		return 0;
	which = data[0] % (sizeof(names) / sizeof(names[0]));
	if (import_curated_buffer((const char *)data + 1, size - 1, names[which], kinds[which],
	                          &sink, &e) == -1 &&
	    strncmp(e.msg, names[which], strlen(names[which])) != 0)
		abort();
	return 0;
}
