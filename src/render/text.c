/*
 * text.c - the terminal renderer.
 *
 * Layout: a two-line identity header, whose first line names what you will
 * most likely find (identity.headline) where the curated data knows and
 * the registry's names otherwise, then one titled section per part of
 * the report that has something to say; empty sections are left out rather
 * than printed as "none", so the common case stays short.  Registry rows
 * that differ only in protocol are printed once with their protocols
 * joined, since most ports are registered identically for tcp and udp.
 * Sources are listed at the end as [1], [2], ... in the report's order,
 * and a row names its source by that number: the number is the source's
 * place in the list, not its id, so the marks run 1, 2, 3 whatever ids a
 * database gave.  IANA's own footnotes (a reference "[1]" in the registry)
 * print as "IANA footnote 1", never as a bracketed number.
 *
 * Each section prints its facts one line each, however long; the entry
 * points at the end render into memory and fold the lines to the terminal
 * (render_wrap()), so no section measures widths of its own.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "render.h"
#include "util/unicode.h"
#include "words.h"

#define _(t, s)         i18n_text((t), (s))
#define N_(t, s, pl, n) i18n_ntext((t), (s), (pl), (n))

#define BOLD(o)  ((o)->color ? "\033[1m" : "")
#define DIM(o)   ((o)->color ? "\033[2m" : "")
#define RED(o)   ((o)->color ? "\033[31m" : "")
#define RESET(o) ((o)->color ? "\033[0m" : "")

static const char *
str(const json_t *obj, const char *key)
{
	const char *s = json_string_value(json_object_get(obj, key));

	return s ? s : "";
}

static long long
num(const json_t *obj, const char *key)
{
	return (long long)json_integer_value(json_object_get(obj, key));
}

/* How many of a range's names, descriptions and concerns the header shows. */
#define TEXT_HEADER_NAMES        10
#define TEXT_HEADER_DESCRIPTIONS 4

static void
heading(FILE *out, const struct render_opts *o, const char *title)
{
	fprintf(out, "\n%s%s%s\n", BOLD(o), title, RESET(o));
}

/* "3516", "6000-6063", or "(no port)". */
static void
ports(FILE *out, const struct render_opts *o, const json_t *obj, const char *lo_key,
      const char *hi_key)
{
	const json_t *lo = json_object_get(obj, lo_key), *hi = json_object_get(obj, hi_key);

	if (!json_is_integer(lo))
		fprintf(out, "(%s)", _(o->t, "no port"));
	else if (json_integer_value(lo) == json_integer_value(hi))
		fprintf(out, "%lld", (long long)json_integer_value(lo));
	else
		fprintf(out, "%lld-%lld", (long long)json_integer_value(lo),
		        (long long)json_integer_value(hi));
}

/*
 * Print text on one line: IANA writes some descriptions over several
 * (whoispp: "whois++", a blank line, then why the name changed), which
 * would break a header or a table row.  Each line break, with the blanks
 * around it, becomes " - ".
 */
static void
one_line(FILE *out, const char *text)
{
	const char *end;
	size_t n;
	int first = 1;

	for (;;) {
		text += strspn(text, " \t\r\n");
		if (*text == '\0')
			break;
		n = strcspn(text, "\r\n");
		for (end = text + n; end > text && (end[-1] == ' ' || end[-1] == '\t'); end--)
			;
		fprintf(out, "%s%.*s", first ? "" : " - ", (int)(end - text), text);
		first = 0;
		text += n;
	}
}

/* Print text indented, keeping its own line breaks. */
static void
indented(FILE *out, const char *indent, const char *text)
{
	const char *nl;

	while (*text) {
		nl = strchr(text, '\n');
		fprintf(out, "%s%.*s\n", indent, (int)(nl ? nl - text : (long)strlen(text)), text);
		if (nl == NULL)
			break;
		text = nl + 1;
	}
}

/*
 * The column, counted from a label's start, at which the values of a
 * block of "label  value" lines start: two past the widest of labels in
 * terminal columns (a Hangul, kana or ideograph takes two, so bytes or
 * characters would misalign Korean and Japanese), at least 11.
 */
static size_t
label_column(const char *const *labels, size_t n)
{
	size_t i, w, col = 11;

	for (i = 0; i < n; i++)
		if ((w = unicode_width((const uint8_t *)labels[i], strlen(labels[i])) + 2) > col)
			col = w;
	return col;
}

/* "       label  ", in color, the value to follow col columns after the label's start. */
static void
label(FILE *out, const struct render_opts *o, const char *color, const char *text, size_t col)
{
	size_t w = unicode_width((const uint8_t *)text, strlen(text));

	fprintf(out, "       %s%s%s%*s", color, text, RESET(o), (int)(w + 2 <= col ? col - w : 2),
	        "");
}

