/*
 * download.h - fetch a registry file over HTTP(S) with libcurl.
 *
 * Used only by `portolan update --from URL`.  The body is written to an
 * open file descriptor the caller owns (update.c passes a temporary file
 * beside the database), so a failed download never touches anything else.
 * Only http:// and https:// are accepted, redirects are followed within the
 * same protocols, and the body is capped at DOWNLOAD_MAX_BYTES: the IANA XML
 * is under 20 MB and anything far larger is not a registry.
 */
#ifndef PORTOLAN_DOWNLOAD_H
#define PORTOLAN_DOWNLOAD_H

#include "../util/err.h"

#define DOWNLOAD_MAX_BYTES (64L << 20)

/* 1 when s looks like a URL we would download rather than a path. */
int download_is_url(const char *s);
/*
 * Download url into fd; progress on stderr when show_progress.  ca_file
 * (may be NULL): the certificate authorities to trust instead of the
 * system's, for a private mirror or a TLS-inspecting proxy.  -1 with e on
 * failure.
 */
int download_to_fd(const char *url, int fd, int show_progress, const char *ca_file, struct err *e);

#endif
