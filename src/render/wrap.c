/*
 * wrap.c - fit the text renderers' lines to the terminal (see render.h).
 *
 * The renderers print one logical line per fact, however long (a range's
 * meaning, a source's path, free's summary ran to 163 columns), and this
 * pass folds each line that is wider than the terminal at its blanks.  A
 * folded line continues under the column it is about: under the last
 * field that starts after a gap of two or more blanks or a tab (a table's
 * column, a "label  value" pair; not the two blanks after a full stop)
 * when that field starts in the left half, else two columns in from the
 * line's own indent.  Lines that fit are left
 * exactly as they are, so tables whose rows fit stay aligned.
 *
 * A word is what lies between blanks, but Japanese and Chinese write
 * whole sentences without one: a word with a character that is not ASCII
 * which does not fit is folded where the Unicode line breaking algorithm
 * (UAX #14, through util/unicode.h) allows, between most of their
 * characters and never before a closing bracket or a full stop.  Korean
 * keeps breaking at its spaces only.
 *
 * A word wider than the room left (a long URL or path) is never broken:
 * it starts a line of its own and may run past the edge, the one way a
 * line is ever wider than the terminal.  Copying it whole keeps it usable
 * (a terminal's URL detection, copy and paste).
 *
 * Widths count UTF-8 characters, a tab as up to the next multiple of 8,
 * and colour escapes ("\033[1m") as nothing.
 */
#include <sys/ioctl.h>

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "render.h"
#include "util/unicode.h"

/* Narrower than this, folding would make more noise than it saves. */
#define WRAP_MIN_WIDTH 20

