/*
 * fuzz_wrap.c - render_wrap() folds every line of the terminal renderers,
 * whose text carries whatever the registry files and the curated data
 * hold, and a word that is not ASCII is split where libunistring's line
 * breaking allows.  Any bytes (invalid UTF-8 included) at any width must
 * fold without a crash, and folding may only move blanks and line breaks:
 * the other bytes come out all there, in their order.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render/render.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* s[0..n) without blanks and line breaks, into out (n bytes at least); its length. */
static size_t
fuzz_wrap_ink(const char *s, size_t n, char *out)
{
	size_t i, k = 0;

	for (i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\n')
			out[k++] = s[i];
	return k;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = NULL, *a, *b;
	size_t len = 0, na, nb;
	FILE *mem;
	int width;

	if (size < 1)
		return 0;
	width = 20 + data[0] % 100; /* render_width() never gives less than 20 */
	data++, size--;
	if ((mem = open_memstream(&buf, &len)) == NULL)
		return 0;
	render_wrap(mem, (const char *)data, size, width);
	fclose(mem);
	a = malloc(size + 1);
	b = malloc(len + 1);
	if (a == NULL || b == NULL)
		abort();
	na = fuzz_wrap_ink((const char *)data, size, a);
	nb = fuzz_wrap_ink(buf, len, b);
	if (na != nb || memcmp(a, b, na) != 0)
		abort(); /* folding lost, added or moved a character */
	free(a);
	free(b);
	free(buf);
	return 0;
}
