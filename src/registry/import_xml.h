/*
 * import_xml.h - stream IANA's service-names-port-numbers.xml into a sink.
 *
 * The importer reads the registry with expat, a chunk at a time, so memory
 * stays flat whatever the file size: one reusable buffer per field of the
 * element being read, each bounded by STRBUF_DEFAULT_LIMIT.  Every <record>
 * becomes one call of sink->record in the canonical form of model.h (the
 * form of IANA's CSV), every <person> a call of sink->person, every
 * <footnote> a call of sink->footnote, and the registry's <title> and
 * <updated> calls of sink->meta ("title", "updated").  A NULL callback
 * skips that kind of fact.
 *
 * Mapping, as IANA's own CSV export does it:
 *   - a person <xref> directly in <record> is the contact; the persons
 *     inside <assignee> are the assignee, and when a record has no
 *     <assignee> its contact is its assignee too;
 *   - other record-level <xref>s form the reference: rfc "rfc3501" gives
 *     "[RFC3501]", draft and note give "[data]" ("[1]" for footnote 1),
 *     uri gives "[its text]" or "[data]" when empty, text "[its text]";
 *   - an <xref> inside text (a note, a description) is rendered the same
 *     way in place ("by [Bernie_Volz]"), <br/> contributes nothing, the
 *     text of any other inline element (<paragraph>) is kept;
 *   - unknown elements inside a record are ignored.
 *
 * Strings handed to the sink are borrowed for the duration of the call.
 *
 * <number>, <protocol> and the date= and updated= attributes obey the CSV
 * importer's rules (import_csv_port() and friends), so both sources accept
 * the same registry; a protocol is matched case-insensitively and handed on
 * in lower case.  Text fields are tidied as IANA's CSV export does: a line
 * ending in white space and followed by an indented line is joined to it
 * with one space, other newlines stay, both ends are trimmed.
 *
 * Errors (return -1, e filled, ERR_INPUT unless noted):
 *   "NAME:LINE: <field>: what is wrong" for a bad port number or range, an
 *   unknown protocol, a malformed date, a missing person id, a field given
 *   twice, a text longer than STRBUF_DEFAULT_LIMIT, a document element other
 *   than <registry>;
 *   "NAME:LINE: XML: expat's message" for malformed, truncated or non-UTF-8
 *   input;  any DOCTYPE or entity declaration is refused (IANA's file has
 *   none, and refusing them closes billion-laughs and external entities);
 *   a sink callback that returns -1 stops the parse, and its message comes
 *   back prefixed with "NAME:LINE: " (the kind it chose is kept);
 *   "PATH: strerror" when the file cannot be opened or read;
 *   ERR_INTERNAL when memory runs out.
 * Facts handed to the sink before an error stay handed: the caller decides
 * (the store rolls back).
 */
#ifndef PORTOLAN_IMPORT_XML_H
#define PORTOLAN_IMPORT_XML_H

#include <stddef.h>

#include "model.h"

/* Import the registry file at path; messages name the path. */
int import_xml_file(const char *path, const struct reg_sink *sink, struct err *e);
/* Import len bytes of XML held in memory; messages name name. */
int import_xml_buffer(const char *data, size_t len, const char *name, const struct reg_sink *sink,
                      struct err *e);

#endif
