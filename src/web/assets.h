/*
 * assets.h - the site's static files (CSS, the vote script, the icon),
 * compiled into the binary.
 *
 * The files live in src/web/assets/; at build time scripts/embed-assets.sh
 * turns them into a C table in $(BUILD)/gen/assets_data.c (see the
 * Makefile), computing each one's content type and ETag once.  Serving
 * from the binary means no CDN, no file system access per request, no
 * path to traverse, and a deployment that is one file; the cost is a
 * rebuild to change a stylesheet.
 *
 * Memory: everything is static and read-only; pointers live forever.
 */
#ifndef PORTOLAN_ASSETS_H
#define PORTOLAN_ASSETS_H

#include <stddef.h>

struct asset {
	const char *path;          /* "/assets/site.css" */
	const char *type;          /* Content-Type */
	const unsigned char *data; /* len bytes, plus a NUL not counted */
	size_t len;
	const char *etag; /* strong validator from the SHA-256, with its quotes */
};

/* The asset served at path ("/assets/site.css"; "/favicon.ico" is the icon), or NULL. */
const struct asset *assets_find(const char *path);
/* How many assets there are, and the i-th in path order (for /metrics and tests). */
size_t assets_count(void);
const struct asset *assets_at(size_t i);

/* The generated table (sorted by path, then a zero sentinel); use the functions above. */
extern const struct asset assets_table[];
extern const size_t assets_table_len;

#endif
