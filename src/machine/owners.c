/*
 * owners.c - the /proc walk behind owners.h.
 *
 * Three phases:
 *   1. list the numeric entries of /proc (one getdents64 loop);
 *   2. workers take chunks of that list from an atomic counter and read
 *      each process's fd directory, collecting (inode index, pid, fd) hits
 *      in per-thread arrays, so nothing is shared but the read-only hash;
 *   3. the per-thread hits are merged and sorted.
 * A worker that finds a wanted socket in a process reads that process's
 * details (command, user, unit) at once, so that work is spread over
 * the threads too, and done once per process since one worker owns it.
 * Chunks of a few dozen processes balance the load without contention:
 * one process with 10,000 fds does not leave the other threads idle for
 * long, and the counter is touched once per chunk, not per process.
 *
 * Processes come and go during the walk; ENOENT (gone) is ignored,
 * EACCES/EPERM (not ours) is counted, and nothing else stops the walk.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <pwd.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "inohash.h"
#include "owners.h"
#include "owners_bpf.h"

#define OWNERS_DENTS_BUF (64 * 1024)
#define OWNERS_CHUNK     32
#define OWNERS_MAX_HITS  (1u << 24) /* 16 M holders: a bound, not a real limit */

struct owners_pids {
	pid_t *v;
	size_t n, cap;
};

struct owners_walk {
	int procfd;
	const struct inohash *want;
	const struct owners_pids *pids;
	atomic_size_t next;
};

/*
 * Login names, remembered per call: a thousand workers of one user would
 * otherwise cost a thousand passwd look-ups (each a read of /etc/passwd).
 */
#define OWNERS_USER_CACHE 32

struct owners_users {
	uint32_t uid[OWNERS_USER_CACHE];
	char name[OWNERS_USER_CACHE][64];
	size_t n;
};

struct owners_worker {
	struct owners_walk *walk;
	struct owner_list hits;
	struct owners_users users;
	char *buf;
	int nomem;
};

static int
owners_push(struct owner_list *l, const struct owner *o)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 64;
		struct owner *v;

		if (cap > OWNERS_MAX_HITS)
			return -1;
		v = realloc(l->v, cap * sizeof(*v));
		if (v == NULL)
			return -1;
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n++] = *o;
	return 0;
}

/* A decimal name ("1234") as a pid; -1 for anything else (".", "self", "acpi"). */
static long
owners_number(const char *s)
{
	long v = 0;

	if (*s == '\0')
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9' || v > 100000000)
			return -1;
		v = v * 10 + (*s - '0');
	}
	return v;
}

static int
owners_list_pids(int procfd, char *buf, struct owners_pids *p, struct err *e)
{
	ssize_t n;

	while ((n = getdents64(procfd, buf, OWNERS_DENTS_BUF)) > 0) {
		for (ssize_t off = 0; off < n;) {
			struct dirent64 *d = (struct dirent64 *)(buf + off);
			long pid = owners_number(d->d_name);

			off += d->d_reclen;
			if (pid <= 0)
				continue;
			if (p->n == p->cap) {
				size_t cap = p->cap ? 2 * p->cap : 1024;
				pid_t *v = realloc(p->v, cap * sizeof(*v));

				if (v == NULL)
					return err_internal(e, "/proc walk: out of memory");
				p->v = v;
				p->cap = cap;
			}
			p->v[p->n++] = (pid_t)pid;
		}
	}
	if (n < 0)
		return err_internal(e, "/proc: %s", strerror(errno));
	return 0;
}

/* "socket:[12345]" -> 12345; 0 for any other link. */
static uint64_t
owners_socket_inode(const char *link, ssize_t len)
{
	uint64_t ino = 0;

	if (len < 10 || memcmp(link, "socket:[", 8) != 0 || link[len - 1] != ']')
		return 0;
	for (ssize_t i = 8; i < len - 1; i++) {
		if (link[i] < '0' || link[i] > '9' || i > 28)
			return 0;
		ino = ino * 10 + (uint64_t)(link[i] - '0');
	}
	return ino;
}

