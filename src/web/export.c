/*
 * export.c - the whole site as static files (export.h).
 *
 * One pass over the ports builds each port's report once and renders it
 * in every exported language, so the cost is a report per port and a
 * render per page.  Service pages come last: they are exactly the names
 * the other pages linked (html_site.services), so every service link in
 * the tree has its file and no service page exists that nothing links.
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

#include "assets.h"
#include "export.h"
#include "registry/store.h"
#include "render/html.h"
#include "render/i18n.h"
#include "report/pages.h"
#include "report/query.h"
#include "report/report.h"
#include "routes.h"
#include "util/strbuf.h"

#define EXPORT_MARKER    ".portolan-export"
#define EXPORT_MAX_LANGS 64
#define EXPORT_PATH_MAX  4096

typedef int (*export_render)(struct strbuf *out, const json_t *obj, const struct html_ctx *c);

struct export
{
	const struct export_cfg *cfg;
	struct export_stats *stats;
	char tmp[EXPORT_PATH_MAX]; /* the tree being written, beside cfg->dir */
	struct store *st;
	struct i18n_set *set;
	const struct i18n *langs[EXPORT_MAX_LANGS];
	struct html_site site; /* what every page shares; root and self vary */
	struct strbuf page;    /* the page being rendered */
	struct strbuf file;    /* its file name under the language directory */
};

/* ---- files ---- */

