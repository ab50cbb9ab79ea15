/*
 * i18n.c - the site's twelve languages: which catalogs exist, how a request
 * picks one, and how each writes numbers and dates.
 *
 * What lives where.  Translations come from po/<file>.po (i18n_po.c parses
 * them strictly, i18n_printf.c checks their printf conversions,
 * i18n_plural.c evaluates their Plural-Forms with a tiny safe evaluator of
 * gettext's C subset, so the rule is the catalog's own, never a second copy
 * that could disagree).  Everything else a language needs is in the static
 * table below, by hand, from CLDR's data for these languages:
 *
 *   code     file     grouping          month-year       with a day
 *   en       (built in) 26,000          May 2002         14 May 2002
 *   hi       hi.po    Indian 12,34,567  मई 2002          14 मई 2002
 *   id       id.po    26.000            Mei 2002         14 Mei 2002
 *   sv       sv.po    26 000 (NBSP)     maj 2002         14 maj 2002
 *   ko       ko.po    26,000            2002년 5월       2002년 5월 14일
 *   de       de.po    26.000            Mai 2002         14. Mai 2002
 *   fr       fr.po    26 000 (NNBSP)    mai 2002         1er mai 2002
 *   es       es.po    26.000, but 3516  mayo de 2002     14 de mayo de 2002
 *   pt       pt.po    26.000            maio de 2002     14 de maio de 2002
 *   ja       ja.po    26,000            2002年5月        2002年5月14日
 *   zh-Hans  zh_Hans.po 26,000          2002年5月        2002年5月14日
 *   ru       ru.po    26 000 (NBSP)     май 2002 г.      14 мая 2002 г.
 *
 * Simplified Chinese is "zh-Hans" in <html lang> and the file is
 * po/zh_Hans.po, gettext's spelling of a script variant; ?lang=zh also
 * finds it.  Portuguese is written for Brazil (the larger readership);
 * pt-PT readers still get "pt".  Spanish, per CLDR, groups only from five
 * digits.  Digits are Latin in every language (CLDR's default for hi too).
 *
 * Negotiation: ?lang= must name a language exactly (code, file name or
 * alias, any case); otherwise Accept-Language is read with its q-values,
 * a tag matching by its primary subtag (pt-BR -> pt, zh-CN -> zh-Hans).
 * Traditional Chinese tags (zh-Hant, zh-TW, zh-HK, zh-MO) do not match
 * zh-Hans: a reader of traditional script asked for it, not for us to
 * guess.  Otherwise English.
 *
 * A missing catalog file leaves its language out of the set (a partial
 * install still serves); a .po file the table does not know is an error,
 * because a misspelt name (zh-Hans.po) would otherwise silently drop one.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "i18n.h"
#include "i18n_po.h"

#define NLANG           12
#define ACCEPT_MAX      4096 /* bytes of Accept-Language read */
#define ACCEPT_MAX_TAGS 64
#define TAG_MAX         35 /* longest tag considered */

struct lang {
	const char *code;                               /* BCP 47, for <html lang> */
	const char *file;                               /* po/<file>.po; NULL for English */
	const char *alias;                              /* another exact ?lang= spelling, or NULL */
	const char *name;                               /* in the language itself */
	const char *group;                              /* thousands separator (UTF-8) */
	unsigned char indian;                           /* 1: groups of two above the first three */
	unsigned char min_group;                        /* fewest digits that get grouped */
	const char *year, *month_year, *day_month_year; /* patterns, see date_expand() */
	const char *months[12];                         /* standalone (month and year) */
	const char *months_day[12]; /* with a day (Russian genitive); NULL: months */
};

#define NBSP  "\xc2\xa0"
#define NNBSP "\xe2\x80\xaf"