static void
people(FILE *out, const struct render_opts *o, const char *name_label, size_t col,
       const json_t *list)
{
	size_t i;
	const json_t *p;

	if (json_array_size(list) == 0)
		return;
	label(out, o, DIM(o), name_label, col);
	json_array_foreach(list, i, p)
	{
		const char *name = str(p, "name"), *org = str(p, "org"), *email = str(p, "email");

		fprintf(out, "%s%s", i ? "; " : "", name[0] ? name : org);
		if (name[0] && org[0])
			fprintf(out, " (%s)", org);
		if (email[0])
			fprintf(out, " <%s>", email);
		else if (str(p, "uri")[0])
			fprintf(out, " <%s>", str(p, "uri"));
		if (json_is_true(json_object_get(p, "derived")))
			fprintf(out, " %s[%s]%s", DIM(o), _(o->t, "name from registry id"),
			        RESET(o));
	}
	fputc('\n', out);
}

static void
field(FILE *out, const struct render_opts *o, const char *name, size_t col, const char *value)
{
	if (value[0] == '\0')
		return;
	if (strchr(value, '\n')) {
		fprintf(out, "       %s%s%s\n", DIM(o), name, RESET(o));
		indented(out, "         ", value);
		return;
	}
	label(out, o, DIM(o), name, col);
	fprintf(out, "%s\n", value);
}

/* Two records are one printed row when only the protocol differs. */
static int
same_but_protocol(const json_t *a, const json_t *b)
{
	static const char *const keys[] = {
	    "service",    "port_lo",  "port_hi",    "description",  "assignee", "contact",
	    "registered", "modified", "references", "unauthorized", "notes",    "source"};
	size_t i;

	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (!json_equal(json_object_get(a, keys[i]), json_object_get(b, keys[i])))
			return 0;
	return 1;
}

/* " [n]": the place in the report's sources of source id, which the Sources section prints. */
static void
source_mark(FILE *out, const struct render_opts *o, const json_t *rep, const json_t *id)
{
	const json_t *s;
	size_t i;

	if (!json_is_integer(id))
		return;
	json_array_foreach(json_object_get(rep, "sources"), i, s)
	{
		if (json_integer_value(json_object_get(s, "id")) == json_integer_value(id)) {
			fprintf(out, " %s[%zu]%s", DIM(o), i + 1, RESET(o));
			return;
		}
	}
}

static void
record_row(FILE *out, const struct render_opts *o, const json_t *rep, const json_t *recs,
           size_t first, size_t last)
{
	const json_t *r = json_array_get(recs, first), *ref;
	/* The labels of the HTML page's registry table, which the catalogs translate. */
	const char *const labels[] = {_(o->t, "Assignee"),   _(o->t, "Contact"),
	                              _(o->t, "Registered"), _(o->t, "Modified"),
	                              _(o->t, "References"), _(o->t, "Notes")};
	size_t i, col = label_column(labels, sizeof(labels) / sizeof(labels[0]));

	fputs("  ", out);
	ports(out, o, r, "port_lo", "port_hi");
	fputs("/", out);
	for (i = first; i <= last; i++) {
		const char *p = str(json_array_get(recs, i), "protocol");

		fprintf(out, "%s%s", i > first ? "," : "", p[0] ? p : "any");
	}
	fprintf(out, "  %s%s%s  ", BOLD(o), str(r, "service")[0] ? str(r, "service") : "-",
	        RESET(o));
	one_line(out, str(r, "description"));
	fputc(' ', out);
	source_mark(out, o, rep, json_object_get(r, "source"));
	source_mark(out, o, rep, json_object_get(r, "refreshed_by"));
	fputc('\n', out);
	people(out, o, labels[0], col, json_object_get(r, "assignee"));
	people(out, o, labels[1], col, json_object_get(r, "contact"));
	field(out, o, labels[2], col, str(r, "registered"));
	field(out, o, labels[3], col, str(r, "modified"));
	json_array_foreach(json_object_get(r, "references"), i, ref)
	{
		char line[2300];

		snprintf(line, sizeof(line), "%s%s%s", str(ref, "text"),
		         str(ref, "url")[0] ? "  " : "", str(ref, "url"));
		if (str(ref, "footnote")[0]) {
			/* TRANSLATORS: %1$s the number of IANA's footnote, %2$s its text. */
			words_format(line, sizeof(line), _(o->t, "IANA footnote %1$s: %2$s"),
			             str(ref, "text"), str(ref, "footnote"), NULL);
		}
		field(out, o, i == 0 ? labels[4] : "", col, line);
	}
	field(out, o, _(o->t, "Service code"), col, str(r, "service_code"));
	if (str(r, "unauthorized")[0]) {
		label(out, o, RED(o), _(o->t, "Unauthorized use"), col);
		fprintf(out, "%s\n", str(r, "unauthorized"));
	}
	field(out, o, labels[5], col, str(r, "notes"));
}

