/*
 * owners_bpf.c - load, run and read the task_file iterator (owners_bpf.h).
 *
 * Built with -DPORTOLAN_HAVE_BPF and the generated owners_iter.lskel.h
 * when the Makefile finds bpftool; otherwise only the stub at the end is
 * compiled, and owners.c uses the /proc walk.
 *
 * The program is loaded per call and released before returning: loading
 * takes about a millisecond, and a tool that leaves programs pinned in
 * the kernel after it exits would be a surprising neighbour.
 */
#include <errno.h>
#include <string.h>

#include "owners_bpf.h"

#ifdef PORTOLAN_HAVE_BPF

#include <sys/syscall.h>
#include <linux/bpf.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "owners_iter.lskel.h"

#define OWNERS_BPF_BUF (256 * 1024)

/* The iterator's records, as owners_iter.bpf writes them. */
struct owners_bpf_sock {
	uint32_t kind; /* 0 */
	uint32_t pid;
	uint32_t fd;
	uint32_t pad;
	uint64_t ino;
};

struct owners_bpf_task {
	uint32_t kind; /* 1 */
	uint32_t pid;
	uint32_t uid;
	uint32_t pad;
	char comm[16];
	char cgroup[64];
};

/* How deep our PID namespace is: the number of pids on "NSpid:" minus one. */
static unsigned
owners_bpf_ns_level(void)
{
	char buf[4096], *line;
	unsigned level = 0;
	ssize_t n;
	int fd;

	fd = open("/proc/self/status", O_RDONLY | O_CLOEXEC);
	if (fd == -1)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	line = strstr(buf, "\nNSpid:");
	if (line == NULL)
		return 0;
	for (line += 7; *line && *line != '\n'; line++)
		if ((*line == ' ' || *line == '\t') && line[1] >= '0' && line[1] <= '9')
			level++;
	return level ? level - 1 : 0;
}

/* Hand one record to the sink; its size, or 0 when buf holds less than a record. */
static size_t
owners_bpf_record(const char *buf, size_t len, const struct owners_bpf_sink *sink)
{
	struct owners_bpf_sock s;
	struct owners_bpf_task t;
	uint32_t kind;

	if (len < sizeof(kind))
		return 0;
	memcpy(&kind, buf, sizeof(kind));
	if (kind == 1) {
		if (len < sizeof(t))
			return 0;
		memcpy(&t, buf, sizeof(t));
		t.comm[sizeof(t.comm) - 1] = t.cgroup[sizeof(t.cgroup) - 1] = '\0';
		sink->task(sink->ctx, t.pid, t.uid, t.comm, t.cgroup);
		return sizeof(t);
	}
	if (len < sizeof(s))
		return 0;
	memcpy(&s, buf, sizeof(s));
	sink->sock(sink->ctx, s.pid, s.fd, s.ino);
	return sizeof(s);
}

static int
owners_bpf_read(int fd, const struct owners_bpf_sink *sink, struct err *e)
{
	char *buf = malloc(OWNERS_BPF_BUF);
	size_t have = 0, off, used;
	ssize_t n;

	if (buf == NULL)
		return err_internal(e, "bpf iterator: out of memory");
	/* A record may straddle two reads: carry the partial one over. */
	while ((n = read(fd, buf + have, OWNERS_BPF_BUF - have)) > 0) {
		size_t len = have + (size_t)n;

		for (off = 0; (used = owners_bpf_record(buf + off, len - off, sink)) > 0;)
			off += used;
		have = len - off;
		memmove(buf, buf + off, have);
	}
	free(buf);
	if (n < 0)
		return err_internal(e, "bpf iterator: read: %s", strerror(errno));
	return 0;
}

int
owners_bpf_sockets(const struct owners_bpf_sink *sink, struct err *e)
{
	struct owners_iter *skel;
	union bpf_attr attr;
	int fd, rc = -1;

	skel = owners_iter__open();
	if (skel == NULL)
		return err_internal(e, "bpf: cannot open the iterator: %s", strerror(errno));
	skel->rodata->ns_level = owners_bpf_ns_level();
	if (owners_iter__load(skel) != 0 || owners_iter__attach(skel) != 0) {
		err_internal(e, "bpf: cannot load the iterator: %s", strerror(errno));
		goto out;
	}
	memset(&attr, 0, sizeof(attr));
	attr.iter_create.link_fd = (uint32_t)skel->links.owners_iter_fd;
	fd = (int)syscall(__NR_bpf, BPF_ITER_CREATE, &attr, sizeof(attr));
	if (fd < 0) {
		err_internal(e, "bpf: cannot start the iterator: %s", strerror(errno));
		goto out;
	}
	rc = owners_bpf_read(fd, sink, e);
	close(fd);
out:
	owners_iter__destroy(skel);
	return rc;
}

#else /* !PORTOLAN_HAVE_BPF */

int
owners_bpf_sockets(const struct owners_bpf_sink *sink, struct err *e)
{
	(void)sink;
	return err_internal(e, "bpf: built without bpftool (%s)", strerror(ENOSYS));
}

#endif