int
render_width(FILE *out)
{
	struct winsize ws;
	const char *env = getenv("COLUMNS");
	char *end;
	long n;

	if (isatty(fileno(out)) && ioctl(fileno(out), TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		n = ws.ws_col;
	else if (env != NULL && (n = strtol(env, &end, 10)) > 0 && *end == '\0')
		;
	else
		n = RENDER_WIDTH_DEFAULT;
	return n < WRAP_MIN_WIDTH ? WRAP_MIN_WIDTH : n > 1000 ? 1000 : (int)n;
}

/* Length of the colour escape at p ("\033[...m"), 0 if none starts there. */
static size_t
wrap_escape(const char *p, const char *end)
{
	const char *q = p + 2;

	if (end - p < 2 || p[0] != '\033' || p[1] != '[')
		return 0;
	while (q < end && !(*q >= 0x40 && *q <= 0x7e))
		q++;
	return q < end ? (size_t)(q - p + 1) : (size_t)(end - p);
}

/*
 * The column after printing p..end from column col.  A character takes the
 * columns a terminal gives it (unicode_char_width()): two for Hangul, kana and CJK
 * ideographs, so Korean, Japanese and Chinese text folds where it reaches
 * the edge; an invalid byte counts as one.
 */
static size_t
wrap_advance(const char *p, const char *end, size_t col)
{
	size_t k;
	uint32_t uc;
	int n, w;

	while (p < end) {
		if ((k = wrap_escape(p, end)) > 0) {
			p += k;
			continue;
		}
		if (*p == '\t') {
			col = (col / 8 + 1) * 8;
			p++;
			continue;
		}
		n = unicode_decode(&uc, (const uint8_t *)p, (size_t)(end - p));
		w = unicode_char_width(uc);
		col += w > 0 ? (size_t)w : 0;
		p += n > 0 ? n : 1;
	}
	return col;
}

static int
wrap_blank(char c)
{
	return c == ' ' || c == '\t';
}

/*
 * Where a folded line continues: under the last field before column
 * width that follows a gap of two blanks or a tab, if it starts in the
 * left half; else two in from the indent.
 */
static size_t
wrap_hang(const char *line, const char *end, size_t width)
{
	const char *p = line, *gap;
	size_t indent, col, hang;

	while (p < end && *p == ' ')
		p++;
	indent = (size_t)(p - line);
	hang = indent + 2;
	while (p < end) {
		gap = p;
		while (p < end && wrap_blank(*p))
			p++;
		col = wrap_advance(line, p, 0);
		if (col >= width)
			break;
		/* Two blanks after a full stop end a sentence, not a column. */
		if ((p - gap >= 2 || (p > gap && gap[0] == '\t')) && p < end && col <= width / 2 &&
		    !(gap > line && gap[-1] == '.'))
			hang = col;
		while (p < end && !wrap_blank(*p))
			p++;
	}
	return hang + 10 < width ? hang : 0;
}

/* A line being folded: where output stands and where a folded line continues. */
struct wrap_fold {
	FILE *out;
	size_t width, hang, col;
	int placed; /* a word is on the current output line */
};

/* Print gap then word, or word alone on a new line when it would pass the edge. */
static void
wrap_place(struct wrap_fold *f, const char *gap, const char *word, const char *end)
{
	size_t wcol = wrap_advance(word, end, wrap_advance(gap, word, f->col));

	if (f->placed && wcol > f->width) {
		fprintf(f->out, "\n%*s", (int)f->hang, "");
		f->col = wrap_advance(word, end, f->hang);
		fwrite(word, 1, (size_t)(end - word), f->out);
	} else {
		fwrite(gap, 1, (size_t)(end - gap), f->out);
		f->col = wcol;
	}
	f->placed = 1;
}

void
render_pieces(const char *word, size_t n,
              void (*fn)(void *ctx, const char *piece, size_t len, int first), void *ctx)
{
	size_t i, from = 0;
	char small[512], *brk = small;

	for (i = 0; i < n && (unsigned char)word[i] < 0x80; i++)
		;
	/* ASCII never asks the library; out of memory leaves the word whole, as English. */
	if (i == n || (n > sizeof(small) && (brk = malloc(n)) == NULL)) {
		fn(ctx, word, n, 1);
		return;
	}
	unicode_linebreaks((const uint8_t *)word, n, brk);
	/* Not between two ASCII bytes: a name or URL inside CJK text stays whole too. */
	for (i = 1; i < n; i++) {
		if (brk[i] &&
		    ((unsigned char)word[i] >= 0x80 || (unsigned char)word[i - 1] >= 0x80)) {
			fn(ctx, word + from, i - from, from == 0);
			from = i;
		}
	}
	fn(ctx, word + from, n - from, from == 0);
	if (brk != small)
		free(brk);
}

struct wrap_word {
	struct wrap_fold *f;
	const char *gap; /* the blanks before the word, which its first piece follows */
};

static void
wrap_piece(void *ctx, const char *piece, size_t len, int first)
{
	struct wrap_word *w = ctx;

	wrap_place(w->f, first ? w->gap : piece, piece, piece + len);
}

static void
wrap_line(FILE *out, const char *line, const char *end, size_t width)
{
	const char *p = line, *word, *gap;
	struct wrap_fold f = {.out = out, .width = width};

	if (wrap_advance(line, end, 0) <= width) {
		fwrite(line, 1, (size_t)(end - line), out);
		return;
	}
	f.hang = wrap_hang(line, end, width);
	while (p < end && *p == ' ')
		p++;
	fwrite(line, 1, (size_t)(p - line), out);
	f.col = (size_t)(p - line);
	while (p < end) {
		gap = p;
		while (p < end && wrap_blank(*p))
			p++;
		for (word = p; p < end && !wrap_blank(*p); p++)
			;
		if (word == p)
			break; /* trailing blanks */
		if (wrap_advance(word, p, wrap_advance(gap, word, f.col)) <= width)
			wrap_place(&f, gap, word, p);
		else
			render_pieces(word, (size_t)(p - word), wrap_piece,
			              &(struct wrap_word){&f, gap});
	}
}

void
render_wrap(FILE *out, const char *text, size_t len, int width)
{
	const char *p = text, *end = text + len, *nl;

	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		wrap_line(out, p, nl ? nl : end, width > 0 ? (size_t)width : RENDER_WIDTH_DEFAULT);
		if (nl == NULL)
			break;
		fputc('\n', out);
		p = nl + 1;
	}
}