static void
section_records(FILE *out, const struct render_opts *o, const json_t *rep)
{
	const json_t *recs = json_object_get(rep, "records"),
	             *snap = json_object_get(rep, "snapshot");
	size_t i, j, n = json_array_size(recs);
	char title[160];

	if (n == 0)
		return;
	struct words_sentence s = {
	    .arg = {str(snap, "registry_source"),
	            str(snap, "registry_as_of")[0] ? str(snap, "registry_as_of") : "?"},
	    .n = 2};

	s.tmpl = _(o->t, "Registry: %1$s, as of %2$s");
	words_fill(&s, title, sizeof(title));
	heading(out, o, title);
	for (i = 0; i < n; i = j + 1) {
		for (j = i; j + 1 < n &&
		            same_but_protocol(json_array_get(recs, i), json_array_get(recs, j + 1));
		     j++)
			;
		record_row(out, o, rep, recs, i, j);
	}
	if (json_is_true(json_object_get(rep, "truncated")))
		fprintf(out, "  %s\n", _(o->t, "... more rows: narrow the range"));
}

/* IANA's registration as the headline shows it beside the likely answer. */
static void
header_iana(FILE *out, const struct render_opts *o, const json_t *iana)
{
	const char *status = str(iana, "status");

	if (str(iana, "service")[0]) {
		fputs(str(iana, "service"), out);
		if (str(iana, "description")[0])
			fputs(" - ", out);
		one_line(out, str(iana, "description"));
	} else {
		fputs(strcmp(status, "unlisted") == 0 ? _(o->t, "not in the registry")
		      : strcmp(status, "various") == 0
		          ? _(o->t, "different rows across these ports")
		          : status,
		      out);
	}
}

/*
 * The curated headline (identity.headline), when there is one: what you
 * will most likely find, marked unofficial where it is not IANA's service,
 * with IANA's registration on the line below it (beside it, the two did
 * not fit 80 columns: "9200  Elasticsearch REST API (unofficial) · IANA:
 * wap-wsp - WAP connectionless session service").  0 when the report has
 * none.
 */
static int
header_headline(FILE *out, const struct render_opts *o, const json_t *h)
{
	const char *answer = str(h, "answer");
	struct words_sentence s = {.n = 1};
	char buf[1024];

	if (!json_is_object(h))
		return 0;
	if (strcmp(answer, "official") == 0) {
		fprintf(out, "%s - ", str(h, "name"));
		one_line(out, str(h, "description"));
		fprintf(out, " %s", _(o->t, "(official)"));
		return 1;
	}
	if (strcmp(answer, "mixed") == 0) {
		s.tmpl = _(o->t, "no single use dominates: %1$s");
		s.arg[0] = str(h, "name");
		words_fill(&s, buf, sizeof(buf));
		fputs(buf, out);
	} else
		fprintf(out, "%s %s", str(h, "name"), _(o->t, "(unofficial)"));
	fputs("\n  IANA: ", out);
	header_iana(out, o, json_object_get(h, "iana"));
	return 1;
}

/* "and 204 more", after the first few of a range's names or descriptions. */
static void
more(FILE *out, const struct render_opts *o, size_t n)
{
	char buf[128], count[24];

	snprintf(count, sizeof(count), "%zu", n);
	fputs(words_format(buf, sizeof(buf),
	                   N_(o->t, "and %1$s more", "and %1$s more", (unsigned long)n), count,
	                   NULL, NULL),
	      out);
}

static void
section_header(FILE *out, const struct render_opts *o, const json_t *rep)
{
	const json_t *id = json_object_get(rep, "identity"), *v;
	const json_t *classes = json_object_get(json_object_get(rep, "range"), "classes");
	const char *status = str(id, "status");
	size_t i;

	fprintf(out, "%s", BOLD(o));
	ports(out, o, rep, "port_lo", "port_hi");
	fprintf(out, "%s  ", RESET(o));
	if (header_headline(out, o, json_object_get(id, "headline"))) {
		/* the curated answer heads the report; the registry rows follow below */
	} else if (json_array_size(json_object_get(id, "services")) > 0) {
		const json_t *names = json_object_get(id, "services");
		const json_t *descs = json_object_get(id, "descriptions");

		/* A range may hold thousands: the first few; the sections list them all. */
		json_array_foreach(names, i, v)
		{
			if (i == TEXT_HEADER_NAMES) {
				fprintf(out, " ");
				more(out, o, json_array_size(names) - i);
				break;
			}
			fprintf(out, "%s%s", i ? ", " : "", json_string_value(v));
		}
		json_array_foreach(descs, i, v)
		{
			if (i == TEXT_HEADER_DESCRIPTIONS) {
				fprintf(out, "; ");
				more(out, o, json_array_size(descs) - i);
				break;
			}
			fputs(i ? "; " : " - ", out);
			one_line(out, json_string_value(v));
		}
	} else {
		fprintf(out, "%s",
		        strcmp(status, "unlisted") == 0     ? _(o->t, "not in the registry")
		        : strcmp(status, "unassigned") == 0 ? _(o->t, "unassigned")
		        : strcmp(status, "reserved") == 0   ? _(o->t, "reserved")
		                                            : status);
	}
	fputc('\n', out);
	fputs("  ", out);
	json_array_foreach(classes, i, v) fprintf(out, "%s%s (%s %lld-%lld)", i ? " / " : "",
	                                          words_range_title(o->t, str(v, "name")),
	                                          str(v, "iana"), num(v, "lo"), num(v, "hi"));
	if (json_array_size(json_object_get(id, "protocols"))) {
		fputs(" - ", out);
		json_array_foreach(json_object_get(id, "protocols"), i, v)
		    fprintf(out, "%s%s", i ? ", " : "", json_string_value(v));
	}
	fputc('\n', out);
}

