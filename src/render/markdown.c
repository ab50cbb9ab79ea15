/*
 * markdown.c - curated notes (CommonMark) to plain text for a terminal,
 * parsed with md4c.
 *
 * The terminal gets paragraphs filled to a width, list items with a dash,
 * headings on a line of their own (bold when colour is on), code verbatim,
 * and links as "text <url>".  Raw HTML in a note is dropped, never passed
 * to a terminal.  Words are buffered per paragraph and filled greedily,
 * a word with characters that are not ASCII folded inside where the
 * Unicode line breaking rules allow (render_pieces()); a word longer than
 * the width gets a line to itself.
 *
 * md4c is loaded with dlopen() when the first note is rendered, not linked:
 * most reports have no note and `--json` renders none, and mapping the
 * library cost every lookup about 0.1 ms (bench/lookup).  The types still
 * come from <md4c.h>, so the one call is checked by the compiler.  Should
 * the library be missing, a note is printed as its words, filled.
 */
#include <dlfcn.h>
#include <pthread.h>
#include <string.h>

#include <md4c.h>

#include "render.h"
#include "util/strbuf.h"
#include "util/unicode.h"

/* Columns left free at the right edge of a filled paragraph. */
#define MARKDOWN_MARGIN 2

struct md_text {
	FILE *out;
	const struct render_opts *o;
	const char *indent;
	struct strbuf para; /* the current block's text, flushed at its end */
	int list_depth;
	int in_code;
	const char *link_href; /* borrowed from md4c for the span's duration */
	size_t link_len;
};

/* The column a filled line may reach: the terminal's width, less a margin. */
static size_t
md_width(const struct md_text *t)
{
	int w = t->o->width > 0 ? t->o->width : RENDER_WIDTH_DEFAULT;

	return (size_t)(w > 2 * MARKDOWN_MARGIN ? w - MARKDOWN_MARGIN : w);
}

/* A block being filled: the column reached and the prefix of the next line. */
struct md_fill {
	struct md_text *t;
	const char *prefix;
	size_t col;
};

/* Print a piece of a word, after a blank when it starts the word, on a new line when it must. */
static void
md_piece(void *ctx, const char *p, size_t n, int first)
{
	struct md_fill *f = ctx;
	size_t w = unicode_width((const uint8_t *)p, n); /* columns, not bytes */

	if (f->col == 0) {
		f->col = (size_t)fprintf(f->t->out, "%s%s", f->t->indent, f->prefix);
	} else if (f->col + (size_t)first + w > md_width(f->t)) {
		fputc('\n', f->t->out);
		f->col = (size_t)fprintf(f->t->out, "%s%s", f->t->indent, f->prefix);
	} else if (first) {
		fputc(' ', f->t->out);
		f->col++;
	}
	fwrite(p, 1, n, f->t->out);
	f->col += w;
}

/*
 * Print the buffered block, filling words to the width after prefix; a
 * word that does not fit folds inside where render_pieces() allows (a
 * Japanese or Chinese sentence has no blanks).
 */
static void
md_flush(struct md_text *t, const char *first_prefix, const char *next_prefix)
{
	const char *p = t->para.buf;
	struct md_fill f = {.t = t, .prefix = first_prefix};
	size_t n;

	if (t->para.len == 0)
		return;
	while (*p) {
		while (*p == ' ' || *p == '\n')
			p++;
		if (*p == '\0')
			break;
		n = strcspn(p, " \n");
		if (f.col == 0 || f.col + 1 + unicode_width((const uint8_t *)p, n) <= md_width(t))
			md_piece(&f, p, n, 1);
		else
			render_pieces(p, n, md_piece, &f);
		f.prefix = next_prefix;
		p += n;
	}
	fputc('\n', t->out);
	strbuf_reset(&t->para);
}

static int
md_enter_block(MD_BLOCKTYPE type, void *detail, void *userdata)
{
	struct md_text *t = userdata;

	(void)detail;
	if (type == MD_BLOCK_UL || type == MD_BLOCK_OL)
		t->list_depth++;
	else if (type == MD_BLOCK_CODE)
		t->in_code = 1;
	return 0;
}

