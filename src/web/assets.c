/*
 * assets.c - look-ups in the generated asset table (assets.h).
 *
 * The table is sorted by path at build time, so a binary search finds an
 * asset without a hash table to build or any state to keep.
 */
#include <stdlib.h>
#include <string.h>

#include "assets.h"

static int
assets_cmp(const void *key, const void *elem)
{
	return strcmp(key, ((const struct asset *)elem)->path);
}

const struct asset *
assets_find(const char *path)
{
	/* Browsers ask for /favicon.ico whatever a page links: the site's icon answers. */
	if (strcmp(path, "/favicon.ico") == 0)
		path = "/assets/icon.svg";
	return bsearch(path, assets_table, assets_table_len, sizeof(assets_table[0]), assets_cmp);
}

size_t
assets_count(void)
{
	return assets_table_len;
}

const struct asset *
assets_at(size_t i)
{
	return i < assets_table_len ? &assets_table[i] : NULL;
}