/*
 * " [in English]" after curated text the report could not give in the
 * reader's language (its "lang" is "en" while the reader's is another).
 */
static void
english_mark(FILE *out, const struct render_opts *o, const json_t *item)
{
	const char *lang = str(item, "lang");

	if (strcmp(lang, "en") == 0 && strcmp(i18n_code(o->t), "en") != 0)
		fprintf(out, " %s[%s]%s", DIM(o), _(o->t, "in English"), RESET(o));
}

/*
 * The concern level, then each reason with the protocols it concerns (when
 * the question named none) and what it rests on: the URLs of a curated
 * entry, or the [n] of its source.  A level of none is shown only with
 * reasons, which then say why nothing counted.
 */
static void
section_concern(FILE *out, const struct render_opts *o, const json_t *rep)
{
	const json_t *c = json_object_get(rep, "concern"), *code, *p;
	const char *level = str(c, "level");
	int any_proto = json_is_null(json_object_get(json_object_get(rep, "query"), "protocol"));
	size_t i, j;

	if (level[0] == '\0' ||
	    (strcmp(level, "none") == 0 && json_array_size(json_object_get(c, "codes")) == 0))
		return;
	fprintf(out, "  %s%s%s\n", strcmp(level, "high") == 0 ? RED(o) : BOLD(o),
	        words_concern_title(o->t, level), RESET(o));
	json_array_foreach(json_object_get(c, "codes"), i, code)
	{
		fprintf(out, "    - %s", str(code, "words"));
		english_mark(out, o, code);
		if (any_proto && json_array_size(json_object_get(code, "protocols"))) {
			json_array_foreach(json_object_get(code, "protocols"), j, p)
			    fprintf(out, "%s%s", j ? ", " : " (", json_string_value(p));
			fputc(')', out);
		}
		if (json_array_size(json_object_get(code, "sources")) == 0 &&
		    json_is_integer(json_object_get(code, "source")))
			fprintf(out, " [%lld]", num(code, "source"));
		fputc('\n', out);
		json_array_foreach(json_object_get(code, "sources"), j, p)
		    fprintf(out, "%s        %s%s\n", DIM(o), json_string_value(p), RESET(o));
	}
}

/*
 * Why some listeners have no holder shown, worded from the report's
 * unseen_why in the reader's language; the report's note (English) for a
 * reason not known here.
 */
static void
listening_note(FILE *out, const struct render_opts *o, const json_t *l)
{
	const char *why = str(l, "unseen_why");
	char buf[512];

	if (render_unseen(o->t, why, 0, (unsigned long)num(l, "unseen"), num(l, "hidepid"), buf,
	                  sizeof(buf)) != NULL)
		fprintf(out, "  %s%s%s\n", DIM(o), buf, RESET(o));
	else if (str(l, "note")[0])
		fprintf(out, "  %s%s%s\n", DIM(o), str(l, "note"), RESET(o));
}

/* "On this machine now": present only when the caller asked the machine. */
static void
section_listening(FILE *out, const struct render_opts *o, const json_t *rep)
{
	const json_t *l = json_object_get(rep, "listening"), *s, *h, *f;
	size_t i, j;

	if (!json_is_object(l))
		return;
	heading(out, o, _(o->t, "On this machine now"));
	if (json_array_size(json_object_get(l, "listeners")) == 0)
		fprintf(out, "  %s\n", _(o->t, "nothing listens on this port here"));
	json_array_foreach(json_object_get(l, "listeners"), i, s)
	{
		int v6 = strcmp(str(s, "family"), "ipv6") == 0;
		/* As `portolan who` and ss write it: *:P for [::] that takes IPv4 too. */
		int dual = v6 && strcmp(str(s, "address"), "::") == 0 &&
		           json_is_false(json_object_get(s, "v6only"));

		fprintf(out, "  %-4s %s%s%s:%lld ", str(s, "proto"), v6 && !dual ? "[" : "",
		        dual ? "*" : str(s, "address"), v6 && !dual ? "]" : "", num(s, "port"));
		json_array_foreach(json_object_get(s, "holders"), j, h)
		    fprintf(out, "%s%s (pid %lld, %s)", j ? ", " : " ", str(h, "command"),
		            num(h, "pid"), str(h, "user"));
		if (json_array_size(json_object_get(s, "holders")) == 0)
			fprintf(out, " (%s)", _(o->t, "holder not visible"));
		json_array_foreach(json_object_get(s, "flags"), j, f)
		    fprintf(out, " %s!%s%s", RED(o), json_string_value(f), RESET(o));
		fputc('\n', out);
	}
	listening_note(out, o, l);
}

