/*
 * jsonw.h - JSON written as it is produced, to a stdio stream.
 *
 * A listing of 20,000 sockets as a jansson tree costs an allocation per
 * member and a second pass to print it; the tree is only ever printed.  A
 * writer that prints each value as it is handed one costs neither, and
 * the output is the same text jansson's JSON_INDENT(2) would produce, so
 * a reader cannot tell the two apart.  render_json() writes every report
 * with it too: jansson's own dump decodes each character of each string.
 *
 * Usage: jsonw_begin_object()/jsonw_end_object() and the array pair
 * nest; inside an object every value is preceded by jsonw_key().  Strings
 * are escaped as JSON requires; bytes that are not valid UTF-8 (a process
 * may name itself anything) are written as U+FFFD, so the output always
 * parses.  jsonw_value() writes a jansson value (small, fixed parts such
 * as a report's header) in the same layout.
 *
 * The writer gathers its output in a buffer of its own and hands it to
 * the stream in blocks, and whenever the outermost value is complete: the
 * stream has it all after the last jsonw_end_*() (or a top-level scalar),
 * and nothing else may be written to the stream while a value is open.
 * The writer owns nothing; write errors are the stream's (ferror()).
 */
#ifndef PORTOLAN_JSONW_H
#define PORTOLAN_JSONW_H

#include <stdio.h>

#include <jansson.h>

#define JSONW_MAX_DEPTH 32

struct jsonw {
	FILE *f;
	int indent;                 /* spaces per level; 0: compact, on one line */
	int depth;                  /* open objects and arrays */
	int after_key;              /* the next value follows a key on the same line */
	int count[JSONW_MAX_DEPTH]; /* values written so far at each depth */
	size_t n;                   /* bytes in out not yet handed to f */
	char out[8192];
};

void jsonw_init(struct jsonw *w, FILE *f, int indent);
void jsonw_begin_object(struct jsonw *w);
void jsonw_end_object(struct jsonw *w);
void jsonw_begin_array(struct jsonw *w);
void jsonw_end_array(struct jsonw *w);
void jsonw_key(struct jsonw *w, const char *key);
void jsonw_string(struct jsonw *w, const char *s);
void jsonw_int(struct jsonw *w, long long v);
void jsonw_real(struct jsonw *w, double v);
void jsonw_bool(struct jsonw *w, int v);
void jsonw_null(struct jsonw *w);
/* A jansson value, recursively, in the writer's layout. */
void jsonw_value(struct jsonw *w, const json_t *v);

#endif
