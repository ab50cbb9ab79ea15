/*
 * import_xml.c - IANA's registry XML to sink calls, with expat.
 *
 * The parser is a stack machine over expat's callbacks.  Each open element
 * pushes a frame saying what its children mean (the "context": inside a
 * <record>, inside a text field, inside an <xref>...), where its character
 * data goes (a field buffer, or nowhere) and what to do when it closes
 * (emit a record, a person, a footnote, a meta fact, render an xref).
 * Context, not element names alone, decides meaning: <name> is a service
 * name in a <record> and a person's name in a <person>; an <xref> is the
 * contact at record level and an inline citation inside a <note>.
 *
 * All field buffers live in one struct and are reset, not freed, between
 * records, so a 14,533-record import allocates a few dozen times in total.
 * Each buffer has strbuf's limit, which bounds every text and attribute we
 * keep; expat bounds the rest (and we refuse DTDs, the one place where
 * expansion could outgrow the input).  Stack frames are a fixed array:
 * elements nested deeper than IX_MAXDEPTH are counted and ignored, since
 * nothing IANA writes is more than five levels deep.
 *
 * Trade-off: validation happens when a record closes, so a bad <number>
 * is reported after its siblings were read; the message still names the
 * line where <number> opened.  Errors stop expat with XML_StopParser and
 * every handler checks ix->failed first, because expat may still deliver
 * buffered events after a stop.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <expat.h>

#include "../util/strbuf.h"
#include "import_csv.h"
#include "import_xml.h"

#define IX_CHUNK    (64 * 1024) /* read size: expat's sweet spot is tens of KiB */
#define IX_MAXDEPTH 32

/* What the children of an element mean. */
enum ix_ctx {
	IX_IGNORE,   /* drop children and text */
	IX_ROOT,     /* before the document element */
	IX_REGISTRY, /* <registry> */
	IX_PEOPLE,   /* <people> */
	IX_PERSON,   /* <person> */
	IX_RECORD,   /* <record> */
	IX_ASSIGNEE, /* <assignee> in a record */
	IX_TEXT,     /* a text field: text kept, xrefs rendered in place */
	IX_XREF,     /* an <xref>: text kept for uri/text xrefs */
};

/* What to do when an element closes. */
enum ix_end { END_NONE, END_RECORD, END_PERSON, END_FOOTNOTE, END_META, END_XREF };

enum ix_rfield {
	R_NAME,
	R_PROTOCOL,
	R_DESCRIPTION,
	R_NUMBER,
	R_NOTE,
	R_UNAUTH,
	R_SC,
	R_ASSIGNEE,
	R_CONTACT,
	R_REFERENCE,
	R_DATE,
	R_UPDATED,
	R_NFIELDS
};

enum ix_pfield { P_ID, P_NAME, P_ORG, P_URI, P_UPDATED, P_NFIELDS };

enum ix_xtype { X_OTHER, X_PERSON, X_RFC, X_DRAFT, X_URI, X_TEXT, X_NOTE };

/* Element names of the text fields, indexed like the field enums. */
static const char *const ix_rnames[R_NFIELDS] = {
    "name", "protocol", "description", "number", "note", "unauthorized",
    "sc",   "assignee", "xref",        "xref",   "date", "updated",
};
static const char *const ix_pnames[P_NFIELDS] = {"id", "name", "org", "uri", "updated"};

struct ix_frame {
	enum ix_ctx ctx;
	enum ix_end end;
	struct strbuf *text; /* where character data goes; NULL drops it */
	struct strbuf *dest; /* END_XREF: where the rendering goes */
	const char *field;   /* names text for messages ("<note>") */
	enum ix_xtype xtype; /* END_XREF: the xref's type */
};

