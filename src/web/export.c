/*
 * export.c - the whole site as static files (export.h).
 *
 * One pass over the ports builds each port's report once and renders it
 * in every exported language, so the cost is a report per port and a
 * render per page.  Service pages come last: they are exactly the names
 * the other pages linked (html_site.services), so every service link in
 * the tree has its file and no service page exists that nothing links.
 *
 * Threads: pages are independent, so workers (one per CPU) take every
 * n-th port, then every n-th service name, each with its own SQLite
 * connection, buffers and set of linked services; the only thing they
 * share that changes is the failed flag.  The catalogs and the report's
 * environment are read-only.  The tree does not depend on the number of
 * workers (tests/e2e/test_export.py compares one with three).
 *
 * Errors: the first failure stops the export, removes the temporary tree
 * and names the file or page that failed; DIR is never touched until the
 * whole tree is written.
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <dirent.h>
#include <pthread.h>
#include <stdatomic.h>

#include "assets.h"
#include "export.h"
#include "public.h"
#include "registry/store.h"
#include "render/html.h"
#include "render/i18n.h"
#include "render/words.h"
#include "report/pages.h"
#include "report/query.h"
#include "report/report.h"
#include "routes.h"
#include "util/strbuf.h"

#define EXPORT_MARKER       ".portolan-export"
#define EXPORT_MAX_LANGS    64
#define EXPORT_PATH_MAX     4096
#define EXPORT_MAX_THREADS  16
#define EXPORT_URL_MAX      512         /* --base-url; a sitemap line stays far below its limits */
#define EXPORT_SITEMAP_URLS 50000       /* the sitemap protocol's limit per file */
#define EXPORT_FLUSH        (64u << 10) /* a streamed file's buffer is written out above this */

typedef int (*export_render)(struct strbuf *out, const json_t *obj, const struct html_ctx *c);

/* What every worker shares: read-only while they run, but for failed. */
struct export
{
	const struct export_cfg *cfg;
	char tmp[EXPORT_PATH_MAX]; /* the tree being written, beside cfg->dir */
	struct i18n_set *set;
	const struct i18n *langs[EXPORT_MAX_LANGS];
	size_t nlangs;
	struct report_env renv;
	char base[EXPORT_URL_MAX + 2]; /* --base-url ending in '/', or "" */
	json_t *services;              /* every service name the pages linked (keys) */
	json_t *todo;                  /* the service names of the current round */
	size_t nworkers;
	atomic_int failed; /* set by the first worker to fail: the others stop early */
};

/* One thread's own: a store, buffers, and the services its pages linked. */
struct export_worker {
	struct export *x;
	size_t index; /* takes the ports and names whose position % nworkers is index */
	struct store *st;
	struct html_site site; /* root and self vary per page; services is this worker's */
	json_t *missing;       /* linked service names the report layer does not know */
	struct strbuf page;    /* the page being rendered */
	struct strbuf file;    /* its file name under the language directory */
	struct export_stats stats;
	struct err e;
	int (*fn)(struct export_worker *w); /* what the thread runs, and its result */
	int rc;
	pthread_t tid;
};

/*
 * 1 when this worker should stop: another failed (its error is the one to
 * report; w->e stays clear), or a signal asked the export to stop (w->e
 * says so).
 */
static int
export_stopping(struct export_worker *w)
{
	const volatile sig_atomic_t *stop = w->x->cfg->stop;

	if (atomic_load(&w->x->failed))
		return 1;
	if (stop != NULL && *stop) {
		err_internal(&w->e, "interrupted; %s is as it was", w->x->cfg->dir);
		return 1;
	}
	return 0;
}

/* ---- files ---- */

/* Create rel in the tree, its full name in path: the descriptor, or -1 with w->e set. */
static int
export_create(struct export_worker *w, const char *rel, char path[EXPORT_PATH_MAX])
{
	int fd;

	if ((size_t)snprintf(path, EXPORT_PATH_MAX, "%s/%s", w->x->tmp, rel) >= EXPORT_PATH_MAX)
		return err_set(&w->e, "%s/%s: path too long", w->x->cfg->dir, rel);
	if ((fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644)) == -1)
		return err_internal(&w->e, "%s: %s", path, strerror(errno));
	return fd;
}

