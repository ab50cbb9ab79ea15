/*
 * i18n_plural.h - the plural rule of a .po header ("Plural-Forms: nplurals=3;
 * plural=(n%10==1 && n%100!=11 ? 0 : ...);"), compiled once and evaluated
 * per i18n_ntext() call.
 *
 * The expression language is the C subset GNU gettext accepts: the variable
 * n, decimal constants, parentheses, ! * / % + - < > <= >= == != && || and
 * ?:, with unsigned long arithmetic.  The rule is compiled into a small
 * fixed-size node array, so a compiled rule holds no heap memory and can be
 * copied by value.  Division by zero, which gettext turns into SIGFPE,
 * evaluates to 0 here.
 *
 * i18n_plural_parse() fails (ERR_INPUT, message without file prefix: the
 * caller adds FILE:LINE) on a syntax error, an expression of more than
 * PLURAL_MAX_NODES nodes or nested deeper than PLURAL_MAX_DEPTH, nplurals
 * outside 1..PLURAL_MAX_FORMS, or a rule that yields an index >= nplurals
 * for any n in 0..1000 or a few larger values.
 */
#ifndef PORTOLAN_I18N_PLURAL_H
#define PORTOLAN_I18N_PLURAL_H

#include "util/err.h"

#define PLURAL_MAX_NODES 64
#define PLURAL_MAX_DEPTH 24
#define PLURAL_MAX_FORMS 6

struct plural_node {
	unsigned char op;      /* 'n', '#' (constant), or an operator code */
	unsigned char a, b, c; /* operand node indices */
	unsigned long value;   /* the constant for '#' */
};

struct plural {
	unsigned nplurals;
	unsigned nnodes;
	unsigned char root;
	struct plural_node node[PLURAL_MAX_NODES];
};

/* The rule English and gettext's default use: nplurals=2; plural=(n != 1). */
void i18n_plural_default(struct plural *p);
/* Parse the value of a Plural-Forms header field. */
int i18n_plural_parse(const char *spec, struct plural *p, struct err *e);
/* The form index for n: always < p->nplurals. */
unsigned i18n_plural_eval(const struct plural *p, unsigned long n);

#endif