struct ix {
	XML_Parser p;
	const char *name; /* file name for messages */
	const struct reg_sink *sink;
	struct err *e;
	int failed;
	size_t depth;
	size_t overflow; /* open elements beyond IX_MAXDEPTH */
	struct ix_frame stack[IX_MAXDEPTH];
	struct strbuf rec[R_NFIELDS];
	long rec_line[R_NFIELDS]; /* where <number> and <protocol> opened, for their errors */
	unsigned rec_seen;        /* bit per field present */
	long rec_start;
	struct strbuf per[P_NFIELDS];
	unsigned per_seen;
	struct strbuf fn_anchor, fn_text;
	struct strbuf meta;
	struct strbuf xref_data, xref_text;
};

static long
ix_line(const struct ix *ix)
{
	return (long)XML_GetCurrentLineNumber(ix->p);
}

/* Record a failure (message already in ix->e) and stop expat. */
static void
ix_stop(struct ix *ix)
{
	ix->failed = 1;
	XML_StopParser(ix->p, XML_FALSE);
}

/* Append, or fail the import naming the field.  Returns 0 or -1. */
static int
ix_append(struct ix *ix, struct strbuf *sb, const char *field, const char *s, size_t n)
{
	if (strbuf_append(sb, s, n) == 0)
		return 0;
	if (n > sb->limit - sb->len)
		err_set(ix->e, "%s:%ld: <%s>: text longer than %zu bytes", ix->name, ix_line(ix),
		        field, sb->limit);
	else
		err_internal(ix->e, "%s:%ld: <%s>: out of memory", ix->name, ix_line(ix), field);
	ix_stop(ix);
	return -1;
}

static const char *
ix_attr(const XML_Char **attr, const char *key)
{
	for (; attr[0] != NULL; attr += 2)
		if (strcmp(attr[0], key) == 0)
			return attr[1];
	return NULL;
}

/* Copy attribute key into sb (reset first); absent gives "". */
static int
ix_copy_attr(struct ix *ix, struct strbuf *sb, const XML_Char **attr, const char *key)
{
	const char *v = ix_attr(attr, key);

	strbuf_reset(sb);
	if (v == NULL)
		return 0;
	if (ix_append(ix, sb, key, v, strlen(v)) == -1)
		return -1;
	strbuf_trim(sb);
	return 0;
}

/*
 * Tidy a text for the sink as IANA's CSV export does: a line that ends in
 * white space and is followed by an indented one is joined to it with one
 * space ("for \n      \"RadSec\"" becomes "for \"RadSec\""); every other
 * newline stays, with its indentation; both ends are trimmed.
 */
static void
ix_tidy(struct strbuf *sb)
{
	char *s = sb->buf, *end = sb->buf + sb->len, *w = s, *q;

	if (memchr(s, '\n', sb->len) != NULL) {
		while (s < end) {
			if (*s == ' ' || *s == '\t') {
				for (q = s; q < end && (*q == ' ' || *q == '\t'); q++)
					;
				if (q + 1 < end && *q == '\n' && (q[1] == ' ' || q[1] == '\t')) {
					for (q++; q < end && (*q == ' ' || *q == '\t'); q++)
						;
					*w++ = ' ';
					s = q;
					continue;
				}
			}
			*w++ = *s++;
		}
		sb->len = (size_t)(w - sb->buf);
		if (sb->cap)
			sb->buf[sb->len] = '\0';
	}
	strbuf_trim(sb);
}

static int
ix_record_start(struct ix *ix, const XML_Char **attr)
{
	size_t i;

	for (i = 0; i < R_NFIELDS; i++)
		strbuf_reset(&ix->rec[i]);
	ix->rec_seen = 0;
	ix->rec_start = ix_line(ix);
	if (ix_copy_attr(ix, &ix->rec[R_DATE], attr, "date") == -1 ||
	    ix_copy_attr(ix, &ix->rec[R_UPDATED], attr, "updated") == -1)
		return -1;
	for (i = R_DATE; i <= R_UPDATED; i++) {
		if (import_csv_date(ix->rec[i].buf, ix->e) == -1) {
			err_prefix(ix->e, "%s:%ld: <record %s=>: ", ix->name, ix->rec_start,
			           ix_rnames[i]);
			ix_stop(ix);
			return -1;
		}
	}
	return 0;
}

