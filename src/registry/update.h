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
 * curated data directory.  Each becomes a row in table source.
 */
#ifndef PORTOLAN_UPDATE_H
#define PORTOLAN_UPDATE_H

#include "../util/err.h"

#define UPDATE_IANA_URL                                                                            \
	"https://www.iana.org/assignments/service-names-port-numbers/"                             \
	"service-names-port-numbers.xml"

struct update_plan {
	const char *db_path;       /* the live database to replace */
	const char *from;          /* registry file or URL; NULL when npm_dir is used */
	const char *npm_dir;       /* node_modules holding the two npm snapshots, or NULL */
	const char *nmap_services; /* NULL to skip; a missing file is skipped silently */
	const char *etc_services;  /* likewise */
	const char *data_dir;      /* curated data; NULL to skip */
	int progress;              /* download progress on stderr */
	const char *ca_file; /* CAs to trust for the download instead of the system's, or NULL */
	const char *save;    /* keep a downloaded registry here once it imports, or NULL */
};

struct update_result {
	long long records; /* registry rows */
	long long people;  /* resolved people/organisations */
	long long aliases; /* names from other databases */
	long long curated; /* curated facts */
	char registry_as_of[32];
	char registry_source[64];
};

int update_run(const struct update_plan *plan, struct update_result *res, struct err *e);

#endif