static int
md_leave_block(MD_BLOCKTYPE type, void *detail, void *userdata)
{
	struct md_text *t = userdata;

	(void)detail;
	switch (type) {
	case MD_BLOCK_P:
		if (t->list_depth == 0) {
			md_flush(t, "", "");
			fputc('\n', t->out);
		}
		break;
	case MD_BLOCK_LI:
		md_flush(t, "- ", "  ");
		break;
	case MD_BLOCK_UL:
	case MD_BLOCK_OL:
		if (--t->list_depth == 0)
			fputc('\n', t->out);
		break;
	case MD_BLOCK_H:
		fprintf(t->out, "%s%s", t->indent, t->o->color ? "\033[1m" : "");
		fwrite(t->para.buf, 1, t->para.len, t->out);
		fprintf(t->out, "%s\n", t->o->color ? "\033[0m" : "");
		strbuf_reset(&t->para);
		break;
	case MD_BLOCK_CODE:
		fprintf(t->out, "%s", t->para.buf);
		fputc('\n', t->out);
		strbuf_reset(&t->para);
		t->in_code = 0;
		break;
	default:
		break;
	}
	return 0;
}

static int
md_enter_span(MD_SPANTYPE type, void *detail, void *userdata)
{
	struct md_text *t = userdata;

	if (type == MD_SPAN_A) {
		const MD_SPAN_A_DETAIL *a = detail;

		t->link_href = a->href.text;
		t->link_len = a->href.size;
	}
	return 0;
}

static int
md_leave_span(MD_SPANTYPE type, void *detail, void *userdata)
{
	struct md_text *t = userdata;

	(void)detail;
	if (type == MD_SPAN_A && t->link_href) {
		strbuf_appends(&t->para, " <");
		strbuf_append(&t->para, t->link_href, t->link_len);
		strbuf_appendc(&t->para, '>');
		t->link_href = NULL;
	}
	return 0;
}

static int
md_text_cb(MD_TEXTTYPE type, const MD_CHAR *text, MD_SIZE size, void *userdata)
{
	struct md_text *t = userdata;

	switch (type) {
	case MD_TEXT_HTML:
		return 0; /* never pass markup through to a terminal */
	case MD_TEXT_BR:
	case MD_TEXT_SOFTBR:
		strbuf_appendc(&t->para, t->in_code ? '\n' : ' ');
		return 0;
	case MD_TEXT_NULLCHAR:
		return 0;
	default:
		strbuf_append(&t->para, text, size);
		return 0;
	}
}

typedef int (*md_parse_fn)(const MD_CHAR *text, MD_SIZE size, const MD_PARSER *parser,
                           void *userdata);

static pthread_once_t md_load_once = PTHREAD_ONCE_INIT;
static md_parse_fn md_parse_loaded; /* written once, under md_load_once */

static void
md_load(void)
{
	void *h = dlopen("libmd4c.so.0", RTLD_NOW | RTLD_LOCAL);

	/* POSIX guarantees dlsym's result converts to a function pointer. */
	if (h != NULL)
		*(void **)&md_parse_loaded = dlsym(h, "md_parse");
}

void
render_markdown_text(FILE *out, const char *markdown, const char *indent,
                     const struct render_opts *o)
{
	MD_PARSER parser = {
	    .abi_version = 0,
	    .flags = MD_FLAG_NOHTML | MD_FLAG_PERMISSIVEURLAUTOLINKS,
	    .enter_block = md_enter_block,
	    .leave_block = md_leave_block,
	    .enter_span = md_enter_span,
	    .leave_span = md_leave_span,
	    .text = md_text_cb,
	};
	struct md_text t = {.out = out, .o = o, .indent = indent};

	strbuf_init(&t.para, 1 << 20);
	pthread_once(&md_load_once, md_load);
	if (md_parse_loaded != NULL)
		md_parse_loaded(markdown, (MD_SIZE)strlen(markdown), &parser, &t);
	else
		strbuf_appends(&t.para, markdown);
	md_flush(&t, "", ""); /* whatever a malformed note left open */
	strbuf_free(&t.para);
}
