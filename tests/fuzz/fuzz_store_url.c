/*
 * fuzz_store_url.c - the store URL (--store, $PORTOLAN_STORE) is outside
 * input: checked by cstore_url_check(), and a PostgreSQL URL then parsed
 * by libpq (cstore_pg_url_check()), without connecting.  Any bytes must be
 * accepted or refused with a message, never crash.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "claims/cstore.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char url[CSTORE_MAX_URL + 8];
	struct err e = {0};

	if (size >= sizeof(url))
		size = sizeof(url) - 1;
	memcpy(url, data, size);
	url[size] = '\0';
	if (cstore_url_check(url, &e) == 0 && cstore_is_postgresql(url))
		cstore_pg_url_check(url, &e);
	return 0;
}