/* "Claimed in this organisation": present only when the caller read the claims (portolan claim). */
static void
section_claims(FILE *out, const struct render_opts *o, const json_t *rep)
{
	const json_t *c;
	/* The HTML claims table's column names, as the registry block's labels. */
	const char *const labels[] = {_(o->t, "Owner"), _(o->t, "Hosts"), _(o->t, "Contact")};
	size_t i, col = label_column(labels, sizeof(labels) / sizeof(labels[0]));

	if (json_array_size(json_object_get(rep, "claims")) == 0)
		return;
	heading(out, o, _(o->t, "Claimed in this organisation"));
	json_array_foreach(json_object_get(rep, "claims"), i, c)
	{
		fprintf(out, "  %-14s %s%s%s %s(%s, %s)%s\n", str(c, "port"), BOLD(o),
		        str(c, "service"), RESET(o), DIM(o), str(c, "by"), str(c, "at"), RESET(o));
		field(out, o, labels[0], col, str(c, "owner"));
		if (strcmp(str(c, "hosts"), "*") != 0)
			field(out, o, labels[1], col, str(c, "hosts"));
		field(out, o, labels[2], col, str(c, "contact"));
		if (str(c, "note")[0])
			fprintf(out, "       %s\n", str(c, "note"));
	}
}

static void
section_range(FILE *out, const struct render_opts *o, const json_t *rep)
{
	const json_t *range = json_object_get(rep, "range"), *c;
	const json_t *eph = json_object_get(range, "ephemeral");
	char lo[64], buf[512];
	struct words_sentence s = {.arg = {lo}, .n = 1};
	size_t i;

	if (!json_is_object(range))
		return;
	heading(out, o, _(o->t, "The range it belongs to"));
	json_array_foreach(json_object_get(range, "classes"), i, c)
	    fprintf(out, "  %s: %s\n", words_range_title(o->t, str(c, "name")), str(c, "meaning"));
	if (json_is_true(json_object_get(range, "privileged"))) {
		snprintf(lo, sizeof(lo), "%lld", num(range, "unprivileged_start"));
		s.tmpl = _(o->t, "Binding it needs privilege here (below %1$s).");
		words_fill(&s, buf, sizeof(buf));
		fprintf(out, "  %s\n", buf);
	}
	snprintf(lo, sizeof(lo), "%lld-%lld", num(eph, "lo"), num(eph, "hi"));
	s.tmpl = json_is_true(json_object_get(eph, "overlaps"))
	             ? _(o->t, "Inside this machine's ephemeral range %1$s.")
	             : _(o->t, "Outside this machine's ephemeral range %1$s.");
	words_fill(&s, buf, sizeof(buf));
	fprintf(out, "  %s %s(%s)%s\n", buf, DIM(o), str(eph, "source"), RESET(o));
	if (json_is_true(json_object_get(eph, "overlaps")))
		fprintf(out, "  %s\n",
		        _(o->t, "The kernel may hand it to an outgoing connection, so a "
		                "short-lived socket here need not be a server."));
}

static void
section_frequency(FILE *out, const struct render_opts *o, const json_t *rep)
{
	const json_t *f = json_object_get(rep, "frequency"), *p;
	char num[32], buf[512];
	struct words_sentence s = {.n = 3};
	size_t i;

	if (!json_is_object(f))
		return;
	heading(out, o, _(o->t, "How common"));
	fprintf(out, "  %s\n", str(f, "words"));
	/* TRANSLATORS: %1$s a protocol (tcp), %2$s a frequency (0.000038), %3$s nmap's name. */
	s.tmpl = _(o->t, "%1$s: %2$s open frequency in nmap-services (as \"%3$s\")");
	json_array_foreach(json_object_get(f, "per_protocol"), i, p)
	{
		snprintf(num, sizeof(num), "%.6f",
		         json_real_value(json_object_get(p, "open_frequency")));
		s.arg[0] = str(p, "protocol");
		s.arg[1] = num;
		s.arg[2] = str(p, "nmap_name");
		words_fill(&s, buf, sizeof(buf));
		fprintf(out, "  %s%s%s\n", DIM(o), buf, RESET(o));
	}
}

static void
section_other_names(FILE *out, const struct render_opts *o, const json_t *rep)
{
	const json_t *list = json_object_get(rep, "other_names"), *a;
	size_t i;

	if (json_array_size(list) == 0)
		return;
	heading(out, o, _(o->t, "In other databases"));
	json_array_foreach(list, i, a)
	{
		fprintf(out, "  %lld %-20s %-10s %s", num(a, "port"), str(a, "service"),
		        str(a, "protocols"), str(a, "database"));
		source_mark(out, o, rep, json_object_get(a, "source"));
		if (!json_is_true(json_object_get(a, "in_registry")))
			fprintf(out, "  %s(%s)%s", DIM(o),
			        _(o->t, "a name IANA does not list here"), RESET(o));
		fputc('\n', out);
	}
}

