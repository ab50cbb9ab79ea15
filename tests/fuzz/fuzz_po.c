/*
 * fuzz_po.c - libFuzzer target for the catalog parser and its two checks.
 *
 * The first byte picks what the rest is: a .po file (i18n_po_parse), a
 * Plural-Forms value (i18n_plural_parse, then evaluated: the index must
 * stay below nplurals), or two printf formats separated by a NUL
 * (i18n_printf_same, which must be symmetric in whether it accepts).
 * Any failure must come with a message; a parsed catalog must answer
 * lookups without reading outside its arena.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "render/i18n_plural.h"
#include "render/i18n_po.h"
#include "render/i18n_printf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
fuzz_catalog(const char *buf, size_t len)
{
	struct i18n_po *po = NULL;
	struct err e = {0};
	const char *s;

	if (i18n_po_parse(buf, len, "fuzz.po", &po, &e) == -1) {
		if (e.msg[0] == '\0' || po != NULL)
			abort();
		return;
	}
	if (i18n_po_plural(po)->nplurals < 1 || i18n_po_plural(po)->nplurals > PLURAL_MAX_FORMS)
		abort();
	s = i18n_po_find(po, "Port %s", 0);
	if (s != NULL && strlen(s) > len)
		abort();
	(void)i18n_po_find(po, "", PLURAL_MAX_FORMS);
	i18n_po_free(po);
}

static void
fuzz_plural(const char *spec)
{
	static const unsigned long ns[] = {0, 1, 2, 5, 11, 21, 101, 1000001, (unsigned long)-1};
	struct plural p;
	struct err e = {0};
	size_t i;

	if (i18n_plural_parse(spec, &p, &e) == -1) {
		if (e.msg[0] == '\0')
			abort();
		return;
	}
	for (i = 0; i < sizeof(ns) / sizeof(ns[0]); i++)
		if (i18n_plural_eval(&p, ns[i]) >= p.nplurals)
			abort();
}

static void
fuzz_printf(const char *a, const char *b)
{
	struct err e1 = {0}, e2 = {0};
	int r1 = i18n_printf_same(a, b, &e1), r2 = i18n_printf_same(b, a, &e2);

	if (r1 != r2 || (r1 == -1 && (e1.msg[0] == '\0' || e2.msg[0] == '\0')))
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s;

	if (size == 0)
		return 0;
	if (data[0] % 3 == 0) {
		fuzz_catalog((const char *)data + 1, size - 1);
		return 0;
	}
	/* The string checks take C strings: copy with two terminators. */
	if ((s = malloc(size + 1)) == NULL)
		return 0;
	memcpy(s, data + 1, size - 1);
	s[size - 1] = '\0';
	s[size] = '\0';
	if (data[0] % 3 == 1)
		fuzz_plural(s);
	else
		fuzz_printf(s, s + strlen(s) + (strlen(s) < size - 1 ? 1 : 0));
	free(s);
	return 0;
}