static int
ix_person_start(struct ix *ix, const XML_Char **attr)
{
	size_t i;

	for (i = 0; i < P_NFIELDS; i++)
		strbuf_reset(&ix->per[i]);
	ix->per_seen = 0;
	if (ix_copy_attr(ix, &ix->per[P_ID], attr, "id") == -1)
		return -1;
	if (ix->per[P_ID].len == 0) {
		err_set(ix->e, "%s:%ld: <person>: missing id attribute", ix->name, ix_line(ix));
		ix_stop(ix);
		return -1;
	}
	return 0;
}

static int
ix_footnote_start(struct ix *ix, const XML_Char **attr)
{
	strbuf_reset(&ix->fn_text);
	if (ix_copy_attr(ix, &ix->fn_anchor, attr, "anchor") == -1)
		return -1;
	if (ix->fn_anchor.len == 0) {
		err_set(ix->e, "%s:%ld: <footnote>: missing anchor attribute", ix->name,
		        ix_line(ix));
		ix_stop(ix);
		return -1;
	}
	return 0;
}

static enum ix_xtype
ix_xtype(const char *type)
{
	static const struct {
		const char *name;
		enum ix_xtype type;
	} types[] = {{"person", X_PERSON}, {"rfc", X_RFC},   {"draft", X_DRAFT},
	             {"uri", X_URI},       {"text", X_TEXT}, {"note", X_NOTE}};
	size_t i;

	for (i = 0; type != NULL && i < sizeof(types) / sizeof(types[0]); i++)
		if (strcmp(type, types[i].name) == 0)
			return types[i].type;
	return X_OTHER;
}

/* Open an <xref>: remember its type and data, collect its text. */
static int
ix_xref_start(struct ix *ix, struct ix_frame *f, const XML_Char **attr)
{
	f->ctx = IX_XREF;
	f->end = END_XREF;
	f->xtype = ix_xtype(ix_attr(attr, "type"));
	f->text = &ix->xref_text;
	f->field = "xref";
	strbuf_reset(&ix->xref_text);
	return ix_copy_attr(ix, &ix->xref_data, attr, "data");
}

/* A text field of a record or person: one per element, a second is an error. */
static int
ix_field_start(struct ix *ix, struct ix_frame *f, struct strbuf *sb, unsigned *seen, unsigned bit,
               const char *field)
{
	if (*seen & (1u << bit)) {
		err_set(ix->e, "%s:%ld: <%s>: appears twice", ix->name, ix_line(ix), field);
		ix_stop(ix);
		return -1;
	}
	*seen |= 1u << bit;
	f->ctx = IX_TEXT;
	f->text = sb;
	f->field = field;
	return 0;
}

static int
ix_find(const char *const *names, size_t n, const char *el)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(names[i], el) == 0)
			return (int)i;
	return -1;
}

static int
ix_in_record(struct ix *ix, struct ix_frame *f, const char *el, const XML_Char **attr)
{
	int i;

	if (strcmp(el, "xref") == 0) {
		if (ix_xref_start(ix, f, attr) == -1)
			return -1;
		f->dest = f->xtype == X_PERSON ? &ix->rec[R_CONTACT] : &ix->rec[R_REFERENCE];
		return 0;
	}
	if (strcmp(el, "assignee") == 0) {
		ix->rec_seen |= 1u << R_ASSIGNEE;
		f->ctx = IX_ASSIGNEE;
		return 0;
	}
	i = ix_find(ix_rnames, R_SC + 1, el);
	if (i < 0)
		return 0; /* unknown: ignored, for the registry's future fields */
	/* Only these two are checked after the record ends; the position is not free. */
	if (i == R_NUMBER || i == R_PROTOCOL)
		ix->rec_line[i] = ix_line(ix);
	return ix_field_start(ix, f, &ix->rec[i], &ix->rec_seen, (unsigned)i, ix_rnames[i]);
}

