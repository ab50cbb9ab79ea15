/*
 * range.h - the three port ranges of RFC 6335 and what they mean here.
 *
 * IANA's classes are fixed (0-1023 system/"well-known", 1024-49151 user/
 * "registered", 49152-65535 dynamic/private), but what they mean in practice
 * depends on this machine: binding below net.ipv4.ip_unprivileged_port_start
 * (1024 unless changed) needs CAP_NET_BIND_SERVICE, and the kernel hands out
 * source ports from net.ipv4.ip_local_port_range, which on Linux is
 * 32768-60999 by default and so overlaps the registered range.
 */
#ifndef PORTOLAN_RANGE_H
#define PORTOLAN_RANGE_H

struct range_class {
	const char *name; /* "well-known", "registered", "dynamic" */
	const char *iana; /* IANA's own term: "System Ports", ... */
	long lo, hi;
};

/* The class that contains port (0..65535). */
const struct range_class *range_classify(long port);
/* The class named "well-known", "registered" or "dynamic"; NULL otherwise. */
const struct range_class *range_by_name(const char *name);

/*
 * The facts that depend on the machine: what range_machine_read() finds in
 * /proc/sys/net/ipv4 (defaults where unreadable), or Linux's defaults
 * alone (range_machine_defaults()) for answers about no machine in
 * particular: the static export, and a server visitors reach from
 * elsewhere, whose own settings are neither theirs nor their business.
 */
struct range_machine {
	long ephemeral_lo, ephemeral_hi; /* ip_local_port_range */
	long unprivileged_start;         /* ip_unprivileged_port_start */
	int from_kernel;                 /* 0 when the defaults were used */
	int this_machine;                /* 1: read from this machine; 0: Linux's defaults */
};
void range_machine_read(struct range_machine *m);
void range_machine_defaults(struct range_machine *m);

#endif
