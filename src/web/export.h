/*
 * export.h - the whole site as static files (`portolan export DIR`), for
 * any static host or to browse offline.
 *
 * The pages are the server's: the same report objects (report.h,
 * pages.h) through the same renderers (html.h), with links rewritten for
 * files (struct html_site).  What needs a server is left out: the search
 * box, the vote, and this machine's listeners.  The layout:
 *
 *   index.html, 404.html         the first language's home and not-found page
 *   LANG/index.html              per exported language (en, ko, zh-Hans...)
 *   LANG/range/NAME.html         well-known, registered, dynamic
 *   LANG/port/N.html             every port of the exported range
 *   LANG/service/NAME.html       every service a page links (NAME percent-encoded)
 *   api/v1/ports/N.json          the port report, as /api/v1/ports/N serves it
 *   assets/...                   the stylesheet, the script and the icon
 *   .portolan-export             marks the tree as ours (see below)
 *   sitemap.xml, sitemap-N.xml   with --base-url: every page's public URL
 *   robots.txt                   with --base-url: names the sitemap
 *
 * The tree is written beside DIR under a temporary name and swapped in
 * with one rename (renameat2 RENAME_EXCHANGE when DIR exists), so DIR is
 * at every moment either the previous export or the complete new one,
 * never half of each.  An existing DIR is replaced only when it is empty
 * or carries the marker: export never deletes a directory it did not write.
 */
#ifndef PORTOLAN_EXPORT_H
#define PORTOLAN_EXPORT_H

#include <signal.h>
#include <stddef.h>

#include "util/err.h"

struct export_cfg {
	const char *db;    /* the database to read */
	const char *dir;   /* where the site goes */
	const char *podir; /* translation catalogs (po/) */
	const char
	    *langs;   /* "all", or codes separated by commas: "en,ko" (the first is the root's) */
	long port_lo; /* the ports that get a page, 0-65535 at most */
	long port_hi;
	size_t threads; /* workers, each with its own connection; 0: one per CPU (16 at most) */
	/*
	 * The site's public URL ("https://ports.example.org/"), or NULL.  With
	 * it, pages carry rel=canonical and hreflang links, and the tree gets
	 * sitemap.xml (sitemap-N.xml of sitemap_urls URLs each; 0: 50,000, the
	 * protocol's limit) and robots.txt.
	 */
	const char *base_url;
	size_t sitemap_urls;
	/* Set (by a signal handler) to give up: the tree is removed, DIR untouched.  May be NULL.
	 */
	const volatile sig_atomic_t *stop;
};

struct export_stats {
	size_t languages;
	size_t pages; /* HTML files */
	size_t files; /* every file written */
	unsigned long long bytes;
};

/* Write the site; -1 with e filled (ERR_INPUT: bad language, DIR not ours) and DIR untouched. */
int export_site(const struct export_cfg *cfg, struct export_stats *stats, struct err *e);

#endif
