/*
 * import_csv.c - IANA's CSV as a stream of records; see import_csv.h.
 *
 * The parser is a five-state RFC 4180 machine fed one byte at a time from
 * 64 KiB chunks.  It never looks ahead, so a chunk boundary can fall
 * anywhere (inside a quoted field, between the two quotes of a "" escape,
 * between CR and LF) without special cases, and memory is bounded by twelve
 * fields of at most IMPORT_CSV_FIELD_MAX bytes each.  A physical line is
 * bounded too, so a 100 MB line fails after the first MiB, not at the end.
 *
 * Why no library: Debian's libcsv would save the state machine (about sixty
 * lines) but reports neither the line a row starts on nor where a quote was
 * opened, which are what make an error message useful, and it would still
 * need the same bounds and the same field validation around it.
 *
 * Leniencies, each deliberate: a UTF-8 byte order mark at the start is
 * skipped; CRLF line ends are accepted (CR before LF inside a quoted field
 * is dropped, so multi-line text has the same form as from the XML); white
 * space after a closing quote is ignored; a blank line is skipped.  Strict
 * where it matters: a quote inside an unquoted field, text after a closing
 * quote, a missing or extra field are errors, never guesses.
 *
 * Field checks happen when a row is complete, so a message names the line
 * where the row starts; syntax errors name the line of the offending byte.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "../util/strbuf.h"
#include "../util/unicode.h"
#include "import_csv.h"

#define CSV_NCOLS 12
#define CSV_CHUNK (64u * 1024)

enum csv_col {
	COL_SERVICE,
	COL_PORT,
	COL_PROTOCOL,
	COL_DESCRIPTION,
	COL_ASSIGNEE,
	COL_CONTACT,
	COL_REGISTERED,
	COL_MODIFIED,
	COL_REFERENCE,
	COL_SERVICE_CODE,
	COL_UNAUTHORIZED,
	COL_NOTES,
};

static const char *const csv_columns[CSV_NCOLS] = {
    "Service Name", "Port Number",  "Transport Protocol",        "Description",
    "Assignee",     "Contact",      "Registration Date",         "Modification Date",
    "Reference",    "Service Code", "Unauthorized Use Reported", "Assignment Notes",
};

enum csv_state {
	CSV_FIELD_START, /* nothing of the current field seen yet */
	CSV_UNQUOTED,    /* inside a field that did not start with '"' */
	CSV_QUOTED,      /* inside "...", before any closing quote */
	CSV_QUOTE_SEEN,  /* a '"' in a quoted field: closes it, or escapes one */
	CSV_AFTER_QUOTE, /* white space after the closing quote */
};

struct csv_parser {
	const char *name;
	const struct reg_sink *sink;
	struct strbuf field[CSV_NCOLS];
	int nfields; /* fields completed in the current row */
	int quoted;  /* the current field started with '"' */
	enum csv_state state;
	int header_done;
	long line;         /* current physical line, from 1 */
	long row_line;     /* line where the current row started */
	long quote_line;   /* line where the open quoted field started */
	size_t line_bytes; /* bytes on the current physical line so far */
	size_t fed;        /* bytes fed so far, to spot the byte order mark */
	char latest[11];   /* newest date seen, "" when none */
};

static void
csv_init(struct csv_parser *p, const char *name, const struct reg_sink *sink)
{
	int i;

	memset(p, 0, sizeof(*p));
	p->name = name;
	p->sink = sink;
	p->line = 1;
	p->row_line = 1;
	for (i = 0; i < CSV_NCOLS; i++)
		strbuf_init(&p->field[i], IMPORT_CSV_FIELD_MAX);
}

static void
csv_free(struct csv_parser *p)
{
	int i;

	for (i = 0; i < CSV_NCOLS; i++)
		strbuf_free(&p->field[i]);
}

/* A syntax error at the current byte. */
static int
csv_syntax(struct csv_parser *p, struct err *e, const char *what)
{
	return err_set(e, "%s:%ld: %s: %s", p->name, p->line, csv_columns[p->nfields], what);
}

static int
csv_append(struct csv_parser *p, const char *data, size_t n, struct err *e)
{
	struct strbuf *f = &p->field[p->nfields];

	if (strbuf_append(f, data, n) == 0)
		return 0;
	if (f->len + n > f->limit)
		return err_set(e, "%s:%ld: %s: field longer than %u bytes", p->name, p->row_line,
		               csv_columns[p->nfields], IMPORT_CSV_FIELD_MAX);
	return err_internal(e, "%s:%ld: out of memory", p->name, p->row_line);
}

