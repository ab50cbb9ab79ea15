/*
 * json.c - the JSON renderer: the report as it is, which is the point.
 *
 * The tree is written by jsonw (src/util/jsonw.h), which lays it out as
 * jansson's JSON_INDENT(2) does but escapes a string's plain ASCII in one
 * run: jansson's json_dumpf() decodes every character and was a fifth of
 * a `portolan 3106 --json` lookup's instructions (callgrind), where
 * jsonw's walk of the same tree costs a few percent.
 */
#include "render.h"
#include "util/jsonw.h"

int
render_json(FILE *out, const json_t *value)
{
	struct jsonw w;

	jsonw_init(&w, out, 2);
	jsonw_value(&w, value);
	return fputc('\n', out) == EOF || ferror(out) ? -1 : 0;
}
