/*
 * import_csv.h - import IANA's service-names-port-numbers.csv.
 *
 * The CSV is the registry in its canonical form (see model.h), so the
 * importer's job is to parse RFC 4180 faithfully and to refuse anything
 * that is not the registry: a different header, a row with the wrong number
 * of fields, a port that is not "N" or "N-M" within 0..65535, a protocol
 * other than tcp/udp/sctp/dccp, a malformed date, invalid UTF-8, or a
 * field or physical line longer than IMPORT_CSV_FIELD_MAX.
 *
 * Every row after the header becomes one sink->record call, with each field
 * stripped of leading and trailing white space and record.line set to the
 * line where the row starts.  After the last row, sink->meta is called once
 * with "latest_registration" and the newest Registration or Modification
 * Date seen: the CSV carries no <updated>, and that date is the best
 * statement of how fresh the snapshot is.  A NULL callback in the sink is
 * skipped.
 *
 * Errors: -1 with e filled.  Bad input is ERR_INPUT with a message of the
 * form "NAME:LINE: <column name>: what is wrong"; I/O and memory failures
 * are ERR_INTERNAL.  An error from a sink callback is passed on, prefixed
 * with "NAME:LINE: ".  Records already handed to the sink before an error
 * stay handed over: the caller decides (the store rolls back).
 *
 * The port, protocol and date checks are exported so that the npm JSON
 * importer applies exactly the same rules.  They fill e with the bare
 * complaint ("\"70000\" is out of range 0-65535"); callers prefix where.
 */
#ifndef PORTOLAN_IMPORT_CSV_H
#define PORTOLAN_IMPORT_CSV_H

#include <stddef.h>

#include "model.h"

#define IMPORT_CSV_FIELD_MAX (1u << 20) /* bytes in one field and on one line */

/* Import the CSV file at path; it is read in chunks, memory stays bounded. */
int import_csv_file(const char *path, const struct reg_sink *sink, struct err *e);
/* The same for len bytes at data (no NUL needed); name is used in messages. */
int import_csv_buffer(const char *data, size_t len, const char *name, const struct reg_sink *sink,
                      struct err *e);

/* "" -> PORT_NONE twice; "N" -> N, N; "N-M" -> N, M with 0 <= N <= M <= 65535. */
int import_csv_port(const char *s, long *lo, long *hi, struct err *e);
/* "" or one of tcp, udp, sctp, dccp (lower case, as IANA writes them). */
int import_csv_protocol(const char *s, struct err *e);
/* "" or YYYY-MM or YYYY-MM-DD with a plausible month and day. */
int import_csv_date(const char *s, struct err *e);

#endif
