/*
 * import_services.c - services-style files, line by line; see
 * import_services.h.
 *
 * The input is fed in chunks and cut at newlines into one bounded line
 * buffer, so memory is one line whatever the file, and an over-long line
 * fails as soon as the bound is crossed (the newline search itself is
 * bounded too).  Each line is checked whole (no NUL, valid UTF-8) before it
 * is split, so the byte offset in a message is the offset in the line as
 * the file has it.
 *
 * The frequency is parsed by hand rather than with strtod(): strtod()
 * follows LC_NUMERIC, and it accepts forms nmap never writes ("1e-3",
 * "inf", "0x1p-3") that would only hide a corrupt file.  The format is
 * "0" or "1", optionally followed by '.' and digits.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "../util/strbuf.h"
#include "../util/unicode.h"
#include "import_services.h"

#define SERVICES_CHUNK (64u * 1024)
#define SERVICES_SPACE " \t\r\v\f"

struct services_parser {
	const char *name;
	enum services_kind kind;
	const struct reg_sink *sink;
	struct strbuf line;    /* the current line, without its newline */
	struct strbuf comment; /* "alias of NAME" */
	long lineno;
	char updated[11]; /* the $Id line's YYYY-MM-DD, "" until one is seen */
};

static void
services_init(struct services_parser *p, const char *name, enum services_kind kind,
              const struct reg_sink *sink)
{
	p->name = name;
	p->kind = kind;
	p->sink = sink;
	strbuf_init(&p->line, IMPORT_SERVICES_LINE_MAX);
	strbuf_init(&p->comment, IMPORT_SERVICES_LINE_MAX + 16);
	p->lineno = 1;
	p->updated[0] = '\0';
}

static void
services_free(struct services_parser *p)
{
	strbuf_free(&p->line);
	strbuf_free(&p->comment);
}

/* "1/tcp" -> 1, "tcp"; the protocol points into s. */
static int
services_port(struct services_parser *p, char *s, long *port, const char **proto, struct err *e)
{
	char *slash = strchr(s, '/');
	const char *d;

	if (slash == NULL)
		return err_set(e, "%s:%ld: \"%.40s\" is not port/protocol", p->name, p->lineno, s);
	*slash = '\0';
	*proto = slash + 1;
	for (d = s, *port = 0; *d >= '0' && *d <= '9' && *port <= PORT_MAX; d++)
		*port = *port * 10 + (*d - '0');
	if (d == s || *d != '\0' || *port > PORT_MAX)
		return err_set(e, "%s:%ld: port \"%.40s\" is not a number in 0-%d", p->name,
		               p->lineno, s, PORT_MAX);
	return 0;
}

static int
services_protocol(struct services_parser *p, const char *proto, struct err *e)
{
	if (strcmp(proto, "tcp") == 0 || strcmp(proto, "udp") == 0 || strcmp(proto, "sctp") == 0 ||
	    strcmp(proto, "dccp") == 0)
		return 0;
	return err_set(e, "%s:%ld: protocol \"%.40s\" is not tcp, udp, sctp or dccp", p->name,
	               p->lineno, proto);
}

static int
services_frequency(struct services_parser *p, const char *s, double *f, struct err *e)
{
	const char *d = s;
	double scale = 0.1;

	if (*d != '0' && *d != '1')
		goto bad;
	*f = *d++ - '0';
	if (*d == '.') {
		if (d[1] < '0' || d[1] > '9')
			goto bad;
		for (d++; *d >= '0' && *d <= '9'; d++, scale /= 10)
			*f += (*d - '0') * scale;
	}
	if (*d == '\0' && *f <= 1.0)
		return 0;
bad:
	return err_set(e, "%s:%ld: frequency \"%.40s\" is not a decimal between 0 and 1", p->name,
	               p->lineno, s);
}

static int
services_emit(struct services_parser *p, const struct reg_alias *a, struct err *e)
{
	if (p->sink->alias != NULL && p->sink->alias(p->sink->ctx, a, e) == -1) {
		err_prefix(e, "%s:%ld: ", p->name, p->lineno);
		return -1;
	}
	return 0;
}

/* The whole line must be text: no NUL, valid UTF-8. */
static int
services_check_text(struct services_parser *p, struct err *e)
{
	const uint8_t *s = (const uint8_t *)p->line.buf, *bad;
	const char *nul = memchr(p->line.buf, '\0', p->line.len);

	if (nul != NULL)
		return err_set(e, "%s:%ld: NUL byte at byte %zu of the line", p->name, p->lineno,
		               (size_t)(nul - p->line.buf));
	if ((bad = unicode_check(s, p->line.len)) != NULL)
		return err_set(e, "%s:%ld: invalid UTF-8 at byte %zu of the line", p->name,
		               p->lineno, (size_t)(bad - s));
	return 0;
}

/* Aliases of /etc/services: one more fact each, pointing at the primary name. */
static int
services_aliases(struct services_parser *p, struct reg_alias *a, char **save, struct err *e)
{
	const char *primary = a->service;
	char *tok;

	strbuf_reset(&p->comment);
	if (strbuf_appendf(&p->comment, "alias of %s", primary) == -1)
		return err_internal(e, "%s:%ld: out of memory", p->name, p->lineno);
	a->comment = p->comment.buf;
	while ((tok = strtok_r(NULL, SERVICES_SPACE, save)) != NULL) {
		a->service = tok;
		if (services_emit(p, a, e) == -1)
			return -1;
	}
	return 0;
}

/* The comment after '#', without surrounding white space (cut in place). */
static char *
services_comment(char *s)
{
	char *end;

	s += strspn(s, SERVICES_SPACE);
	for (end = s + strlen(s); end > s && strchr(SERVICES_SPACE, end[-1]) != NULL; end--)
		end[-1] = '\0';
	return s;
}

