/*
 * i18n_printf.h - the printf conversions of a msgid and its msgstr must
 * agree, because the pages format untrusted data through translated strings:
 * a msgstr with one %s too many reads a pointer that was never passed.
 *
 * A format is reduced to its argument list: for each argument position
 * 1..n the type a conversion consumes (length modifier and class: %d and %i
 * are one type, %u %x %o another, %s, %c, %p, %f/%e/%g/%a).  Two formats
 * agree when their argument lists are equal, so a translator may reorder
 * with %2$s ... %1$s (the reason numbered conversions exist) but may not
 * drop, add or retype an argument.  Refused in any format: %n, a conversion
 * glibc does not know, numbered and unnumbered conversions mixed, a
 * numbered argument used with two types or skipped, more than
 * PRINTF_MAX_ARGS arguments.
 *
 * Errors are ERR_INPUT with a message that names the conversion; callers
 * prefix FILE:LINE: FIELD.
 */
#ifndef PORTOLAN_I18N_PRINTF_H
#define PORTOLAN_I18N_PRINTF_H

#include "util/err.h"

#define PRINTF_MAX_ARGS 16

struct printf_args {
	unsigned n;                               /* arguments consumed */
	unsigned short type[PRINTF_MAX_ARGS + 1]; /* type[1..n]; 0 = unused */
};

/* Reduce fmt to its argument list. */
int i18n_printf_parse(const char *fmt, struct printf_args *a, struct err *e);
/* 0 when translated consumes exactly the arguments of original; -1 with why. */
int i18n_printf_same(const char *original, const char *translated, struct err *e);

#endif
