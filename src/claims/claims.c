/*
 * claims.c - the claim, its text format and its overlap rules (claims.h).
 *
 * The parser is a small tokenizer over one line at a time: a token is a
 * run of non-blank bytes, or key="quoted value" with '\"' and '\\'
 * escapes.  Quoting is only needed for blanks, so the common file has no
 * quotes at all and reads like the audit's expect file.  The writer quotes
 * exactly when the parser would need it, so export(import(f)) is f for a
 * file portolan wrote, which is what makes the round trip diff-clean.
 */
#include <ctype.h>
#include <errno.h>
#include <fnmatch.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "claims.h"
#include "util/portnum.h"

const char *
claims_proto_str(unsigned protos)
{
	if (protos == (CLAIM_TCP | CLAIM_UDP))
		return "tcp,udp";
	return protos == CLAIM_UDP ? "udp" : "tcp";
}

int
claims_parse_port(const char *s, struct claim *c, struct err *e)
{
	char num[16];
	const char *slash = strchr(s, '/');
	size_t n = slash ? (size_t)(slash - s) : strlen(s);

	if (n == 0 || n >= sizeof(num) || strchr(s, ' '))
		return err_set(e, "\"%.40s\" is not PORT[-HI][/PROTO]", s);
	memcpy(num, s, n);
	num[n] = '\0';
	if (portnum_parse_range(num, &c->lo, &c->hi) == -1 || c->lo < 1)
		return err_set(e, "\"%.40s\": not a port or LO-HI range within 1-65535", num);
	if (slash == NULL || strcmp(slash + 1, "tcp") == 0)
		c->protos = CLAIM_TCP;
	else if (strcmp(slash + 1, "udp") == 0)
		c->protos = CLAIM_UDP;
	else if (strcmp(slash + 1, "tcp,udp") == 0 || strcmp(slash + 1, "udp,tcp") == 0)
		c->protos = CLAIM_TCP | CLAIM_UDP;
	else
		return err_set(e, "\"%.40s\": the protocol is tcp, udp or tcp,udp", slash + 1);
	return 0;
}

void
claims_port_str(const struct claim *c, char *buf, size_t len)
{
	if (c->lo == c->hi)
		snprintf(buf, len, "%ld/%s", c->lo, claims_proto_str(c->protos));
	else
		snprintf(buf, len, "%ld-%ld/%s", c->lo, c->hi, claims_proto_str(c->protos));
}

static int
claims_printable(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return 0;
	return 1;
}

/* A service or owner name: one word, no quotes or '=' that would confuse the format. */
static int
claims_word(const char *s)
{
	if (*s == '\0' || *s == '#')
		return 0;
	for (; *s; s++)
		if (isspace((unsigned char)*s) || *s == '"' || *s == '\\' || *s == '=' ||
		    (unsigned char)*s < 0x20 || *s == 0x7f)
			return 0;
	return 1;
}

int
claims_validate(const struct claim *c, struct err *e)
{
	const struct {
		const char *name, *value;
	} f[] = {{"contact", c->contact}, {"hosts", c->hosts}, {"note", c->note},
	         {"by", c->by},           {"at", c->at},       {"ack", c->ack}};

	if (c->lo < 1 || c->hi > 65535 || c->lo > c->hi || c->protos == 0 ||
	    (c->protos & ~(unsigned)(CLAIM_TCP | CLAIM_UDP)))
		return err_set(e, "the port must be 1-65535 (LO-HI low end first), tcp or udp");
	if (!claims_word(c->service))
		return err_set(e, "the service is one word without blanks, quotes or '='");
	if (!claims_word(c->owner))
		return err_set(e, "owner: one word without blanks, quotes or '=' (--owner TEAM)");
	for (size_t i = 0; i < sizeof(f) / sizeof(f[0]); i++)
		if (!claims_printable(f[i].value))
			return err_set(e, "%s: control characters are not allowed", f[i].name);
	if (c->hosts[0] && strpbrk(c->hosts, " \t"))
		return err_set(e, "hosts: a pattern without blanks (web-*,db-1)");
	return 0;
}

/* ------------------------------------------------------------ parsing */

struct claims_field {
	const char *key;
	size_t off, size;
};

#define CLAIMS_FIELD(name)                                                                         \
	{                                                                                          \
#name, offsetof(struct claim, name), sizeof(((struct claim *)0)->name)             \
	}
