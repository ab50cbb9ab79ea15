/*
 * listening_prom.h - this machine's listeners as Prometheus metrics, in
 * the text exposition format: what `portolan listening --format
 * prometheus` writes for node_exporter's textfile collector and what
 * `portolan serve --metrics-only` answers on /metrics.
 *
 * Series (docs/portolan.1 lists them for operators):
 *
 *   portolan_listener_info{proto,addr,port,process,user,service,concern,claimed}
 *       the number of sockets with these labels (1 for most; a pre-fork
 *       server's SO_REUSEPORT group counts its sockets)
 *   portolan_listeners{proto}          every listener
 *   portolan_listeners_unseen          listeners no visible process holds
 *   portolan_listeners_flagged{flag}   listeners with each flag (listening.h)
 *   portolan_listener_series_dropped   label sets left out past the cap
 *   portolan_audit_unexpected          with an expect file: listeners it does not claim
 *   portolan_audit_missing             with an expect file: its lines nothing matches
 *
 * Label sets are bounded on purpose: no pid, inode or peer, which change
 * with every restart and would make a new series each time; process is
 * the kernel's 15-character command name; at most LISTENING_PROM_MAX_SERIES
 * label sets, the rest counted in portolan_listener_series_dropped.
 * claimed is "true" when a line of the expect file matches the listener,
 * "false" when none does, "" without an expect file; service is the
 * registry's name ("" when unassigned or without a registry); concern is
 * the port's concern level for the listener's protocol (concern.h), ""
 * without a registry.
 *
 * Errors: -1 with e filled, as listeners_collect(), listening_index_load()
 * and audit_load() fail; out is then partly written and must be discarded.
 */
#ifndef PORTOLAN_LISTENING_PROM_H
#define PORTOLAN_LISTENING_PROM_H

#include "range.h"
#include "registry/store.h"
#include "util/err.h"
#include "util/strbuf.h"

#define LISTENING_PROM_MAX_SERIES 4096

struct listening_prom_opts {
	const char *expect; /* an audit expect file (audit.h), or NULL */
	int no_bpf;         /* walk /proc even when the BPF iterator would work */
};

/* Collect, annotate (st may be NULL) and append the exposition to out. */
int listening_prom(struct store *st, const struct range_machine *rm,
                   const struct listening_prom_opts *o, struct strbuf *out, struct err *e);

#endif
