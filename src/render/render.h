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

struct render_opts {
	int color;
};

/* Pretty-printed JSON, keys in the report's order, one trailing newline. */
int render_json(FILE *out, const json_t *value);
void render_text_report(FILE *out, const json_t *report, const struct render_opts *o);
void render_text_search(FILE *out, const json_t *result, const struct render_opts *o);
void render_text_free(FILE *out, const json_t *result, const struct render_opts *o);
/* A curated note's Markdown as filled plain text, each line after indent (md4c). */
void render_markdown_text(FILE *out, const char *markdown, const char *indent,
                          const struct render_opts *o);

#endif