static int
ix_in_person(struct ix *ix, struct ix_frame *f, const char *el)
{
	int i = ix_find(ix_pnames, P_NFIELDS, el);

	if (i <= P_ID)
		return 0;
	/* Seven people carry two <uri>s; the model holds one: the first wins. */
	if (i == P_URI && (ix->per_seen & (1u << P_URI)))
		return 0;
	return ix_field_start(ix, f, &ix->per[i], &ix->per_seen, (unsigned)i, ix_pnames[i]);
}

static int
ix_in_registry(struct ix *ix, struct ix_frame *f, const char *el, const XML_Char **attr)
{
	if (strcmp(el, "record") == 0) {
		f->ctx = IX_RECORD;
		f->end = END_RECORD;
		return ix_record_start(ix, attr);
	}
	if (strcmp(el, "people") == 0) {
		f->ctx = IX_PEOPLE;
		return 0;
	}
	if (strcmp(el, "footnote") == 0) {
		f->ctx = IX_TEXT;
		f->end = END_FOOTNOTE;
		f->text = &ix->fn_text;
		f->field = "footnote";
		return ix_footnote_start(ix, attr);
	}
	if (strcmp(el, "title") == 0 || strcmp(el, "updated") == 0) {
		f->ctx = IX_TEXT;
		f->end = END_META;
		f->text = &ix->meta;
		f->field = strcmp(el, "title") == 0 ? "title" : "updated";
		strbuf_reset(&ix->meta);
	}
	return 0;
}

/* Fill frame f for element el whose parent frame is parent. */
static int
ix_open(struct ix *ix, const struct ix_frame *parent, struct ix_frame *f, const char *el,
        const XML_Char **attr)
{
	memset(f, 0, sizeof(*f));
	f->ctx = IX_IGNORE;
	switch (parent->ctx) {
	case IX_ROOT:
		if (strcmp(el, "registry") != 0) {
			err_set(ix->e,
			        "%s:%ld: <%.40s>: not an IANA registry (expected <registry>)",
			        ix->name, ix_line(ix), el);
			ix_stop(ix);
			return -1;
		}
		f->ctx = IX_REGISTRY;
		return 0;
	case IX_REGISTRY:
		return ix_in_registry(ix, f, el, attr);
	case IX_PEOPLE:
		if (strcmp(el, "person") != 0)
			return 0;
		f->ctx = IX_PERSON;
		f->end = END_PERSON;
		return ix_person_start(ix, attr);
	case IX_PERSON:
		return ix_in_person(ix, f, el);
	case IX_RECORD:
		return ix_in_record(ix, f, el, attr);
	case IX_ASSIGNEE:
		if (strcmp(el, "xref") != 0)
			return 0;
		if (ix_xref_start(ix, f, attr) == -1)
			return -1;
		f->dest = &ix->rec[R_ASSIGNEE];
		return 0;
	case IX_TEXT:
		if (strcmp(el, "xref") == 0) {
			if (ix_xref_start(ix, f, attr) == -1)
				return -1;
			f->dest = parent->text;
			f->field = parent->field;
			return 0;
		}
		/* Inline markup (<br/>, <paragraph>): transparent. */
		*f = *parent;
		f->end = END_NONE;
		return 0;
	case IX_XREF:
		if (strcmp(el, "xref") == 0)
			return 0; /* an xref in an xref has no meaning: dropped */
		*f = *parent;
		f->end = END_NONE;
		return 0;
	case IX_IGNORE:
		return 0;
	}
	return 0;
}

static void XMLCALL
ix_on_start(void *ud, const XML_Char *el, const XML_Char **attr)
{
	static const struct ix_frame root = {.ctx = IX_ROOT};
	struct ix *ix = ud;
	const struct ix_frame *parent;

	if (ix->failed)
		return;
	if (ix->overflow > 0 || ix->depth == IX_MAXDEPTH) {
		ix->overflow++;
		return;
	}
	parent = ix->depth == 0 ? &root : &ix->stack[ix->depth - 1];
	if (ix_open(ix, parent, &ix->stack[ix->depth], el, attr) == -1)
		return;
	ix->depth++;
}

