/*
 * fuzz_audit_expect.c - the --expect file is outside input: any bytes must
 * parse or be refused with a message, never crash or read out of bounds.
 * Every parsed entry is printed back, which exercises audit_expect_str().
 */
#include <stddef.h>
#include <stdint.h>

#include "machine/audit.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct expect_set x = {0};
	struct err e = {0};
	char line[128];

	if (audit_parse("fuzz", (const char *)data, size, &x, &e) == 0)
		for (size_t i = 0; i < x.n; i++)
			audit_expect_str(&x.v[i], line, sizeof(line));
	audit_free(&x);
	return 0;
}