static void
section_siblings(FILE *out, const struct render_opts *o, const json_t *rep)
{
	const json_t *list = json_object_get(rep, "siblings"), *s;
	size_t i;

	if (json_array_size(list) == 0)
		return;
	heading(out, o, _(o->t, "Related ports"));
	json_array_foreach(list, i, s)
	{
		const char *rel = str(s, "relation");

		fprintf(out, "  %-6lld %-20s ", num(s, "port"), str(s, "service"));
		one_line(out, str(s, "description"));
		fprintf(out, " %s(%s)%s\n", DIM(o),
		        strcmp(rel, "same assignee") == 0      ? _(o->t, "same assignee")
		        : strcmp(rel, "same name family") == 0 ? _(o->t, "same name family")
		                                               : rel,
		        RESET(o));
	}
}

static void
sources_inline(FILE *out, const struct render_opts *o, const json_t *srcs)
{
	const json_t *s;
	size_t i;

	json_array_foreach(srcs, i, s)
	    fprintf(out, "%s    %s%s\n", DIM(o), json_string_value(s), RESET(o));
}

/* Why the headline says what it says: our line on what runs there, and its sources. */
static void
section_likely(FILE *out, const struct render_opts *o, const json_t *rep)
{
	const json_t *h = json_object_get(json_object_get(rep, "identity"), "headline");
	char title[128];

	if (!json_is_object(h))
		return;
	struct words_sentence s = {.arg = {str(h, "protocol")}, .n = 1};

	s.tmpl = _(o->t, "Most likely (%1$s)");
	words_fill(&s, title, sizeof(title));
	heading(out, o, title);
	fprintf(out, "  %s", str(h, "text"));
	english_mark(out, o, h);
	fprintf(out, "  %s[%lld]%s\n", DIM(o), num(h, "source"), RESET(o));
	sources_inline(out, o, json_object_get(h, "sources"));
}

static void
section_curated(FILE *out, const struct render_opts *o, const json_t *rep)
{
	const json_t *uses = json_object_get(rep, "uses"), *hist = json_object_get(rep, "history");
	const json_t *note = json_object_get(rep, "note"), *u;
	struct words_sentence s = {.n = 1};
	char buf[1024];
	size_t i;

	if (json_array_size(uses)) {
		heading(out, o, _(o->t, "Known unofficial uses"));
		json_array_foreach(uses, i, u)
		{
			fprintf(out, "  ");
			ports(out, o, u, "port_lo", "port_hi");
			fprintf(out, " %s  %s%s%s [%s]: %s", str(u, "protocols"), BOLD(o),
			        str(u, "who"), RESET(o), words_category(o->t, str(u, "category")),
			        str(u, "text"));
			english_mark(out, o, u);
			source_mark(out, o, rep, json_object_get(u, "source"));
			fputc('\n', out);
			sources_inline(out, o, json_object_get(u, "sources"));
		}
	}
	if (json_array_size(hist)) {
		heading(out, o, _(o->t, "History"));
		json_array_foreach(hist, i, u)
		{
			fprintf(out, "  %s%s%s", str(u, "date"), str(u, "date")[0] ? "  " : "",
			        str(u, "text"));
			if (str(u, "former")[0]) {
				s.tmpl = _(o->t, "Formerly: %1$s.");
				s.arg[0] = str(u, "former");
				words_fill(&s, buf, sizeof(buf));
				fprintf(out, " %s", buf);
			}
			english_mark(out, o, u);
			source_mark(out, o, rep, json_object_get(u, "source"));
			fputc('\n', out);
			sources_inline(out, o, json_object_get(u, "sources"));
		}
	}
	if (json_is_object(note)) {
		heading(out, o, str(note, "title"));
		if (strcmp(str(note, "lang"), "en") == 0 && strcmp(i18n_code(o->t), "en") != 0)
			fprintf(out, "  %s[%s]%s\n", DIM(o), _(o->t, "in English"), RESET(o));
		render_markdown_text(out, str(note, "markdown"), "  ", o);
		sources_inline(out, o, json_object_get(note, "sources"));
	}
}

/* Why the port matters, in words (words_why() via the report's "why"). */
static void
section_why(FILE *out, const struct render_opts *o, const json_t *rep)
{
	if (str(rep, "why")[0] == '\0')
		return;
	heading(out, o, _(o->t, "Why it matters"));
	fprintf(out, "  %s\n", str(rep, "why"));
}

