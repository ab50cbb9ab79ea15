/*
 * test_machine_owners.c - the /proc walk on a fake procfs tree.
 *
 * owners_find() takes the procfs root as an option, so a temporary
 * directory of PID/fd/N symlinks ("socket:[42]") stands in for /proc: the
 * test controls exactly which process holds which inode, including one
 * socket held by two processes (an inherited listener) and entries that
 * are not processes at all.
 */
#include <sys/stat.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "machine/owners.h"

static char root[64];

static void
mk(int pid, const char *sub)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/%d%s", root, pid, sub);
	assert_int_equal(mkdir(path, 0755), 0);
}

static void
mkname(const char *name)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/%s", root, name);
	assert_int_equal(mkdir(path, 0755), 0);
}

static void
put(int pid, const char *name, const char *text)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%d/%s", root, pid, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void
fd(int pid, int n, const char *target)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/%d/fd/%d", root, pid, n);
	assert_int_equal(symlink(target, path), 0);
}

static void
proc(int pid, const char *comm)
{
	mk(pid, "");
	mk(pid, "/fd");
	put(pid, "comm", comm);
}

static int
setup(void **state)
{
	(void)state;
	snprintf(root, sizeof(root), "/tmp/portolan-owners-XXXXXX");
	assert_non_null(mkdtemp(root));
	proc(100, "nginx\n");
	put(100, "cgroup", "0::/system.slice/nginx.service\n");
	fd(100, 0, "/dev/null");
	fd(100, 3, "socket:[42]");
	fd(100, 5, "socket:[43]");
	fd(100, 6, "socket:[4242]"); /* a socket nobody asked about */
	proc(200, "nginx\n");        /* a forked worker: inherited fd 3 as fd 7 */
	put(200, "cgroup", "0::/user.slice/user-1000.slice/session-2\n");
	fd(200, 7, "socket:[42]");
	fd(200, 8, "socket:[42"); /* malformed links never match */
	fd(200, 9, "socket:[4x]");
	fd(200, 10, "pipe:[42]");
	mk(300, ""); /* a process that exited: no fd directory */
	mkname("self");
	mkname("acpi");
	mkname("12ab");
	/* Many processes so that several threads share the walk. */
	for (int pid = 1000; pid < 1600; pid++) {
		proc(pid, "filler\n");
		fd(pid, 1, "/dev/null");
		if (pid == 1599)
			fd(pid, 11, "socket:[44]");
	}
	return 0;
}

static int
teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	return system(cmd) == 0 ? 0 : -1;
}

static void
check(unsigned threads)
{
	const uint64_t inodes[] = {42, 99, 43, 0, 44};
	struct owners_opts o = {.proc = root, .threads = threads};
	struct owner_list l = {0};
	struct err e = {0};

	assert_int_equal(owners_find(&o, inodes, 5, &l, &e), 0);
	assert_int_equal(l.n, 4);
	assert_int_equal(l.v[0].sock, 0);
	assert_int_equal(l.v[0].pid, 100);
	assert_int_equal(l.v[0].fd, 3);
	assert_string_equal(l.v[0].comm, "nginx");
	assert_string_equal(l.v[0].unit, "nginx.service");
	assert_int_equal(l.v[0].uid, getuid());
	assert_int_equal(l.v[1].sock, 0);
	assert_int_equal(l.v[1].pid, 200);
	assert_int_equal(l.v[1].fd, 7);
	assert_string_equal(l.v[1].unit, "");
	assert_int_equal(l.v[2].sock, 2);
	assert_int_equal(l.v[2].pid, 100);
	assert_int_equal(l.v[2].fd, 5);
	assert_int_equal(l.v[3].sock, 4);
	assert_int_equal(l.v[3].pid, 1599);
	assert_string_equal(l.v[3].comm, "filler");
	assert_int_equal(l.denied, 0);
	owners_free(&l);
}

static void
test_one_thread(void **state)
{
	(void)state;
	check(1);
}

static void
test_threads(void **state)
{
	(void)state;
	check(4);
}

static void
test_no_proc(void **state)
{
	const uint64_t inodes[] = {42};
	struct owners_opts o = {.proc = "/nonexistent/proc"};
	struct owner_list l = {0};
	struct err e = {0};

	(void)state;
	assert_int_equal(owners_find(&o, inodes, 1, &l, &e), -1);
	assert_int_equal(e.kind, ERR_INTERNAL);
	assert_non_null(strstr(e.msg, "/nonexistent/proc"));
	owners_free(&l);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_one_thread),
	    cmocka_unit_test(test_threads),
	    cmocka_unit_test(test_no_proc),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