static const struct lang langs[NLANG] = {
    {"en",
     NULL,
     NULL,
     "English",
     ",",
     0,
     4,
     "%Y",
     "%M %Y",
     "%d %M %Y",
     {"January", "February", "March", "April", "May", "June", "July", "August", "September",
      "October", "November", "December"},
     {NULL}},
    {"hi",
     "hi",
     NULL,
     "हिन्दी",
     ",",
     1,
     4,
     "%Y",
     "%M %Y",
     "%d %M %Y",
     {"जनवरी", "फ़रवरी", "मार्च", "अप्रैल", "मई", "जून", "जुलाई", "अगस्त", "सितंबर", "अक्तूबर", "नवंबर",
      "दिसंबर"},
     {NULL}},
    {"id",
     "id",
     NULL,
     "Bahasa Indonesia",
     ".",
     0,
     4,
     "%Y",
     "%M %Y",
     "%d %M %Y",
     {"Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
      "Oktober", "November", "Desember"},
     {NULL}},
    {"sv",
     "sv",
     NULL,
     "Svenska",
     NBSP,
     0,
     4,
     "%Y",
     "%M %Y",
     "%d %M %Y",
     {"januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september",
      "oktober", "november", "december"},
     {NULL}},
    {"ko", "ko", NULL, "한국어", ",", 0, 4, "%Y년", "%Y년 %m월", "%Y년 %m월 %d일", {NULL}, {NULL}},
    {"de",
     "de",
     NULL,
     "Deutsch",
     ".",
     0,
     4,
     "%Y",
     "%M %Y",
     "%d. %M %Y",
     {"Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober",
      "November", "Dezember"},
     {NULL}},
    {"fr",
     "fr",
     NULL,
     "Français",
     NNBSP,
     0,
     4,
     "%Y",
     "%M %Y",
     "%D %M %Y",
     {"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
      "octobre", "novembre", "décembre"},
     {NULL}},
    {"es",
     "es",
     NULL,
     "Español",
     ".",
     0,
     5,
     "%Y",
     "%M de %Y",
     "%d de %M de %Y",
     {"enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre",
      "octubre", "noviembre", "diciembre"},
     {NULL}},
    {"pt",
     "pt",
     NULL,
     "Português",
     ".",
     0,
     4,
     "%Y",
     "%M de %Y",
     "%d de %M de %Y",
     {"janeiro", "fevereiro", "março", "abril", "maio", "junho", "julho", "agosto", "setembro",
      "outubro", "novembro", "dezembro"},
     {NULL}},
    {"ja", "ja", NULL, "日本語", ",", 0, 4, "%Y年", "%Y年%m月", "%Y年%m月%d日", {NULL}, {NULL}},
    {"zh-Hans",
     "zh_Hans",
     "zh",
     "简体中文",
     ",",
     0,
     4,
     "%Y年",
     "%Y年%m月",
     "%Y年%m月%d日",
     {NULL},
     {NULL}},
    {"ru",
     "ru",
     NULL,
     "Русский",
     NBSP,
     0,
     4,
     "%Y" NBSP "г.",
     "%M %Y" NBSP "г.",
     "%d %M %Y" NBSP "г.",
     {"январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август", "сентябрь", "октябрь",
      "ноябрь", "декабрь"},
     {"января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября",
      "октября", "ноября", "декабря"}},
};

struct i18n {
	const struct lang *lang;
	struct i18n_po *po; /* NULL for English */
};

struct i18n_set {
	size_t n;
	struct i18n lang[NLANG];
};

/* English without a set, for a NULL struct i18n. */
static const struct i18n english = {&langs[0], NULL};

static const struct i18n *
or_english(const struct i18n *t)
{
	return t != NULL ? t : &english;
}

