/*
 * render.h - turn reports into text for a terminal or JSON for programs.
 *
 * Renderers only lay out what the report says (report.h); they look
 * nothing up and decide nothing about the port.  The text renderer may
 * group rows that differ only in protocol ("tcp, udp") and may colour
 * headings, nothing more.  Colour is the caller's decision (a TTY and no
 * NO_COLOR), passed in render_opts.
 */
#ifndef PORTOLAN_RENDER_H
#define PORTOLAN_RENDER_H

#include <stdio.h>

#include <jansson.h>

#include "i18n.h"

struct render_opts {
	int color;
	int width;            /* columns to fit; 0: render_width() of the output */
	const struct i18n *t; /* the reader's language; NULL: English */
};

/* Columns when nothing says otherwise (no terminal, no $COLUMNS). */
#define RENDER_WIDTH_DEFAULT 80
/*
 * The width to fit text to on out: the terminal's (TIOCGWINSZ) when out
 * is one, else $COLUMNS when set, else RENDER_WIDTH_DEFAULT.
 */
int render_width(FILE *out);
/*
 * Copy text to out with every line wider than width folded at its blanks,
 * and inside a word where render_pieces() allows (wrap.c says where a
 * folded line continues).  A piece wider than the room left gets a line
 * of its own and may overflow: an English word or a URL is never broken.
 * The text renderers call it on their whole output.
 */
void render_wrap(FILE *out, const char *text, size_t len, int width);
/*
 * Call fn for each piece a line may be folded between in word[0..n), a
 * run without blanks: the whole word when it is ASCII (English, a URL,
 * a path), else where the Unicode line breaking algorithm allows
 * (util/unicode.h: Japanese and Chinese between most characters, Korean
 * words whole) and not between two ASCII characters, so a name or a URL
 * in Japanese text stays whole too.  first is 1 for the word's first
 * piece.
 */
void render_pieces(const char *word, size_t n,
                   void (*fn)(void *ctx, const char *piece, size_t len, int first), void *ctx);

/* Pretty-printed JSON, keys in the report's order, one trailing newline. */
int render_json(FILE *out, const json_t *value);
/*
 * A port report as words_localize() (words.h) left it, in o->t's language:
 * the headings and labels come from the catalogs, the facts' words from
 * the report; curated text the report carries in English (its "lang" is
 * "en" while o->t is another language) is marked "[in English]".
 */
void render_text_report(FILE *out, const json_t *report, const struct render_opts *o);
void render_text_search(FILE *out, const json_t *result, const struct render_opts *o);
void render_text_free(FILE *out, const json_t *result, const struct render_opts *o);
/*
 * The machine commands' sentences (text_machine.c) in t's language, NULL
 * English; their listings are tokens and are printed by the commands.
 * render_unseen(): why n listeners (connections, when connections is 1)
 * show no holder, why as listening_unseen_why() says ("hidepid",
 * "other-users", "namespace"), into buf; NULL for another why.
 */
const char *render_unseen(const struct i18n *t, const char *why, int connections, unsigned long n,
                          long long hidepid, char *buf, size_t len);
enum render_machine_msg {
	RENDER_NOTHING_LISTENS, /* a: what `who` was asked */
	RENDER_IN_REGISTRY,     /* a: PORT/PROTO, b: the registry's words for it */
	RENDER_NO_CLAIM,        /* after an unclaimed listener */
	RENDER_CLAIM_IDLE,      /* a: PORT/PROTO, b: service, c: owner */
};
/* The sentence msg with its arguments, no newline. */
void render_text_machine(FILE *out, const struct i18n *t, enum render_machine_msg msg,
                         const char *a, const char *b, const char *c);
/* A curated note's Markdown as filled plain text, each line after indent (md4c). */
void render_markdown_text(FILE *out, const char *markdown, const char *indent,
                          const struct render_opts *o);

#endif
