/*
 * fuzz_web_params.c - query strings and vote bodies come straight from the
 * network: any bytes must parse or be refused with a message, never crash
 * or read out of bounds, and what parses must keep the parser's promises
 * (bounded field count, NUL-free UTF-8 values, every name findable).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/unicode.h"
#include "web/params.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct params ps;
	struct err e = {0};
	size_t k;

	if (params_parse(&ps, "fuzz", (const char *)data, size, &e) == -1) {
		if (e.msg[0] == '\0')
			abort(); /* a refusal must say why */
		return 0;
	}
	if (ps.n > PARAMS_MAX)
		abort();
	for (k = 0; k < ps.n; k++) {
		if (strlen(ps.v[k].value) != ps.v[k].len ||
		    unicode_check((const uint8_t *)ps.v[k].value, ps.v[k].len) != NULL)
			abort();
		if (params_get(&ps, ps.v[k].name) != ps.v[k].value)
			abort();
	}
	return 0;
}
