/*
 * fold.c - see fold.h.
 *
 * The rules are written as (ending, stem length) pairs over the lower-case
 * word because that is what they are: each British ending has one American
 * counterpart, and the minimum stem keeps the rule off short words that
 * merely end the same way ("hour", "rise", "fence").  The tokenizer is a
 * thin wrapper: unicode61 does the splitting, lower-casing and diacritics,
 * and fold_word() rewrites a token in a small stack buffer before handing
 * it on, so the index stores the folded form and snippets (taken from the
 * stored text) keep the author's spelling.
 */
#include <string.h>

#include "fold.h"

/* Longest token worth folding; longer ones pass through unchanged. */
#define FOLD_MAX 64

/*
 * British ending -> American ending, and the stem each needs.  The lengths
 * are kept beside the strings: fold_word() runs on every word of every row
 * a search scores.
 */
#define FOLD_RULE(f, t, stem)                                                                      \
	{                                                                                          \
		f, sizeof(f) - 1, t, sizeof(t) - 1, stem                                           \
	}

static const struct fold_rule {
	const char *from;
	size_t flen;
	const char *to;
	size_t tlen;
	size_t minstem;
} fold_rules[] = {
    /* licence, defence, offence (but not -scence: fluorescence) */
    FOLD_RULE("icence", "icense", 1),
    FOLD_RULE("icences", "icenses", 1),
    FOLD_RULE("icenced", "icensed", 1),
    FOLD_RULE("icencing", "icensing", 1),
    FOLD_RULE("efence", "efense", 1),
    FOLD_RULE("efences", "efenses", 1),
    FOLD_RULE("ffence", "ffense", 1),
    FOLD_RULE("ffences", "ffenses", 1),
    /* colour, favourite, behaviour, honourable, labourer */
    FOLD_RULE("our", "or", 2),
    FOLD_RULE("ours", "ors", 2),
    FOLD_RULE("oured", "ored", 2),
    FOLD_RULE("ouring", "oring", 2),
    FOLD_RULE("ourite", "orite", 2),
    FOLD_RULE("ourites", "orites", 2),
    FOLD_RULE("ourable", "orable", 2),
    FOLD_RULE("ourful", "orful", 2),
    FOLD_RULE("ourless", "orless", 2),
    FOLD_RULE("ourer", "orer", 2),
    FOLD_RULE("ourers", "orers", 2),
    /* organise, realisation, analyse */
    FOLD_RULE("ise", "ize", 3),
    FOLD_RULE("ised", "ized", 3),
    FOLD_RULE("ises", "izes", 3),
    FOLD_RULE("ising", "izing", 3),
    FOLD_RULE("iser", "izer", 3),
    FOLD_RULE("isers", "izers", 3),
    FOLD_RULE("isation", "ization", 3),
    FOLD_RULE("isations", "izations", 3),
    FOLD_RULE("yse", "yze", 3),
    FOLD_RULE("ysed", "yzed", 3),
    FOLD_RULE("yses", "yzes", 3),
    FOLD_RULE("ysing", "yzing", 3),
    FOLD_RULE("yser", "yzer", 3),
    /* centre, metre, fibre */
    FOLD_RULE("tre", "ter", 2),
    FOLD_RULE("tres", "ters", 2),
    FOLD_RULE("bre", "ber", 2),
    FOLD_RULE("bres", "bers", 2),
    /* catalogue, dialogue */
    FOLD_RULE("logue", "log", 3),
    FOLD_RULE("logues", "logs", 3),
    /* cancelled, tunnelling, signalling */
    FOLD_RULE("elled", "eled", 3),
    FOLD_RULE("elling", "eling", 3),
    FOLD_RULE("eller", "eler", 3),
    FOLD_RULE("ellers", "elers", 3),
    FOLD_RULE("alled", "aled", 4),
    FOLD_RULE("alling", "aling", 4),
    /* programme */
    FOLD_RULE("amme", "am", 4),
    FOLD_RULE("ammes", "ams", 4),
};

