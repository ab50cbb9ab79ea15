/*
 * i18n_plural.c - a tiny, safe evaluator for gettext's plural expressions.
 *
 * Why an evaluator and not a table of the twelve languages' rules: the rule
 * belongs to the catalog (translators copy it from the gettext manual or
 * msginit), and a table would silently disagree with a catalog whose header
 * says otherwise.  The expression language is small enough that a
 * recursive-descent parser with C's precedence is about as long as the
 * table would be, and it is bounded everywhere: at most PLURAL_MAX_NODES
 * nodes, nesting at most PLURAL_MAX_DEPTH, constants of at most nine digits.
 * The parse result is a node array evaluated recursively (its depth is
 * bounded by the node count); no pointers, no heap.
 *
 * After parsing, the rule is run for n = 0..1000 and some large values and
 * must stay below nplurals, so i18n_plural_eval() can index msgstr[] with
 * its result.  The evaluator clamps anyway, as a second line of defence for
 * values of n the probe did not try.
 */
#include <ctype.h>
#include <string.h>

#include "i18n_plural.h"

enum {
	OP_N = 'n',
	OP_NUM = '#',
	OP_NOT = '!',
	OP_MUL = '*',
	OP_DIV = '/',
	OP_MOD = '%',
	OP_ADD = '+',
	OP_SUB = '-',
	OP_LT = '<',
	OP_GT = '>',
	OP_LE = 'l',
	OP_GE = 'g',
	OP_EQ = '=',
	OP_NE = 'x',
	OP_AND = '&',
	OP_OR = '|',
	OP_COND = '?',
};

struct parser {
	const char *s;
	struct plural *p;
	unsigned depth;
	struct err *e;
};

static int parse_cond(struct parser *ps);

static void
skip_space(struct parser *ps)
{
	while (*ps->s == ' ' || *ps->s == '\t' || *ps->s == '\n' || *ps->s == '\r')
		ps->s++;
}

/* Consume tok (after white space) if it is next; 1 when consumed. */
static int
accept(struct parser *ps, const char *tok)
{
	size_t n = strlen(tok);

	skip_space(ps);
	if (strncmp(ps->s, tok, n) != 0)
		return 0;
	/* "<" must not eat the first half of "<=", "!" of "!=", "=" of "==". */
	if (n == 1 && (tok[0] == '<' || tok[0] == '>' || tok[0] == '!') && ps->s[1] == '=')
		return 0;
	ps->s += n;
	return 1;
}

static int
node(struct parser *ps, int op, int a, int b, int c, unsigned long value)
{
	struct plural_node *nd;

	if (a < 0 || b < 0 || c < 0)
		return -1;
	if (ps->p->nnodes >= PLURAL_MAX_NODES) {
		err_set(ps->e, "plural expression has more than %d nodes", PLURAL_MAX_NODES);
		return -1;
	}
	nd = &ps->p->node[ps->p->nnodes];
	nd->op = (unsigned char)op;
	nd->a = (unsigned char)a;
	nd->b = (unsigned char)b;
	nd->c = (unsigned char)c;
	nd->value = value;
	return (int)ps->p->nnodes++;
}

static int
syntax(struct parser *ps, const char *what)
{
	skip_space(ps);
	if (*ps->s == '\0')
		err_set(ps->e, "plural expression: %s expected at its end", what);
	else
		err_set(ps->e, "plural expression: %s expected at \"%.20s\"", what, ps->s);
	return -1;
}

static int
parse_primary(struct parser *ps)
{
	unsigned long v = 0;
	int digits = 0, r;

	if (++ps->depth > PLURAL_MAX_DEPTH) {
		err_set(ps->e, "plural expression nested deeper than %d", PLURAL_MAX_DEPTH);
		return -1;
	}
	skip_space(ps);
	if (accept(ps, "!")) {
		r = parse_primary(ps);
		r = r < 0 ? -1 : node(ps, OP_NOT, r, 0, 0, 0);
	} else if (accept(ps, "(")) {
		r = parse_cond(ps);
		if (r >= 0 && !accept(ps, ")"))
			r = syntax(ps, "\")\"");
	} else if (*ps->s == 'n' && !isalnum((unsigned char)ps->s[1]) && ps->s[1] != '_') {
		ps->s++;
		r = node(ps, OP_N, 0, 0, 0, 0);
	} else if (isdigit((unsigned char)*ps->s)) {
		while (isdigit((unsigned char)*ps->s)) {
			if (++digits > 9) {
				err_set(ps->e, "plural expression: constant longer than 9 digits");
				return -1;
			}
			v = v * 10 + (unsigned long)(*ps->s++ - '0');
		}
		r = node(ps, OP_NUM, 0, 0, 0, v);
	} else {
		r = syntax(ps, "n, a number, \"!\" or \"(\"");
	}
	ps->depth--;
	return r;
}

/* One left-associative binary level: ops[i] (text) maps to codes[i]. */
static int
parse_binary(struct parser *ps, int (*next)(struct parser *), const char *const *ops,
             const char *codes)
{
	int lhs = next(ps), i, matched;

	while (lhs >= 0) {
		matched = 0;
		for (i = 0; ops[i] != NULL && !matched; i++) {
			if (accept(ps, ops[i])) {
				lhs = node(ps, codes[i], lhs, next(ps), 0, 0);
				matched = 1;
			}
		}
		if (!matched)
			break;
	}
	return lhs;
}

static int
parse_mul(struct parser *ps)
{
	static const char *const ops[] = {"*", "/", "%", NULL};

	return parse_binary(ps, parse_primary, ops, "*/%");
}

