/*
 * listening.h - this machine's listeners, annotated with what the registry
 * says their ports are.
 *
 * One piece serves every place that shows listeners: `who`, `listening`
 * and `audit` on the command line, the port report's "listening" section
 * (`portolan 3106` run locally) and the web's "on this machine now".  The
 * machine module (src/machine/) says what listens and who holds it; this
 * module adds the registry's view and flags what looks unexpected, from
 * facts only: the port is unassigned, it sits in this machine's ephemeral
 * range, a sourced malware association counts for the listener's protocol
 * (concern.h), or the process is named after a different registered
 * service (sshd on the http port).  Each listener also carries its concern
 * level, from the same computation as the port report's.
 *
 * The store may be NULL (no database yet): then only the machine's own
 * facts (the ephemeral range) flag anything.  A database that fails to
 * answer fails the caller (-1 or NULL with e naming the file): a damaged
 * database must not pass for one that knows nothing of the port.
 *
 * Ownership: JSON returned is a new reference for the caller.
 */
#ifndef PORTOLAN_LISTENING_H
#define PORTOLAN_LISTENING_H

#include <stddef.h>

#include <jansson.h>

#include "concern.h"
#include "machine/listeners.h"
#include "range.h"
#include "identity.h"
#include "util/jsonw.h"

enum listening_flag {
	LISTENING_UNASSIGNED = 1u << 0,
	LISTENING_EPHEMERAL = 1u << 1,
	LISTENING_MALWARE = 1u << 2,
	LISTENING_OTHER_SERVICE = 1u << 3,
};
#define LISTENING_NFLAGS 4

struct listening_note {
	int have;                /* 1 when the registry was consulted */
	struct port_identity id; /* what the registry says the port is */
	unsigned flags;          /* LISTENING_* */
	char looks_like[64]; /* with LISTENING_OTHER_SERVICE: the service the process is named after
	                      */
	enum concern_level concern; /* for the listener's port and protocol (concern.h) */
	char concern_codes[128];    /* the codes of its reasons, comma-separated */
};

/* "unassigned", "ephemeral", "malware", "other-service" for flag bit i. */
const char *listening_flag_name(size_t i);

/*
 * What the registry says about every port of a set of listeners, read
 * once: the identity and the concern (concern.h) of each (port,
 * protocol) present, and which holders' commands are registered service
 * names.  The identity and the names are one statement each for the whole
 * set, where a listing of 4,000 listeners used to run several per
 * listener and spent most of its time preparing them.  st may be NULL (no
 * registry).  NULL with e filled when the database fails or memory runs
 * out; release with listening_index_free().
 */
struct listening_index;
/*
 * Which port of each socket is annotated: its own (a listener), or its
 * peer's (a connection: "what is this connection to 4444?").  The
 * machine's own facts (the ephemeral range) and the holder's name are
 * about the local end only.
 */
enum listening_end { LISTENING_LOCAL, LISTENING_REMOTE };
struct listening_index *listening_index_load(struct store *st, const struct range_machine *rm,
                                             const struct listener *v, size_t n,
                                             enum listening_end end, struct err *e);
void listening_index_free(struct listening_index *ix);

/*
 * Fill n for l, one of the listeners the index was loaded for: the one
 * place a listener is annotated.  0, or -1 with e filled when the
 * database fails.
 */
int listening_annotate(struct listening_index *ix, const struct listener *l,
                       struct listening_note *n, struct err *e);
/*
 * One listener as JSON (schema portolan.listening/1, docs/json-schema.md),
 * written to w; a connection has remote_address and remote_port too.
 */
void listening_write(struct jsonw *w, const struct listener *l, const struct listening_note *n);
/* The same as a jansson value, for the port report and the web (few listeners). */
json_t *listening_json(const struct listener *l, const struct listening_note *n);
/* "127.0.0.1:80", "[::1]:80", "[fe80::1%eth0]:80" as ss(8) writes them. */
void listening_endpoint(const struct msock *s, char *buf, size_t len);
/*
 * The concern level a listener's port has for its protocol, as a label
 * ("none", "low", "elevated", "high"), or "" without a registry.
 */
const char *listening_concern_label(const struct listening_note *n);
/* The peer's end of a connection ("10.0.0.2:4444", "[::1]:22"). */
void listening_remote(const struct msock *s, char *buf, size_t len);
/* The sentence about listeners nobody visible holds, "" when unseen is 0. */
void listening_unseen(const struct listener_set *ls, size_t unseen, char *buf, size_t len);
/*
 * Why listeners of ls may have no visible holder, as a code a renderer
 * can word in its reader's language: "hidepid" (/proc hides other users'
 * processes), "other-users" (their /proc entries deny us), "namespace"
 * (no process here holds them).
 */
const char *listening_unseen_why(const struct listener_set *ls);

/*
 * The port report's section: who listens on port (protocol "" for TCP and
 * UDP) right now, as {"listeners": [...], "unseen": N, "note": "..."},
 * with "unseen_why" (listening_unseen_why()) and for "hidepid" "hidepid"
 * (the mount option's value) when N > 0: the note is English.
 * JSON null when the kernel could not be asked (a sandbox without
 * netlink): the machine facts are missing, not wrong.  NULL with e filled
 * when the database fails.
 */
json_t *listening_port(struct store *st, const struct range_machine *rm, long port,
                       const char *protocol, struct err *e);

#endif