/* The whole file, at most PO_MAX_BYTES; *buf is malloc'd. */
static int
read_file(const char *path, char **buf, size_t *len, struct err *e)
{
	struct stat st;
	ssize_t r;
	size_t got = 0;
	int fd;

	*buf = NULL;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return err_set(e, "%s: %s", path, strerror(errno));
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode) || st.st_size > (off_t)PO_MAX_BYTES) {
		close(fd);
		return err_set(e, "%s: not a regular file of at most %u bytes", path, PO_MAX_BYTES);
	}
	if ((*buf = malloc((size_t)st.st_size + 1)) == NULL) {
		close(fd);
		return err_internal(e, "%s: out of memory", path);
	}
	while (got < (size_t)st.st_size && (r = read(fd, *buf + got, (size_t)st.st_size - got)) > 0)
		got += (size_t)r;
	close(fd);
	*len = got;
	return 0;
}

static int
load_one(const char *podir, const struct lang *l, struct i18n *t, int *present, struct err *e)
{
	char path[4096], *buf;
	const char *language;
	size_t len = 0;
	int r;

	*present = 0;
	if ((size_t)snprintf(path, sizeof(path), "%s/%s.po", podir, l->file) >= sizeof(path))
		return err_set(e, "%s: catalog path too long", podir);
	if (access(path, F_OK) == -1)
		return 0;
	if (read_file(path, &buf, &len, e) == -1)
		return -1;
	r = i18n_po_parse(buf, len, path, &t->po, e);
	free(buf);
	if (r == -1)
		return -1;
	language = i18n_po_language(t->po);
	if (language[0] != '\0' && strcasecmp(language, l->file) != 0 &&
	    strcasecmp(language, l->code) != 0) {
		err_set(e, "%s: header says Language: %s, the file name says %s", path, language,
		        l->file);
		i18n_po_free(t->po); /* after err_set: language points into it */
		t->po = NULL;
		return -1;
	}
	t->lang = l;
	*present = 1;
	return 0;
}

/* Every *.po in podir must be one the table knows. */
static int
check_dir(const char *podir, struct err *e)
{
	struct dirent *d;
	size_t n, i;
	DIR *dir;
	int known;

	if ((dir = opendir(podir)) == NULL)
		return err_set(e, "%s: %s", podir, strerror(errno));
	while ((d = readdir(dir)) != NULL) {
		n = strlen(d->d_name);
		if (n < 4 || strcmp(d->d_name + n - 3, ".po") != 0)
			continue;
		for (known = 0, i = 1; i < NLANG && !known; i++)
			known = strlen(langs[i].file) == n - 3 &&
			        strncmp(d->d_name, langs[i].file, n - 3) == 0;
		if (!known) {
			err_set(e, "%s/%s: not a language portolan knows (zh-Hans is zh_Hans.po)",
			        podir, d->d_name);
			closedir(dir);
			return -1;
		}
	}
	closedir(dir);
	return 0;
}

int
i18n_load(const char *podir, struct i18n_set **out, struct err *e)
{
	struct i18n_set *set;
	size_t i;
	int present;

	*out = NULL;
	if (check_dir(podir, e) == -1)
		return -1;
	if ((set = calloc(1, sizeof(*set))) == NULL)
		return err_internal(e, "i18n: out of memory");
	set->lang[0] = english;
	set->n = 1;
	for (i = 1; i < NLANG; i++) {
		if (load_one(podir, &langs[i], &set->lang[set->n], &present, e) == -1) {
			i18n_free(set);
			return -1;
		}
		set->n += (size_t)present;
	}
	*out = set;
	return 0;
}

void
i18n_free(struct i18n_set *set)
{
	size_t i;

	if (set == NULL)
		return;
	for (i = 0; i < set->n; i++)
		i18n_po_free(set->lang[i].po);
	free(set);
}

int
i18n_load_for(const char *podir, const char *lang_param, const char *accept_language,
              struct i18n_set **out, const struct i18n **picked, struct err *e)
{
	struct i18n_set *set, shell = {.n = NLANG};
	const struct i18n *want;
	size_t i;
	int present;

