/*
 * canon.h - the one name of each page of the site.
 *
 * A page answers to several spellings: /port/022, /port/22/TCP and
 * /port/22/ are /port/22 and /port/22/tcp; /service/SSH is /service/ssh
 * (service names compare without regard to case, query.h).  The server
 * redirects the port spellings to their canonical path (301), and votes
 * are stored under the canonical path alone, so aliases can neither split
 * a page's tally nor multiply one client's vote on it; `portolan
 * feedback` lists canonical pages only.  Pure functions over a path: no
 * database, no allocation.
 */
#ifndef PORTOLAN_CANON_H
#define PORTOLAN_CANON_H

#include <stddef.h>

#define CANON_MAX 128 /* bytes of a canonical path, with its NUL */

/*
 * The canonical path of a page one can vote on ("/", "/search",
 * "/port/N[/proto]", "/range/NAME", "/service/NAME") into out; -1 when
 * path names no such page or out is too small.
 */
int canon_page(const char *path, char *out, size_t len);

#endif
