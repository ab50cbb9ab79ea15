/*
 * owners_bpf.h - every socket descriptor of every process, from a BPF
 * task_file iterator: the privileged fast path behind owners.h.
 *
 * The /proc walk costs two system calls and a path lookup per descriptor
 * (70,000 descriptors: ~200 ms).  A task_file iterator runs in the kernel,
 * visits each process's file table once (threads sharing it are skipped),
 * and writes out only sockets, as (pid, fd, inode) records, each process
 * preceded by its command, euid and cgroup: the walk and the details in
 * one pass of a few tens of milliseconds, with no /proc reads at all.  The program
 * (owners_iter.bpf) is built with clang at build time and embedded as a bpftool light skeleton, so
 * there is no runtime dependency on libbpf and no object file to find.
 *
 * It needs CAP_BPF and CAP_PERFMON (root) and a kernel with BTF; when
 * either is missing, or the build had no bpftool, owners_bpf_sockets()
 * fails and callers fall back to the /proc walk without saying so.
 *
 * Pids are those of the caller's PID namespace (the program reads the pid
 * at the caller's namespace level), so they match /proc.
 *
 * Memory: nothing is handed out; strings passed to the sink are valid
 * only during the call.  Errors:
 * ERR_INTERNAL with the reason BPF is unavailable.
 */
#ifndef PORTOLAN_MACHINE_OWNERS_BPF_H
#define PORTOLAN_MACHINE_OWNERS_BPF_H

#include <stdint.h>

#include "../util/err.h"

/* What the iterator reports, in order: a process, then its socket descriptors. */
struct owners_bpf_sink {
	void *ctx;
	/* Once per process holding a socket, before its sockets. */
	void (*task)(void *ctx, uint32_t pid, uint32_t uid, const char *comm, const char *cgroup);
	/* Once per socket descriptor. */
	void (*sock)(void *ctx, uint32_t pid, uint32_t fd, uint64_t ino);
};

/* Report every process's socket descriptors to sink; -1 when BPF cannot be used. */
int owners_bpf_sockets(const struct owners_bpf_sink *sink, struct err *e);

#endif