static int
export_write(struct export *x, const char *rel, const char *data, size_t len, struct err *e)
{
	char path[EXPORT_PATH_MAX];
	ssize_t n;
	int fd;

	if ((size_t)snprintf(path, sizeof(path), "%s/%s", x->tmp, rel) >= sizeof(path))
		return err_set(e, "%s/%s: path too long", x->cfg->dir, rel);
	if ((fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644)) == -1)
		return err_internal(e, "%s: %s", path, strerror(errno));
	for (; len > 0; data += n, len -= (size_t)n) {
		if ((n = write(fd, data, len)) == -1 && errno == EINTR) {
			n = 0;
		} else if (n <= 0) {
			err_internal(e, "%s: %s", path, n == -1 ? strerror(errno) : "short write");
			close(fd);
			return -1;
		}
		x->stats->bytes += (unsigned long long)n;
	}
	if (close(fd) == -1)
		return err_internal(e, "%s: %s", path, strerror(errno));
	x->stats->files++;
	return 0;
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
export_page(struct export *x, const struct i18n *t, const char *kind, const char *name,
            const json_t *obj, export_render render, struct err *e)
{
	char rel[EXPORT_PATH_MAX];
	struct html_site site = x->site;
	struct html_ctx c = {.t = t, .langs = x->set, .site = &site};

	strbuf_reset(&x->page);
	strbuf_reset(&x->file);
	if (html_site_file(&x->file, kind, name) == -1)
		return err_set(e, "%s: the name is too long for a file", name);
	site.root = kind != NULL ? "../../" : "../";
	site.self = x->file.buf;
	if (render(&x->page, obj, &c) == -1)
		return err_internal(e, "%s/%s: the page does not fit in %u bytes", i18n_code(t),
		                    x->file.buf, ROUTES_BODY_LIMIT);
	snprintf(rel, sizeof(rel), "%s/%s", i18n_code(t), x->file.buf);
	x->stats->pages++;
	return export_write(x, rel, x->page.buf, x->page.len, e);
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
export_root_page(struct export *x, const char *file, const char *root, const json_t *obj,
                 export_render render, struct err *e)
{
	struct html_site site = x->site;
	struct html_ctx c = {.t = x->langs[0], .langs = x->set, .site = &site};

	site.root = root;
	site.self = "index.html";
	strbuf_reset(&x->page);
	if (render(&x->page, obj, &c) == -1)
		return err_internal(e, "%s: the page does not fit", file);
	x->stats->pages++;
	return export_write(x, file, x->page.buf, x->page.len, e);
}

/* Every language's page for one object. */
static int
export_all_langs(struct export *x, const char *kind, const char *name, const json_t *obj,
                 export_render render, struct err *e)
{
	size_t i;

	for (i = 0; i < x->stats->languages; i++)
		if (export_page(x, x->langs[i], kind, name, obj, render, e) == -1)
			return -1;
	return 0;
}

static int
export_json(struct export *x, const char *rel, const json_t *obj, struct err *e)
{
	char *s = json_dumps(obj, JSON_INDENT(2)); /* as the API serves it (routes.c) */
	int rc;

	if (s == NULL)
		return err_internal(e, "%s: out of memory", rel);
	strbuf_reset(&x->page);
	rc = strbuf_appends(&x->page, s) == 0 && strbuf_appendc(&x->page, '\n') == 0
	         ? export_write(x, rel, x->page.buf, x->page.len, e)
	         : err_internal(e, "%s: too large", rel);
	free(s);
	return rc;
}

static int
export_ports(struct export *x, struct err *e)
{
	struct report_env renv;
	char num[16], rel[64];
	struct query q;
	json_t *rep;
	long port;
	int rc;

	report_env_init(&renv);
	renv.with_listening = 0; /* a publication: never this machine's listeners */
	for (port = x->cfg->port_lo; port <= x->cfg->port_hi; port++) {
		snprintf(num, sizeof(num), "%ld", port);
		if (query_parse(num, &q, e) == -1 ||
		    (rep = report_port(x->st, &q, &renv, e)) == NULL) {
			err_prefix(e, "port %ld", port);
			return -1;
		}
		snprintf(rel, sizeof(rel), "api/v1/ports/%ld.json", port);
		rc = export_json(x, rel, rep, e);
		if (rc == 0)
			rc = export_all_langs(x, "port", num, rep, html_port, e);
		json_decref(rep);
		if (rc == -1)
			return -1;
	}
	return 0;
}

static int
export_index_and_ranges(struct export *x, struct err *e)
{
	static const char *const ranges[] = {"well-known", "registered", "dynamic"};
	json_t *obj;
	size_t i;
	int rc;

	if ((obj = pages_index(x->st, ROUTES_MOST_COMMON, e)) == NULL)
		return -1;
	rc = export_all_langs(x, NULL, NULL, obj, html_index, e);
	if (rc == 0)
		rc = export_root_page(x, "index.html", "", obj, html_index, e);
	json_decref(obj);
	for (i = 0; rc == 0 && i < sizeof(ranges) / sizeof(ranges[0]); i++) {
		if ((obj = pages_range(x->st, ranges[i], e)) == NULL)
			return -1;
		rc = export_all_langs(x, "range", ranges[i], obj, html_range, e);
		json_decref(obj);
	}
	return rc;
}

/*
 * A page for every service name linked so far.  A service page could link
 * more names, so this runs until a round adds none.  A name the report
 * layer does not know gets the not-found page, as the server would answer.
 */
static int
export_services(struct export *x, struct err *e)
{
	json_t *done = json_object(), *todo = json_array(), *obj, *v;
	const char *name;
	size_t i;
	int rc = done && todo ? 0 : err_internal(e, "out of memory");

	while (rc == 0) {
		json_array_clear(todo);
		json_object_foreach(x->site.services, name, v)
		{
			if (json_object_get(done, name) == NULL &&
			    (json_array_append_new(todo, json_string(name)) == -1 ||
			     json_object_set(done, name, json_true()) == -1))
				rc = err_internal(e, "out of memory");
		}
		if (rc == -1 || json_array_size(todo) == 0)
			break;
		json_array_foreach(todo, i, v)
		{
			name = json_string_value(v);
			if ((obj = pages_service(x->st, name, e)) == NULL) {
				if (e->kind != ERR_INPUT) {
					rc = -1;
					break;
				}
				*e = (struct err){0}; /* not an error of the export's */
			}
			rc = export_all_langs(x, "service", name, obj,
			                      obj ? html_service : export_render_404, e);
			json_decref(obj);
			if (rc == -1)
				break;
		}
	}
	json_decref(done);
	json_decref(todo);
	return rc;
}

static int
export_assets(struct export *x, struct err *e)
{
	size_t i;

	for (i = 0; i < assets_count(); i++) {
		const struct asset *a = assets_at(i);

		/* a->path is "/assets/NAME": the tree has the same layout. */
		if (export_write(x, a->path + 1, (const char *)a->data, a->len, e) == -1)
			return -1;
	}
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
	x->stats->languages = n;
	x->site.langs = x->langs;
	x->site.nlangs = n;
	return 0;
}

static int
export_tree(struct export *x, struct err *e)
{
	static const char *const kinds[] = {"port", "range", "service"};
	char rel[128];
	size_t i, k;

	if (export_mkdir(x, "assets", e) == -1 || export_mkdir(x, "api", e) == -1 ||
	    export_mkdir(x, "api/v1", e) == -1 || export_mkdir(x, "api/v1/ports", e) == -1)
		return -1;
	for (i = 0; i < x->stats->languages; i++) {
		if (export_mkdir(x, i18n_code(x->langs[i]), e) == -1)
			return -1;
		for (k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
			snprintf(rel, sizeof(rel), "%s/%s", i18n_code(x->langs[i]), kinds[k]);
			if (export_mkdir(x, rel, e) == -1)
				return -1;
		}
	}
	if (export_assets(x, e) == -1 || export_index_and_ranges(x, e) == -1 ||
	    export_ports(x, e) == -1 || export_services(x, e) == -1)
		return -1;
	/* Root-absolute links: a host serves 404.html for a missing file at any depth. */
	if (export_root_page(x, "404.html", "/", NULL, export_render_404, e) == -1)
		return -1;
	return export_write(x, EXPORT_MARKER, "portolan static export\n",
	                    strlen("portolan static export\n"), e);
}

int
export_site(const struct export_cfg *cfg, struct export_stats *stats, struct err *e)
{
	struct export x = {.cfg = cfg, .stats = stats};
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
	if (export_pick_langs(&x, e) == -1 || store_open(cfg->db, &x.st, e) == -1)
		goto out;
	x.site.port_lo = cfg->port_lo;
	x.site.port_hi = cfg->port_hi;
	if ((x.site.services = json_object()) == NULL) {
		err_internal(e, "out of memory");
		goto out;
	}
	strbuf_init(&x.page, ROUTES_BODY_LIMIT);
	strbuf_init(&x.file, EXPORT_PATH_MAX);
	if (mkdtemp(x.tmp) == NULL) {
		err_internal(e, "%s: cannot create a directory beside it: %s", cfg->dir,
		             strerror(errno));
		goto out_bufs;
	}
	if (chmod(x.tmp, 0755) == -1 || export_tree(&x, e) == -1 || export_swap(&x, e) == -1) {
		if (e->kind == ERR_NONE)
			err_internal(e, "%s: %s", x.tmp, strerror(errno));
		export_remove_tree(x.tmp);
		goto out_bufs;
	}
	rc = 0;
out_bufs:
	strbuf_free(&x.page);
	strbuf_free(&x.file);
out:
	json_decref(x.site.services);
	if (x.st != NULL)
		store_close(x.st);
	i18n_free(x.set);
	return rc;
}