	*out = NULL;
	*picked = NULL;
	for (i = 0; i < NLANG; i++)
		shell.lang[i] = (struct i18n){&langs[i], NULL};
	if (lang_param != NULL && i18n_get(&shell, lang_param) == NULL)
		return err_set(e,
		               "unknown language '%s' (one of en hi id sv ko de fr es pt ja "
		               "zh-Hans ru)",
		               lang_param);
	want = i18n_pick(&shell, lang_param, accept_language);
	if ((set = calloc(1, sizeof(*set))) == NULL)
		return err_internal(e, "i18n: out of memory");
	set->lang[0] = english;
	set->n = 1;
	if (want->lang->file != NULL) {
		if (load_one(podir, want->lang, &set->lang[1], &present, e) == -1) {
			i18n_free(set);
			return -1;
		}
		set->n += (size_t)present;
	}
	*out = set;
	*picked = &set->lang[set->n - 1];
	return 0;
}

const char *
i18n_locale_tag(char *buf, size_t len)
{
	static const char *const vars[] = {"LC_ALL", "LC_MESSAGES", "LANG"};
	const char *v = NULL;
	size_t i, n;

	for (i = 0; i < sizeof(vars) / sizeof(vars[0]) && (v == NULL || v[0] == '\0'); i++)
		v = getenv(vars[i]);
	if (v == NULL || v[0] == '\0' || strcmp(v, "C") == 0 || strcmp(v, "POSIX") == 0 ||
	    strncmp(v, "C.", 2) == 0 || len == 0)
		return NULL;
	n = strcspn(v, ".@");
	if (n >= len || n > TAG_MAX)
		return NULL;
	for (i = 0; i < n; i++)
		buf[i] = v[i] == '_' ? '-' : v[i];
	buf[n] = '\0';
	return buf;
}

const struct i18n *
i18n_get(const struct i18n_set *set, const char *code)
{
	const struct lang *l;
	size_t i;

	if (set == NULL || code == NULL || strlen(code) > TAG_MAX)
		return NULL;
	for (i = 0; i < set->n; i++) {
		l = set->lang[i].lang;
		if (strcasecmp(code, l->code) == 0 || (l->file && strcasecmp(code, l->file) == 0) ||
		    (l->alias && strcasecmp(code, l->alias) == 0))
			return &set->lang[i];
	}
	return NULL;
}

/* Length of the primary subtag of tag[0..len). */
static size_t
primary_len(const char *tag, size_t len)
{
	const char *dash = memchr(tag, '-', len);

	return dash ? (size_t)(dash - tag) : len;
}

/* Does this zh-* tag ask for traditional script? */
static int
traditional(const char *tag, size_t len)
{
	static const char *const subtags[] = {"hant", "tw", "hk", "mo"};
	const char *p = tag, *end = tag + len, *dash;
	size_t i, n;

	while (p < end) {
		dash = memchr(p, '-', (size_t)(end - p));
		n = dash ? (size_t)(dash - p) : (size_t)(end - p);
		for (i = 0; i < sizeof(subtags) / sizeof(subtags[0]); i++)
			if (n == strlen(subtags[i]) && strncasecmp(p, subtags[i], n) == 0)
				return 1;
		p += n + 1;
	}
	return 0;
}

/* The language a single Accept-Language tag asks for, or NULL. */
static const struct i18n *
match_tag(const struct i18n_set *set, const char *tag, size_t len)
{
	char exact[TAG_MAX + 1];
	const struct i18n *t;
	size_t i, p = primary_len(tag, len);

	if (len == 1 && tag[0] == '*')
		return &set->lang[0];
	memcpy(exact, tag, len);
	exact[len] = '\0';
	if ((t = i18n_get(set, exact)) != NULL)
		return t;
	if (p == 2 && strncasecmp(tag, "zh", 2) == 0 && traditional(tag, len))
		return NULL;
	for (i = 0; i < set->n; i++) {
		const char *code = set->lang[i].lang->code;

		if (primary_len(code, strlen(code)) == p && strncasecmp(code, tag, p) == 0)
			return &set->lang[i];
	}
	return NULL;
}

