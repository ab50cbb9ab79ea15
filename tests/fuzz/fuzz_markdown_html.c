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

static void
fuzz_check(const char *html)
{
	const char *p, *end;

	for (p = html; (p = strchr(p, '<')) != NULL; p++) {
		const char *t = p[1] == '/' ? p + 2 : p + 1;
		size_t n = strspn(t, "abcdefghijklmnopqrstuvwxyz0123456789-");

		if (!fuzz_known_tag(t, n))
			abort();
	}
	/*
	 * An attribute starts after a space; a '"' inside a value is always
	 * &quot;, so ' href="' cannot occur within another attribute's value
	 * (a value may end in 'src=' just before its closing quote).
	 */
	for (p = html; (p = strstr(p, " href=\"")) != NULL; p += 7)
		if ((end = strchr(p + 7, '"')) == NULL ||
		    !markdown_html_safe_url(p + 7, (size_t)(end - p - 7)))
			abort();
	for (p = html; (p = strstr(p, " src=\"")) != NULL; p += 6)
		if ((end = strchr(p + 6, '"')) == NULL ||
		    !markdown_html_safe_url(p + 6, (size_t)(end - p - 6)))
			abort();
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
