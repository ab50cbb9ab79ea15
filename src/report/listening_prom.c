/*
 * listening_prom.c - see listening_prom.h.
 *
 * Each listener becomes a label set written out as the text it will have
 * in the exposition; sorting those texts brings identical sets together,
 * so they are merged into one series with their count (Prometheus refuses
 * a scrape with a series twice) and the output is stable from one scrape
 * to the next.
 */
#include <sys/socket.h>
#include <netinet/in.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "listening.h"
#include "listening_prom.h"
#include "machine/audit.h"
#include "util/utf8.h"

/* v as a label value: \, " and newline escaped, bytes that are not UTF-8 as U+FFFD. */
static void
listening_prom_value(struct strbuf *sb, const char *v)
{
	const unsigned char *s = (const unsigned char *)v;
	size_t n = strlen(v), len;

	while (n > 0) {
		if (*s == '\\' || *s == '"') {
			strbuf_appendc(sb, '\\');
			strbuf_appendc(sb, (char)*s);
		} else if (*s == '\n') {
			strbuf_appends(sb, "\\n");
		} else if ((len = utf8_seq_len(s, n)) == 0) {
			strbuf_appends(sb, "\xef\xbf\xbd");
		} else {
			strbuf_append(sb, (const char *)s, len);
			s += len;
			n -= len;
			continue;
		}
		s++;
		n--;
	}
}

static void
listening_prom_label(struct strbuf *sb, const char *name, const char *value)
{
	strbuf_appendf(sb, "%s%s=\"", sb->len ? "," : "", name);
	listening_prom_value(sb, value);
	strbuf_appendc(sb, '"');
}

/* The address as a label: "*" for [::] that takes IPv4 too, as the text listing prints it. */
static void
listening_prom_addr(const struct msock *s, char *buf, size_t len)
{
	static const uint8_t any[16];

	if (s->family == AF_INET6 && !s->v6only && memcmp(s->addr, any, sizeof(any)) == 0)
		snprintf(buf, len, "*");
	else
		sockets_addr_str(s, buf, len);
}

/* l's label set as exposition text, into a new string (NULL when out of memory). */
static char *
listening_prom_labels(const struct listener *l, const struct listening_note *n, const char *claimed)
{
	struct strbuf sb;
	char addr[64], port[8];

	strbuf_init(&sb, 4096);
	listening_prom_addr(&l->s, addr, sizeof(addr));
	snprintf(port, sizeof(port), "%u", l->s.port);
	listening_prom_label(&sb, "proto", portspec_proto_name(l->s.proto));
	listening_prom_label(&sb, "addr", addr);
	listening_prom_label(&sb, "port", port);
	listening_prom_label(&sb, "process", l->nholders ? l->holders[0].comm : "");
	listening_prom_label(&sb, "user", l->nholders ? l->holders[0].user : "");
	listening_prom_label(&sb, "service", n->have ? n->id.service : "");
	listening_prom_label(&sb, "concern", listening_concern_label(n));
	listening_prom_label(&sb, "claimed", claimed);
	return sb.buf[0] ? sb.buf : (strbuf_free(&sb), NULL);
}

static int
listening_prom_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void
listening_prom_head(struct strbuf *out, const char *name, const char *help)
{
	strbuf_appendf(out, "# HELP %s %s\n# TYPE %s gauge\n", name, help, name);
}

/* portolan_listener_info: the label sets, merged and counted, at most the cap. */
static void
listening_prom_info(char **sets, size_t n, struct strbuf *out)
{
	size_t series = 0, dropped = 0;

	qsort(sets, n, sizeof(*sets), listening_prom_cmp);
	listening_prom_head(out, "portolan_listener_info",
	                    "Sockets listening with these labels (see portolan(1)).");
	for (size_t i = 0, j; i < n; i = j) {
		for (j = i + 1; j < n && strcmp(sets[i], sets[j]) == 0; j++)
			;
		if (series++ >= LISTENING_PROM_MAX_SERIES) {
			dropped++;
			continue;
		}
		strbuf_appendf(out, "portolan_listener_info{%s} %zu\n", sets[i], j - i);
	}
	listening_prom_head(out, "portolan_listener_series_dropped",
	                    "Label sets of portolan_listener_info left out past the cap.");
	strbuf_appendf(out, "portolan_listener_series_dropped %zu\n", dropped);
}

