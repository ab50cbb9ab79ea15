/*
 * fuzz_markdown_html.c - libFuzzer target for the curated notes' HTML.
 *
 * Whatever the Markdown, the fragment may hold only md4c's own tags (raw
 * HTML must come out escaped) and every href or src must be one
 * markdown_html_safe_url() accepts.  Either breach is an XSS on a real
 * page, so it aborts.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "render/markdown_html.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The tags md4c-html writes for CommonMark with tables and strikethrough. */
static int
fuzz_known_tag(const char *t, size_t n)
{
	static const char *const tags[] = {
	    "p",          "a",   "img",   "em",    "strong",     "code",       "pre", "h1",
	    "h2",         "h3",  "h4",    "h5",    "h6",         "ul",         "ol",  "li",
	    "blockquote", "hr",  "br",    "table", "thead",      "tbody",      "tr",  "th",
	    "td",         "del", "input", "span",  "x-equation", "x-wikilink", "u"};

	for (size_t i = 0; i < sizeof(tags) / sizeof(tags[0]); i++)
		if (strlen(tags[i]) == n && strncmp(tags[i], t, n) == 0)
			return 1;
	return 0;
}

/*
 * Walk the output as a browser would: every '<' must open a known tag, and
 * inside a tag every attribute is name="value" (md4c-html always quotes, and
 * escapes '"' in values), so an href or src is read from its own value and
 * never from text inside another attribute's value ('title="a href="').
 */
static void
fuzz_check(const char *html)
{
	const char *p, *t, *name, *val, *end;
	size_t n, nlen;

	for (p = html; (p = strchr(p, '<')) != NULL; p++) {
		t = p[1] == '/' ? p + 2 : p + 1;
		n = strspn(t, "abcdefghijklmnopqrstuvwxyz0123456789-");
		if (!fuzz_known_tag(t, n))
			abort();
		for (t += n; *t && *t != '>';) {
			t += strspn(t, " /");
			if (*t == '>' || *t == '\0')
				break;
			name = t;
			nlen = strspn(t, "abcdefghijklmnopqrstuvwxyz-");
			if (nlen == 0 || t[nlen] != '=' || t[nlen + 1] != '"')
				abort(); /* not name="value": the markup is not md4c's */
			val = t + nlen + 2;
			if ((end = strchr(val, '"')) == NULL)
				abort();
			if (((nlen == 4 && strncmp(name, "href", 4) == 0) ||
			     (nlen == 3 && strncmp(name, "src", 3) == 0)) &&
			    !markdown_html_safe_url(val, (size_t)(end - val)))
				abort();
			t = end + 1;
		}
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct strbuf out;
	char *md = malloc(size + 1);

	if (md == NULL)
		return 0;
	memcpy(md, data, size);
	md[size] = '\0'; /* notes are C strings: stop at the first NUL, as the report does */
	strbuf_init(&out, 0);
	if (markdown_html(&out, md) == 0)
		fuzz_check(out.buf);
	strbuf_free(&out);
	free(md);
	return 0;
}
