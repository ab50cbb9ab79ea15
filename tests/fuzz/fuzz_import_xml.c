/*
 * fuzz_import_xml.c - libFuzzer target for the IANA XML importer.
 *
 * Every input goes through import_xml_buffer() with a sink that reads each
 * string it is handed (strlen), so ASan sees any pointer the importer gets
 * wrong: unterminated, freed or stale buffers.  Errors are the expected
 * outcome for most inputs and are only checked to carry a message.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "registry/import_xml.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static size_t
fuzz_touch(const char *s)
{
	return strlen(s);
}

static int
fuzz_record(void *ctx, const struct reg_record *r, struct err *e)
{
	size_t *n = ctx;

	(void)e;
	*n += fuzz_touch(r->service) + fuzz_touch(r->protocol) + fuzz_touch(r->description) +
	      fuzz_touch(r->assignee) + fuzz_touch(r->contact) + fuzz_touch(r->registered) +
	      fuzz_touch(r->modified) + fuzz_touch(r->reference) + fuzz_touch(r->service_code) +
	      fuzz_touch(r->unauthorized) + fuzz_touch(r->notes);
	if (r->port_lo != PORT_NONE &&
	    (r->port_lo < 0 || r->port_hi > PORT_MAX || r->port_lo > r->port_hi))
		abort(); /* the importer promised a valid range */
	return 0;
}

static int
fuzz_person(void *ctx, const struct reg_person *p, struct err *e)
{
	size_t *n = ctx;

	(void)e;
	*n += fuzz_touch(p->id) + fuzz_touch(p->name) + fuzz_touch(p->org) + fuzz_touch(p->uri) +
	      fuzz_touch(p->updated);
	return 0;
}

static int
fuzz_footnote(void *ctx, const struct reg_footnote *f, struct err *e)
{
	size_t *n = ctx;

	(void)e;
	*n += fuzz_touch(f->anchor) + fuzz_touch(f->text);
	return 0;
}

static int
fuzz_meta(void *ctx, const char *key, const char *value, struct err *e)
{
	size_t *n = ctx;

	(void)e;
	*n += fuzz_touch(key) + fuzz_touch(value);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t n = 0;
	struct reg_sink sink = {.ctx = &n,
	                        .record = fuzz_record,
	                        .person = fuzz_person,
	                        .footnote = fuzz_footnote,
	                        .meta = fuzz_meta};
	struct err e = {0};

	if (import_xml_buffer((const char *)data, size, "fuzz.xml", &sink, &e) == -1 &&
	    e.msg[0] == '\0')
		abort(); /* every failure must say why */
	return 0;
}