static void
section_sources(FILE *out, const struct render_opts *o, const json_t *rep)
{
	const json_t *s, *snap = json_object_get(rep, "snapshot");
	char buf[512], n[32];
	size_t i;

	heading(out, o, _(o->t, "Sources"));
	json_array_foreach(json_object_get(rep, "sources"), i, s)
	{
		fprintf(out, "  [%zu] %s", i + 1, str(s, "name"));
		if (strcmp(str(s, "location"), str(s, "name")) != 0)
			fprintf(out, ", %s", str(s, "location"));
		if (str(s, "as_of")[0]) {
			struct words_sentence w = {.arg = {str(s, "as_of")}, .n = 1};

			w.tmpl = _(o->t, "as of %1$s");
			words_fill(&w, buf, sizeof(buf));
			fprintf(out, ", %s", buf);
		}
		if (json_is_false(json_object_get(s, "cited")))
			fprintf(out, " %s(%s)%s", DIM(o), _(o->t, "nothing here"), RESET(o));
		fputc('\n', out);
	}
	if (json_is_integer(json_object_get(snap, "age_days"))) {
		long long days = num(snap, "age_days");
		struct words_sentence w = {.arg = {n, str(snap, "refresh")}, .n = 2};

		snprintf(n, sizeof(n), "%lld", days);
		w.tmpl = i18n_ntext(o->t, "Registry snapshot is %1$s day old; refresh with `%2$s`.",
		                    "Registry snapshot is %1$s days old; refresh with `%2$s`.",
		                    (unsigned long)days);
		words_fill(&w, buf, sizeof(buf));
		fprintf(out, "  %s%s%s\n", DIM(o), buf, RESET(o));
	}
}

static void
text_report(FILE *out, const json_t *rep, const struct render_opts *o)
{
	if (!json_is_true(json_object_get(rep, "found"))) {
		const json_t *c =
		    json_array_get(json_object_get(json_object_get(rep, "range"), "classes"), 0);
		char buf[512];
		struct words_sentence w = {.arg = {str(json_object_get(rep, "query"), "text")},
		                           .n = 1};

		w.tmpl = _(o->t, "%1$s: nothing known");
		words_fill(&w, buf, sizeof(buf));
		fputs(buf, out);
		if (json_is_object(c))
			fprintf(out, " (%s: %s)", words_range_title(o->t, str(c, "name")),
			        str(c, "meaning"));
		fputc('\n', out);
		return;
	}
	section_header(out, o, rep);
	section_concern(out, o, rep);
	section_listening(out, o, rep);
	section_claims(out, o, rep);
	section_likely(out, o, rep);
	section_records(out, o, rep);
	section_curated(out, o, rep);
	section_why(out, o, rep);
	section_frequency(out, o, rep);
	section_other_names(out, o, rep);
	section_siblings(out, o, rep);
	section_range(out, o, rep);
	section_sources(out, o, rep);
}

static void
text_search(FILE *out, const json_t *res, const struct render_opts *o)
{
	const json_t *h;
	size_t i;
	char buf[1024];

	if (json_array_size(json_object_get(res, "hits")) == 0) {
		fprintf(out, "%s\n",
		        words_format(buf, sizeof(buf), _(o->t, "no match for \"%1$s\""),
		                     str(res, "query"), NULL, NULL));
		return;
	}
	json_array_foreach(json_object_get(res, "hits"), i, h)
	{
		/* The name the query matched, where the hit shows another (rdp: ms-wbt-server). */
		const json_t *m = json_array_get(json_object_get(h, "matches"), 0);

		fprintf(out, "%s", BOLD(o));
		ports(out, o, h, "port_lo", "port_hi");
		fprintf(out, "%s\t%-24s %s%s", RESET(o), str(h, "name"), DIM(o), str(h, "snippet"));
		if (m != NULL && strcmp(str(m, "kind"), "port") != 0 &&
		    strcasecmp(str(m, "name"), str(h, "name")) != 0)
			/* TRANSLATORS: %1$s the name the search words matched (rdp). */
			fprintf(out, " %s",
			        words_format(buf, sizeof(buf), _(o->t, "(as %1$s)"), str(m, "name"),
			                     NULL, NULL));
		fprintf(out, "%s\n", RESET(o));
	}
	if (strcmp(str(res, "match"), "any word") == 0)
		fprintf(out, "%s(%s)%s\n", DIM(o),
		        _(o->t, "no hit has every word; these have some"), RESET(o));
}

/* tmpl (its plural already chosen) with two numbers, on a line of its own. */
static void
numbers_line(FILE *out, const char *tmpl, long long a, long long b)
{
	char buf[1024], sa[32], sb[32];

	snprintf(sa, sizeof(sa), "%lld", a);
	snprintf(sb, sizeof(sb), "%lld", b);
	fprintf(out, "%s\n", words_format(buf, sizeof(buf), tmpl, sa, sb, NULL));
}