/* Write all of data to fd; on failure fd is closed and w->e names the file. */
static int
export_put(struct export_worker *w, int fd, const char *path, const char *data, size_t len)
{
	ssize_t n;

	for (; len > 0; data += n, len -= (size_t)n) {
		if ((n = write(fd, data, len)) == -1 && errno == EINTR) {
			n = 0;
		} else if (n <= 0) {
			err_internal(&w->e, "%s: %s", path,
			             n == -1 ? strerror(errno) : "short write");
			close(fd);
			return -1;
		}
		w->stats.bytes += (unsigned long long)n;
	}
	return 0;
}

static int
export_close(struct export_worker *w, int fd, const char *path)
{
	if (close(fd) == -1)
		return err_internal(&w->e, "%s: %s", path, strerror(errno));
	w->stats.files++;
	return 0;
}

static int
export_write(struct export_worker *w, const char *rel, const char *data, size_t len)
{
	char path[EXPORT_PATH_MAX];
	int fd;

	if ((fd = export_create(w, rel, path)) == -1 || export_put(w, fd, path, data, len) == -1)
		return -1;
	return export_close(w, fd, path);
}

static int
export_mkdir(struct export *x, const char *rel, struct err *e)
{
	char path[EXPORT_PATH_MAX];

	if ((size_t)snprintf(path, sizeof(path), "%s/%s", x->tmp, rel) >= sizeof(path))
		return err_set(e, "%s/%s: path too long", x->cfg->dir, rel);
	if (mkdir(path, 0755) == -1)
		return err_internal(e, "%s: %s", path, strerror(errno));
	return 0;
}

static int
export_unlink_cb(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path);
}

/* rm -r, for our own temporary tree only: FTW_PHYS never follows a symlink out of it. */
static void
export_remove_tree(const char *path)
{
	nftw(path, export_unlink_cb, 16, FTW_DEPTH | FTW_PHYS);
}

/* 0 when DIR may be replaced: absent, an empty directory, or a tree with our marker. */
static int
export_check_dir(const char *dir, struct err *e)
{
	char marker[EXPORT_PATH_MAX];
	struct dirent *de;
	struct stat sb;
	int empty = 1;
	DIR *d;

	if (lstat(dir, &sb) == -1)
		return errno == ENOENT ? 0 : err_set(e, "%s: %s", dir, strerror(errno));
	if (!S_ISDIR(sb.st_mode))
		return err_set(e, "%s: exists and is not a directory; not replacing it", dir);
	snprintf(marker, sizeof(marker), "%s/%s", dir, EXPORT_MARKER);
	if (access(marker, F_OK) == 0)
		return 0;
	if ((d = opendir(dir)) == NULL)
		return err_set(e, "%s: %s", dir, strerror(errno));
	while (empty && (de = readdir(d)) != NULL)
		empty = strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0;
	closedir(d);
	if (!empty)
		return err_set(e,
		               "%s: exists and is not a portolan export (no %s in it); "
		               "not replacing it",
		               dir, EXPORT_MARKER);
	return 0;
}

/* Put the finished tree at DIR in one step; the previous export, if any, is removed after. */
static int
export_swap(struct export *x, struct err *e)
{
	const char *dir = x->cfg->dir;

	if (export_check_dir(dir, e) == -1) /* again: DIR may have changed while we worked */
		return -1;
	if (rename(x->tmp, dir) == 0) /* no DIR, or an empty one */
		return 0;
	if (errno != ENOTEMPTY && errno != EEXIST)
		return err_internal(e, "%s: %s", dir, strerror(errno));
	if (renameat2(AT_FDCWD, x->tmp, AT_FDCWD, dir, RENAME_EXCHANGE) == -1)
		return err_internal(e, "%s: cannot swap in the new export: %s", dir,
		                    strerror(errno));
	export_remove_tree(x->tmp); /* now the previous export */
	return 0;
}

/* ---- pages ---- */

