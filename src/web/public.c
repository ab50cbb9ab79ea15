/*
 * public.c - a report without the server's paths (public.h).
 *
 * A source's location becomes its public URL: kept when it already is one
 * (`portolan update --from URL`), else the address its kind is published
 * at, else left out.  Paths under the curated source's directory become
 * "data/..."; any other absolute "file" is left out.
 */
#include <stdio.h>
#include <string.h>

#include "public.h"
#include "registry/update.h"

static const struct {
	const char *kind, *url;
} public_urls[] = {
    {"iana-xml", UPDATE_IANA_URL},
    {"iana-csv", UPDATE_IANA_DIR "service-names-port-numbers.csv"},
    {"nmap-services", "https://svn.nmap.org/nmap/nmap-services"},
};

static int
public_is_url(const char *s)
{
	return strncmp(s, "https://", 8) == 0 || strncmp(s, "http://", 7) == 0;
}

static void
public_source(json_t *src)
{
	const char *loc = json_string_value(json_object_get(src, "location"));
	const char *kind = json_string_value(json_object_get(src, "kind"));
	size_t i;

	if (loc == NULL || public_is_url(loc))
		return;
	for (i = 0; kind != NULL && i < sizeof(public_urls) / sizeof(public_urls[0]); i++)
		if (strcmp(kind, public_urls[i].kind) == 0) {
			json_object_set_new(src, "location", json_string(public_urls[i].url));
			return;
		}
	json_object_del(src, "location");
}

/* Every "file" under root as "data/...", any other absolute one removed; recursively. */
static void
public_files(json_t *o, const char *root, size_t rootlen)
{
	const char *key, *f;
	json_t *v;
	size_t i;
	void *tmp;

	if (json_is_array(o)) {
		json_array_foreach(o, i, v) public_files(v, root, rootlen);
		return;
	}
	json_object_foreach_safe(o, tmp, key, v)
	{
		if (strcmp(key, "file") == 0 && (f = json_string_value(v)) != NULL && f[0] == '/') {
			if (rootlen > 0 && strncmp(f, root, rootlen) == 0 && f[rootlen] == '/')
				json_object_set_new(o, "file", json_sprintf("data%s", f + rootlen));
			else
				json_object_del(o, "file");
		} else if (json_is_object(v) || json_is_array(v)) {
			public_files(v, root, rootlen);
		}
	}
}

void
public_report(json_t *obj)
{
	json_t *sources = json_object_get(obj, "sources"), *s;
	char root[4096] = "";
	const char *loc;
	size_t i;

	json_array_foreach(sources, i, s)
	{
		loc = json_string_value(json_object_get(s, "location"));
		if (loc != NULL && loc[0] == '/' &&
		    strcmp(json_string_value(json_object_get(s, "kind")) ?: "", "curated") == 0)
			snprintf(root, sizeof(root), "%s", loc);
	}
	public_files(obj, root, strlen(root));
	json_array_foreach(sources, i, s) public_source(s);
}
