/*
 * import_services.h - import nmap-services and /etc/services.
 *
 * Both files are lines of "name port/protocol ... # comment"; blank lines
 * and lines that are only a comment are skipped.  nmap-services has
 * exactly one more field, the open frequency ("0.001995", between 0 and 1),
 * and no aliases.  /etc/services has aliases instead.  Each line becomes
 * one sink->alias call with the line's trailing comment (trimmed, "" when
 * none) and, for /etc/services, frequency -1.  Each /etc/services alias
 * becomes one more sink->alias call for the same port and protocol, with
 * comment "alias of NAME": a lookup by the alias finds the port, and the
 * comment says which name is the primary.
 *
 * Names pass through unchanged (nmap's "unknown" too: the store decides
 * what to keep).  Lines for the AppleTalk protocol "ddp" (Debian's
 * /etc/services has four) are skipped: they are not IP ports.  Any other
 * protocol than tcp, udp, sctp and dccp is an error, as is a port outside
 * 0..65535, a missing field, a frequency that is not a plain decimal in
 * 0..1, an extra field in nmap-services, invalid UTF-8 (with the byte
 * offset in the line), and a line longer than IMPORT_SERVICES_LINE_MAX.
 *
 * The file's date reaches sink->meta once, as "updated" -> "YYYY-MM-DD",
 * after the last line: the date of nmap-services' "$Id: nmap-services REV
 * YYYY-MM-DD ..." comment when there is one, otherwise, for a file, its
 * modification date (UTC); a buffer without that comment has no date.  A
 * NULL sink->meta is skipped.
 *
 * Errors: -1 with e filled, "NAME:LINE: what is wrong"; ERR_INPUT for bad
 * input, ERR_INTERNAL for I/O and memory.  A sink error is passed on
 * prefixed with "NAME:LINE: ".  The file is read in chunks; memory is one
 * line.  A NULL sink->alias is skipped.
 */
#ifndef PORTOLAN_IMPORT_SERVICES_H
#define PORTOLAN_IMPORT_SERVICES_H

#include <stddef.h>

#include "model.h"

#define IMPORT_SERVICES_LINE_MAX (64u * 1024) /* the longest real line is under 400 */

enum services_kind {
	SERVICES_NMAP, /* name port/proto frequency [# comment] */
	SERVICES_ETC,  /* name port/proto [alias ...] [# comment] */
};

int import_services_file(const char *path, enum services_kind kind, const struct reg_sink *sink,
                         struct err *e);
/* The same for len bytes at data (no NUL needed); name is used in messages. */
int import_services_buffer(const char *data, size_t len, const char *name, enum services_kind kind,
                           const struct reg_sink *sink, struct err *e);

#endif
