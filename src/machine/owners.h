/*
 * owners.h - which processes hold a socket: a /proc walk.
 *
 * A socket belongs to no process in the kernel's eyes; processes hold file
 * descriptors on it.  So the only way to name "who listens" is to read
 * every process's fd table (/proc/PID/fd/N -> "socket:[INODE]") and keep
 * the links whose inode is one of the sockets asked about.  Every holder
 * counts: a pre-fork server's children, a descriptor inherited across
 * setuid or from a socket-activating init, each member of an SO_REUSEPORT
 * group.  Nothing is skipped by socket uid, which is only the creator's.
 *
 * The walk is the cost of the whole command, so it uses raw getdents64()
 * and readlinkat() relative to directory descriptors (no opendir(), no
 * path rebuilding), spreads processes over up to one thread per CPU, and
 * checks each link against an open-addressing hash (inohash.h).  Process
 * details (command, user, systemd unit) are read only for the few
 * processes that hold a wanted socket.
 *
 * When privileged, and unless opts say otherwise, a BPF task iterator
 * (owners_bpf.h) replaces the walk: the kernel walks the fd tables itself
 * and reports only the wanted sockets' holders, with their details.
 * It falls back to the walk silently whenever BPF is unavailable.
 *
 * A process whose fd table we may not read (another user's, when not
 * root) is counted in owner_list.denied, so callers can say how much they
 * could not see instead of silently omitting it.
 *
 * Memory: owners_find() fills out (zeroed by the caller) with an array it
 * owns until owners_free(), which must be called on failure too (partial
 * results may have been kept).  Errors: ERR_INTERNAL when /proc cannot be
 * opened or memory runs out; unreadable processes are not errors.
 */
#ifndef PORTOLAN_MACHINE_OWNERS_H
#define PORTOLAN_MACHINE_OWNERS_H

#include <sys/types.h>

#include <stddef.h>
#include <stdint.h>

#include "../util/err.h"

#define OWNERS_UID_UNKNOWN ((uint32_t)-1)

struct owner {
	size_t sock; /* index into the inode array given to owners_find() */
	pid_t pid;
	int fd;
	uint32_t uid;   /* the process's owner, OWNERS_UID_UNKNOWN if it vanished */
	char comm[32];  /* the kernel's short command name, "" if unknown */
	char user[64];  /* login name, or the uid in decimal when none */
	char unit[128]; /* systemd unit or scope from the cgroup path, "" if none */
};

struct owner_list {
	struct owner *v; /* sorted by sock, then pid, then fd */
	size_t n, cap;
	size_t denied; /* processes whose fd table could not be read */
};

struct owners_opts {
	const char *proc; /* procfs root, NULL for "/proc" (tests use a fake tree) */
	unsigned threads; /* 0: one per online CPU, at most OWNERS_MAX_THREADS */
	int no_bpf;       /* 1: always walk /proc, even when the BPF path would work */
};
#define OWNERS_MAX_THREADS 16

/* Find every (process, fd) holding one of the n inodes (0 entries are skipped). */
int owners_find(const struct owners_opts *o, const uint64_t *inodes, size_t n,
                struct owner_list *out, struct err *e);
void owners_free(struct owner_list *l);
/*
 * How procfs (proc, NULL for "/proc") hides processes, as mounted: 0 not
 * at all, 1 hidepid=noaccess (others' directories unreadable: counted as
 * denied), 2 hidepid=invisible (others' processes absent: nothing to
 * count), 4 hidepid=ptraceable.  From /proc/self/mountinfo; 0 if unknown.
 */
int owners_hidepid(const char *proc);

#endif
