/*
 * owners_bpf.h - which processes hold given sockets, from a BPF task
 * iterator: the privileged fast path behind owners.h.
 *
 * The /proc walk costs two system calls and a path lookup per descriptor
 * (70,000 descriptors: ~200 ms).  The iterator (owners_iter.bpf) runs in
 * the kernel, walks each process's fd table once (threads sharing it are
 * skipped) and keeps only the descriptors of the wanted sockets, which
 * owners_bpf_sockets() puts in a BPF hash map before the pass.  For each
 * process holding one it writes the process's command, euid and cgroup
 * and then the (fd, inode) pairs: the walk and the details in one pass of
 * a few milliseconds, with no /proc reads and nothing else copied out.
 * The program is built with clang at build time and embedded as a bpftool
 * light skeleton, so there is no runtime dependency on libbpf and no
 * object file to find.
 *
 * It needs CAP_BPF and CAP_PERFMON (root) and a kernel with BTF, bpf_loop
 * and the bpf_rdonly_cast kfunc including untyped casts (btf_id 0), which
 * is recent (developed on 6.18); an older kernel refuses the program.
 * When anything is missing, or the build had no bpftool,
 * owners_bpf_sockets() fails and callers fall back to the /proc walk
 * without saying so.  It also fails, for the same fallback, when one
 * process holds more than 2,000 of the wanted sockets (one record must
 * fit the kernel's 32 KiB seq_file buffer).
 *
 * Pids are those of the caller's PID namespace (the program reads the pid
 * at the caller's namespace level), so they match /proc.
 *
 * Memory: nothing is handed out; strings passed to the sink are valid
 * only during the call.  Errors: ERR_INTERNAL with the reason BPF is
 * unavailable or the pass failed; the sink may have been called before.
 */
#ifndef PORTOLAN_MACHINE_OWNERS_BPF_H
#define PORTOLAN_MACHINE_OWNERS_BPF_H

#include <stddef.h>
#include <stdint.h>

#include "../util/err.h"

/* What the iterator reports, in order: a process, then its wanted socket descriptors. */
struct owners_bpf_sink {
	void *ctx;
	/* Once per process (or thread with its own fd table) holding a wanted socket. */
	void (*task)(void *ctx, uint32_t pid, uint32_t uid, const char *comm, const char *cgroup);
	/* Once per descriptor of a wanted socket, after its process. */
	void (*sock)(void *ctx, uint32_t pid, uint32_t fd, uint64_t ino);
};

/*
 * Report the descriptors of the n socket inodes (0 entries are skipped) to
 * sink; -1 when BPF cannot be used.  Past OWNERS_BPF_WANT_MAX inodes every
 * socket descriptor is reported and the sink must filter.
 */
#define OWNERS_BPF_WANT_MAX (1u << 18) /* a map of 2^18 inodes costs ~16 MB to fill */
int owners_bpf_sockets(const uint64_t *inodes, size_t n, const struct owners_bpf_sink *sink,
                       struct err *e);

#endif