static void XMLCALL
ix_on_text(void *ud, const XML_Char *s, int len)
{
	struct ix *ix = ud;
	struct ix_frame *f;

	if (ix->failed || ix->overflow > 0 || ix->depth == 0 || len <= 0)
		return;
	f = &ix->stack[ix->depth - 1];
	if (f->text != NULL)
		ix_append(ix, f->text, f->field, s, (size_t)len);
}

/* Render an xref as the CSV does, "[RFC3501]", into its destination. */
static int
ix_xref_end(struct ix *ix, const struct ix_frame *f)
{
	struct strbuf *body = &ix->xref_data;
	size_t i;

	ix_tidy(&ix->xref_text);
	if (f->xtype == X_RFC)
		for (i = 0; i < body->len; i++)
			if (body->buf[i] >= 'a' && body->buf[i] <= 'z')
				body->buf[i] = (char)(body->buf[i] - 'a' + 'A');
	/* An xref with text cites by it ("RFC8765, Section 6.1"), else by data. */
	if (ix->xref_text.len > 0)
		body = &ix->xref_text;
	if (body->len == 0)
		return 0;
	if (ix_append(ix, f->dest, f->field, "[", 1) == -1 ||
	    ix_append(ix, f->dest, f->field, body->buf, body->len) == -1 ||
	    ix_append(ix, f->dest, f->field, "]", 1) == -1)
		return -1;
	return 0;
}

/* A sink's refusal keeps its message, placed at the element it refused. */
static int
ix_sink_status(struct ix *ix, int rc, long line)
{
	if (rc == 0)
		return 0;
	err_prefix(ix->e, "%s:%ld: ", ix->name, line);
	return -1;
}

/* Check <number> and <protocol> with the CSV importer's rules, so both
 * sources accept exactly the same registry. */
static int
ix_check(struct ix *ix, long *lo, long *hi)
{
	struct strbuf *proto = &ix->rec[R_PROTOCOL];
	size_t i;

	if (import_csv_port(ix->rec[R_NUMBER].buf, lo, hi, ix->e) == -1) {
		err_prefix(ix->e, "%s:%ld: <number>: ", ix->name, ix->rec_line[R_NUMBER]);
		return -1;
	}
	/* The protocol is matched case-insensitively and handed on in lower case. */
	for (i = 0; i < proto->len; i++)
		if (proto->buf[i] >= 'A' && proto->buf[i] <= 'Z')
			proto->buf[i] = (char)(proto->buf[i] - 'A' + 'a');
	if (import_csv_protocol(proto->buf, ix->e) == -1) {
		err_prefix(ix->e, "%s:%ld: <protocol>: ", ix->name, ix->rec_line[R_PROTOCOL]);
		return -1;
	}
	return 0;
}

static int
ix_record_end(struct ix *ix)
{
	struct reg_record r;
	const struct strbuf *rf = ix->rec;
	size_t i;

	for (i = 0; i < R_NFIELDS; i++)
		ix_tidy(&ix->rec[i]);
	if (ix_check(ix, &r.port_lo, &r.port_hi) == -1)
		return -1;
	if (ix->sink->record == NULL)
		return 0;
	r.service = rf[R_NAME].buf;
	r.protocol = rf[R_PROTOCOL].buf;
	r.description = rf[R_DESCRIPTION].buf;
	/* Without <assignee>, IANA's CSV repeats the contact as assignee. */
	r.assignee = ix->rec_seen & (1u << R_ASSIGNEE) ? rf[R_ASSIGNEE].buf : rf[R_CONTACT].buf;
	r.contact = rf[R_CONTACT].buf;
	r.registered = rf[R_DATE].buf;
	r.modified = rf[R_UPDATED].buf;
	r.reference = rf[R_REFERENCE].buf;
	r.service_code = rf[R_SC].buf;
	r.unauthorized = rf[R_UNAUTH].buf;
	r.notes = rf[R_NOTE].buf;
	r.line = ix->rec_start;
	return ix_sink_status(ix, ix->sink->record(ix->sink->ctx, &r, ix->e), ix->rec_start);
}

