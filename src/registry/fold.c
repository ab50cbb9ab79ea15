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

static int
fold_ends(const char *w, size_t len, const char *end, size_t minstem)
{
	size_t n = strlen(end);

	return len >= n + minstem && memcmp(w + len - n, end, n) == 0;
}

/* Replace the ending of length `from` with `to` (never longer). */
static void
fold_swap(char *w, size_t *len, size_t from, const char *to)
{
	size_t n = strlen(to);

	memcpy(w + *len - from, to, n);
	*len = *len - from + n;
}

/* British ending -> American ending, and the stem each needs. */
static const struct fold_rule {
	const char *from, *to;
	size_t minstem;
} fold_rules[] = {
    /* licence, defence, offence (but not -scence: fluorescence) */
    {"icence", "icense", 1},
    {"icences", "icenses", 1},
    {"icenced", "icensed", 1},
    {"icencing", "icensing", 1},
    {"efence", "efense", 1},
    {"efences", "efenses", 1},
    {"ffence", "ffense", 1},
    {"ffences", "ffenses", 1},
    /* colour, favourite, behaviour, honourable, labourer */
    {"our", "or", 2},
    {"ours", "ors", 2},
    {"oured", "ored", 2},
    {"ouring", "oring", 2},
    {"ourite", "orite", 2},
    {"ourites", "orites", 2},
    {"ourable", "orable", 2},
    {"ourful", "orful", 2},
    {"ourless", "orless", 2},
    {"ourer", "orer", 2},
    {"ourers", "orers", 2},
    /* organise, realisation, analyse */
    {"ise", "ize", 3},
    {"ised", "ized", 3},
    {"ises", "izes", 3},
    {"ising", "izing", 3},
    {"iser", "izer", 3},
    {"isers", "izers", 3},
    {"isation", "ization", 3},
    {"isations", "izations", 3},
    {"yse", "yze", 3},
    {"ysed", "yzed", 3},
    {"yses", "yzes", 3},
    {"ysing", "yzing", 3},
    {"yser", "yzer", 3},
    /* centre, metre, fibre */
    {"tre", "ter", 2},
    {"tres", "ters", 2},
    {"bre", "ber", 2},
    {"bres", "bers", 2},
    /* catalogue, dialogue */
    {"logue", "log", 3},
    {"logues", "logs", 3},
    /* cancelled, tunnelling, signalling */
    {"elled", "eled", 3},
    {"elling", "eling", 3},
    {"eller", "eler", 3},
    {"ellers", "elers", 3},
    {"alled", "aled", 4},
    {"alling", "aling", 4},
    /* programme */
    {"amme", "am", 4},
    {"ammes", "ams", 4},
};

void
fold_word(char *w, size_t *len)
{
	const struct fold_rule *r, *best = NULL;
	size_t i;

	for (i = 0; i < *len; i++)
		if (w[i] < 'a' || w[i] > 'z')
			return;
	/* The sequel numerals: "Quake II" is "quake 2" (never a word of its own). */
	if ((*len == 2 && memcmp(w, "ii", 2) == 0) || (*len == 3 && memcmp(w, "iii", 3) == 0)) {
		w[0] = (char)('0' + *len);
		*len = 1;
		return;
	}
	/* The longest matching ending wins ("ises" over "es"-less "ise"). */
	for (r = fold_rules; r < fold_rules + sizeof(fold_rules) / sizeof(fold_rules[0]); r++)
		if (fold_ends(w, *len, r->from, r->minstem) &&
		    (best == NULL || strlen(r->from) > strlen(best->from)))
			best = r;
	if (best != NULL)
		fold_swap(w, len, strlen(best->from), best->to);
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