/* Read a small /proc/PID file into buf (NUL-terminated); -1 if unreadable. */
static ssize_t
owners_read(int procfd, pid_t pid, const char *name, char *buf, size_t len)
{
	char path[48];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%d/%s", (int)pid, name);
	fd = openat(procfd, path, O_RDONLY | O_CLOEXEC);
	if (fd == -1)
		return -1;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -1;
	buf[n] = '\0';
	return n;
}

/* Keep a cgroup's last path component only when it names a systemd unit. */
static void
owners_unit_leaf(const char *leaf, char *unit, size_t len)
{
	unit[0] = '\0';
	if (strstr(leaf, ".service") || strstr(leaf, ".scope") || strstr(leaf, ".socket"))
		snprintf(unit, len, "%s", leaf);
}

/*
 * The systemd unit is the last component of the process's cgroup v2 path
 * ("0::/system.slice/nginx.service") when it names a unit; anything else
 * (a container id, a user session path) is left out rather than guessed.
 */
static void
owners_unit(int procfd, pid_t pid, char *unit, size_t len)
{
	char buf[4096], *line, *last;

	unit[0] = '\0';
	if (owners_read(procfd, pid, "cgroup", buf, sizeof(buf)) <= 0)
		return;
	line = strstr(buf, "0::/");
	if (line == NULL || (line != buf && line[-1] != '\n'))
		return;
	line[strcspn(line, "\n")] = '\0';
	last = strrchr(line, '/') + 1;
	owners_unit_leaf(last, unit, len);
}

static void
owners_user(struct owners_users *c, uint32_t uid, char *user, size_t len)
{
	struct passwd pw, *res = NULL;
	char buf[1024];

	for (size_t i = 0; i < c->n; i++)
		if (c->uid[i] == uid) {
			snprintf(user, len, "%s", c->name[i]);
			return;
		}
	if (getpwuid_r(uid, &pw, buf, sizeof(buf), &res) == 0 && res != NULL)
		snprintf(user, len, "%s", pw.pw_name);
	else
		snprintf(user, len, "%u", (unsigned)uid);
	if (c->n < OWNERS_USER_CACHE) {
		c->uid[c->n] = uid;
		snprintf(c->name[c->n++], sizeof(c->name[0]), "%s", user);
	}
}

static void
owners_describe(int procfd, struct owners_users *users, struct owner *o)
{
	struct stat st;
	char path[16];

	snprintf(path, sizeof(path), "%d", (int)o->pid);
	o->uid = fstatat(procfd, path, &st, 0) == 0 ? (uint32_t)st.st_uid : OWNERS_UID_UNKNOWN;
	if (owners_read(procfd, o->pid, "comm", o->comm, sizeof(o->comm)) > 0)
		o->comm[strcspn(o->comm, "\n")] = '\0';
	if (o->uid != OWNERS_UID_UNKNOWN)
		owners_user(users, o->uid, o->user, sizeof(o->user));
	owners_unit(procfd, o->pid, o->unit, sizeof(o->unit));
}

static void
owners_scan_fds(struct owners_worker *w, int dfd, pid_t pid)
{
	char link[64];
	ssize_t n, len;

	while ((n = getdents64(dfd, w->buf, OWNERS_DENTS_BUF)) > 0) {
		for (ssize_t off = 0; off < n;) {
			struct dirent64 *d = (struct dirent64 *)(w->buf + off);
			struct owner hit;
			size_t idx;

			off += d->d_reclen;
			if (d->d_name[0] == '.')
				continue;
			len = readlinkat(dfd, d->d_name, link, sizeof(link));
			idx = inohash_get(w->walk->want, owners_socket_inode(link, len));
			if (idx == INOHASH_NONE)
				continue;
			memset(&hit, 0, sizeof(hit));
			hit.sock = idx;
			hit.pid = pid;
			hit.fd = (int)owners_number(d->d_name);
			if (owners_push(&w->hits, &hit) == -1)
				w->nomem = 1;
		}
	}
}

