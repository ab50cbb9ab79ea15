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

static void
wrap_line(FILE *out, const char *line, const char *end, size_t width)
{
	const char *p = line, *word, *gap;
	size_t col, hang, wcol;
	int placed = 0; /* a word is on the current output line */

	if (wrap_advance(line, end, 0) <= width) {
		fwrite(line, 1, (size_t)(end - line), out);
		return;
	}
	hang = wrap_hang(line, end, width);
	while (p < end && *p == ' ')
		p++;
	fwrite(line, 1, (size_t)(p - line), out);
	col = (size_t)(p - line);
	while (p < end) {
		gap = p;
		while (p < end && wrap_blank(*p))
			p++;
		for (word = p; p < end && !wrap_blank(*p); p++)
			;
		if (word == p)
			break; /* trailing blanks */
		wcol = wrap_advance(word, p, wrap_advance(gap, word, col));
		if (placed && wcol > width) {
			fprintf(out, "\n%*s", (int)hang, "");
			col = wrap_advance(word, p, hang);
			fwrite(word, 1, (size_t)(p - word), out);
		} else {
			fwrite(gap, 1, (size_t)(p - gap), out);
			col = wcol;
		}
		placed = 1;
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
