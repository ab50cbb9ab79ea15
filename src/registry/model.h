/*
 * model.h - what the registry knows, as importers hand it over.
 *
 * Every source (IANA's XML and CSV, the npm snapshots, nmap-services,
 * /etc/services) is parsed by a streaming importer that calls a sink once
 * per fact.  Importers know nothing of SQLite and the store knows nothing of
 * file formats: the sink is the only contract between them, which is also
 * what lets the fuzz targets and unit tests run an importer with a sink that
 * only counts or collects.
 *
 * Text fields use the canonical form of IANA's CSV, whatever the source:
 * assignee and contact are person ids in brackets ("[Vera_Heinau][Heiko_
 * Schlichting]"), references are bracketed ("[RFC3501][RFC9051]", "[1]" for
 * footnote 1), multi-line text keeps its newlines and loses leading and
 * trailing white space.  Absent fields are "" (never NULL).  That one form
 * is why an XML import and a CSV import of the same registry compare equal.
 *
 * All pointers handed to a sink are borrowed: valid only for the duration
 * of the call.  A sink callback returns 0 to continue or -1 (with its
 * struct err filled) to stop the import.
 */
#ifndef PORTOLAN_MODEL_H
#define PORTOLAN_MODEL_H

#include "../util/err.h"

#define PORT_NONE (-1) /* a name-only registration has no port */
#define PORT_MAX  65535

/* One row of the registry: a service name (or none) on a port or range, for one protocol. */
struct reg_record {
	const char *service;   /* "" for Unassigned/Reserved rows */
	long port_lo, port_hi; /* PORT_NONE both when no port; equal for a single port */
	const char *protocol;  /* "tcp", "udp", "sctp", "dccp" or "" */
	const char *description;
	const char *assignee;     /* "[Id][Id2]" */
	const char *contact;      /* "[Id]" */
	const char *registered;   /* "YYYY-MM" or "YYYY-MM-DD" or "" */
	const char *modified;     /* same */
	const char *reference;    /* "[RFC6335][draft-x]" */
	const char *service_code; /* DCCP service code, "" when none */
	const char *unauthorized; /* IANA's "Unauthorized Use Reported" */
	const char *notes;        /* IANA's "Assignment Notes" */
	long line;                /* line in the source file where the row starts */
};

/* A person or organisation from the XML's <people> list. */
struct reg_person {
	const char *id;      /* "Scott_Guthery" (no brackets) */
	const char *name;    /* "" when only an organisation is given */
	const char *org;     /* "" when none */
	const char *uri;     /* as IANA writes it: "mailto:x&example.com" */
	const char *updated; /* "" when none */
};

/* One numbered footnote ("[1]" in a reference points at anchor "1"). */
struct reg_footnote {
	const char *anchor;
	const char *text;
};

/* A port as another database names it (nmap-services, /etc/services). */
struct reg_alias {
	const char *service;
	long port;
	const char *protocol;
	double frequency;    /* nmap's open frequency, 0..1; negative when unknown */
	const char *comment; /* trailing comment in the file, "" when none */
	long line;
};

/*
 * The project's own curated knowledge (data/): unofficial uses, history
 * claims and editorial notes.  A stanza whose ports: lists several ranges
 * ("6881-6889, 6969") reaches the sink once per range, with the whole list
 * in ports.  nsources == 0 means the stanza said "source: none" (no public
 * source); otherwise sources holds that many http(s) URLs.  file and line
 * locate the stanza (for notes, the opening "---").
 */
struct reg_use {
	const char *ports;     /* the stanza's whole ports: value */
	long port_lo, port_hi; /* this call's range */
	const char *protocols; /* "tcp udp": a space-separated subset of tcp udp sctp dccp */
	const char *who;
	const char *category; /* game, development, vendor, p2p, iot, malware, scanner, other */
	const char *text;
	const char *const *sources;
	size_t nsources;
	const char *file;
	long line;
};