static int
ix_person_end(struct ix *ix)
{
	struct reg_person p;
	size_t i;

	if (ix->sink->person == NULL)
		return 0;
	for (i = 0; i < P_NFIELDS; i++)
		ix_tidy(&ix->per[i]);
	p.id = ix->per[P_ID].buf;
	p.name = ix->per[P_NAME].buf;
	p.org = ix->per[P_ORG].buf;
	p.uri = ix->per[P_URI].buf;
	p.updated = ix->per[P_UPDATED].buf;
	return ix_sink_status(ix, ix->sink->person(ix->sink->ctx, &p, ix->e), ix_line(ix));
}

static int
ix_footnote_end(struct ix *ix)
{
	struct reg_footnote fn;

	if (ix->sink->footnote == NULL)
		return 0;
	ix_tidy(&ix->fn_text);
	fn.anchor = ix->fn_anchor.buf;
	fn.text = ix->fn_text.buf;
	return ix_sink_status(ix, ix->sink->footnote(ix->sink->ctx, &fn, ix->e), ix_line(ix));
}

static int
ix_close(struct ix *ix, const struct ix_frame *f)
{
	switch (f->end) {
	case END_NONE:
		return 0;
	case END_RECORD:
		return ix_record_end(ix);
	case END_PERSON:
		return ix_person_end(ix);
	case END_FOOTNOTE:
		return ix_footnote_end(ix);
	case END_META:
		if (ix->sink->meta == NULL)
			return 0;
		ix_tidy(&ix->meta);
		return ix_sink_status(
		    ix, ix->sink->meta(ix->sink->ctx, f->field, ix->meta.buf, ix->e), ix_line(ix));
	case END_XREF:
		return ix_xref_end(ix, f);
	}
	return 0;
}

static void XMLCALL
ix_on_end(void *ud, const XML_Char *el)
{
	struct ix *ix = ud;

	(void)el;
	if (ix->failed)
		return;
	if (ix->overflow > 0) {
		ix->overflow--;
		return;
	}
	if (ix->depth == 0)
		return;
	ix->depth--;
	if (ix_close(ix, &ix->stack[ix->depth]) == -1 && !ix->failed)
		ix_stop(ix);
}

static void XMLCALL
ix_on_doctype(void *ud, const XML_Char *doctype, const XML_Char *sysid, const XML_Char *pubid,
              int has_internal_subset)
{
	struct ix *ix = ud;

	(void)doctype, (void)sysid, (void)pubid, (void)has_internal_subset;
	if (ix->failed)
		return;
	err_set(ix->e, "%s:%ld: <!DOCTYPE>: refused (IANA's registry has no DTD)", ix->name,
	        ix_line(ix));
	ix_stop(ix);
}

static void XMLCALL
ix_on_entity(void *ud, const XML_Char *name, int is_param, const XML_Char *value, int value_len,
             const XML_Char *base, const XML_Char *sysid, const XML_Char *pubid,
             const XML_Char *notation)
{
	struct ix *ix = ud;

	(void)is_param, (void)value, (void)value_len, (void)base, (void)sysid, (void)pubid,
	    (void)notation;
	if (ix->failed)
		return;
	err_set(ix->e, "%s:%ld: <!ENTITY %.40s>: refused (IANA's registry declares none)", ix->name,
	        ix_line(ix), name);
	ix_stop(ix);
}

static void
ix_free(struct ix *ix)
{
	size_t i;

	for (i = 0; i < R_NFIELDS; i++)
		strbuf_free(&ix->rec[i]);
	for (i = 0; i < P_NFIELDS; i++)
		strbuf_free(&ix->per[i]);
	strbuf_free(&ix->fn_anchor);
	strbuf_free(&ix->fn_text);
	strbuf_free(&ix->meta);
	strbuf_free(&ix->xref_data);
	strbuf_free(&ix->xref_text);
	if (ix->p != NULL)
		XML_ParserFree(ix->p);
}