/* Render obj in language t as LANG/KIND/NAME.html, or LANG/index.html when kind is NULL. */
static int
export_page(struct export_worker *w, const struct i18n *t, const char *kind, const char *name,
            const json_t *obj, export_render render)
{
	char rel[EXPORT_PATH_MAX];
	struct html_site site = w->site;
	struct html_ctx c = {.t = t, .langs = w->x->set, .site = &site};

	strbuf_reset(&w->page);
	strbuf_reset(&w->file);
	if (html_site_file(&w->file, kind, name) == -1)
		return err_set(&w->e, "%s: the name is too long for a file", name);
	site.root = kind != NULL ? "../../" : "../";
	site.self = w->file.buf;
	if (render(&w->page, obj, &c) == -1)
		return err_internal(&w->e, "%s/%s: the page does not fit in %u bytes", i18n_code(t),
		                    w->file.buf, ROUTES_BODY_LIMIT);
	snprintf(rel, sizeof(rel), "%s/%s", i18n_code(t), w->file.buf);
	w->stats.pages++;
	return export_write(w, rel, w->page.buf, w->page.len);
}

/* The not-found page's renderer, in export_render's shape. */
static int
export_render_404(struct strbuf *out, const json_t *obj, const struct html_ctx *c)
{
	(void)obj;
	return html_error(out, 404, c);
}

/* A page at the tree's root (index.html, 404.html) in the first language. */
static int
export_root_page(struct export_worker *w, const char *file, const char *root, const json_t *obj,
                 export_render render)
{
	struct html_site site = w->site;
	struct html_ctx c = {.t = w->x->langs[0], .langs = w->x->set, .site = &site};

	site.root = root;
	site.self = "index.html";
	strbuf_reset(&w->page);
	if (render(&w->page, obj, &c) == -1)
		return err_internal(&w->e, "%s: the page does not fit", file);
	w->stats.pages++;
	return export_write(w, file, w->page.buf, w->page.len);
}

/* Every language's page for one object. */
static int
export_all_langs(struct export_worker *w, const char *kind, const char *name, const json_t *obj,
                 export_render render)
{
	size_t i;

	for (i = 0; i < w->x->nlangs; i++)
		if (export_page(w, w->x->langs[i], kind, name, obj, render) == -1)
			return -1;
	return 0;
}

static int
export_json(struct export_worker *w, const char *rel, const json_t *obj)
{
	char *s = json_dumps(obj, JSON_INDENT(2)); /* as the API serves it (routes.c) */
	int rc;

	if (s == NULL)
		return err_internal(&w->e, "%s: out of memory", rel);
	strbuf_reset(&w->page);
	rc = strbuf_appends(&w->page, s) == 0 && strbuf_appendc(&w->page, '\n') == 0
	         ? export_write(w, rel, w->page.buf, w->page.len)
	         : err_internal(&w->e, "%s: too large", rel);
	free(s);
	return rc;
}

/*
 * A port's page in every language, each with the curated texts data/
 * translates into it: a copy of the English report per language, made
 * only where the port has curated text at all.
 */
static int
export_port_langs(struct export_worker *w, const char *num, json_t *rep)
{
	int curated = json_array_size(json_object_get(rep, "uses")) > 0 ||
	              json_array_size(json_object_get(rep, "history")) > 0 ||
	              json_is_object(json_object_get(rep, "note"));
	json_t *copy;
	size_t i;
	int rc = 0;

	if (!curated) {
		public_report(rep); /* published: no path of the exporting machine's */
		return export_all_langs(w, "port", num, rep, html_port);
	}
	for (i = 0; rc == 0 && i < w->x->nlangs; i++) {
		if ((copy = json_deep_copy(rep)) == NULL)
			return err_internal(&w->e, "port %s: out of memory", num);
		/* The translations are found by the texts' files: strip paths after. */
		rc = report_set_lang(w->st, copy, i18n_file(w->x->langs[i]), &w->e);
		public_report(copy);
		if (rc == 0)
			rc = export_page(w, w->x->langs[i], "port", num, copy, html_port);
		json_decref(copy);
	}
	return rc;
}

