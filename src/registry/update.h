/*
 * update.h - build a new database from sources and swap it in atomically.
 *
 * `portolan update` is the only writer.  It builds the complete database in
 * a temporary file beside the live one, fsyncs it and rename()s it over the
 * live path, so readers see either the old database or the new one, never a
 * mix; any failure (bad input, a download error, SIGINT before the rename)
 * leaves the live database exactly as it was.  A lock file serialises
 * concurrent updates.
 *
 * Sources, in order: the registry (one of: a file or URL given with --from,
 * whose format is sniffed from its first bytes; or the offline npm
 * snapshot), then nmap-services and /etc/services when present, then the
 * curated data directory.  Each becomes a row in table source, dated by
 * the source itself (IANA's <updated>, nmap-services' $Id line) or else by
 * the newest modification time of what was read.
 *
 * A source can be well-formed and still wrong, so the new database must
 * also pass these checks before it replaces the live one (ERR_INPUT, the
 * message naming the file; nothing is changed):
 *  - every source merged has at least one record (a header-only CSV, a
 *    registry XML with no <record>, an empty services file);
 *  - no source has under half the records the same kind of source has in
 *    the live database (a download cut short); plan.force overrides this
 *    one, and update_result.forced says what was overridden;
 *  - a file or directory named by the caller is readable (an unset
 *    optional path, the system default, may be absent).
 * Registry rows that repeat an earlier row of the same source field for
 * field (a file with every record twice) are merged into the first; the
 * count and the first repeat are in update_result, for a warning.
 */
#ifndef PORTOLAN_UPDATE_H
#define PORTOLAN_UPDATE_H

#include "../util/err.h"

/* IANA's directory and the file in it, apart so a help text can show them in 80 columns. */
#define UPDATE_IANA_DIR  "https://www.iana.org/assignments/service-names-port-numbers/"
#define UPDATE_IANA_FILE "service-names-port-numbers.xml"
#define UPDATE_IANA_URL  UPDATE_IANA_DIR UPDATE_IANA_FILE

struct update_plan {
	const char *db_path;       /* the live database to replace */
	const char *from;          /* registry file or URL; NULL when npm_dir is used */
	const char *npm_dir;       /* node_modules holding the two npm snapshots, or NULL */
	const char *nmap_services; /* NULL to skip */
	const char *etc_services;  /* likewise */
	/* 1: the path is a system default, skipped silently when absent; 0: named, so required */
	int nmap_optional, etc_optional;
	const char *data_dir; /* curated data; NULL to skip */
	int progress;         /* download progress on stderr */
	const char *ca_file;  /* CAs to trust for the download instead of the system's, or NULL */
	int force;            /* replace the live database even when a source shrank by half */
	const char *save;     /* keep a downloaded registry here once it imports, or NULL */
};

struct update_result {
	long long records; /* registry rows */
	long long people;  /* resolved people/organisations */
	long long aliases; /* names from other databases */
	long long curated; /* curated facts */
	char registry_as_of[32];
	char registry_source[64];
	long long duplicates;   /* registry rows merged into an identical earlier row */
	char duplicate_at[512]; /* the first of them: "FILE:LINE repeats line N" */
	char forced[1024];      /* what plan.force let through ("" when nothing) */
};

int update_run(const struct update_plan *plan, struct update_result *res, struct err *e);

#endif