static void
owners_scan_pid(struct owners_worker *w, pid_t pid)
{
	char path[32];
	size_t first;
	int dfd;

	snprintf(path, sizeof(path), "%d/fd", (int)pid);
	dfd = openat(w->walk->procfd, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd == -1) {
		if (errno == EACCES || errno == EPERM)
			w->hits.denied++;
		return;
	}
	first = w->hits.n;
	owners_scan_fds(w, dfd, pid);
	close(dfd);
	/* Details only for the few processes that hold a wanted socket. */
	if (w->hits.n == first)
		return;
	owners_describe(w->walk->procfd, &w->users, &w->hits.v[first]);
	for (size_t i = first + 1; i < w->hits.n; i++) {
		struct owner *o = &w->hits.v[i];

		o->uid = w->hits.v[first].uid;
		memcpy(o->comm, w->hits.v[first].comm, sizeof(o->comm));
		memcpy(o->user, w->hits.v[first].user, sizeof(o->user));
		memcpy(o->unit, w->hits.v[first].unit, sizeof(o->unit));
	}
}

static void *
owners_work(void *arg)
{
	struct owners_worker *w = arg;
	const struct owners_pids *p = w->walk->pids;
	size_t i, end;

	while ((i = atomic_fetch_add(&w->walk->next, OWNERS_CHUNK)) < p->n && !w->nomem) {
		end = i + OWNERS_CHUNK < p->n ? i + OWNERS_CHUNK : p->n;
		for (; i < end; i++)
			owners_scan_pid(w, p->v[i]);
	}
	return NULL;
}

static unsigned
owners_nthreads(const struct owners_opts *o, size_t npids)
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	unsigned t = o && o->threads ? o->threads : (cpus > 0 ? (unsigned)cpus : 1);

	if (t > OWNERS_MAX_THREADS)
		t = OWNERS_MAX_THREADS;
	/* A thread costs ~50 us to start: not worth it for a handful of chunks. */
	if (t > npids / (4 * OWNERS_CHUNK) + 1)
		t = (unsigned)(npids / (4 * OWNERS_CHUNK) + 1);
	return t;
}

/* Run the workers; worker 0 is the calling thread. */
static int
owners_run(struct owners_worker *w, unsigned nt, struct err *e)
{
	pthread_t tid[OWNERS_MAX_THREADS];
	unsigned started = 1;

	for (unsigned i = 1; i < nt; i++, started++)
		if (pthread_create(&tid[i], NULL, owners_work, &w[i]) != 0)
			break; /* fewer threads: the others take up the work */
	owners_work(&w[0]);
	for (unsigned i = 1; i < started; i++)
		pthread_join(tid[i], NULL);
	for (unsigned i = 0; i < nt; i++)
		if (w[i].nomem)
			return err_internal(e, "/proc walk: out of memory");
	return 0;
}

static int
owners_merge(struct owners_worker *w, unsigned nt, struct owner_list *out, struct err *e)
{
	for (unsigned i = 0; i < nt; i++) {
		out->denied += w[i].hits.denied;
		for (size_t j = 0; j < w[i].hits.n; j++)
			if (owners_push(out, &w[i].hits.v[j]) == -1)
				return err_internal(e, "/proc walk: out of memory");
	}
	return 0;
}

static int
owners_cmp(const void *a, const void *b)
{
	const struct owner *x = a, *y = b;

	if (x->sock != y->sock)
		return x->sock < y->sock ? -1 : 1;
	if (x->pid != y->pid)
		return x->pid < y->pid ? -1 : 1;
	return (x->fd > y->fd) - (x->fd < y->fd);
}

static int
owners_want(const uint64_t *inodes, size_t n, struct inohash *h, struct err *e)
{
	if (inohash_init(h, n, e) == -1)
		return -1;
	for (size_t i = 0; i < n; i++)
		if (inodes[i] != 0 && inohash_put(h, inodes[i], i) == -1)
			return err_internal(e, "inode table full");
	return 0;
}