static int
parse_add(struct parser *ps)
{
	static const char *const ops[] = {"+", "-", NULL};

	return parse_binary(ps, parse_mul, ops, "+-");
}

static int
parse_rel(struct parser *ps)
{
	static const char *const ops[] = {"<=", ">=", "<", ">", NULL};

	return parse_binary(ps, parse_add, ops, "lg<>");
}

static int
parse_eq(struct parser *ps)
{
	static const char *const ops[] = {"==", "!=", NULL};

	return parse_binary(ps, parse_rel, ops, "=x");
}

static int
parse_and(struct parser *ps)
{
	static const char *const ops[] = {"&&", NULL};

	return parse_binary(ps, parse_eq, ops, "&");
}

static int
parse_or(struct parser *ps)
{
	static const char *const ops[] = {"||", NULL};

	return parse_binary(ps, parse_and, ops, "|");
}

static int
parse_cond(struct parser *ps)
{
	int c = parse_or(ps), a, b;

	if (c < 0 || !accept(ps, "?"))
		return c;
	if (++ps->depth > PLURAL_MAX_DEPTH) {
		err_set(ps->e, "plural expression nested deeper than %d", PLURAL_MAX_DEPTH);
		return -1;
	}
	a = parse_cond(ps);
	if (a >= 0 && !accept(ps, ":"))
		a = syntax(ps, "\":\"");
	b = a < 0 ? -1 : parse_cond(ps);
	ps->depth--;
	return node(ps, OP_COND, c, a, b, 0);
}

static unsigned long
eval(const struct plural *p, unsigned i, unsigned long n)
{
	const struct plural_node *nd = &p->node[i];
	unsigned long a, b;

	switch (nd->op) {
	case OP_N:
		return n;
	case OP_NUM:
		return nd->value;
	case OP_NOT:
		return !eval(p, nd->a, n);
	case OP_COND:
		return eval(p, nd->a, n) ? eval(p, nd->b, n) : eval(p, nd->c, n);
	case OP_AND:
		return eval(p, nd->a, n) && eval(p, nd->b, n);
	case OP_OR:
		return eval(p, nd->a, n) || eval(p, nd->b, n);
	default:
		break;
	}
	a = eval(p, nd->a, n);
	b = eval(p, nd->b, n);
	switch (nd->op) {
	case OP_MUL:
		return a * b;
	case OP_DIV:
		return b == 0 ? 0 : a / b;
	case OP_MOD:
		return b == 0 ? 0 : a % b;
	case OP_ADD:
		return a + b;
	case OP_SUB:
		return a - b;
	case OP_LT:
		return a < b;
	case OP_GT:
		return a > b;
	case OP_LE:
		return a <= b;
	case OP_GE:
		return a >= b;
	case OP_EQ:
		return a == b;
	case OP_NE:
		return a != b;
	default:
		return 0;
	}
}

void
i18n_plural_default(struct plural *p)
{
	struct err e;

	memset(p, 0, sizeof(*p));
	(void)i18n_plural_parse("nplurals=2; plural=(n != 1);", p, &e);
}

/* Every n a catalog is likely to meet stays a valid index. */
static int
probe_one(const struct plural *p, unsigned long n, struct err *e)
{
	unsigned long v = eval(p, p->root, n);

	if (v >= p->nplurals)
		return err_set(e, "plural expression gives %lu for n=%lu, beyond nplurals=%u", v, n,
		               p->nplurals);
	return 0;
}

static int
probe(const struct plural *p, struct err *e)
{
	static const unsigned long big[] = {1000000UL, 1000001UL, 1234567UL, 4294967295UL,
	                                    (unsigned long)-1};
	unsigned long n;
	size_t i;

	for (n = 0; n <= 1000; n++)
		if (probe_one(p, n, e) == -1)
			return -1;
	for (i = 0; i < sizeof(big) / sizeof(big[0]); i++)
		if (probe_one(p, big[i], e) == -1)
			return -1;
	return 0;
}

int
i18n_plural_parse(const char *spec, struct plural *p, struct err *e)
{
	struct parser ps = {.s = spec, .p = p, .depth = 0, .e = e};
	unsigned long np = 0;
	int root, digits = 0;

	memset(p, 0, sizeof(*p));
	if (!accept(&ps, "nplurals") || !accept(&ps, "="))
		return err_set(e, "Plural-Forms must start with \"nplurals=\"");
	skip_space(&ps);
	while (isdigit((unsigned char)*ps.s) && digits++ < 3)
		np = np * 10 + (unsigned long)(*ps.s++ - '0');
	if (np < 1 || np > PLURAL_MAX_FORMS || isdigit((unsigned char)*ps.s))
		return err_set(e, "nplurals must be 1..%d", PLURAL_MAX_FORMS);
	if (!accept(&ps, ";") || !accept(&ps, "plural") || !accept(&ps, "="))
		return err_set(e, "Plural-Forms: \"; plural=\" expected after nplurals");
	p->nplurals = (unsigned)np;
	root = parse_cond(&ps);
	if (root < 0)
		return -1;
	(void)accept(&ps, ";");
	skip_space(&ps);
	if (*ps.s != '\0')
		return syntax(&ps, "the end");
	p->root = (unsigned char)root;
	return probe(p, e);
}

unsigned
i18n_plural_eval(const struct plural *p, unsigned long n)
{
	unsigned long v;

	if (p->nnodes == 0)
		return n != 1;
	v = eval(p, p->root, n);
	return v < p->nplurals ? (unsigned)v : 0;
}
