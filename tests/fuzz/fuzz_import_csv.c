/*
 * fuzz_import_csv.c - libFuzzer target for the IANA CSV importer.
 *
 * Random bytes almost never spell the 12-column header, so an odd first
 * byte puts the real header in front of the rest: the fuzzer then spends
 * its time on rows, quoting and field checks rather than on the header.
 * The sink checks what the importer promises about every record and
 * aborts when a promise is broken; a failed import must leave a message.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "registry/import_csv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char fuzz_header[] =
    "Service Name,Port Number,Transport Protocol,Description,Assignee,Contact,"
    "Registration Date,Modification Date,Reference,Service Code,"
    "Unauthorized Use Reported,Assignment Notes\n";

static int
fuzz_record(void *ctx, const struct reg_record *r, struct err *e)
{
	(void)ctx;
	(void)e;
	if (r->port_lo == PORT_NONE
	        ? r->port_hi != PORT_NONE
	        : r->port_lo < 0 || r->port_lo > r->port_hi || r->port_hi > PORT_MAX)
		abort();
	if (import_csv_protocol(r->protocol, NULL) == -1 || r->line < 2 ||
	    import_csv_date(r->registered, NULL) == -1 || import_csv_date(r->modified, NULL) == -1)
		abort();
	/* Trimmed: no field starts or ends with white space. */
	if (r->description[0] == ' ' || r->notes[0] == '\n')
		abort();
	return 0;
}

static int
fuzz_meta(void *ctx, const char *key, const char *value, struct err *e)
{
	(void)ctx;
	(void)e;
	if (strcmp(key, "latest_registration") != 0 || import_csv_date(value, NULL) == -1)
		abort();
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct reg_sink sink = {.record = fuzz_record, .meta = fuzz_meta};
	struct err e = {0};
	char *buf;
	size_t hlen = 0;

	if (size == 0)
		return 0;
	if (data[0] & 1)
		hlen = sizeof(fuzz_header) - 1;
	if ((buf = malloc(hlen + size - 1 + 1)) == NULL)
		return 0;
	memcpy(buf, fuzz_header, hlen);
	memcpy(buf + hlen, data + 1, size - 1);
	if (import_csv_buffer(buf, hlen + size - 1, "fuzz.csv", &sink, &e) == -1 &&
	    (e.kind == ERR_NONE || e.msg[0] == '\0'))
		abort();
	free(buf);
	return 0;
}