static const struct claims_field claims_fields[] = {
    CLAIMS_FIELD(owner), CLAIMS_FIELD(contact), CLAIMS_FIELD(hosts), CLAIMS_FIELD(note),
    CLAIMS_FIELD(by),    CLAIMS_FIELD(at),      CLAIMS_FIELD(ack),
};
#define CLAIMS_NFIELDS (sizeof(claims_fields) / sizeof(claims_fields[0]))

/*
 * The next token of line at *pos into tok (NUL-terminated, unescaped);
 * 1 found, 0 end of line, -1 error.  A '"' anywhere starts a quoted part.
 */
static int
claims_token(const char *line, size_t *pos, char *tok, size_t cap, struct err *e)
{
	size_t i = *pos, n = 0;
	int quoted = 0;

	while (line[i] == ' ' || line[i] == '\t')
		i++;
	if (line[i] == '\0')
		return 0;
	for (; line[i] && (quoted || (line[i] != ' ' && line[i] != '\t')); i++) {
		char ch = line[i];

		if (ch == '"') {
			quoted = !quoted;
			continue;
		}
		if (quoted && ch == '\\') {
			if (line[i + 1] != '"' && line[i + 1] != '\\')
				return err_set(e, "only \\\" and \\\\ are escapes in quotes");
			ch = line[++i];
		}
		if (n + 1 >= cap)
			return err_set(e, "a field longer than %zu bytes", cap - 1);
		tok[n++] = ch;
	}
	if (quoted)
		return err_set(e, "a quote is not closed");
	tok[n] = '\0';
	*pos = i;
	return 1;
}

static int
claims_set_field(struct claim *c, const char *tok, struct err *e)
{
	const char *eq = strchr(tok, '=');
	size_t klen;

	if (eq == NULL)
		return err_set(e, "\"%.40s\": fields after the service are key=value", tok);
	klen = (size_t)(eq - tok);
	for (size_t i = 0; i < CLAIMS_NFIELDS; i++) {
		const struct claims_field *f = &claims_fields[i];

		if (strlen(f->key) != klen || strncmp(tok, f->key, klen) != 0)
			continue;
		if (strlen(eq + 1) >= f->size)
			return err_set(e, "%s: longer than %zu bytes", f->key, f->size - 1);
		memcpy((char *)c + f->off, eq + 1, strlen(eq + 1) + 1);
		return 0;
	}
	return err_set(e, "\"%.*s\": no such field (owner, contact, hosts, note, by, at, ack)",
	               (int)(klen > 40 ? 40 : klen), tok);
}

static int
claims_parse_line(const char *line, struct claim *c, struct err *e)
{
	char tok[CLAIMS_MAX_LINE];
	size_t pos = 0;
	int r;

	memset(c, 0, sizeof(*c));
	if ((r = claims_token(line, &pos, tok, sizeof(tok), e)) <= 0)
		return r;
	if (claims_parse_port(tok, c, e) == -1)
		return -1;
	if ((r = claims_token(line, &pos, tok, sizeof(c->service), e)) < 0)
		return -1;
	if (r == 0)
		return err_set(e, "no service after the port");
	memcpy(c->service, tok, strlen(tok) + 1);
	while ((r = claims_token(line, &pos, tok, sizeof(tok), e)) > 0)
		if (claims_set_field(c, tok, e) == -1)
			return -1;
	if (r < 0)
		return -1;
	if (c->hosts[0] == '\0')
		strcpy(c->hosts, "*");
	return claims_validate(c, e) == -1 ? -1 : 1;
}

int
claims_parse(const char *name, const char *buf, size_t len, struct claim_list *out, struct err *e)
{
	char line[CLAIMS_MAX_LINE + 1];
	size_t i = 0;
	long lineno = 0;

	if (len > CLAIMS_MAX_BYTES)
		return err_set(e, "%s: larger than %u bytes", name, CLAIMS_MAX_BYTES);
	while (i < len) {
		size_t n = 0;
		struct claim c;
		int r;

		lineno++;
		while (i < len && buf[i] != '\n') {
			if (n >= CLAIMS_MAX_LINE)
				return err_set(e, "%s:%ld: longer than %d bytes", name, lineno,
				               CLAIMS_MAX_LINE);
			if (buf[i] == '\0')
				return err_set(e, "%s:%ld: a NUL byte", name, lineno);
			line[n++] = buf[i++];
		}
		i++;
		if (n > 0 && line[n - 1] == '\r')
			n--;
		line[n] = '\0';
		if (line[strspn(line, " \t")] == '#')
			continue;
		if ((r = claims_parse_line(line, &c, e)) < 0) {
			err_prefix(e, "%s:%ld: ", name, lineno);
			return -1;
		}
		if (r == 0)
			continue;
		for (size_t j = 0; j < out->n; j++)
			if (claims_overlap(&out->v[j], &c))
				return err_set(e,
				               "%s:%ld: %s overlaps an earlier line's claim (%s)",
				               name, lineno, c.service, out->v[j].service);
		if (claims_append(out, &c, e) == -1)
			return -1;
	}
	return 0;
}