/* A worker's share of the ports: its JSON report and its page in every language. */
static int
export_ports(struct export_worker *w)
{
	const struct export *x = w->x;
	char num[16], rel[64];
	struct query q;
	json_t *rep;
	long port;
	int rc = 0;

	for (port = x->cfg->port_lo + (long)w->index; rc == 0 && port <= x->cfg->port_hi;
	     port += (long)x->nworkers) {
		if (export_stopping(w))
			return w->e.kind == ERR_NONE ? 0 : -1;
		snprintf(num, sizeof(num), "%ld", port);
		if (query_parse(num, &q, &w->e) == -1 ||
		    (rep = report_port(w->st, &q, &x->renv, &w->e)) == NULL) {
			err_prefix(&w->e, "port %ld", port);
			return -1;
		}
		/* The pages first: export_port_langs() translates from the report's paths. */
		rc = export_port_langs(w, num, rep);
		public_report(rep); /* published: no path of the exporting machine's */
		snprintf(rel, sizeof(rel), "api/v1/ports/%ld.json", port);
		if (rc == 0)
			rc = words_localize(rep, NULL) == -1
			         ? err_internal(&w->e, "port %ld: out of memory", port)
			         : export_json(w, rel, rep);
		json_decref(rep);
	}
	return rc;
}

/*
 * A worker's share of this round's service names.  A name the report
 * layer does not know gets the not-found page, as the server would answer.
 */
static int
export_services(struct export_worker *w)
{
	const struct export *x = w->x;
	const char *name;
	json_t *obj;
	size_t i;
	int rc = 0;

	for (i = w->index; rc == 0 && i < json_array_size(x->todo); i += x->nworkers) {
		if (export_stopping(w))
			return w->e.kind == ERR_NONE ? 0 : -1;
		name = json_string_value(json_array_get(x->todo, i));
		if ((obj = pages_service(w->st, name, &w->e)) == NULL) {
			if (w->e.kind != ERR_INPUT)
				return -1;
			w->e = (struct err){0}; /* not an error of the export's */
			if (json_object_set_new(w->missing, name, json_true()) == -1)
				return err_internal(&w->e, "out of memory");
		}
		if (obj != NULL)
			public_report(obj);
		rc = export_all_langs(w, "service", name, obj,
		                      obj ? html_service : export_render_404);
		json_decref(obj);
	}
	return rc;
}

/* ---- workers ---- */

static void *
export_thread(void *arg)
{
	struct export_worker *w = arg;

	if ((w->rc = w->fn(w)) == -1)
		atomic_store(&w->x->failed, 1);
	return NULL;
}

/*
 * Run fn on every worker, each on a thread of its own but the first, which
 * runs here.  A worker whose thread cannot start runs here too, so every
 * share is done either way.  -1 with the first worker's error in e.
 */
static int
export_parallel(struct export *x, struct export_worker *ws, int (*fn)(struct export_worker *w),
                struct err *e)
{
	size_t i, started;

	for (i = 0; i < x->nworkers; i++)
		ws[i].fn = fn;
	for (started = 1; started < x->nworkers; started++)
		if (pthread_create(&ws[started].tid, NULL, export_thread, &ws[started]) != 0)
			break;
	export_thread(&ws[0]);
	for (i = started; i < x->nworkers; i++)
		export_thread(&ws[i]);
	for (i = 1; i < started; i++)
		pthread_join(ws[i].tid, NULL);
	for (i = 0; i < x->nworkers; i++)
		if (ws[i].rc == -1) {
			*e = ws[i].e;
			return -1;
		}
	return 0;
}

/*
 * Each round renders the service names linked so far and not yet
 * written, which the workers' pages collected in their own sets.  A
 * service page could link more names, so rounds go on until one finds
 * none new.
 */
static int
export_all_services(struct export *x, struct export_worker *ws, struct err *e)
{
	json_t *done = x->services, *v;
	const char *name;
	size_t i;
	int rc = (x->todo = json_array()) != NULL ? 0 : -1;

	while (rc == 0) {
		json_array_clear(x->todo);
		for (i = 0; rc == 0 && i < x->nworkers; i++)
			json_object_foreach(ws[i].site.services, name, v)
			{
				if (json_object_get(done, name) == NULL &&
				    (json_array_append_new(x->todo, json_string(name)) == -1 ||
				     json_object_set(done, name, json_true()) == -1))
					rc = -1;
			}
		if (rc == -1 || json_array_size(x->todo) == 0)
			break;
		rc = export_parallel(x, ws, export_services, e);
	}
	if (rc == -1 && e->kind == ERR_NONE) /* not a worker's error: a set or list failed */
		err_internal(e, "out of memory");
	return rc;
}

