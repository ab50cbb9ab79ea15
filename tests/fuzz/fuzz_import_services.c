/*
 * fuzz_import_services.c - libFuzzer target for the services importer.
 *
 * The first byte picks the dialect (nmap-services or /etc/services), the
 * rest is the file.  The sink aborts on any fact that breaks the
 * importer's promises: a port out of range, an unknown protocol, a
 * frequency outside 0..1 for nmap or not negative for /etc/services, an
 * empty name.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "registry/import_services.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
fuzz_alias(void *ctx, const struct reg_alias *a, struct err *e)
{
	const enum services_kind *kind = ctx;

	(void)e;
	if (a->port < 0 || a->port > PORT_MAX || a->service[0] == '\0' || a->line < 1)
		abort();
	if (strcmp(a->protocol, "tcp") != 0 && strcmp(a->protocol, "udp") != 0 &&
	    strcmp(a->protocol, "sctp") != 0 && strcmp(a->protocol, "dccp") != 0)
		abort();
	if (*kind == SERVICES_NMAP ? a->frequency < 0 || a->frequency > 1 : a->frequency >= 0)
		abort();
	if (strchr(a->service, '#') != NULL || strchr(a->service, ' ') != NULL)
		abort();
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	enum services_kind kind;
	struct reg_sink sink = {.ctx = &kind, .alias = fuzz_alias};
	struct err e = {0};

	if (size == 0)
		return 0;
	kind = data[0] & 1 ? SERVICES_ETC : SERVICES_NMAP;
	if (import_services_buffer((const char *)data + 1, size - 1, "fuzz", kind, &sink, &e) ==
	        -1 &&
	    (e.kind == ERR_NONE || e.msg[0] == '\0'))
		abort();
	return 0;
}
