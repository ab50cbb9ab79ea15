/*
 * owners_bpf.c - load, fill, run and read the task iterator (owners_bpf.h).
 *
 * Built with -DPORTOLAN_HAVE_BPF and the generated owners_iter.lskel.h
 * when the Makefile finds bpftool; otherwise only the stub at the end is
 * compiled, and owners.c uses the /proc walk.
 *
 * The program is loaded per call and released before returning: loading
 * takes a few milliseconds, and a tool that leaves programs pinned in
 * the kernel after it exits would be a surprising neighbour.  Everything
 * the program needs to know is settled before it is loaded, in its
 * read-only data (the pid namespace level, sockfs's device, the wanted
 * inodes' bloom bits), except the wanted inodes themselves, which go into
 * its hash map in one BPF_MAP_UPDATE_BATCH between load and run.
 */
#include <errno.h>
#include <string.h>

#include "owners_bpf.h"

#ifdef PORTOLAN_HAVE_BPF

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <linux/bpf.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "owners_iter.lskel.h"

#define OWNERS_BPF_BUF (256 * 1024)

/*
 * The iterator's records, as owners_iter.bpf writes them: a process,
 * then nsock sockets.  kind 2 says a process held more wanted sockets
 * than one record holds.
 */
#define OWNERS_BPF_TASK     1
#define OWNERS_BPF_OVERFLOW 2
#define OWNERS_BPF_MAX_SOCK 2000

struct owners_bpf_task {
	uint32_t kind;
	uint32_t pid;
	uint32_t uid;
	uint32_t nsock;
	char comm[16];
	char cgroup[64];
};

struct owners_bpf_sock {
	uint64_t ino;
	uint32_t fd;
	uint32_t pad;
};

/* The bloom filter's size in the program's .rodata, in 64-bit words. */
#define OWNERS_BPF_BLOOM_WORDS 1024

_Static_assert(sizeof(((struct owners_iter *)0)->rodata->want_bloom) ==
                   OWNERS_BPF_BLOOM_WORDS * sizeof(uint64_t),
               "owners_iter.bpf and owners_bpf.c disagree on the bloom filter");

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

/* sockfs's device as the kernel stores it in s_dev (MKDEV: major << 20 | minor). */
static int
owners_bpf_sock_dev(uint32_t *dev, struct err *e)
{
	struct stat st;
	int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	if (fd == -1)
		return err_internal(e, "bpf: socket: %s", strerror(errno));
	if (fstat(fd, &st) == -1) {
		close(fd);
		return err_internal(e, "bpf: fstat(socket): %s", strerror(errno));
	}
	close(fd);
	*dev = (uint32_t)(major(st.st_dev) << 20 | minor(st.st_dev));
	return 0;
}

