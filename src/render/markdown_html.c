/*
 * markdown_html.c - curated Markdown to HTML with md4c-html (see
 * markdown_html.h).
 *
 * md4c-html escapes text and attribute values itself; what it does not do
 * is judge a link's scheme.  Rather than re-implement its renderer on the
 * md4c parser, the output callback watches for the two places a URL is
 * written (after `<a href="` and `<img src="`; md4c-html emits each as its
 * own chunk, then the URL, then a chunk starting with the closing quote),
 * holds the URL back and lets it through only if markdown_html_safe_url()
 * accepts it.  The cost is one small buffer per URL.
 */
#include <string.h>
#include <strings.h>

#include <md4c-html.h>

#include "markdown_html.h"

#define MARKDOWN_HTML_URL_MAX 2048 /* longer addresses are dropped, not truncated */

struct md_out {
	struct strbuf *out;
	struct strbuf url; /* the URL being held back */
	int in_url;
	int url_bad; /* the URL outgrew its buffer: it becomes "#" */
	int fail;
};

int
markdown_html_safe_url(const char *url, size_t len)
{
	size_t i;

	if (len >= 7 && strncasecmp(url, "http://", 7) == 0)
		return 1;
	if (len >= 8 && strncasecmp(url, "https://", 8) == 0)
		return 1;
	if (len >= 7 && strncasecmp(url, "mailto:", 7) == 0)
		return 1;
	/* "//host/x" is relative in syntax only: it leaves the site. */
	if (len >= 2 && url[0] == '/' && url[1] == '/')
		return 0;
	/* Relative: no scheme, i.e. no ':' before the first '/', '?' or '#'. */
	for (i = 0; i < len; i++) {
		if (url[i] == '/' || url[i] == '?' || url[i] == '#')
			return 1;
		if (url[i] == ':')
			return 0;
	}
	return 1;
}

static void
markdown_html_put(struct md_out *m, const char *s, size_t n)
{
	if (strbuf_append(m->out, s, n) == -1)
		m->fail = 1;
}

/* The URL ended: write it if safe, "#" otherwise. */
static void
markdown_html_flush_url(struct md_out *m)
{
	if (!m->url_bad && m->url.len > 0 && markdown_html_safe_url(m->url.buf, m->url.len))
		markdown_html_put(m, m->url.buf, m->url.len);
	else
		markdown_html_put(m, "#", 1);
	strbuf_reset(&m->url);
	m->in_url = m->url_bad = 0;
}

static void
markdown_html_chunk(const MD_CHAR *text, MD_SIZE size, void *userdata)
{
	struct md_out *m = userdata;

	if (m->in_url) {
		if (size > 0 && text[0] == '"') {
			markdown_html_flush_url(m);
		} else {
			/* Over the limit the URL is dropped whole: "#" beats half a link. */
			if (strbuf_append(&m->url, text, size) == -1)
				m->url_bad = 1;
			return;
		}
	}
	markdown_html_put(m, text, size);
	if ((size == 9 && memcmp(text, "<a href=\"", 9) == 0) ||
	    (size == 10 && memcmp(text, "<img src=\"", 10) == 0))
		m->in_url = 1;
}

int
markdown_html(struct strbuf *out, const char *markdown)
{
	struct md_out m = {.out = out};
	int rc;

	strbuf_init(&m.url, MARKDOWN_HTML_URL_MAX);
	rc = md_html(markdown, (MD_SIZE)strlen(markdown), markdown_html_chunk, &m,
	             MD_FLAG_NOHTML | MD_FLAG_TABLES | MD_FLAG_STRIKETHROUGH |
	                 MD_FLAG_PERMISSIVEURLAUTOLINKS,
	             0);
	if (m.in_url) /* md4c never leaves an attribute open, but be sure */
		markdown_html_flush_url(&m);
	strbuf_free(&m.url);
	return rc == 0 && !m.fail ? 0 : -1;
}