/* ";q=0.8" -> 800; -1 when malformed (the item is then ignored). */
static int
qvalue(const char *p, const char *end)
{
	int q, digits = 0;

	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	if (p == end)
		return 1000;
	if (*p++ != ';')
		return -1;
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	if (end - p < 3 || (p[0] != 'q' && p[0] != 'Q') || p[1] != '=')
		return -1;
	p += 2;
	if (*p != '0' && *p != '1')
		return -1;
	q = (*p++ - '0') * 1000;
	if (p < end && *p == '.')
		for (p++; p < end && *p >= '0' && *p <= '9' && digits < 3; p++, digits++)
			q += (*p - '0') * (digits == 0 ? 100 : digits == 1 ? 10 : 1);
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	return p == end && q <= 1000 ? q : -1;
}

static const struct i18n *
negotiate(const struct i18n_set *set, const char *header)
{
	const struct i18n *best = NULL, *t;
	const char *p = header, *end, *item_end, *tag_end;
	size_t hlen = strnlen(header, ACCEPT_MAX);
	int best_q = 0, q, items = 0;

	end = header + hlen;
	for (; p < end && items < ACCEPT_MAX_TAGS; p = item_end + 1, items++) {
		item_end = memchr(p, ',', (size_t)(end - p));
		if (item_end == NULL)
			item_end = end;
		while (p < item_end && (*p == ' ' || *p == '\t'))
			p++;
		for (tag_end = p;
		     tag_end < item_end &&
		     (*tag_end == '-' || *tag_end == '*' || (*tag_end >= 'a' && *tag_end <= 'z') ||
		      (*tag_end >= 'A' && *tag_end <= 'Z') || (*tag_end >= '0' && *tag_end <= '9'));
		     tag_end++)
			;
		if (tag_end == p || tag_end - p > TAG_MAX)
			continue;
		q = qvalue(tag_end, item_end);
		if (q <= best_q)
			continue; /* malformed, q=0 ("not this"), or no better than earlier */
		if ((t = match_tag(set, p, (size_t)(tag_end - p))) != NULL) {
			best = t;
			best_q = q;
		}
	}
	return best;
}

const struct i18n *
i18n_pick(const struct i18n_set *set, const char *lang_param, const char *accept_language)
{
	const struct i18n *t;

	/* ?lang=pt-BR means what Accept-Language: pt-BR means: Portuguese. */
	if (lang_param != NULL &&
	    ((t = i18n_get(set, lang_param)) != NULL || (t = negotiate(set, lang_param)) != NULL))
		return t;
	if (accept_language != NULL && (t = negotiate(set, accept_language)) != NULL)
		return t;
	return &set->lang[0];
}

size_t
i18n_count(const struct i18n_set *set)
{
	return set->n;
}

const struct i18n *
i18n_at(const struct i18n_set *set, size_t i)
{
	return i < set->n ? &set->lang[i] : NULL;
}

const char *
i18n_code(const struct i18n *t)
{
	return or_english(t)->lang->code;
}

const char *
i18n_file(const struct i18n *t)
{
	return or_english(t)->lang->file;
}

const char *
i18n_name(const struct i18n *t)
{
	return or_english(t)->lang->name;
}

const char *
i18n_text(const struct i18n *t, const char *msgid)
{
	const char *s;

	t = or_english(t);
	if (t->po == NULL || (s = i18n_po_find(t->po, msgid, 0)) == NULL)
		return msgid;
	return s;
}

const char *
i18n_ntext(const struct i18n *t, const char *msgid, const char *msgid_plural, unsigned long n)
{
	const char *s;

	t = or_english(t);
	if (t->po != NULL &&
	    (s = i18n_po_find(t->po, msgid, i18n_plural_eval(i18n_po_plural(t->po), n))) != NULL)
		return s;
	return n == 1 ? msgid : msgid_plural;
}

/* Copy src into buf, cut at a UTF-8 character boundary when it does not fit. */
static void
copy_out(char *buf, size_t len, const char *src, size_t n)
{
	if (len == 0)
		return;
	if (n >= len) {
		n = len - 1;
		while (n > 0 && ((unsigned char)src[n] & 0xc0) == 0x80)
			n--;
	}
	memcpy(buf, src, n);
	buf[n] = '\0';
}