static int
export_index_and_ranges(struct export_worker *w)
{
	static const char *const ranges[] = {"well-known", "registered", "dynamic"};
	json_t *obj;
	size_t i;
	int rc;

	if ((obj = pages_index(w->st, ROUTES_MOST_COMMON, &w->e)) == NULL)
		return -1;
	public_report(obj);
	rc = export_all_langs(w, NULL, NULL, obj, html_index);
	if (rc == 0)
		rc = export_root_page(w, "index.html", "", obj, html_index);
	json_decref(obj);
	for (i = 0; rc == 0 && i < sizeof(ranges) / sizeof(ranges[0]); i++) {
		if ((obj = pages_range(w->st, ranges[i], &w->e)) == NULL)
			return -1;
		public_report(obj);
		rc = export_all_langs(w, "range", ranges[i], obj, html_range);
		json_decref(obj);
	}
	return rc;
}

static int
export_assets(struct export_worker *w)
{
	size_t i;

	for (i = 0; i < assets_count(); i++) {
		const struct asset *a = assets_at(i);

		/* a->path is "/assets/NAME": the tree has the same layout. */
		if (export_write(w, a->path + 1, (const char *)a->data, a->len) == -1)
			return -1;
	}
	return 0;
}

/*
 * --base-url: an http(s) URL with a host, no query or fragment, and only
 * characters a URL holds unescaped (RFC 3986), so it goes into pages and
 * the sitemap as given.  A '/' is added when it does not end in one.
 */