/* The counts beside the info series. */
static void
listening_prom_counts(const struct listener_set *ls, const struct listening_note *notes,
                      struct strbuf *out)
{
	static const unsigned protos[] = {PROTO_TCP, PROTO_UDP};
	size_t flagged[LISTENING_NFLAGS] = {0};

	listening_prom_head(out, "portolan_listeners", "Listening sockets by protocol.");
	for (size_t p = 0; p < 2; p++) {
		size_t k = 0;

		for (size_t i = 0; i < ls->n; i++)
			k += ls->v[i].s.proto == protos[p];
		strbuf_appendf(out, "portolan_listeners{proto=\"%s\"} %zu\n",
		               portspec_proto_name(protos[p]), k);
	}
	listening_prom_head(out, "portolan_listeners_unseen",
	                    "Listening sockets no process visible to portolan holds.");
	strbuf_appendf(out, "portolan_listeners_unseen %zu\n", ls->unseen);
	for (size_t i = 0; i < ls->n; i++)
		for (size_t f = 0; f < LISTENING_NFLAGS; f++)
			flagged[f] += (notes[i].flags >> f) & 1u;
	listening_prom_head(out, "portolan_listeners_flagged",
	                    "Listening sockets with each flag of portolan listening.");
	for (size_t f = 0; f < LISTENING_NFLAGS; f++)
		strbuf_appendf(out, "portolan_listeners_flagged{flag=\"%s\"} %zu\n",
		               listening_flag_name(f), flagged[f]);
}

/* Which listeners the expect file claims (claimed[i]), and the audit gauges. */
static int
listening_prom_audit(const char *expect, const struct listener_set *ls, unsigned char *claimed,
                     struct strbuf *out, struct err *e)
{
	struct expect_set x = {0};
	struct audit_result r = {0};

	if (audit_load(expect, &x, e) == -1 || audit_compare(&x, ls, &r, e) == -1) {
		audit_free(&x);
		return -1;
	}
	memset(claimed, 1, ls->n);
	for (size_t i = 0; i < r.nadded; i++)
		claimed[r.added[i]] = 0;
	listening_prom_head(out, "portolan_audit_unexpected",
	                    "Listening sockets no line of the expect file claims.");
	strbuf_appendf(out, "portolan_audit_unexpected %zu\n", r.nadded);
	listening_prom_head(out, "portolan_audit_missing",
	                    "Lines of the expect file no listening socket matches.");
	strbuf_appendf(out, "portolan_audit_missing %zu\n", r.nmissing);
	audit_result_free(&r);
	audit_free(&x);
	return 0;
}

int
listening_prom(struct store *st, const struct range_machine *rm,
               const struct listening_prom_opts *o, struct strbuf *out, struct err *e)
{
	struct sockets_query q = {.protos = PROTO_DEFAULT};
	struct owners_opts oo = {.no_bpf = o->no_bpf};
	struct listening_index *ix = NULL;
	struct listening_note *notes = NULL;
	struct listener_set ls;
	unsigned char *claimed = NULL;
	char **sets = NULL;
	int rc = -1;

	if (listeners_collect(&q, &oo, &ls, e) == -1)
		goto done;
	notes = calloc(ls.n + 1, sizeof(*notes));
	claimed = calloc(ls.n + 1, 1);
	sets = calloc(ls.n + 1, sizeof(*sets));
	if (notes == NULL || claimed == NULL || sets == NULL) {
		err_internal(e, "out of memory");
		goto done;
	}
	if ((ix = listening_index_load(st, rm, ls.v, ls.n, LISTENING_LOCAL, e)) == NULL)
		goto done;
	for (size_t i = 0; i < ls.n; i++)
		if (listening_annotate(ix, &ls.v[i], &notes[i], e) == -1)
			goto done;
	if (o->expect && listening_prom_audit(o->expect, &ls, claimed, out, e) == -1)
		goto done;
	for (size_t i = 0; i < ls.n; i++)
		if ((sets[i] = listening_prom_labels(
		         &ls.v[i], &notes[i], o->expect ? (claimed[i] ? "true" : "false") : "")) ==
		    NULL) {
			err_internal(e, "out of memory");
			goto done;
		}
	listening_prom_info(sets, ls.n, out);
	listening_prom_counts(&ls, notes, out);
	rc = 0;
done:
	for (size_t i = 0; sets && i < ls.n; i++)
		free(sets[i]);
	free(sets);
	free(claimed);
	free(notes);
	listening_index_free(ix);
	listeners_free(&ls);
	return rc;
}