void
i18n_number(const struct i18n *t, long long n, char *buf, size_t len)
{
	const struct lang *l = or_english(t)->lang;
	unsigned long long v = n < 0 ? 0ULL - (unsigned long long)n : (unsigned long long)n;
	char digits[24], out[96];
	size_t nd, i, o = 0, left, sep_len = strlen(l->group);

	nd = (size_t)snprintf(digits, sizeof(digits), "%llu", v);
	if (n < 0)
		out[o++] = '-';
	for (i = 0; i < nd; i++) {
		out[o++] = digits[i];
		left = nd - i - 1; /* digits still to come */
		if (left == 0 || nd < l->min_group)
			continue;
		/* A separator before the last three, then every three (or two, Indian). */
		if (left == 3 || (left > 3 && (l->indian ? (left - 3) % 2 == 0 : left % 3 == 0))) {
			memcpy(out + o, l->group, sep_len);
			o += sep_len;
		}
	}
	copy_out(buf, len, out, o);
}

static int
days_in_month(int y, int m)
{
	static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return days[m - 1];
}

/* "2002", "2002-05" or "2002-05-14": the parts, 0 for those absent; -1 when not ISO. */
static int
parse_iso(const char *s, int *y, int *m, int *d)
{
	size_t n = strnlen(s, 11), i;

	*y = *m = *d = 0;
	if (n != 4 && n != 7 && n != 10)
		return -1;
	for (i = 0; i < n; i++)
		if ((i == 4 || i == 7) ? s[i] != '-' : (s[i] < '0' || s[i] > '9'))
			return -1;
	*y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
	if (n >= 7 && ((*m = (s[5] - '0') * 10 + (s[6] - '0')) < 1 || *m > 12))
		return -1;
	if (n == 10 && ((*d = (s[8] - '0') * 10 + (s[9] - '0')) < 1 || *d > days_in_month(*y, *m)))
		return -1;
	return 0;
}

/*
 * Expand a pattern: %Y year, %m month number, %M month name (the form with
 * a day when the pattern has one), %d day, %D day with French "1er".
 */
static size_t
date_expand(const struct lang *l, const char *pat, int y, int m, int d, char *out, size_t len)
{
	const char *month;
	size_t o = 0;
	int w;

	for (; *pat != '\0' && o + 1 < len; pat++) {
		if (*pat != '%' || pat[1] == '\0') {
			out[o++] = *pat;
			continue;
		}
		switch (*++pat) {
		case 'Y':
			w = snprintf(out + o, len - o, "%d", y);
			break;
		case 'm':
			w = snprintf(out + o, len - o, "%d", m);
			break;
		case 'd':
			w = snprintf(out + o, len - o, "%d", d);
			break;
		case 'D':
			w = snprintf(out + o, len - o, d == 1 ? "1er" : "%d", d);
			break;
		default: /* 'M' */
			month = d && l->months_day[0] ? l->months_day[m - 1] : l->months[m - 1];
			w = snprintf(out + o, len - o, "%s", month ? month : "");
			break;
		}
		if (w < 0 || (size_t)w >= len - o)
			return o;
		o += (size_t)w;
	}
	return o;
}

void
i18n_date(const struct i18n *t, const char *iso, char *buf, size_t len)
{
	const struct lang *l = or_english(t)->lang;
	const char *pat;
	char out[128];
	size_t n;
	int y, m, d;

	if (iso == NULL)
		iso = "";
	if (parse_iso(iso, &y, &m, &d) == -1) {
		copy_out(buf, len, iso, strnlen(iso, 64));
		return;
	}
	pat = d ? l->day_month_year : m ? l->month_year : l->year;
	n = date_expand(l, pat, y, m, d, out, sizeof(out));
	copy_out(buf, len, out, n);
}