static int
owners_bpf_cmp_ino(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

/*
 * The distinct nonzero inodes, for the map (the program counts the wanted
 * sockets it has seen against their number); NULL when out of memory.
 */
static uint64_t *
owners_bpf_keys(const uint64_t *inodes, size_t n, uint32_t *k)
{
	uint64_t *keys = malloc((n ? n : 1) * sizeof(*keys));
	uint32_t m = 0;

	*k = 0;
	if (keys == NULL)
		return NULL;
	for (size_t i = 0; i < n; i++)
		if (inodes[i] != 0)
			keys[m++] = inodes[i];
	if (m > 1)
		qsort(keys, m, sizeof(*keys), owners_bpf_cmp_ino);
	for (uint32_t i = 0; i < m; i++)
		if (*k == 0 || keys[*k - 1] != keys[i])
			keys[(*k)++] = keys[i];
	return keys;
}

/* Settle the program's read-only data: it is frozen when the program loads. */
static int
owners_bpf_setup(struct owners_iter *skel, const uint64_t *keys, uint32_t k, struct err *e)
{
	uint32_t dev = 0;

	if (owners_bpf_sock_dev(&dev, e) == -1)
		return -1;
	skel->rodata->ns_level = owners_bpf_ns_level();
	skel->rodata->sock_dev = dev;
	skel->rodata->filter = k <= OWNERS_BPF_WANT_MAX;
	skel->rodata->nwant = k;
	if (skel->rodata->filter)
		skel->maps.want.max_entries = k; /* its buckets are cleared whole when made */
	for (uint32_t i = 0; i < k && skel->rodata->filter; i++) {
		uint64_t bit = keys[i] % (64 * OWNERS_BPF_BLOOM_WORDS);

		skel->rodata->want_bloom[bit / 64] |= 1ULL << (bit % 64);
	}
	return 0;
}

/* Put the k wanted inodes in the program's hash map, in one system call. */
static int
owners_bpf_want(struct owners_iter *skel, const uint64_t *keys, uint32_t k, struct err *e)
{
	union bpf_attr attr;
	uint64_t *values;
	int rc;

	if (!skel->rodata->filter || k == 0)
		return 0;
	values = calloc(k, sizeof(*values)); /* no socket's file seen yet */
	if (values == NULL)
		return err_internal(e, "bpf: out of memory");
	memset(&attr, 0, sizeof(attr));
	attr.batch.map_fd = (uint32_t)skel->maps.want.map_fd;
	attr.batch.keys = (uint64_t)(uintptr_t)keys;
	attr.batch.values = (uint64_t)(uintptr_t)values;
	attr.batch.count = k;
	rc = (int)syscall(__NR_bpf, BPF_MAP_UPDATE_BATCH, &attr, sizeof(attr));
	free(values);
	if (rc != 0)
		return err_internal(e, "bpf: cannot fill the inode map: %s", strerror(errno));
	return 0;
}

/*
 * Hand one record to the sink: its size, 0 when buf holds less than a
 * whole record, -1 (with e set) when it is not one.
 */
static ssize_t
owners_bpf_record(const char *buf, size_t len, const struct owners_bpf_sink *sink, struct err *e)
{
	struct owners_bpf_task t;
	struct owners_bpf_sock s;
	size_t need;

	if (len < sizeof(t))
		return 0;
	memcpy(&t, buf, sizeof(t));
	if (t.kind == OWNERS_BPF_OVERFLOW)
		return err_internal(e, "bpf: pid %u holds more than %d of the sockets", t.pid,
		                    OWNERS_BPF_MAX_SOCK);
	if (t.kind != OWNERS_BPF_TASK || t.nsock == 0 || t.nsock > OWNERS_BPF_MAX_SOCK)
		return err_internal(e, "bpf: malformed iterator record (kind %u, %u sockets)",
		                    t.kind, t.nsock);
	need = sizeof(t) + t.nsock * sizeof(s);
	if (len < need)
		return 0;
	t.comm[sizeof(t.comm) - 1] = t.cgroup[sizeof(t.cgroup) - 1] = '\0';
	sink->task(sink->ctx, t.pid, t.uid, t.comm, t.cgroup);
	for (uint32_t i = 0; i < t.nsock; i++) {
		memcpy(&s, buf + sizeof(t) + i * sizeof(s), sizeof(s));
		sink->sock(sink->ctx, t.pid, s.fd, s.ino);
	}
	return (ssize_t)need;
}

static int
owners_bpf_read(int fd, const struct owners_bpf_sink *sink, struct err *e)
{
	char *buf = malloc(OWNERS_BPF_BUF);
	size_t have = 0, off;
	ssize_t n, used = 0;

	if (buf == NULL)
		return err_internal(e, "bpf iterator: out of memory");
	/* A record may straddle two reads: carry the partial one over. */
	while ((n = read(fd, buf + have, OWNERS_BPF_BUF - have)) > 0) {
		size_t len = have + (size_t)n;

		for (off = 0; (used = owners_bpf_record(buf + off, len - off, sink, e)) > 0;)
			off += (size_t)used;
		if (used < 0)
			break;
		have = len - off;
		memmove(buf, buf + off, have);
	}
	free(buf);
	if (used < 0)
		return -1;
	if (n < 0)
		return err_internal(e, "bpf iterator: read: %s", strerror(errno));
	if (have != 0)
		return err_internal(e, "bpf iterator: %zu bytes of a truncated record", have);
	return 0;
}

/* Load the filled program, then run it and read its records. */
static int
owners_bpf_run(struct owners_iter *skel, const uint64_t *keys, uint32_t k,
               const struct owners_bpf_sink *sink, struct err *e)
{
	union bpf_attr attr;
	int fd, rc;

	if (owners_bpf_setup(skel, keys, k, e) == -1)
		return -1;
	if (owners_iter__load(skel) != 0 || owners_iter__attach(skel) != 0)
		return err_internal(e, "bpf: cannot load the iterator: %s", strerror(errno));
	if (owners_bpf_want(skel, keys, k, e) == -1)
		return -1;
	memset(&attr, 0, sizeof(attr));
	attr.iter_create.link_fd = (uint32_t)skel->links.owners_iter_fd;
	fd = (int)syscall(__NR_bpf, BPF_ITER_CREATE, &attr, sizeof(attr));
	if (fd < 0)
		return err_internal(e, "bpf: cannot start the iterator: %s", strerror(errno));
	rc = owners_bpf_read(fd, sink, e);
	close(fd);
	return rc;
}

int
owners_bpf_sockets(const uint64_t *inodes, size_t n, const struct owners_bpf_sink *sink,
                   struct err *e)
{
	struct owners_iter *skel;
	uint64_t *keys;
	uint32_t k;
	int rc;

	if (n > UINT32_MAX)
		return err_internal(e, "bpf: %zu inodes", n);
	keys = owners_bpf_keys(inodes, n, &k);
	if (keys == NULL)
		return err_internal(e, "bpf: out of memory");
	if (k == 0) { /* nothing to look for: the pass would find nothing */
		free(keys);
		return 0;
	}
	skel = owners_iter__open();
	if (skel == NULL) {
		free(keys);
		return err_internal(e, "bpf: cannot open the iterator: %s", strerror(errno));
	}
	rc = owners_bpf_run(skel, keys, k, sink, e);
	owners_iter__destroy(skel);
	free(keys);
	return rc;
}

#else /* !PORTOLAN_HAVE_BPF */

int
owners_bpf_sockets(const uint64_t *inodes, size_t n, const struct owners_bpf_sink *sink,
                   struct err *e)
{
	(void)inodes;
	(void)n;
	(void)sink;
	return err_internal(e, "bpf: built without bpftool (%s)", strerror(ENOSYS));
}

#endif