int
claims_load(const char *path, struct claim_list *out, struct err *e)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
	struct strbuf sb;
	char chunk[65536];
	size_t n;
	int rc;

	if (f == NULL)
		return err_set(e, "cannot read %s: %s", path, strerror(errno));
	strbuf_init(&sb, CLAIMS_MAX_BYTES);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		if (strbuf_append(&sb, chunk, n) == -1) {
			if (f != stdin)
				fclose(f);
			strbuf_free(&sb);
			return err_set(e, "%s: larger than %u bytes", path, CLAIMS_MAX_BYTES);
		}
	if (ferror(f)) {
		if (f != stdin)
			fclose(f);
		strbuf_free(&sb);
		return err_set(e, "cannot read %s: %s", path, strerror(errno));
	}
	if (f != stdin)
		fclose(f);
	rc = claims_parse(path, sb.buf, sb.len, out, e);
	strbuf_free(&sb);
	return rc;
}

/* ------------------------------------------------------------ writing */

static int
claims_put_value(struct strbuf *out, const char *key, const char *v)
{
	int rc = strbuf_appendf(out, " %s=", key);

	if (v[0] && strpbrk(v, " \t\"\\") == NULL)
		return rc | strbuf_appends(out, v);
	rc |= strbuf_appendc(out, '"');
	for (; *v; v++) {
		if (*v == '"' || *v == '\\')
			rc |= strbuf_appendc(out, '\\');
		rc |= strbuf_appendc(out, *v);
	}
	return rc | strbuf_appendc(out, '"');
}

int
claims_format(const struct claim_list *l, struct strbuf *out, struct err *e)
{
	struct claim_list s = {0};
	int rc = 0;

	for (size_t i = 0; i < l->n; i++)
		if (claims_append(&s, &l->v[i], e) == -1) {
			claims_free(&s);
			return -1;
		}
	claims_sort(&s);
	rc |= strbuf_appends(out, "# " CLAIMS_FORMAT " (PORT[-HI][/PROTO] SERVICE key=value ...; "
	                          "see `portolan claim --help`)\n");
	for (size_t i = 0; i < s.n; i++) {
		const struct claim *c = &s.v[i];
		char port[32];

		claims_port_str(c, port, sizeof(port));
		rc |= strbuf_appendf(out, "%-14s %s", port, c->service);
		for (size_t k = 0; k < CLAIMS_NFIELDS; k++) {
			const char *v = (const char *)c + claims_fields[k].off;

			if (v[0] && !(k == 2 && strcmp(v, "*") == 0)) /* hosts=* is the default */
				rc |= claims_put_value(out, claims_fields[k].key, v);
		}
		rc |= strbuf_appendc(out, '\n');
	}
	claims_free(&s);
	return rc ? err_internal(e, "claims: out of memory") : 0;
}

/* ------------------------------------------------------------ lists */

static json_t *
claims_ack_json(const char *ack)
{
	char buf[sizeof(((struct claim *)0)->ack)];
	char *save = NULL, *code;
	json_t *a = json_array();

	snprintf(buf, sizeof(buf), "%s", ack);
	for (code = strtok_r(buf, ",", &save); code; code = strtok_r(NULL, ",", &save))
		json_array_append_new(a, json_string(code));
	return a;
}

int
claims_append(struct claim_list *l, const struct claim *c, struct err *e)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 16;
		struct claim *v = realloc(l->v, cap * sizeof(*v));

		if (v == NULL)
			return err_internal(e, "claims: out of memory");
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n++] = *c;
	return 0;
}

static int
claims_cmp(const void *pa, const void *pb)
{
	const struct claim *a = pa, *b = pb;

	if (a->lo != b->lo)
		return a->lo < b->lo ? -1 : 1;
	if (a->hi != b->hi)
		return a->hi < b->hi ? -1 : 1;
	if (a->protos != b->protos)
		return a->protos < b->protos ? -1 : 1;
	return strcmp(a->hosts, b->hosts);
}

void
claims_sort(struct claim_list *l)
{
	if (l->n > 1)
		qsort(l->v, l->n, sizeof(*l->v), claims_cmp);
}

void
claims_free(struct claim_list *l)
{
	free(l->v);
	l->v = NULL;
	l->n = l->cap = 0;
}

