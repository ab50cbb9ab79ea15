/*
 * fuzz_html_port.c - libFuzzer target for the port page renderer.
 *
 * The input is JSON taken as a port report, of any shape: keys missing,
 * of the wrong type, strings full of markup.  The page must render without
 * a crash, carry exactly one <script (our own vote.js), and every href or
 * src on it must be same-site, a fragment, http(s) or mailto.  The
 * language is English from an empty catalog directory, made once.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "render/html.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
fuzz_safe_url(const char *v)
{
	/* Schemes are case-insensitive, for browsers and for html.c alike. */
	return (v[0] == '/' && v[1] != '/') || v[0] == '#' || strncasecmp(v, "http://", 7) == 0 ||
	       strncasecmp(v, "https://", 8) == 0 || strncasecmp(v, "mailto:", 7) == 0;
}

static void
fuzz_check(const char *page)
{
	const char *p;
	size_t scripts = 0;

	for (p = page; (p = strstr(p, "<script")) != NULL; p++)
		scripts++;
	if (scripts != 1)
		abort();
	for (p = page; (p = strstr(p, " href=\"")) != NULL; p += 7)
		if (!fuzz_safe_url(p + 7))
			abort();
	for (p = page; (p = strstr(p, " src=\"")) != NULL; p += 6)
		if (!fuzz_safe_url(p + 6))
			abort();
}

static struct i18n_set *
fuzz_langs(void)
{
	static struct i18n_set *set;
	char dir[] = "/tmp/fuzz-html-XXXXXX";
	struct err e;

	if (set == NULL) {
		if (mkdtemp(dir) == NULL || i18n_load(dir, &set, &e) == -1)
			abort();
		rmdir(dir);
	}
	return set;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct i18n_set *set = fuzz_langs();
	struct html_ctx c = {
	    .t = i18n_get(set, "en"), .langs = set, .path = "/port/1", .show_machine = 1};
	struct strbuf out;
	json_t *rep = json_loadb((const char *)data, size, JSON_DECODE_ANY, NULL);

	if (rep == NULL)
		return 0;
	strbuf_init(&out, 8u << 20);
	if (html_port(&out, rep, &c) == 0)
		fuzz_check(out.buf);
	strbuf_free(&out);
	json_decref(rep);
	return 0;
}