struct reg_history {
	const char *ports;
	long port_lo, port_hi;
	const char *protocols;
	const char *kind;   /* former-name, de-assigned, renamed, reassigned */
	const char *former; /* the former name or assignment */
	const char *date;   /* "YYYY", "YYYY-MM", "YYYY-MM-DD" or "" */
	const char *text;
	const char *const *sources;
	size_t nsources;
	const char *file;
	long line;
};

/*
 * An exposure risk (data/exposure.txt): a service commonly found on the
 * ports, and why reaching it from an untrusted network is feared.  Always
 * sourced: nsources >= 1.
 */
struct reg_exposure {
	const char *ports;
	long port_lo, port_hi;
	const char *protocols;
	const char *who;
	const char *level; /* low, elevated, high: the concern it justifies */
	const char *text;
	const char *const *sources;
	size_t nsources;
	const char *file;
	long line;
};

struct reg_note {
	long port_lo, port_hi;
	const char *title;
	const char *markdown; /* the body after the front matter, CommonMark */
	const char *const *sources;
	size_t nsources;
	const char *file;
	long line;
};

/*
 * A name people use for a port that the registry does not give it ("rdp"
 * for 3389, IANA's ms-wbt-server), from data/aliases.txt.  Search matches
 * it like a registry name.  name is lower case.
 */
struct reg_curated_alias {
	const char *name;
	const char *ports; /* the stanza's whole ports: value */
	long port_lo, port_hi;
	const char *text;
	const char *const *sources;
	size_t nsources;
	const char *file;
	long line;
};

/*
 * What a person most likely meets on a port (data/likely.txt): the IANA
 * service itself ("official"), one unofficial use that dominates
 * ("unofficial", named by name), or several with none dominating ("mixed",
 * name lists them).  No two stanzas claim the same port and protocol.
 */
struct reg_likely {
	const char *ports;
	long port_lo, port_hi;
	const char *protocols;
	const char *answer; /* official, unofficial, mixed */
	const char *name;   /* official: the IANA service meant, or "" for the first */
	const char *text;
	const char *const *sources;
	size_t nsources;
	const char *file;
	long line;
};

/*
 * A curated text in another language (data/README.md, "Translations"):
 * the text.<lang> key of a stanza, or a note's notes/<ports>.<lang>.md.  It
 * names the English entry it translates by that entry's file and line (a
 * note's file is the English note's, line 1).  title is a note's, NULL
 * otherwise; text is the stanza's one line or the note's Markdown body.
 */
struct reg_translation {
	const char *kind; /* "use", "history", "note", "likely", "exposure", "alias" */
	const char *file;
	long line;
	const char *lang; /* a po/ file name: "ko", "zh_Hans" */
	const char *title;
	const char *text;
};

struct reg_sink {
	void *ctx;
	int (*record)(void *ctx, const struct reg_record *r, struct err *e);
	int (*person)(void *ctx, const struct reg_person *p, struct err *e);
	int (*footnote)(void *ctx, const struct reg_footnote *f, struct err *e);
	int (*alias)(void *ctx, const struct reg_alias *a, struct err *e);
	/* Facts about the source itself: "updated" -> "2026-08-17", "title" -> ... */
	int (*meta)(void *ctx, const char *key, const char *value, struct err *e);
	/* Curated data (data/, see import_curated.h); NULL to ignore that kind. */
	int (*use)(void *ctx, const struct reg_use *u, struct err *e);
	int (*history)(void *ctx, const struct reg_history *h, struct err *e);
	int (*note)(void *ctx, const struct reg_note *n, struct err *e);
	int (*likely)(void *ctx, const struct reg_likely *l, struct err *e);
	int (*exposure)(void *ctx, const struct reg_exposure *x, struct err *e);
	int (*curated_alias)(void *ctx, const struct reg_curated_alias *a, struct err *e);
	int (*translation)(void *ctx, const struct reg_translation *t, struct err *e);
};

#endif