static int
ix_init(struct ix *ix, const char *name, const struct reg_sink *sink, struct err *e)
{
	size_t i;

	memset(ix, 0, sizeof(*ix));
	ix->name = name;
	ix->sink = sink;
	ix->e = e;
	for (i = 0; i < R_NFIELDS; i++)
		strbuf_init(&ix->rec[i], 0);
	for (i = 0; i < P_NFIELDS; i++)
		strbuf_init(&ix->per[i], 0);
	strbuf_init(&ix->fn_anchor, 0);
	strbuf_init(&ix->fn_text, 0);
	strbuf_init(&ix->meta, 0);
	strbuf_init(&ix->xref_data, 0);
	strbuf_init(&ix->xref_text, 0);
	/* NULL encoding: the document's declaration decides, UTF-8 by default. */
	ix->p = XML_ParserCreate(NULL);
	if (ix->p == NULL)
		return err_internal(e, "%s: out of memory creating the XML parser", name);
	XML_SetUserData(ix->p, ix);
	XML_SetElementHandler(ix->p, ix_on_start, ix_on_end);
	XML_SetCharacterDataHandler(ix->p, ix_on_text);
	XML_SetStartDoctypeDeclHandler(ix->p, ix_on_doctype);
	XML_SetEntityDeclHandler(ix->p, ix_on_entity);
	/* Never read external DTD parts; the doctype handler refuses them anyway. */
	XML_SetParamEntityParsing(ix->p, XML_PARAM_ENTITY_PARSING_NEVER);
	return 0;
}

/* Turn one XML_Parse result into 0 or -1 with a message. */
static int
ix_status(struct ix *ix, enum XML_Status st)
{
	enum XML_Error code;

	if (st != XML_STATUS_ERROR)
		return 0;
	if (ix->failed)
		return -1; /* a handler or the sink has said why */
	code = XML_GetErrorCode(ix->p);
	if (code == XML_ERROR_NO_MEMORY)
		return err_internal(ix->e, "%s: XML: out of memory", ix->name);
	return err_set(ix->e, "%s:%ld: XML: %s", ix->name, ix_line(ix), XML_ErrorString(code));
}

int
import_xml_buffer(const char *data, size_t len, const char *name, const struct reg_sink *sink,
                  struct err *e)
{
	struct ix ix;
	size_t off = 0, n;
	int rc = -1;

	if (ix_init(&ix, name, sink, e) == -1)
		goto out;
	/* XML_Parse takes an int length: feed big buffers in pieces. */
	do {
		n = len - off < IX_CHUNK ? len - off : IX_CHUNK;
		if (ix_status(&ix, XML_Parse(ix.p, data + off, (int)n, off + n == len)) == -1)
			goto out;
		off += n;
	} while (off < len);
	rc = 0;
out:
	ix_free(&ix);
	return rc;
}

int
import_xml_file(const char *path, const struct reg_sink *sink, struct err *e)
{
	struct ix ix;
	FILE *fp;
	void *buf;
	size_t n;
	int rc = -1, last;

	if ((fp = fopen(path, "rb")) == NULL)
		return err_set(e, "%s: %s", path, strerror(errno));
	if (ix_init(&ix, path, sink, e) == -1)
		goto out;
	do {
		/* Read straight into expat's buffer: no copy, memory stays flat. */
		if ((buf = XML_GetBuffer(ix.p, IX_CHUNK)) == NULL) {
			err_internal(e, "%s: out of memory", path);
			goto out;
		}
		n = fread(buf, 1, IX_CHUNK, fp);
		if (ferror(fp)) {
			err_set(e, "%s: read error: %s", path, strerror(errno));
			goto out;
		}
		last = n < IX_CHUNK;
		if (ix_status(&ix, XML_ParseBuffer(ix.p, (int)n, last)) == -1)
			goto out;
	} while (!last);
	rc = 0;
out:
	ix_free(&ix);
	fclose(fp);
	return rc;
}