/*
 * nmap-services dates itself only in its version-control keyword,
 * "$Id: nmap-services 38442 2022-08-31 22:53:46Z dmiller $"; the first one
 * dates the file.  Anything not shaped like a date is ignored.
 */
static void
services_id_date(struct services_parser *p, const char *comment)
{
	char date[11];
	int i;

	if (p->updated[0] || sscanf(comment, "$Id: %*s %*s %10s", date) != 1 || strlen(date) != 10)
		return;
	for (i = 0; i < 10; i++)
		if (i == 4 || i == 7 ? date[i] != '-' : date[i] < '0' || date[i] > '9')
			return;
	memcpy(p->updated, date, sizeof(date));
}

static int
services_line(struct services_parser *p, struct err *e)
{
	struct reg_alias a = {.frequency = -1, .line = p->lineno};
	char *hash, *save = NULL, *name, *pp, *tok;

	if (services_check_text(p, e) == -1)
		return -1;
	a.comment = "";
	if ((hash = strchr(p->line.buf, '#')) != NULL) {
		*hash = '\0';
		a.comment = services_comment(hash + 1);
	}
	if ((name = strtok_r(p->line.buf, SERVICES_SPACE, &save)) == NULL) {
		services_id_date(p, a.comment);
		return 0; /* blank or comment only */
	}
	if ((pp = strtok_r(NULL, SERVICES_SPACE, &save)) == NULL)
		return err_set(e, "%s:%ld: \"%.40s\" has no port/protocol", p->name, p->lineno,
		               name);
	if (services_port(p, pp, &a.port, &a.protocol, e) == -1)
		return -1;
	if (strcmp(a.protocol, "ddp") == 0)
		return 0; /* AppleTalk, not an IP port */
	if (services_protocol(p, a.protocol, e) == -1)
		return -1;
	a.service = name;
	if (p->kind == SERVICES_NMAP) {
		if ((tok = strtok_r(NULL, SERVICES_SPACE, &save)) == NULL)
			return err_set(e, "%s:%ld: no frequency after \"%s/%s\"", p->name,
			               p->lineno, pp, a.protocol);
		if (services_frequency(p, tok, &a.frequency, e) == -1)
			return -1;
		if ((tok = strtok_r(NULL, SERVICES_SPACE, &save)) != NULL)
			return err_set(e,
			               "%s:%ld: unexpected \"%.40s\" after the frequency (comments "
			               "start with '#')",
			               p->name, p->lineno, tok);
		return services_emit(p, &a, e);
	}
	if (services_emit(p, &a, e) == -1)
		return -1;
	return services_aliases(p, &a, &save, e);
}

static int
services_feed(struct services_parser *p, const char *data, size_t len, struct err *e)
{
	const char *nl;
	size_t n, room;

	while (len > 0) {
		/* Search no further than the line may reach: fail fast. */
		room = p->line.limit - p->line.len;
		nl = memchr(data, '\n', len < room + 1 ? len : room + 1);
		n = nl ? (size_t)(nl - data) : len;
		if (n > room)
			return err_set(e, "%s:%ld: line longer than %u bytes", p->name, p->lineno,
			               IMPORT_SERVICES_LINE_MAX);
		if (strbuf_append(&p->line, data, n) == -1)
			return err_internal(e, "%s:%ld: out of memory", p->name, p->lineno);
		if (nl == NULL)
			break;
		if (services_line(p, e) == -1)
			return -1;
		strbuf_reset(&p->line);
		p->lineno++;
		data += n + 1;
		len -= n + 1;
	}
	return 0;
}

/* The last line, then the file's date (see import_services.h); mtime 0 when there is no file. */
static int
services_finish(struct services_parser *p, time_t mtime, struct err *e)
{
	struct tm tm;

	if (p->line.len > 0 && services_line(p, e) == -1) /* last line without a newline */
		return -1;
	if (!p->updated[0] && mtime > 0 && gmtime_r(&mtime, &tm) != NULL)
		strftime(p->updated, sizeof(p->updated), "%Y-%m-%d", &tm);
	if (p->updated[0] && p->sink->meta != NULL &&
	    p->sink->meta(p->sink->ctx, "updated", p->updated, e) == -1) {
		err_prefix(e, "%s: ", p->name);
		return -1;
	}
	return 0;
}

int
import_services_buffer(const char *data, size_t len, const char *name, enum services_kind kind,
                       const struct reg_sink *sink, struct err *e)
{
	struct services_parser p;
	int rc;

	services_init(&p, name, kind, sink);
	rc = services_feed(&p, data, len, e) == -1 ? -1 : services_finish(&p, 0, e);
	services_free(&p);
	return rc;
}

int
import_services_file(const char *path, enum services_kind kind, const struct reg_sink *sink,
                     struct err *e)
{
	struct services_parser p;
	char buf[SERVICES_CHUNK];
	struct stat sb;
	size_t n;
	FILE *fp;
	int rc = -1;

	if ((fp = fopen(path, "rb")) == NULL)
		return err_set(e, "%s: %s", path, strerror(errno));
	services_init(&p, path, kind, sink);
	while ((n = fread(buf, 1, sizeof(buf), fp)) > 0)
		if (services_feed(&p, buf, n, e) == -1)
			goto out;
	if (ferror(fp)) {
		err_internal(e, "%s: read error", path);
		goto out;
	}
	rc = services_finish(&p, fstat(fileno(fp), &sb) == 0 ? sb.st_mtime : 0, e);
out:
	services_free(&p);
	fclose(fp);
	return rc;
}
