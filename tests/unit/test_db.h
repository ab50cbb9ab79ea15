/*
 * test_db.h - a real database for the renderer's and pages' unit tests.
 *
 * PORTOLAN_TEST_DB names an existing database to use as is.  Otherwise the
 * test builds one in a temporary directory from IANA's XML
 * (PORTOLAN_TEST_XML, default the copy vendored in data/iana/), nmap-services
 * when installed and the curated data/, which takes about a second.  With
 * neither available the caller skips its cases.  Header-only (static
 * functions) because each test binary is one translation unit.
 */
#ifndef PORTOLAN_TEST_DB_H
#define PORTOLAN_TEST_DB_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "registry/store.h"
#include "registry/update.h"

#define TEST_DB_XML PORTOLAN_DATADIR "/iana/service-names-port-numbers.xml"

struct test_db {
	struct store *st;
	char dir[64];
	char path[128];
};

/* 0 with t->st open, or -1 when no database can be had (skip). */
static int
test_db_open(struct test_db *t)
{
	const char *given = getenv("PORTOLAN_TEST_DB");
	const char *xml = getenv("PORTOLAN_TEST_XML");
	struct update_plan plan = {0};
	struct update_result res;
	struct err e = {0};

	memset(t, 0, sizeof(*t));
	if (given && *given)
		return store_open(given, &t->st, &e);
	if (xml == NULL || *xml == '\0')
		xml = TEST_DB_XML;
	if (access(xml, R_OK) != 0)
		return -1;
	snprintf(t->dir, sizeof(t->dir), "/tmp/portolan-test-XXXXXX");
	if (mkdtemp(t->dir) == NULL)
		return -1;
	snprintf(t->path, sizeof(t->path), "%s/t.db", t->dir);
	plan.db_path = t->path;
	plan.from = xml;
	plan.nmap_services = "/usr/share/nmap/nmap-services";
	plan.data_dir = PORTOLAN_DATADIR;
	if (update_run(&plan, &res, &e) == -1) {
		fprintf(stderr, "test_db: %s\n", e.msg);
		return -1;
	}
	return store_open(t->path, &t->st, &e);
}

static void
test_db_close(struct test_db *t)
{
	char f[160];

	store_close(t->st);
	t->st = NULL;
	if (t->dir[0]) {
		/* update leaves the database, its lock file and nothing else. */
		snprintf(f, sizeof(f), "%s/t.db", t->dir);
		unlink(f);
		snprintf(f, sizeof(f), "%s/t.db.lock", t->dir);
		unlink(f);
		rmdir(t->dir);
	}
}

/*
 * cmocka group fixtures for a test whose whole state is the database:
 * *state is the struct test_db, or NULL when there is none (skip).
 */
static inline int
test_db_setup(void **state)
{
	static struct test_db db;

	*state = test_db_open(&db) == 0 ? &db : NULL;
	return 0;
}

static inline int
test_db_teardown(void **state)
{
	if (*state)
		test_db_close(*state);
	return 0;
}

#endif
