/*
 * fuzz_web_headers.c - the request headers the server reads itself come
 * straight from the network: Accept-Encoding (headers_accept_gzip()),
 * If-None-Match (cache_etag_match()) and Accept-Language (i18n_pick()).
 * Any bytes must give an answer without reading out of bounds, and the
 * answers must keep their promises: gzip only when the header names gzip
 * or "*", a match only when it names the tag or "*", always a language.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "render/i18n.h"
#include "web/cache.h"
#include "web/headers.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* strcasestr without _GNU_SOURCE worries: 1 when needle occurs in hay, any case. */
static int
has(const char *hay, const char *needle)
{
	size_t n = strlen(needle);

	for (; *hay; hay++)
		if (strncasecmp(hay, needle, n) == 0)
			return 1;
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct i18n_set *langs;
	static const char etag[] = "\"5f3a\"";
	char *s;

	if (langs == NULL) {
		char dir[] = "/tmp/fuzz-po-XXXXXX";
		struct err e = {0};

		/* English alone: the parser of the header is what is under test. */
		if (mkdtemp(dir) == NULL || i18n_load(dir, &langs, &e) == -1)
			abort();
		rmdir(dir);
	}
	if ((s = malloc(size + 1)) == NULL)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	if (headers_accept_gzip(s) && !has(s, "gzip") && !strchr(s, '*'))
		abort();
	if (cache_etag_match(s, etag) && !strstr(s, "5f3a") && !strchr(s, '*'))
		abort();
	if (i18n_pick(langs, NULL, s) == NULL || i18n_pick(langs, s, NULL) == NULL)
		abort();
	free(s);
	return 0;
}