void
fold_word(char *w, size_t *len)
{
	const struct fold_rule *r, *best = NULL;
	size_t i, n = *len;

	for (i = 0; i < n; i++)
		if (w[i] < 'a' || w[i] > 'z')
			return;
	/* The sequel numerals: "Quake II" is "quake 2" (never a word of its own). */
	if ((n == 2 && memcmp(w, "ii", 2) == 0) || (n == 3 && memcmp(w, "iii", 3) == 0)) {
		w[0] = (char)('0' + n);
		*len = 1;
		return;
	}
	/* Every rule needs five letters and ends in one of these. */
	if (n < 5 || strchr("esdgrln", w[n - 1]) == NULL)
		return;
	/* The longest matching ending wins ("ised" over "ise"). */
	for (r = fold_rules; r < fold_rules + sizeof(fold_rules) / sizeof(fold_rules[0]); r++)
		if (n >= r->flen + r->minstem && w[n - 1] == r->from[r->flen - 1] &&
		    memcmp(w + n - r->flen, r->from, r->flen) == 0 &&
		    (best == NULL || r->flen > best->flen))
			best = r;
	if (best != NULL) {
		memcpy(w + n - best->flen, best->to, best->tlen);
		*len = n - best->flen + best->tlen;
	}
}

/* The tokenizer: unicode61 underneath, each token folded on its way out. */

struct fold_tokenizer {
	fts5_tokenizer parent;
	Fts5Tokenizer *inst;
};

struct fold_call {
	void *ctx;
	int (*token)(void *ctx, int flags, const char *tok, int n, int start, int end);
};

static int
fold_create(void *api_ptr, const char **argv, int argc, Fts5Tokenizer **out)
{
	fts5_api *api = api_ptr;
	struct fold_tokenizer *t;
	void *user = NULL;
	int rc;

	*out = NULL;
	if ((t = sqlite3_malloc(sizeof(*t))) == NULL)
		return SQLITE_NOMEM;
	memset(t, 0, sizeof(*t));
	rc = api->xFindTokenizer(api, "unicode61", &user, &t->parent);
	if (rc == SQLITE_OK)
		rc = t->parent.xCreate(user, argv, argc, &t->inst);
	if (rc != SQLITE_OK) {
		sqlite3_free(t);
		return rc;
	}
	*out = (Fts5Tokenizer *)t;
	return SQLITE_OK;
}

static void
fold_delete(Fts5Tokenizer *p)
{
	struct fold_tokenizer *t = (struct fold_tokenizer *)p;

	t->parent.xDelete(t->inst);
	sqlite3_free(t);
}

static int
fold_token(void *ctxp, int flags, const char *tok, int n, int start, int end)
{
	struct fold_call *call = ctxp;
	char buf[FOLD_MAX];
	size_t len = (size_t)n;

	if (n <= 0 || len > sizeof(buf))
		return call->token(call->ctx, flags, tok, n, start, end);
	memcpy(buf, tok, len);
	fold_word(buf, &len);
	return call->token(call->ctx, flags, buf, (int)len, start, end);
}

static int
fold_tokenize(Fts5Tokenizer *p, void *ctx, int flags, const char *text, int n,
              int (*token)(void *, int, const char *, int, int, int))
{
	struct fold_tokenizer *t = (struct fold_tokenizer *)p;
	struct fold_call call = {.ctx = ctx, .token = token};

	return t->parent.xTokenize(t->inst, &call, flags, text, n, fold_token);
}

static fts5_api *
fold_api(sqlite3 *db)
{
	fts5_api *api = NULL;
	sqlite3_stmt *stmt;

	if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &stmt, NULL) != SQLITE_OK)
		return NULL;
	sqlite3_bind_pointer(stmt, 1, (void *)&api, "fts5_api_ptr", NULL);
	sqlite3_step(stmt);
	sqlite3_finalize(stmt);
	return api;
}

int
fold_register(sqlite3 *db)
{
	fts5_tokenizer tok = {fold_create, fold_delete, fold_tokenize};
	fts5_api *api = fold_api(db);

	if (api == NULL)
		return SQLITE_ERROR;
	return api->xCreateTokenizer(api, FOLD_TOKENIZER, api, &tok, NULL);
}
