/*
 * test_machine_owners_bpf.c - the BPF iterator reports this process's own
 * socket with the right pid, fd and inode, and owners_find() gives the
 * same holders with and without it.  Skipped where BPF cannot be loaded
 * (not root, no BTF, built without bpftool).
 */
#include <sys/socket.h>
#include <sys/stat.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "machine/owners.h"
#include "machine/owners_bpf.h"

struct seen {
	uint64_t ino;
	uint32_t pid, fd;
	int hits, records, tasks_before;
	int tasks;
	uint32_t last_task; /* pid of the latest task record */
	int orphans;        /* socket records not preceded by their process's record */
	char comm[16];
};

static void
task(void *arg, uint32_t pid, uint32_t uid, const char *comm, const char *cgroup)
{
	struct seen *s = arg;

	(void)uid;
	(void)cgroup;
	s->tasks++;
	s->last_task = pid;
	if (pid == (uint32_t)getpid())
		snprintf(s->comm, sizeof(s->comm), "%s", comm);
}

static void
record(void *arg, uint32_t pid, uint32_t fd, uint64_t ino)
{
	struct seen *s = arg;

	s->records++;
	if (pid != s->last_task)
		s->orphans++;
	if (ino == s->ino) {
		s->hits++;
		s->pid = pid;
		s->fd = fd;
		s->tasks_before = s->tasks;
	}
}

static void
test_iterator_sees_our_socket(void **state)
{
	struct seen s = {0};
	struct stat st;
	struct err e = {0};
	int fd = socket(AF_INET, SOCK_DGRAM, 0);

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(fstat(fd, &st), 0);
	s.ino = st.st_ino;
	struct owners_bpf_sink sink = {.ctx = &s, .task = task, .sock = record};

	if (owners_bpf_sockets(&sink, &e) == -1) {
		close(fd);
		skip();
	}
	assert_int_equal(s.hits, 1);
	assert_int_equal(s.pid, getpid());
	assert_int_equal(s.fd, fd);
	assert_true(s.records >= 1);
	/* Every socket follows its process's record, across read() boundaries too. */
	assert_int_equal(s.orphans, 0);
	/* Our process was described before its socket, with its command name. */
	assert_true(s.tasks_before >= 1);
	assert_string_equal(s.comm, "test_machine_ow");
	close(fd);
}

static void
test_same_holders_both_paths(void **state)
{
	struct owners_opts walk = {.no_bpf = 1};
	struct owner_list a = {0}, b = {0};
	struct seen probe = {0};
	struct stat st;
	struct err e = {0};
	int fd = socket(AF_INET6, SOCK_STREAM, 0), dup_fd = dup(fd);
	uint64_t ino;

	(void)state;
	assert_int_equal(fstat(fd, &st), 0);
	ino = st.st_ino;
	struct owners_bpf_sink sink = {.ctx = &probe, .task = task, .sock = record};

	if (owners_bpf_sockets(&sink, &e) == -1) {
		close(fd);
		close(dup_fd);
		skip();
	}
	assert_int_equal(owners_find(NULL, &ino, 1, &a, &e), 0);
	assert_int_equal(owners_find(&walk, &ino, 1, &b, &e), 0);
	assert_int_equal(a.n, 2); /* the socket and its dup */
	assert_int_equal(b.n, a.n);
	for (size_t i = 0; i < a.n; i++) {
		assert_int_equal(a.v[i].pid, b.v[i].pid);
		assert_int_equal(a.v[i].fd, b.v[i].fd);
		assert_string_equal(a.v[i].comm, b.v[i].comm);
		assert_string_equal(a.v[i].user, b.v[i].user);
		assert_string_equal(a.v[i].unit, b.v[i].unit);
		assert_int_equal(a.v[i].uid, b.v[i].uid);
	}
	owners_free(&a);
	owners_free(&b);
	close(fd);
	close(dup_fd);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_iterator_sees_our_socket),
	    cmocka_unit_test(test_same_holders_both_paths),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