static int
export_pick_base(struct export *x, struct err *e)
{
	static const char url_chars[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	                                "0123456789-._~:/@!$&'()*+,;=%[]";
	const char *u = x->cfg->base_url, *host;
	size_t n, bad;

	if (u == NULL)
		return 0;
	n = strlen(u);
	host = strncmp(u, "https://", 8) == 0  ? u + 8
	       : strncmp(u, "http://", 7) == 0 ? u + 7
	                                       : NULL;
	if (n > EXPORT_URL_MAX)
		return err_set(e, "--base-url: longer than %d bytes", EXPORT_URL_MAX);
	if (host == NULL)
		return err_set(e, "--base-url: \"%s\" does not start with https:// or http://", u);
	if (*host == '\0' || *host == '/')
		return err_set(e, "--base-url: \"%s\" has no host name", u);
	if (u[bad = strspn(u, url_chars)] != '\0')
		return err_set(e,
		               u[bad] == '?' || u[bad] == '#'
		                   ? "--base-url: byte %zu: the site's address has no query or "
		                     "fragment"
		                   : "--base-url: byte %zu cannot be in a URL as it is; "
		                     "percent-encode it",
		               bad + 1);
	snprintf(x->base, sizeof(x->base), "%s%s", u, u[n - 1] == '/' ? "" : "/");
	return 0;
}

/* "all", or codes separated by commas, each a language of the catalogs, once. */
static int
export_pick_langs(struct export *x, struct err *e)
{
	const char *s = x->cfg->langs, *end;
	char code[32];
	size_t n = 0, i;

	if (strcmp(s, "all") == 0) {
		for (; n < i18n_count(x->set) && n < EXPORT_MAX_LANGS; n++)
			x->langs[n] = i18n_at(x->set, n);
	} else {
		for (;; s = end + 1) {
			end = s + strcspn(s, ",");
			if (end == s || (size_t)(end - s) >= sizeof(code) || n == EXPORT_MAX_LANGS)
				return err_set(e, "--lang: \"%s\" is not a list of language codes",
				               x->cfg->langs);
			snprintf(code, sizeof(code), "%.*s", (int)(end - s), s);
			if ((x->langs[n] = i18n_get(x->set, code)) == NULL)
				return err_set(e, "--lang: no catalog for \"%s\" (po/%s.po)", code,
				               code);
			for (i = 0; i < n; i++)
				if (x->langs[i] == x->langs[n])
					return err_set(e, "--lang: \"%s\" is given twice", code);
			n++;
			if (*end == '\0')
				break;
		}
	}
	x->nlangs = n;
	return 0;
}

static int
export_dirs(struct export *x, struct err *e)
{
	static const char *const kinds[] = {"port", "range", "service"};
	char rel[128];
	size_t i, k;

	if (export_mkdir(x, "assets", e) == -1 || export_mkdir(x, "api", e) == -1 ||
	    export_mkdir(x, "api/v1", e) == -1 || export_mkdir(x, "api/v1/ports", e) == -1)
		return -1;
	for (i = 0; i < x->nlangs; i++) {
		if (export_mkdir(x, i18n_code(x->langs[i]), e) == -1)
			return -1;
		for (k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
			snprintf(rel, sizeof(rel), "%s/%s", i18n_code(x->langs[i]), kinds[k]);
			if (export_mkdir(x, rel, e) == -1)
				return -1;
		}
	}
	return 0;
}

/* ---- sitemap ---- */

/*
 * The sitemap (https://www.sitemaps.org/protocol.html) lists every page's
 * canonical URL, the same string html_begin() puts in rel=canonical:
 * files sitemap-1.xml, sitemap-2.xml... of at most 50,000 URLs each, at
 * the tree's root because a sitemap may only list URLs under its own
 * directory, and sitemap.xml, the index that names them.  Streamed
 * through the worker's page buffer: all languages of all ports make
 * tens of megabytes.
 */
struct export_sitemap {
	struct export_worker *w;
	size_t per_file;
	size_t in_file; /* URLs in the open file */
	size_t files;   /* files begun */
	int fd;         /* the open file, or -1 */
	char path[EXPORT_PATH_MAX];
};

static const char export_xml_head[] = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";

static int
export_sitemap_flush(struct export_sitemap *sm, size_t above)
{
	struct export_worker *w = sm->w;

	if (w->page.len <= above)
		return 0;
	if (export_put(w, sm->fd, sm->path, w->page.buf, w->page.len) == -1) {
		sm->fd = -1; /* closed by export_put */
		return -1;
	}
	strbuf_reset(&w->page);
	return 0;
}

static int
export_sitemap_close(struct export_sitemap *sm)
{
	int fd = sm->fd;

	if (fd == -1)
		return 0;
	if (strbuf_appends(&sm->w->page, "</urlset>\n") == -1 || export_sitemap_flush(sm, 0) == -1)
		return -1;
	sm->fd = -1;
	return export_close(sm->w, fd, sm->path);
}

/* One page of the tree, in language t; kind and name as html_site_file(). */
static int
export_sitemap_add(struct export_sitemap *sm, const struct i18n *t, const char *kind,
                   const char *name)
{
	struct export_worker *w = sm->w;
	char rel[64];

	if (sm->fd == -1 || sm->in_file == sm->per_file) {
		if (export_sitemap_close(sm) == -1)
			return -1;
		snprintf(rel, sizeof(rel), "sitemap-%zu.xml", ++sm->files);
		if ((sm->fd = export_create(w, rel, sm->path)) == -1)
			return -1;
		sm->in_file = 0;
		strbuf_reset(&w->page);
		if (strbuf_appends(&w->page, export_xml_head) == -1 ||
		    strbuf_appends(
		        &w->page, "<urlset "
		                  "xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n") == -1)
			return err_internal(&w->e, "%s: out of memory", sm->path);
	}
	strbuf_reset(&w->file);
	if (html_site_file(&w->file, kind, name) == -1 ||
	    strbuf_appends(&w->page, "<url><loc>") == -1 ||
	    html_site_url(&w->page, w->x->base, t, w->file.buf) == -1 ||
	    strbuf_appends(&w->page, "</loc></url>\n") == -1)
		return err_internal(&w->e, "%s: a URL does not fit", sm->path);
	sm->in_file++;
	return export_sitemap_flush(sm, EXPORT_FLUSH);
}

static int
export_name_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/*
 * The service names that have a page, sorted so the sitemap does not
 * depend on which worker met a name first: the names linked, less those
 * the report layer did not know (their file is the not-found page).
 */
static const char **
export_service_pages(struct export *x, const struct export_worker *ws, size_t *n)
{
	const char **names = calloc(json_object_size(x->services) + 1, sizeof(*names));
	const char *name;
	json_t *v;
	size_t i;
	int missing;

	*n = 0;
	if (names == NULL)
		return NULL;
	json_object_foreach(x->services, name, v)
	{
		for (missing = 0, i = 0; !missing && i < x->nworkers; i++)
			missing = json_object_get(ws[i].missing, name) != NULL;
		if (!missing)
			names[(*n)++] = name;
	}
	qsort(names, *n, sizeof(*names), export_name_cmp);
	return names;
}

/* Every page of one language, in the order of the tree's layout. */
static int
export_sitemap_lang(struct export_sitemap *sm, const struct i18n *t, const char **services,
                    size_t nservices)
{
	static const char *const ranges[] = {"well-known", "registered", "dynamic"};
	const struct export_cfg *cfg = sm->w->x->cfg;
	char num[16];
	size_t i;
	long port;

	if (export_sitemap_add(sm, t, NULL, NULL) == -1)
		return -1;
	for (i = 0; i < sizeof(ranges) / sizeof(ranges[0]); i++)
		if (export_sitemap_add(sm, t, "range", ranges[i]) == -1)
			return -1;
	for (port = cfg->port_lo; port <= cfg->port_hi; port++) {
		snprintf(num, sizeof(num), "%ld", port);
		if (export_sitemap_add(sm, t, "port", num) == -1)
			return -1;
	}
	for (i = 0; i < nservices; i++)
		if (export_sitemap_add(sm, t, "service", services[i]) == -1)
			return -1;
	return 0;
}

/* sitemap-N.xml, then sitemap.xml naming them, then robots.txt pointing at it. */
static int
export_sitemap(struct export *x, struct export_worker *w, const struct export_worker *ws)
{
	struct export_sitemap sm = {.w = w, .fd = -1};
	const char **services;
	size_t nservices, i;
	int rc = 0;

	sm.per_file = x->cfg->sitemap_urls > 0 ? x->cfg->sitemap_urls : EXPORT_SITEMAP_URLS;
	if ((services = export_service_pages(x, ws, &nservices)) == NULL)
		return err_internal(&w->e, "out of memory");
	for (i = 0; rc == 0 && i < x->nlangs; i++)
		rc = export_sitemap_lang(&sm, x->langs[i], services, nservices);
	free(services);
	if (rc == -1) {
		if (sm.fd != -1)
			close(sm.fd);
		return -1;
	}
	if (export_sitemap_close(&sm) == -1)
		return -1;
	strbuf_reset(&w->page);
	rc = strbuf_appends(&w->page, export_xml_head) == -1 ||
	     strbuf_appends(&w->page,
	                    "<sitemapindex "
	                    "xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n") == -1;
	for (i = 1; rc == 0 && i <= sm.files; i++)
		rc = strbuf_appends(&w->page, "<sitemap><loc>") == -1 ||
		     html_escape(&w->page, x->base) == -1 ||
		     strbuf_appendf(&w->page, "sitemap-%zu.xml</loc></sitemap>\n", i) == -1;
	if (rc != 0 || strbuf_appends(&w->page, "</sitemapindex>\n") == -1)
		return err_internal(&w->e, "sitemap.xml: too large");
	if (export_write(w, "sitemap.xml", w->page.buf, w->page.len) == -1)
		return -1;
	/* Where crawlers look first; it only counts at a host's root, harmless elsewhere. */
	strbuf_reset(&w->page);
	if (strbuf_appends(&w->page, "User-agent: *\nDisallow:\nSitemap: ") == -1 ||
	    strbuf_appends(&w->page, x->base) == -1 ||
	    strbuf_appends(&w->page, "sitemap.xml\n") == -1)
		return err_internal(&w->e, "robots.txt: too large");
	return export_write(w, "robots.txt", w->page.buf, w->page.len);
}

static int
export_tree(struct export *x, struct export_worker *ws, struct err *e)
{
	static const char marker[] = "portolan static export\n";
	struct export_worker *w = &ws[0]; /* the pages written here, one thread */

	if (export_dirs(x, e) == -1)
		return -1;
	if (export_assets(w) == -1 || export_index_and_ranges(w) == -1) {
		*e = w->e;
		return -1;
	}
	if (export_parallel(x, ws, export_ports, e) == -1 || export_all_services(x, ws, e) == -1)
		return -1;
	/*
	 * Absolute links, as a host serves 404.html for a missing file at any
	 * depth: from the public URL when known, else from the host's root.
	 */
	w->site.base = NULL; /* a not-found page has no canonical URL */
	if (export_root_page(w, "404.html", x->base[0] ? x->base : "/", NULL, export_render_404) ==
	        -1 ||
	    (x->base[0] && export_sitemap(x, w, ws) == -1) ||
	    export_write(w, EXPORT_MARKER, marker, strlen(marker)) == -1) {
		*e = w->e;
		return -1;
	}
	return 0;
}

/* Every worker's store, buffers and service set; -1 with e filled. */
static int
export_workers_open(struct export *x, struct export_worker *ws, struct err *e)
{
	size_t i;

	for (i = 0; i < x->nworkers; i++) {
		struct export_worker *w = &ws[i];

		*w = (struct export_worker){.x = x, .index = i};
		strbuf_init(&w->page, ROUTES_BODY_LIMIT);
		strbuf_init(&w->file, EXPORT_PATH_MAX);
		w->site = (struct html_site){.port_lo = x->cfg->port_lo,
		                             .port_hi = x->cfg->port_hi,
		                             .langs = x->langs,
		                             .nlangs = x->nlangs,
		                             .base = x->base[0] ? x->base : NULL,
		                             .services = json_object()};
		w->missing = json_object();
		if (w->site.services == NULL || w->missing == NULL)
			return err_internal(e, "out of memory");
		if (store_open(x->cfg->db, &w->st, e) == -1)
			return -1;
	}
	return 0;
}

static void
export_workers_close(struct export *x, struct export_worker *ws, struct export_stats *stats)
{
	size_t i;

	for (i = 0; i < x->nworkers; i++) {
		stats->pages += ws[i].stats.pages;
		stats->files += ws[i].stats.files;
		stats->bytes += ws[i].stats.bytes;
		strbuf_free(&ws[i].page);
		strbuf_free(&ws[i].file);
		json_decref(ws[i].site.services);
		json_decref(ws[i].missing);
		if (ws[i].st != NULL)
			store_close(ws[i].st);
	}
}

int
export_site(const struct export_cfg *cfg, struct export_stats *stats, struct err *e)
{
	struct export x = {.cfg = cfg};
	struct export_worker *ws = NULL;
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	int rc = -1;

	memset(stats, 0, sizeof(*stats));
	if (cfg->port_lo < 0 || cfg->port_hi > 65535 || cfg->port_lo > cfg->port_hi)
		return err_set(e, "--ports: %ld-%ld is not within 0-65535", cfg->port_lo,
		               cfg->port_hi);
	if (export_check_dir(cfg->dir, e) == -1)
		return -1;
	if ((size_t)snprintf(x.tmp, sizeof(x.tmp), "%s.tmp-XXXXXX", cfg->dir) >= sizeof(x.tmp))
		return err_set(e, "%s: path too long", cfg->dir);
	if (i18n_load(cfg->podir, &x.set, e) == -1)
		return -1;
	if (export_pick_langs(&x, e) == -1 || export_pick_base(&x, e) == -1)
		goto out;
	if ((x.services = json_object()) == NULL) {
		err_internal(e, "out of memory");
		goto out;
	}
	x.nworkers = cfg->threads > 0 ? cfg->threads : ncpu > 0 ? (size_t)ncpu : 1;
	if (x.nworkers > EXPORT_MAX_THREADS)
		x.nworkers = EXPORT_MAX_THREADS;
	report_env_init(&x.renv);
	/* A publication: never this machine's listeners, and Linux's defaults, not its settings. */
	x.renv.with_listening = 0;
	range_machine_defaults(&x.renv.machine);
	if ((ws = calloc(x.nworkers, sizeof(*ws))) == NULL) {
		err_internal(e, "out of memory");
		goto out;
	}
	if (export_workers_open(&x, ws, e) == -1)
		goto out_workers;
	if (mkdtemp(x.tmp) == NULL) {
		err_internal(e, "%s: cannot create a directory beside it: %s", cfg->dir,
		             strerror(errno));
		goto out_workers;
	}
	if (chmod(x.tmp, 0755) == -1 || export_tree(&x, ws, e) == -1 || export_swap(&x, e) == -1) {
		if (e->kind == ERR_NONE)
			err_internal(e, "%s: %s", x.tmp, strerror(errno));
		export_remove_tree(x.tmp);
		goto out_workers;
	}
	rc = 0;
out_workers:
	export_workers_close(&x, ws, stats);
	free(ws);
out:
	stats->languages = x.nlangs;
	json_decref(x.todo);
	json_decref(x.services);
	i18n_free(x.set);
	return rc;
}