/*
 * Port checks.  Digits are accumulated with saturation at PORT_MAX + 1, so
 * "99999999999999999999" is "out of range", never an overflow.
 */
static const char *
csv_number(const char *s, long *v)
{
	if (*s < '0' || *s > '9')
		return NULL;
	for (*v = 0; *s >= '0' && *s <= '9'; s++) {
		*v = *v * 10 + (*s - '0');
		if (*v > PORT_MAX)
			*v = PORT_MAX + 1;
	}
	return s;
}

int
import_csv_port(const char *s, long *lo, long *hi, struct err *e)
{
	const char *p;

	*lo = *hi = PORT_NONE;
	if (*s == '\0')
		return 0;
	if ((p = csv_number(s, lo)) == NULL)
		return err_set(e, "\"%.40s\" is not a port number or range N-M", s);
	*hi = *lo;
	if (*p == '-' && (p = csv_number(p + 1, hi)) == NULL)
		return err_set(e, "\"%.40s\" is not a port number or range N-M", s);
	if (*p != '\0')
		return err_set(e, "\"%.40s\" is not a port number or range N-M", s);
	if (*lo > PORT_MAX || *hi > PORT_MAX)
		return err_set(e, "\"%.40s\" is out of range 0-%d", s, PORT_MAX);
	if (*lo > *hi)
		return err_set(e, "range \"%s\" is reversed (%ld > %ld)", s, *lo, *hi);
	return 0;
}