static int
owners_walk_all(int procfd, const struct owners_opts *o, const struct inohash *want,
                const struct owners_pids *pids, struct owner_list *out, struct err *e)
{
	struct owners_worker w[OWNERS_MAX_THREADS];
	struct owners_walk walk = {.procfd = procfd, .want = want, .pids = pids};
	unsigned nt = owners_nthreads(o, pids->n);
	int rc = -1;

	atomic_init(&walk.next, 0);
	memset(w, 0, sizeof(w));
	for (unsigned i = 0; i < nt; i++) {
		w[i].walk = &walk;
		w[i].buf = malloc(OWNERS_DENTS_BUF);
		if (w[i].buf == NULL) {
			err_internal(e, "/proc walk: out of memory");
			goto out;
		}
	}
	if (owners_run(w, nt, e) == 0 && owners_merge(w, nt, out, e) == 0)
		rc = 0;
out:
	for (unsigned i = 0; i < nt; i++) {
		free(w[i].buf);
		free(w[i].hits.v);
	}
	return rc;
}

/* The BPF path's state: processes as the iterator describes them, and hits. */
struct owners_bpf_task {
	pid_t pid;
	uint32_t uid;
	char comm[32];
	char unit[128];
};

struct owners_bpf_ctx {
	const struct inohash *want;
	struct owner_list *out;
	struct owners_bpf_task *task;
	size_t ntask, cap;
	int nomem;
};

static void
owners_bpf_task(void *arg, uint32_t pid, uint32_t uid, const char *comm, const char *cgroup)
{
	struct owners_bpf_ctx *c = arg;
	struct owners_bpf_task *t;

	if (c->ntask == c->cap) {
		size_t cap = c->cap ? 2 * c->cap : 256;

		t = cap > OWNERS_MAX_HITS ? NULL : realloc(c->task, cap * sizeof(*t));
		if (t == NULL) {
			c->nomem = 1;
			return;
		}
		c->task = t;
		c->cap = cap;
	}
	t = &c->task[c->ntask++];
	t->pid = (pid_t)pid;
	t->uid = uid;
	snprintf(t->comm, sizeof(t->comm), "%s", comm);
	owners_unit_leaf(cgroup, t->unit, sizeof(t->unit));
}

static void
owners_bpf_sock(void *arg, uint32_t pid, uint32_t fd, uint64_t ino)
{
	struct owners_bpf_ctx *c = arg;
	size_t idx = inohash_get(c->want, ino);
	struct owner hit;

	if (idx == INOHASH_NONE)
		return;
	memset(&hit, 0, sizeof(hit));
	hit.sock = idx;
	hit.pid = (pid_t)pid;
	hit.fd = (int)fd;
	if (owners_push(c->out, &hit) == -1)
		c->nomem = 1;
}

static int
owners_cmp_task(const void *a, const void *b)
{
	const struct owners_bpf_task *x = a, *y = b;

	return (x->pid > y->pid) - (x->pid < y->pid);
}

/* Copy the iterator's description of o's process; /proc when it gave none. */
static void
owners_bpf_describe(struct owners_bpf_ctx *c, int procfd, struct owners_users *users,
                    struct owner *o)
{
	struct owners_bpf_task key = {.pid = o->pid};
	const struct owners_bpf_task *t =
	    c->ntask ? bsearch(&key, c->task, c->ntask, sizeof(*c->task), owners_cmp_task) : NULL;

	if (t == NULL) {
		owners_describe(procfd, users, o);
		return;
	}
	o->uid = t->uid;
	memcpy(o->comm, t->comm, sizeof(o->comm));
	memcpy(o->unit, t->unit, sizeof(o->unit));
	owners_user(users, o->uid, o->user, sizeof(o->user));
}

/*
 * The BPF path: one kernel pass lists the socket descriptors and
 * describes their processes.  -1 means "use the /proc walk instead",
 * never a failure of the command.
 */
