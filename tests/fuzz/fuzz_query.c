/*
 * fuzz_query.c - the query parser reads the command line and every /port/
 * and /service/ path of the web server: any bytes must parse or be refused
 * with a message, and what parses must keep query.h's promises (a port
 * query has ports in order within 0-65535 and no name; a name query has a
 * name that starts with a letter or digit and no ports; the protocol is
 * one of the four, lower case, or empty).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "report/query.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
fuzz_query_protocol_ok(const char *p)
{
	return p[0] == '\0' || strcmp(p, "tcp") == 0 || strcmp(p, "udp") == 0 ||
	       strcmp(p, "sctp") == 0 || strcmp(p, "dccp") == 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char arg[128];
	struct query q;
	struct err e = {0};

	if (size >= sizeof(arg))
		size = sizeof(arg) - 1;
	memcpy(arg, data, size);
	arg[size] = '\0';
	if (query_parse(arg, &q, &e) == -1) {
		if (e.msg[0] == '\0')
			abort(); /* a refusal must say why */
		return 0;
	}
	if (!fuzz_query_protocol_ok(q.protocol))
		abort();
	if (q.service[0] != '\0') {
		if (q.port_lo != PORT_NONE || q.port_hi != PORT_NONE ||
		    strlen(q.service) >= sizeof(q.service))
			abort();
	} else if (q.port_lo < 0 || q.port_hi > 65535 || q.port_lo > q.port_hi) {
		abort();
	}
	return 0;
}
