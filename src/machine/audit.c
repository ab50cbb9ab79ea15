/*
 * audit.c - the expect-file parser, the comparison and the snapshot.
 *
 * The parser works on a buffer (the fuzz target feeds it directly) and
 * splits lines itself instead of using fgets, so that a NUL byte or an
 * over-long line is an error naming its line rather than a silent split.
 * The comparison is a double loop: expect files have tens of lines and
 * hosts thousands of listeners at most, so an index would cost more code
 * than it saves time.
 */
#include <sys/socket.h>
#include <sys/stat.h>
#include <arpa/inet.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "audit.h"

#define AUDIT_MAX_FIELDS 3

struct audit_line {
	const char *name;
	long line;
	char *field[AUDIT_MAX_FIELDS];
	size_t nfield;
};

static int
audit_push(struct expect_set *x, const struct expect *ex, struct err *e)
{
	if (x->n == x->cap) {
		size_t cap = x->cap ? 2 * x->cap : 32;
		struct expect *v = realloc(x->v, cap * sizeof(*v));

		if (v == NULL)
			return err_internal(e, "expect file: out of memory");
		x->v = v;
		x->cap = cap;
	}
	x->v[x->n++] = *ex;
	return 0;
}

static int
audit_port(const struct audit_line *l, struct expect *ex, struct err *e)
{
	struct portspec ps;
	struct err pe = {0};

	if (portspec_parse(l->field[0], &ps, &pe) == -1)
		return err_set(e, "%s:%ld: port: %s", l->name, l->line, pe.msg);
	if (strchr(l->field[0], '/') == NULL)
		return err_set(e,
		               "%s:%ld: port: \"%s\" needs a protocol (\"%s/tcp\" or \"%s/udp\")",
		               l->name, l->line, l->field[0], l->field[0], l->field[0]);
	ex->port = ps.port;
	ex->proto = ps.protos;
	return 0;
}

static int
audit_process(const struct audit_line *l, struct expect *ex, struct err *e)
{
	const char *p = l->nfield > 1 ? l->field[1] : "*";

	if (strcmp(p, "*") == 0)
		return 0;
	if (strlen(p) > AUDIT_MAX_COMM)
		return err_set(e,
		               "%s:%ld: process: \"%.64s\" is longer than %d characters and "
		               "can never match (the kernel keeps %d)",
		               l->name, l->line, p, AUDIT_MAX_COMM, AUDIT_MAX_COMM);
	memcpy(ex->process, p, strlen(p) + 1);
	return 0;
}

static int
audit_address(const struct audit_line *l, struct expect *ex, struct err *e)
{
	char buf[64];
	const char *a = l->nfield > 2 ? l->field[2] : "*";
	size_t len = strlen(a);

	if (strcmp(a, "*") == 0)
		return 0;
	if (len >= 2 && a[0] == '[' && a[len - 1] == ']' && len - 2 < sizeof(buf)) {
		memcpy(buf, a + 1, len - 2);
		buf[len - 2] = '\0';
		a = buf;
	}
	if (inet_pton(AF_INET, a, ex->addr) == 1)
		ex->family = AF_INET;
	else if (inet_pton(AF_INET6, a, ex->addr) == 1)
		ex->family = AF_INET6;
	else
		return err_set(e, "%s:%ld: address: \"%.64s\" is not an IPv4 or IPv6 address",
		               l->name, l->line, l->field[2]);
	return 0;
}

/* Split one line (NUL-terminated, comment removed) into blank-separated fields. */
static int
audit_fields(char *s, struct audit_line *l, struct err *e)
{
	char *save = NULL, *tok;

	l->nfield = 0;
	for (tok = strtok_r(s, " \t\r", &save); tok; tok = strtok_r(NULL, " \t\r", &save)) {
		if (l->nfield == AUDIT_MAX_FIELDS)
			return err_set(e,
			               "%s:%ld: \"%.64s\": too many fields (PORT/PROTO "
			               "[PROCESS] [ADDRESS])",
			               l->name, l->line, tok);
		l->field[l->nfield++] = tok;
	}
	return 0;
}

static int
audit_line(struct audit_line *l, char *s, struct expect_set *out, struct err *e)
{
	struct expect ex;
	char *hash = strchr(s, '#');

	if (hash)
		*hash = '\0';
	if (audit_fields(s, l, e) == -1)
		return -1;
	if (l->nfield == 0)
		return 0;
	memset(&ex, 0, sizeof(ex));
	ex.line = l->line;
	if (audit_port(l, &ex, e) == -1 || audit_process(l, &ex, e) == -1 ||
	    audit_address(l, &ex, e) == -1)
		return -1;
	return audit_push(out, &ex, e);
}

int
audit_parse(const char *name, const char *buf, size_t len, struct expect_set *out, struct err *e)
{
	struct audit_line l = {.name = name};
	char line[AUDIT_MAX_LINE + 1];
	size_t i = 0;

	if (len > AUDIT_MAX_BYTES)
		return err_set(e, "%s: larger than %u bytes", name, AUDIT_MAX_BYTES);
	while (i < len) {
		const char *nl = memchr(buf + i, '\n', len - i);
		size_t n = nl ? (size_t)(nl - (buf + i)) : len - i;

		l.line++;
		if (n > AUDIT_MAX_LINE)
			return err_set(e, "%s:%ld: line longer than %d bytes", name, l.line,
			               AUDIT_MAX_LINE);
		if (memchr(buf + i, '\0', n) != NULL)
			return err_set(e, "%s:%ld: NUL byte (not a text file?)", name, l.line);
		memcpy(line, buf + i, n);
		line[n] = '\0';
		if (audit_line(&l, line, out, e) == -1)
			return -1;
		i += n + 1;
	}
	return 0;
}

