/*
 * json.c - the JSON renderer: the report as it is, which is the point.
 */
#include "render.h"

int
render_json(FILE *out, const json_t *value)
{
	if (json_dumpf(value, out, JSON_INDENT(2)) == -1)
		return -1;
	return fputc('\n', out) == EOF ? -1 : 0;
}
