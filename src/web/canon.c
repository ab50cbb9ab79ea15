/*
 * canon.c - the one name of each page (canon.h).
 *
 * The port argument is parsed by query_parse(), the parser the routes and
 * the command line use, so a spelling is canonical here exactly when the
 * page route would not redirect it.  An argument longer than the route
 * reads (/port/ followed by fifty zeros) is no page, as it is a 404 there.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "canon.h"
#include "report/pages.h"
#include "report/query.h"
#include "report/range.h"

#define CANON_PORT_ARG 16 /* the most routes_port() reads of "/port/ARG" */

static int
canon_port(const char *arg, char *out, size_t len)
{
	char trimmed[CANON_PORT_ARG];
	size_t n = strlen(arg);
	struct query q;
	int w;

	if (n > 1 && arg[n - 1] == '/') /* "3106/": a stray slash */
		n--;
	if (n >= sizeof(trimmed) || !isdigit((unsigned char)arg[0]))
		return -1;
	memcpy(trimmed, arg, n);
	trimmed[n] = '\0';
	if (query_parse(trimmed, &q, NULL) == -1 || q.service[0] != '\0' ||
	    q.port_lo != q.port_hi || q.port_lo == PORT_NONE)
		return -1;
	w = snprintf(out, len, "/port/%ld%s%s", q.port_lo, q.protocol[0] ? "/" : "", q.protocol);
	return w < 0 || (size_t)w >= len ? -1 : 0;
}

static int
canon_service(const char *arg, char *out, size_t len)
{
	struct query q;
	size_t i, n;

	if (query_parse(arg, &q, NULL) == -1 || q.service[0] == '\0' || q.protocol[0] != '\0')
		return -1;
	n = strlen(q.service);
	if (sizeof("/service/") - 1 + n >= len)
		return -1;
	memcpy(out, "/service/", sizeof("/service/") - 1);
	for (i = 0; i < n; i++)
		out[sizeof("/service/") - 1 + i] = (char)tolower((unsigned char)q.service[i]);
	out[sizeof("/service/") - 1 + n] = '\0';
	return 0;
}

static int
canon_copy(const char *s, char *out, size_t len)
{
	int w = snprintf(out, len, "%s", s);

	return w < 0 || (size_t)w >= len ? -1 : 0;
}

int
canon_page(const char *path, char *out, size_t len)
{
	const struct range_class *r;
	long lo, hi;

	if (strcmp(path, "/") == 0 || strcmp(path, "/search") == 0)
		return canon_copy(path, out, len);
	if (strncmp(path, "/port/", 6) == 0)
		return canon_port(path + 6, out, len);
	if (strncmp(path, "/range/", 7) == 0 && (r = range_by_name(path + 7)) != NULL)
		return snprintf(out, len, "/range/%s", r->name) >= (int)len ? -1 : 0;
	/* A block of the range chart (/range/3072-3135), as pages_block_parse() reads it. */
	if (strncmp(path, "/range/", 7) == 0 && pages_block_parse(path + 7, &lo, &hi) == 0)
		return snprintf(out, len, "/range/%ld-%ld", lo, hi) >= (int)len ? -1 : 0;
	if (strncmp(path, "/service/", 9) == 0)
		return canon_service(path + 9, out, len);
	return -1;
}
