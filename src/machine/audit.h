/*
 * audit.h - the expected set of listeners, and drift from it.
 *
 * `portolan audit --expect FILE` compares what listens now with what
 * should.  The file is plain text a person edits and a diff reviews, one
 * expected listener per line:
 *
 *	# PORT/PROTO   PROCESS   ADDRESS
 *	22/tcp         sshd      0.0.0.0
 *	22/tcp         sshd      ::
 *	53/udp         *         127.0.0.53
 *	443/tcp        nginx
 *	8080/tcp
 *
 * Fields are separated by blanks; '#' starts a comment.  PORT/PROTO is
 * required (the protocol too: a line means one socket).  PROCESS is the
 * kernel's command name (at most 15 characters, as /proc/PID/comm shows
 * it) and matches when any holder of the socket has that name; ADDRESS is
 * an IPv4 or IPv6 address (brackets allowed) compared exactly.  "*" or an
 * absent field matches anything.  One line may cover several sockets and
 * it "disappears" only when it matches none.
 *
 * The file is outside input: it is bounded (AUDIT_MAX_BYTES, AUDIT_MAX_LINE)
 * and every refusal names file:line and the field.
 *
 * Memory: an expect_set and an audit_result own their arrays until
 * audit_free()/audit_result_free(); on failure they hold nothing to free
 * beyond what those calls release.  Errors: ERR_INPUT for the file's
 * content, ERR_INTERNAL for reading it or memory.
 */
#ifndef PORTOLAN_MACHINE_AUDIT_H
#define PORTOLAN_MACHINE_AUDIT_H

#include <stddef.h>
#include <stdint.h>

#include "../util/err.h"
#include "../util/strbuf.h"
#include "listeners.h"

#define AUDIT_MAX_BYTES (1u << 20) /* 1 MiB: tens of thousands of lines */
#define AUDIT_MAX_LINE  1024
#define AUDIT_MAX_COMM  15 /* TASK_COMM_LEN - 1 */

struct expect {
	unsigned port;
	unsigned proto;                   /* one PROTO_* bit */
	char process[AUDIT_MAX_COMM + 1]; /* "" matches any */
	int family;                       /* 0 matches any address; else AF_INET/AF_INET6 */
	uint8_t addr[16];
	long line;
};

struct expect_set {
	struct expect *v;
	size_t n, cap;
};

struct audit_result {
	size_t *added; /* indices into the listener set: listening, not expected */
	size_t nadded;
	size_t *missing; /* indices into the expect set: expected, not listening */
	size_t nmissing;
};

/* Parse len bytes of an expect file; name is used in messages. */
int audit_parse(const char *name, const char *buf, size_t len, struct expect_set *out,
                struct err *e);
/* Read and parse the file at path. */
int audit_load(const char *path, struct expect_set *out, struct err *e);
void audit_free(struct expect_set *x);

int audit_compare(const struct expect_set *x, const struct listener_set *ls, struct audit_result *r,
                  struct err *e);
void audit_result_free(struct audit_result *r);

/* One line per listener in the format above, sorted, without duplicates. */
int audit_snapshot(const struct listener_set *ls, struct strbuf *out, struct err *e);
/* The line for one expectation as the file would hold it ("22/tcp sshd ::"). */
void audit_expect_str(const struct expect *x, char *buf, size_t len);

#endif
