/*
 * owners_bpf.h - every socket descriptor of every process, from a BPF
 * task_file iterator: the privileged fast path behind owners.h.
 *
 * The /proc walk costs two system calls and a path lookup per descriptor
 * (70,000 descriptors: ~200 ms).  A task_file iterator runs in the kernel,
 * visits each process's file table once (threads sharing it are skipped),
 * and writes out only sockets, as 16-byte (pid, fd, inode) records: the
 * same walk in a few milliseconds.  The program (owners_iter.bpf) is built
 * with clang at build time and embedded as a bpftool light skeleton, so
 * there is no runtime dependency on libbpf and no object file to find.
 *
 * It needs CAP_BPF and CAP_PERFMON (root) and a kernel with BTF; when
 * either is missing, or the build had no bpftool, owners_bpf_sockets()
 * fails and callers fall back to the /proc walk without saying so.
 *
 * Pids are those of the caller's PID namespace (the program reads the pid
 * at the caller's namespace level), so they match /proc.
 *
 * Memory: nothing is handed out; fn is called once per record.  Errors:
 * ERR_INTERNAL with the reason BPF is unavailable.
 */
#ifndef PORTOLAN_MACHINE_OWNERS_BPF_H
#define PORTOLAN_MACHINE_OWNERS_BPF_H

#include <stdint.h>

#include "../util/err.h"

typedef void (*owners_bpf_fn)(void *ctx, uint32_t pid, uint32_t fd, uint64_t ino);

/* Report every socket descriptor on the system to fn; -1 when BPF cannot be used. */
int owners_bpf_sockets(owners_bpf_fn fn, void *ctx, struct err *e);

#endif
