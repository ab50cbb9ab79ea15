/*
 * i18n_po.h - one gettext .po catalog, parsed strictly from memory.
 *
 * The parser accepts the PO syntax the gettext tools write: '#' comments
 * (a "#," line carries flags: "fuzzy", "no-c-format"), "#~" obsolete
 * entries (ignored), optional msgctxt, msgid, optional msgid_plural, then
 * msgstr or msgstr[0..n-1], each a sequence of "quoted" C strings with the
 * usual escapes.  It refuses rather than guesses: a keyword out of order, a
 * bad escape, invalid UTF-8, a charset other than UTF-8, a duplicate
 * msgid, a plural entry whose msgstr[] count differs from the header's
 * nplurals, and a msgstr whose printf conversions differ from its msgid's
 * (i18n_printf.h) unless the entry is flagged no-c-format.  Each error is
 * ERR_INPUT "FILE:LINE: FIELD: why".
 *
 * Entries flagged fuzzy and untranslated entries (every msgstr empty) are
 * left out, so lookups fall back to English, as gettext does.  A msgctxt
 * entry is stored under "CTXT\004MSGID", gettext's own key, so the plain
 * lookups of i18n.h never see it.
 *
 * Bounds: the buffer at most PO_MAX_BYTES, a line at most PO_MAX_LINE bytes,
 * a string at most PO_MAX_STRING bytes.  Memory: the catalog owns all its
 * text (one arena); returned strings live until i18n_po_free().
 */
#ifndef PORTOLAN_I18N_PO_H
#define PORTOLAN_I18N_PO_H

#include <stddef.h>

#include "i18n_plural.h"
#include "util/err.h"

#define PO_MAX_BYTES  (4u << 20)
#define PO_MAX_LINE   (64u << 10)
#define PO_MAX_STRING (64u << 10)

struct i18n_po;

int i18n_po_parse(const char *buf, size_t len, const char *file, struct i18n_po **out,
                  struct err *e);
void i18n_po_free(struct i18n_po *po);

/* msgstr[form] (msgstr for form 0 of a singular entry), or NULL when absent. */
const char *i18n_po_find(const struct i18n_po *po, const char *key, unsigned form);
/* Translated entries kept. */
size_t i18n_po_count(const struct i18n_po *po);
/* The header's rule, or the default (n != 1) when it has none. */
const struct plural *i18n_po_plural(const struct i18n_po *po);
/* The header's Language field, "" when absent. */
const char *i18n_po_language(const struct i18n_po *po);

#endif