int
import_csv_protocol(const char *s, struct err *e)
{
	static const char *const known[] = {"", "tcp", "udp", "sctp", "dccp"};
	size_t i;

	for (i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (strcmp(s, known[i]) == 0)
			return 0;
	return err_set(e, "\"%.40s\" is not tcp, udp, sctp or dccp", s);
}

/* n digits at s, as a number; -1 when any is not a digit. */
static int
csv_digits(const char *s, int n)
{
	int v = 0;

	for (; n > 0; n--, s++) {
		if (*s < '0' || *s > '9')
			return -1;
		v = v * 10 + (*s - '0');
	}
	return v;
}

int
import_csv_date(const char *s, struct err *e)
{
	size_t n = strlen(s);
	int month, day = 1;

	if (n == 0)
		return 0;
	if ((n != 7 && n != 10) || csv_digits(s, 4) < 0 || s[4] != '-' || (n == 10 && s[7] != '-'))
		return err_set(e, "\"%.40s\" is not a date YYYY-MM or YYYY-MM-DD", s);
	month = csv_digits(s + 5, 2);
	if (n == 10)
		day = csv_digits(s + 8, 2);
	if (month < 1 || month > 12 || day < 1 || day > 31)
		return err_set(e, "\"%.40s\" is not a date YYYY-MM or YYYY-MM-DD", s);
	return 0;
}

/* Trim, then check one field's encoding; the offset is into the untrimmed text. */
static int
csv_check_utf8(struct csv_parser *p, int col, struct err *e)
{
	struct strbuf *f = &p->field[col];
	const uint8_t *bad;

	bad = unicode_check((const uint8_t *)f->buf, f->len);
	if (bad != NULL)
		return err_set(e, "%s:%ld: %s: invalid UTF-8 at byte %zu of the field", p->name,
		               p->row_line, csv_columns[col],
		               (size_t)(bad - (const uint8_t *)f->buf));
	strbuf_trim(f);
	return 0;
}

static int
csv_header(struct csv_parser *p, struct err *e)
{
	int i;

	for (i = 0; i < CSV_NCOLS; i++)
		if (strcmp(p->field[i].buf, csv_columns[i]) != 0)
			return err_set(
			    e, "%s:%ld: header column %d: expected \"%s\", found \"%.60s\"",
			    p->name, p->row_line, i + 1, csv_columns[i], p->field[i].buf);
	p->header_done = 1;
	return 0;
}

/* Remember the newest date; dates are checked, so string order is date order. */
static void
csv_note_date(struct csv_parser *p, const char *date)
{
	if (strcmp(date, p->latest) > 0)
		snprintf(p->latest, sizeof(p->latest), "%s", date);
}

static int
csv_check_field(struct csv_parser *p, int col, int (*check)(const char *, struct err *),
                struct err *e)
{
	if (check(p->field[col].buf, e) == -1) {
		err_prefix(e, "%s:%ld: %s: ", p->name, p->row_line, csv_columns[col]);
		return -1;
	}
	return 0;
}

static int
csv_record(struct csv_parser *p, struct err *e)
{
	struct reg_record r;

	if (import_csv_port(p->field[COL_PORT].buf, &r.port_lo, &r.port_hi, e) == -1) {
		err_prefix(e, "%s:%ld: %s: ", p->name, p->row_line, csv_columns[COL_PORT]);
		return -1;
	}
	if (csv_check_field(p, COL_PROTOCOL, import_csv_protocol, e) == -1 ||
	    csv_check_field(p, COL_REGISTERED, import_csv_date, e) == -1 ||
	    csv_check_field(p, COL_MODIFIED, import_csv_date, e) == -1)
		return -1;
	csv_note_date(p, p->field[COL_REGISTERED].buf);
	csv_note_date(p, p->field[COL_MODIFIED].buf);
	r.service = p->field[COL_SERVICE].buf;
	r.protocol = p->field[COL_PROTOCOL].buf;
	r.description = p->field[COL_DESCRIPTION].buf;
	r.assignee = p->field[COL_ASSIGNEE].buf;
	r.contact = p->field[COL_CONTACT].buf;
	r.registered = p->field[COL_REGISTERED].buf;
	r.modified = p->field[COL_MODIFIED].buf;
	r.reference = p->field[COL_REFERENCE].buf;
	r.service_code = p->field[COL_SERVICE_CODE].buf;
	r.unauthorized = p->field[COL_UNAUTHORIZED].buf;
	r.notes = p->field[COL_NOTES].buf;
	r.line = p->row_line;
	if (p->sink->record != NULL && p->sink->record(p->sink->ctx, &r, e) == -1) {
		err_prefix(e, "%s:%ld: ", p->name, p->row_line);
		return -1;
	}
	return 0;
}

static void
csv_next_field(struct csv_parser *p)
{
	p->state = CSV_FIELD_START;
	p->quoted = 0;
}

static int
csv_end_field(struct csv_parser *p, struct err *e)
{
	if (p->nfields + 1 == CSV_NCOLS)
		return err_set(e, "%s:%ld: row has more than %d fields (a ',' after %s)", p->name,
		               p->line, CSV_NCOLS, csv_columns[CSV_NCOLS - 1]);
	p->nfields++;
	csv_next_field(p);
	return 0;
}

static void
csv_reset_row(struct csv_parser *p, long next_line)
{
	int i;

	for (i = 0; i < CSV_NCOLS; i++)
		strbuf_reset(&p->field[i]);
	p->nfields = 0;
	p->row_line = next_line;
	csv_next_field(p);
}

static int
csv_end_row(struct csv_parser *p, struct err *e)
{
	int i, n = p->nfields + 1;

	if (n == 1 && !p->quoted) {
		strbuf_trim(&p->field[0]);
		if (p->field[0].len == 0) { /* blank line */
			csv_reset_row(p, p->line + 1);
			return 0;
		}
	}
	if (n != CSV_NCOLS)
		return err_set(e, "%s:%ld: %s: missing (the %s has %d fields, expected %d)",
		               p->name, p->row_line, csv_columns[n],
		               p->header_done ? "row" : "header", n, CSV_NCOLS);
	for (i = 0; i < CSV_NCOLS; i++)
		if (csv_check_utf8(p, i, e) == -1)
			return -1;
	if ((p->header_done ? csv_record(p, e) : csv_header(p, e)) == -1)
		return -1;
	csv_reset_row(p, p->line + 1);
	return 0;
}

/* Bytes that need no decision in the current state, from data on. */
static size_t
csv_plain_run(const struct csv_parser *p, const char *data, size_t len)
{
	size_t n;

	for (n = 0; n < len; n++) {
		char c = data[n];

		if (c == '\n' || c == '"' || (c == ',' && p->state == CSV_UNQUOTED))
			break;
	}
	return n;
}

static int
csv_byte(struct csv_parser *p, char c, struct err *e)
{
	switch (p->state) {
	case CSV_FIELD_START:
		if (c == '"') {
			p->state = CSV_QUOTED;
			p->quoted = 1;
			p->quote_line = p->line;
			return 0;
		}
		p->state = CSV_UNQUOTED;
		/* FALLTHROUGH */
	case CSV_UNQUOTED:
		if (c == ',')
			return csv_end_field(p, e);
		if (c == '\n')
			return csv_end_row(p, e);
		if (c == '"')
			return csv_syntax(p, e, "'\"' inside an unquoted field");
		return csv_append(p, &c, 1, e);
	case CSV_QUOTED:
		if (c == '"') {
			p->state = CSV_QUOTE_SEEN;
			return 0;
		}
		if (c == '\n' && p->field[p->nfields].len > 0 &&
		    p->field[p->nfields].buf[p->field[p->nfields].len - 1] == '\r')
			p->field[p->nfields].buf[--p->field[p->nfields].len] = '\0';
		return csv_append(p, &c, 1, e);
	case CSV_QUOTE_SEEN:
		if (c == '"') {
			p->state = CSV_QUOTED;
			return csv_append(p, &c, 1, e);
		}
		/* FALLTHROUGH */
	case CSV_AFTER_QUOTE:
		if (c == ',')
			return csv_end_field(p, e);
		if (c == '\n')
			return csv_end_row(p, e);
		if (c == ' ' || c == '\t' || c == '\r') {
			p->state = CSV_AFTER_QUOTE;
			return 0;
		}
		return csv_syntax(p, e, "text after the closing '\"' (write a quote as \"\")");
	}
	return err_internal(e, "%s:%ld: CSV parser in an impossible state", p->name, p->line);
}

static int
csv_feed(struct csv_parser *p, const char *data, size_t len, struct err *e)
{
	size_t i, run;

	if (p->fed == 0 && len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0) {
		data += 3;
		len -= 3;
	}
	p->fed += len;
	for (i = 0; i < len; i++) {
		if (data[i] == '\n') {
			if (csv_byte(p, data[i], e) == -1)
				return -1;
			p->line++;
			p->line_bytes = 0;
			continue;
		}
		/* A run of ordinary bytes goes into the field in one append. */
		if (p->state == CSV_FIELD_START && data[i] != '"')
			p->state = CSV_UNQUOTED;
		/* Never scan further than the line may reach: fail fast. */
		run = 0;
		if (p->state == CSV_UNQUOTED || p->state == CSV_QUOTED) {
			run = len - i;
			if (run > IMPORT_CSV_FIELD_MAX + 1 - p->line_bytes)
				run = IMPORT_CSV_FIELD_MAX + 1 - p->line_bytes;
			run = csv_plain_run(p, data + i, run);
		}
		if (p->line_bytes + (run ? run : 1) > IMPORT_CSV_FIELD_MAX)
			return err_set(e, "%s:%ld: line longer than %u bytes", p->name, p->line,
			               IMPORT_CSV_FIELD_MAX);
		if (run > 0) {
			if (csv_append(p, data + i, run, e) == -1)
				return -1;
			p->line_bytes += run;
			i += run - 1;
			continue;
		}
		if (csv_byte(p, data[i], e) == -1)
			return -1;
		p->line_bytes++;
	}
	return 0;
}

static int
csv_finish(struct csv_parser *p, struct err *e)
{
	if (p->state == CSV_QUOTED)
		return err_set(e, "%s:%ld: %s: quoted field is never closed (end of file)", p->name,
		               p->quote_line, csv_columns[p->nfields]);
	if (p->state != CSV_FIELD_START || p->nfields > 0)
		if (csv_end_row(p, e) == -1) /* last row without a newline */
			return -1;
	if (!p->header_done)
		return err_set(e, "%s: empty file, expected IANA's CSV header", p->name);
	if (p->latest[0] != '\0' && p->sink->meta != NULL &&
	    p->sink->meta(p->sink->ctx, "latest_registration", p->latest, e) == -1) {
		err_prefix(e, "%s: ", p->name);
		return -1;
	}
	return 0;
}

int
import_csv_buffer(const char *data, size_t len, const char *name, const struct reg_sink *sink,
                  struct err *e)
{
	struct csv_parser p;
	int rc;

	csv_init(&p, name, sink);
	rc = csv_feed(&p, data, len, e) == -1 ? -1 : csv_finish(&p, e);
	csv_free(&p);
	return rc;
}

int
import_csv_file(const char *path, const struct reg_sink *sink, struct err *e)
{
	struct csv_parser p;
	char buf[CSV_CHUNK];
	size_t n;
	FILE *fp;
	int rc = -1;

	if ((fp = fopen(path, "rb")) == NULL)
		return err_set(e, "%s: %s", path, strerror(errno));
	csv_init(&p, path, sink);
	while ((n = fread(buf, 1, sizeof(buf), fp)) > 0)
		if (csv_feed(&p, buf, n, e) == -1)
			goto out;
	if (ferror(fp)) {
		err_internal(e, "%s: read error", path);
		goto out;
	}
	rc = csv_finish(&p, e);
out:
	csv_free(&p);
	fclose(fp);
	return rc;
}