static int
owners_find_bpf(int procfd, const uint64_t *inodes, size_t n, const struct inohash *want,
                struct owner_list *out)
{
	struct owners_bpf_ctx c = {.want = want, .out = out};
	struct owners_bpf_sink sink = {.ctx = &c, .task = owners_bpf_task, .sock = owners_bpf_sock};
	struct owners_users users = {.n = 0};

	if (owners_bpf_sockets(inodes, n, &sink, NULL) == -1 || c.nomem) {
		free(c.task);
		out->n = 0;
		return -1;
	}
	/* Usually in pid order already; a thread with its own file table may repeat one. */
	if (c.ntask > 1)
		qsort(c.task, c.ntask, sizeof(*c.task), owners_cmp_task);
	for (size_t i = 0; i < out->n; i++)
		owners_bpf_describe(&c, procfd, &users, &out->v[i]);
	free(c.task);
	return 0;
}

static int
owners_find_proc(int procfd, const struct owners_opts *o, const struct inohash *want,
                 struct owner_list *out, struct err *e)
{
	struct owners_pids pids = {0};
	char *buf = malloc(OWNERS_DENTS_BUF);
	int rc = -1;

	if (buf == NULL)
		return err_internal(e, "/proc walk: out of memory");
	if (owners_list_pids(procfd, buf, &pids, e) == 0 &&
	    owners_walk_all(procfd, o, want, &pids, out, e) == 0)
		rc = 0;
	free(buf);
	free(pids.v);
	return rc;
}

int
owners_find(const struct owners_opts *o, const uint64_t *inodes, size_t n, struct owner_list *out,
            struct err *e)
{
	const char *proc = o && o->proc ? o->proc : "/proc";
	int use_bpf = !(o && (o->proc || o->no_bpf));
	struct inohash want = {0};
	int procfd, rc = -1;

	procfd = open(proc, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (procfd == -1)
		return err_internal(e, "%s: %s", proc, strerror(errno));
	if (owners_want(inodes, n, &want, e) == -1)
		goto out;
	if (!(use_bpf && owners_find_bpf(procfd, inodes, n, &want, out) == 0) &&
	    owners_find_proc(procfd, o, &want, out, e) == -1)
		goto out;
	if (out->n > 1) /* qsort(NULL, 0) is undefined behaviour */
		qsort(out->v, out->n, sizeof(*out->v), owners_cmp);
	rc = 0;
out:
	inohash_free(&want);
	close(procfd);
	return rc;
}

void
owners_free(struct owner_list *l)
{
	free(l->v);
	l->v = NULL;
	l->n = l->cap = l->denied = 0;
}

/* The hidepid= value among a mount's super options ("rw,hidepid=invisible"). */
static int
owners_hidepid_opt(const char *opts)
{
	static const char *const names[] = {"off", "noaccess", "invisible", "", "ptraceable"};
	const char *p = strstr(opts, "hidepid=");
	size_t n;

	if (p == NULL)
		return 0;
	p += strlen("hidepid=");
	if (*p >= '0' && *p <= '4')
		return *p - '0';
	n = strcspn(p, ", \n");
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i][0] && strlen(names[i]) == n && strncmp(p, names[i], n) == 0)
			return (int)i;
	return 0;
}

int
owners_hidepid(const char *proc)
{
	char line[4096], where[1024];
	FILE *f = fopen("/proc/self/mountinfo", "re");
	int mode = 0;

	if (f == NULL)
		return 0;
	/* "36 25 0:21 / /proc rw,nosuid shared:12 - proc proc rw,hidepid=invisible" */
	while (fgets(line, sizeof(line), f)) {
		const char *sep = strstr(line, " - proc ");

		if (sep && sscanf(line, "%*s %*s %*s %*s %1023s", where) == 1 &&
		    strcmp(where, proc ? proc : "/proc") == 0)
			mode = owners_hidepid_opt(sep); /* the last mount there is the one seen */
	}
	fclose(f);
	return mode;
}
