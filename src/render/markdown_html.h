/*
 * markdown_html.h - curated notes (CommonMark) to an HTML fragment for the
 * web pages, with md4c-html.
 *
 * The notes are ours, but a page must stay safe even if one is careless:
 * raw HTML in the Markdown is escaped, never passed through
 * (MD_FLAG_NOHTML), and a link or image whose address is not http(s),
 * mailto or relative is written as "#", so no "javascript:" URL reaches a
 * page.
 *
 * markdown_html() appends to out (which the caller owns) and returns 0, or
 * -1 when out reached its limit or md4c failed; out may then hold a partial
 * fragment, and the caller discards the page.
 */
#ifndef PORTOLAN_MARKDOWN_HTML_H
#define PORTOLAN_MARKDOWN_HTML_H

#include "util/strbuf.h"

int markdown_html(struct strbuf *out, const char *markdown);

/* 1 when href may appear on a page: http(s):, mailto: or a relative address. */
int markdown_html_safe_url(const char *url, size_t len);

#endif