/* ------------------------------------------------------------ overlap */

/* Each comma-separated alternative of pattern a against the text b, as fnmatch(3) does. */
static int
claims_alt_match(const char *pattern, const char *text)
{
	char buf[sizeof(((struct claim *)0)->hosts)];
	char *save = NULL, *alt;

	snprintf(buf, sizeof(buf), "%s", pattern[0] ? pattern : "*");
	for (alt = strtok_r(buf, ",", &save); alt; alt = strtok_r(NULL, ",", &save))
		if (fnmatch(alt, text, FNM_CASEFOLD) == 0)
			return 1;
	return 0;
}

int
claims_hosts_match(const char *pattern, const char *hostname)
{
	return claims_alt_match(pattern, hostname);
}

int
claims_hosts_overlap(const char *a, const char *b)
{
	char buf[sizeof(((struct claim *)0)->hosts)];
	char *save = NULL, *alt;

	/* Two patterns share a host when an alternative of one, read as a name, matches the other.
	 */
	snprintf(buf, sizeof(buf), "%s", b[0] ? b : "*");
	for (alt = strtok_r(buf, ",", &save); alt; alt = strtok_r(NULL, ",", &save)) {
		char abuf[sizeof(buf)];
		char *asave = NULL, *aalt;

		if (claims_alt_match(a, alt))
			return 1;
		snprintf(abuf, sizeof(abuf), "%s", a[0] ? a : "*");
		for (aalt = strtok_r(abuf, ",", &asave); aalt; aalt = strtok_r(NULL, ",", &asave))
			if (fnmatch(alt, aalt, FNM_CASEFOLD) == 0)
				return 1;
	}
	return 0;
}

int
claims_overlap(const struct claim *a, const struct claim *b)
{
	return a->lo <= b->hi && b->lo <= a->hi && (a->protos & b->protos) &&
	       claims_hosts_overlap(a->hosts, b->hosts);
}

int
claims_same_key(const struct claim *a, const struct claim *b)
{
	return a->lo == b->lo && a->hi == b->hi && a->protos == b->protos &&
	       strcmp(a->hosts, b->hosts) == 0;
}

json_t *
claims_json(const struct claim *c)
{
	char port[32];

	claims_port_str(c, port, sizeof(port));
	return json_pack("{s:s, s:I, s:I, s:s, s:s, s:s, s:s?, s:s, s:s?, s:s?, s:s?, s:o}", "port",
	                 port, "port_lo", (json_int_t)c->lo, "port_hi", (json_int_t)c->hi,
	                 "protocols", claims_proto_str(c->protos), "service", c->service, "owner",
	                 c->owner, "contact", c->contact[0] ? c->contact : NULL, "hosts", c->hosts,
	                 "note", c->note[0] ? c->note : NULL, "by", c->by[0] ? c->by : NULL, "at",
	                 c->at[0] ? c->at : NULL, "acknowledged", claims_ack_json(c->ack));
}

json_t *
claims_report_hook(void *arg, long lo, long hi)
{
	const struct claim_list *l = arg;
	json_t *a = json_array();

	for (size_t i = 0; l && i < l->n; i++)
		if (l->v[i].lo <= hi && lo <= l->v[i].hi)
			json_array_append_new(a, claims_json(&l->v[i]));
	return a;
}

long (*claims_ranges(const struct claim_list *l))[2]
{
	long(*r)[2] = l->n ? calloc(l->n, sizeof(*r)) : NULL;

	for (size_t i = 0; r && i < l->n; i++) {
		r[i][0] = l->v[i].lo;
		r[i][1] = l->v[i].hi;
	}
	return r;
}

int
claims_equal(const struct claim *a, const struct claim *b)
{
	if (!claims_same_key(a, b) || strcmp(a->service, b->service) != 0)
		return 0;
	for (size_t i = 0; i < CLAIMS_NFIELDS; i++)
		if (strcmp((const char *)a + claims_fields[i].off,
		           (const char *)b + claims_fields[i].off) != 0)
			return 0;
	return 1;
}

void
claims_stamp(struct claim *c)
{
	const char *who = getlogin();
	struct passwd *pw;
	time_t now = time(NULL);
	struct tm tm;

	if (who == NULL || who[0] == '\0')
		who = (pw = getpwuid(geteuid())) ? pw->pw_name : "unknown";
	snprintf(c->by, sizeof(c->by), "%s", who);
	gmtime_r(&now, &tm);
	strftime(c->at, sizeof(c->at), "%Y-%m-%dT%H:%M:%SZ", &tm);
}
