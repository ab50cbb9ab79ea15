/*
 * public.h - what a served answer may say about where its facts came from.
 *
 * The report names each source by the file it was imported from and each
 * curated fact by its file: right for `portolan lookup` on one's own
 * machine, but a server would show visitors its own paths (the data
 * directory, /usr/share/nmap/nmap-services), and so would a published
 * export.  Before the server or the export renders or serves a report,
 * public_report() names a source by what it is (name,
 * kind), its public URL and its date instead, and a curated fact by its
 * path inside the data directory ("data/notes/22.md"), as in portolan's
 * own repository.  In place, on any object of the report layer (report,
 * search result, page object); never fails.
 */
#ifndef PORTOLAN_PUBLIC_H
#define PORTOLAN_PUBLIC_H

#include <jansson.h>

void public_report(json_t *obj);

#endif