static int
audit_read(int fd, const char *path, char *buf, size_t *len, struct err *e)
{
	ssize_t n;

	*len = 0;
	while ((n = read(fd, buf + *len, AUDIT_MAX_BYTES + 1 - *len)) > 0) {
		*len += (size_t)n;
		if (*len > AUDIT_MAX_BYTES)
			return err_set(e, "%s: larger than %u bytes", path, AUDIT_MAX_BYTES);
	}
	if (n < 0)
		return err_set(e, "%s: %s", path, strerror(errno));
	return 0;
}

int
audit_load(const char *path, struct expect_set *out, struct err *e)
{
	char *buf;
	size_t len;
	int fd, rc = -1;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd == -1)
		return err_set(e, "%s: %s", path, strerror(errno));
	buf = malloc(AUDIT_MAX_BYTES + 1);
	if (buf == NULL) {
		err_internal(e, "%s: out of memory", path);
		goto out;
	}
	if (audit_read(fd, path, buf, &len, e) == 0)
		rc = audit_parse(path, buf, len, out, e);
out:
	free(buf);
	close(fd);
	return rc;
}

void
audit_free(struct expect_set *x)
{
	free(x->v);
	x->v = NULL;
	x->n = x->cap = 0;
}

static int
audit_matches(const struct expect *x, const struct listener *l)
{
	if (x->port != l->s.port || x->proto != l->s.proto)
		return 0;
	if (x->family != 0 && (x->family != l->s.family ||
	                       memcmp(x->addr, l->s.addr, x->family == AF_INET ? 4 : 16) != 0))
		return 0;
	if (x->process[0] == '\0')
		return 1;
	for (size_t i = 0; i < l->nholders; i++)
		if (strcmp(l->holders[i].comm, x->process) == 0)
			return 1;
	return 0;
}

int
audit_compare(const struct expect_set *x, const struct listener_set *ls, struct audit_result *r,
              struct err *e)
{
	unsigned char *used = calloc(x->n ? x->n : 1, 1);

	memset(r, 0, sizeof(*r));
	r->added = malloc((ls->n ? ls->n : 1) * sizeof(*r->added));
	r->missing = malloc((x->n ? x->n : 1) * sizeof(*r->missing));
	if (used == NULL || r->added == NULL || r->missing == NULL) {
		free(used);
		audit_result_free(r);
		return err_internal(e, "audit: out of memory");
	}
	for (size_t i = 0; i < ls->n; i++) {
		int hit = 0;

		for (size_t j = 0; j < x->n; j++)
			if (audit_matches(&x->v[j], &ls->v[i]))
				hit = used[j] = 1;
		if (!hit)
			r->added[r->nadded++] = i;
	}
	for (size_t j = 0; j < x->n; j++)
		if (!used[j])
			r->missing[r->nmissing++] = j;
	free(used);
	return 0;
}

void
audit_result_free(struct audit_result *r)
{
	free(r->added);
	free(r->missing);
	memset(r, 0, sizeof(*r));
}

void
audit_expect_str(const struct expect *x, char *buf, size_t len)
{
	char addr[INET6_ADDRSTRLEN] = "*";

	if (x->family != 0)
		inet_ntop(x->family, x->addr, addr, sizeof(addr));
	snprintf(buf, len, "%u/%s %s %s", x->port, portspec_proto_name(x->proto),
	         x->process[0] ? x->process : "*", addr);
}

/* A holder's name as a PROCESS field: "*" when it would not survive a re-read. */
static void
audit_snapshot_expect(const struct listener *l, struct expect *x)
{
	const char *comm = l->nholders ? l->holders[0].comm : "";

	memset(x, 0, sizeof(*x));
	x->port = l->s.port;
	x->proto = l->s.proto;
	x->family = l->s.family;
	memcpy(x->addr, l->s.addr, sizeof(x->addr));
	if (comm[0] != '\0' && strlen(comm) <= AUDIT_MAX_COMM && strpbrk(comm, " \t\r\n#") == NULL)
		memcpy(x->process, comm, strlen(comm) + 1);
}

static int
audit_cmp_line(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int
audit_snapshot(const struct listener_set *ls, struct strbuf *out, struct err *e)
{
	char(*lines)[128] = malloc((ls->n ? ls->n : 1) * sizeof(*lines));
	char **sorted = malloc((ls->n ? ls->n : 1) * sizeof(*sorted));
	int rc = 0;

	if (lines == NULL || sorted == NULL) {
		free(lines);
		free(sorted);
		return err_internal(e, "snapshot: out of memory");
	}
	for (size_t i = 0; i < ls->n; i++) {
		struct expect x;

		audit_snapshot_expect(&ls->v[i], &x);
		audit_expect_str(&x, lines[i], sizeof(lines[i]));
		sorted[i] = lines[i];
	}
	qsort(sorted, ls->n, sizeof(*sorted), audit_cmp_line);
	rc = strbuf_appends(out, "# PORT/PROTO PROCESS ADDRESS  (portolan audit --snapshot)\n");
	for (size_t i = 0; i < ls->n && rc == 0; i++)
		if (i == 0 || strcmp(sorted[i], sorted[i - 1]) != 0)
			rc = strbuf_appendf(out, "%s\n", sorted[i]);
	free(lines);
	free(sorted);
	return rc == 0 ? 0 : err_internal(e, "snapshot: out of memory");
}