static void
text_free(FILE *out, const json_t *res, const struct render_opts *o)
{
	const json_t *range = json_object_get(res, "range"),
	             *eph = json_object_get(res, "ephemeral");
	const json_t *x = json_object_get(res, "excluded"), *p;
	const json_t *wide = json_object_get(res, "wide_unsourced");
	const struct {
		const char *key, *words;
	} why[] = {
	    {"assigned", _(o->t, "assigned by IANA")},
	    {"released", _(o->t, "released or withdrawn by IANA")},
	    {"reserved", _(o->t, "reserved by IANA")},
	    {"unauthorized", _(o->t, "with unauthorized use reported to IANA")},
	    {"other_databases", _(o->t, "named by other databases")},
	    {"curated", _(o->t, "with curated uses")},
	    {"ephemeral", _(o->t, "in the ephemeral range")},
	    {"bound_here", _(o->t, "bound on this machine")},
	    {"claimed", _(o->t, "claimed in this organisation (portolan claim)")},
	};
	char buf[1024], a[32], b[32], c[48];
	size_t i;

	snprintf(a, sizeof(a), "%lld", num(range, "lo"));
	snprintf(b, sizeof(b), "%lld", num(range, "hi"));
	fprintf(out, "%s%s", BOLD(o),
	        words_format(buf, sizeof(buf), _(o->t, "Quiet ports for a new service, %1$s-%2$s"),
	                     a, b, NULL));
	if (json_is_integer(json_object_get(res, "near"))) {
		snprintf(a, sizeof(a), "%lld", num(res, "near"));
		fprintf(out, ", %s",
		        words_format(buf, sizeof(buf), _(o->t, "near %1$s"), a, NULL, NULL));
	}
	fprintf(out, "%s\n", RESET(o));
	json_array_foreach(json_object_get(res, "ports"), i, p)
	{
		long long lo = num(p, "stretch_lo"), hi = num(p, "stretch_hi");

		fprintf(out, "  %-7lld %s", num(p, "port"), DIM(o));
		if (lo == hi)
			fputs(_(o->t, "a single quiet port between claimed ones"), out);
		else {
			snprintf(a, sizeof(a), "%lld", hi - lo + 1);
			snprintf(c, sizeof(c), "%lld-%lld", lo, hi);
			/* TRANSLATORS: %1$s how many ports (2 or more), %2$s them (6100-6120). */
			fputs(words_format(buf, sizeof(buf),
			                   N_(o->t, "in a stretch of %1$s quiet port, %2$s",
			                      "in a stretch of %1$s quiet ports, %2$s",
			                      (unsigned long)(hi - lo + 1)),
			                   a, c, NULL),
			      out);
		}
		fprintf(out, "%s\n", RESET(o));
	}
	if (json_array_size(json_object_get(res, "ports")) == 0)
		fprintf(out, "  %s\n", _(o->t, "no port in this range qualifies"));
	numbers_line(out,
	             N_(o->t,
	                "%1$s of %2$s port qualifies.  Left out, each for the first reason "
	                "that applies:",
	                "%1$s of %2$s ports qualify.  Left out, each for the first reason that "
	                "applies:",
	                (unsigned long)num(res, "considered")),
	             num(res, "qualifying"), num(res, "considered"));
	for (i = 0; i < sizeof(why) / sizeof(why[0]); i++) {
		if (strcmp(why[i].key, "bound_here") == 0 &&
		    !json_is_true(json_object_get(res, "machine_checked")))
			continue;
		fprintf(out, "  %7lld  %s", num(x, why[i].key), why[i].words);
		if (strcmp(why[i].key, "ephemeral") == 0)
			fprintf(out, " (%lld-%lld)", num(eph, "lo"), num(eph, "hi"));
		fputc('\n', out);
	}
	if (json_is_string(json_object_get(res, "machine_error")))
		fprintf(out, "%s\n",
		        words_format(buf, sizeof(buf),
		                     _(o->t, "This machine's sockets were not checked: %1$s"),
		                     str(res, "machine_error"), NULL, NULL));
	else if (!json_is_true(json_object_get(res, "machine_checked")))
		fprintf(out, "%s\n",
		        _(o->t, "This machine's sockets were not checked (--no-machine)."));
	if (num(wide, "ports") > 0)
		numbers_line(out,
		             N_(o->t,
		                "%1$s qualifying port lies under a curated claim wider than %2$s "
		                "ports\nthat cites no source: such a claim leaves no port out.",
		                "%1$s qualifying ports lie under a curated claim wider than %2$s "
		                "ports\nthat cites no source: such a claim leaves no port out.",
		                (unsigned long)num(wide, "ports")),
		             num(wide, "ports"), num(wide, "wider_than"));
	fprintf(out, "%s%s%s\n", DIM(o),
	        _(o->t, "`portolan PORT` tells everything known about one."), RESET(o));
}

/* Render v through fn into memory, then fold its lines to the width (wrap.c). */
static void
text_fitted(FILE *out, const json_t *v, const struct render_opts *o,
            void (*fn)(FILE *, const json_t *, const struct render_opts *))
{
	struct render_opts fit = *o;
	char *buf = NULL;
	size_t len = 0;
	FILE *mem;

	if (fit.width <= 0)
		fit.width = render_width(out);
	if ((mem = open_memstream(&buf, &len)) == NULL) {
		fn(out, v, &fit); /* out of memory: unfolded beats nothing */
		return;
	}
	fn(mem, v, &fit);
	fclose(mem);
	render_wrap(out, buf, len, fit.width);
	free(buf);
}

void
render_text_report(FILE *out, const json_t *rep, const struct render_opts *o)
{
	text_fitted(out, rep, o, text_report);
}

void
render_text_search(FILE *out, const json_t *res, const struct render_opts *o)
{
	text_fitted(out, res, o, text_search);
}

void
render_text_free(FILE *out, const json_t *res, const struct render_opts *o)
{
	text_fitted(out, res, o, text_free);
}
