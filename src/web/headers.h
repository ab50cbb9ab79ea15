/*
 * headers.h - request headers the server interprets itself, apart from
 * libmicrohttpd: what a client accepts.  Header values come straight from
 * the network, so these take any NUL-terminated bytes (or NULL: the header
 * is absent) and never read past them; tests/fuzz/fuzz_web_headers.c holds
 * them to that, with cache_etag_match() (If-None-Match) and i18n_pick()
 * (Accept-Language), the other two header readers.
 */
#ifndef PORTOLAN_HEADERS_H
#define PORTOLAN_HEADERS_H

int headers_accept_gzip(const char *accept_encoding);

#endif
