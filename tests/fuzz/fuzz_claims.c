/*
 * fuzz_claims.c - the claims text format (`portolan claim import`) is
 * outside input: any bytes must parse or be refused with a message, never
 * crash.  What parses must survive the round trip: written out by
 * claims_format() and parsed again, it is the same list.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "claims/claims.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct claim_list l = {0}, again = {0};
	struct strbuf sb;
	struct err e = {0};

	strbuf_init(&sb, 0);
	if (claims_parse("fuzz", (const char *)data, size, &l, &e) == 0 &&
	    claims_format(&l, &sb, &e) == 0) {
		if (claims_parse("again", sb.buf, sb.len, &again, &e) != 0 || again.n != l.n)
			abort();
		claims_sort(&l);
		for (size_t i = 0; i < l.n; i++)
			if (!claims_equal(&l.v[i], &again.v[i]))
				abort();
	}
	strbuf_free(&sb);
	claims_free(&l);
	claims_free(&again);
	return 0;
}
