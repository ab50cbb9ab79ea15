/*
 * collide.c - a new claim against everything public about its ports
 * (collide.h).
 *
 * One port report over the claim's ports, read section by section: the
 * report already gathers IANA's rows, the other databases' names, the
 * curated uses and this machine's listeners, with their sources, so this
 * file adds no query of its own and can never disagree with `portolan
 * PORT`.  A report over a range is truncated at REPORT_MAX_RECORDS rows,
 * and this machine's listeners are in it for a single port only; for a
 * wider claim the listener check is left to `audit --claims`.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "collide.h"

static void
collide_add(json_t *out, const char *code, int refused, const char *evidence)
{
	size_t i, n = 0;
	json_t *f;

	json_array_foreach(out, i, f) n += strcmp(report_str(f, "code"), code) == 0;
	if (n < COLLIDE_MAX_EVIDENCE)
		json_array_append_new(out, json_pack("{s:s, s:b, s:s}", "code", code, "refused",
		                                     refused, "evidence", evidence));
}

/* 1 when a "tcp", "udp", "tcp udp" or "" (every protocol) text shares a protocol with protos. */
static int
collide_protos(const char *text, unsigned protos)
{
	if (text[0] == '\0')
		return 1;
	return ((protos & CLAIM_TCP) && strstr(text, "tcp")) ||
	       ((protos & CLAIM_UDP) && strstr(text, "udp"));
}

static void
collide_registry(json_t *out, const json_t *rep, const struct claim *c)
{
	const json_t *r;
	char ev[512];
	size_t i;

	json_array_foreach(json_object_get(rep, "records"), i, r)
	{
		const char *svc = report_str(r, "service");

		if (svc[0] == '\0' || strcasecmp(svc, c->service) == 0 ||
		    !collide_protos(report_str(r, "protocol"), c->protos))
			continue;
		snprintf(ev, sizeof(ev), "IANA assigns %lld/%s to %s (%s)",
		         (long long)json_integer_value(json_object_get(r, "port_lo")),
		         report_str(r, "protocol")[0] ? report_str(r, "protocol") : "any", svc,
		         report_str(r, "description"));
		collide_add(out, "iana", 0, ev);
	}
	json_array_foreach(json_object_get(rep, "other_names"), i, r)
	{
		const char *svc = report_str(r, "service");

		if (strcasecmp(svc, c->service) == 0 ||
		    !collide_protos(report_str(r, "protocols"), c->protos))
			continue;
		snprintf(ev, sizeof(ev), "%s names %lld/%s %s", report_str(r, "database"),
		         (long long)json_integer_value(json_object_get(r, "port")),
		         report_str(r, "protocols"), svc);
		collide_add(out, "other-database", 0, ev);
	}
}

static void
collide_curated(json_t *out, const json_t *rep, const struct claim *c)
{
	const json_t *u;
	char ev[512];
	size_t i;

	json_array_foreach(json_object_get(rep, "uses"), i, u)
	{
		int malware = strcmp(report_str(u, "category"), "malware") == 0;
		const json_t *src = json_array_get(json_object_get(u, "sources"), 0);

		long long lo = json_integer_value(json_object_get(u, "port_lo"));
		long long hi = json_integer_value(json_object_get(u, "port_hi"));
		char ports[32];

		if (!collide_protos(report_str(u, "protocols"), c->protos))
			continue;
		snprintf(ports, sizeof(ports), lo == hi ? "%lld" : "%lld-%lld", lo, hi);
		snprintf(ev, sizeof(ev), "%s%s uses %s (%s)%s%s", malware ? "malware: " : "",
		         report_str(u, "who"), ports, report_str(u, "category"), src ? " " : "",
		         src ? json_string_value(src) : "");
		collide_add(out, malware ? "malware" : "curated-use", 0, ev);
	}
}

/* A holder is the service when its command is the service's name (cut as the kernel cuts it). */
static void
collide_listening(json_t *out, const json_t *rep, const struct claim *c)
{
	const json_t *l, *h;
	char ev[512];
	size_t i, j;

	json_array_foreach(json_object_get(json_object_get(rep, "listening"), "listeners"), i, l)
	{
		int same = 0;
		const char *cmd = "";

		if (!collide_protos(report_str(l, "proto"), c->protos))
			continue;
		json_array_foreach(json_object_get(l, "holders"), j, h)
		{
			cmd = report_str(h, "command");
			same |= strncasecmp(cmd, c->service, 15) == 0;
		}
		if (same)
			continue;
		snprintf(ev, sizeof(ev), "%s %s:%lld is held here by %s, not %s",
		         report_str(l, "proto"), report_str(l, "address"),
		         (long long)json_integer_value(json_object_get(l, "port")),
		         cmd[0] ? cmd : "a process not visible to this user", c->service);
		collide_add(out, "listening", 0, ev);
	}
}

json_t *
collide_check(struct store *reg, const struct claim *c, const struct report_env *env, struct err *e)
{
	const struct range_machine *rm = &env->machine;
	struct report_env renv = *env;
	struct query q;
	char text[32], ev[512];
	json_t *out = json_array(), *rep;

	if (c->lo <= rm->ephemeral_hi && rm->ephemeral_lo <= c->hi) {
		snprintf(ev, sizeof(ev),
		         "inside this machine's ephemeral range %ld-%ld, where the kernel picks the"
		         " source ports of outgoing connections: a service there can fail to bind",
		         rm->ephemeral_lo, rm->ephemeral_hi);
		collide_add(out, "ephemeral", 1, ev);
	}
	snprintf(text, sizeof(text), c->lo == c->hi ? "%ld" : "%ld-%ld", c->lo, c->hi);
	if (query_parse(text, &q, e) == -1) {
		json_decref(out);
		return NULL;
	}
	renv.with_listening = c->lo == c->hi;
	renv.claims = NULL; /* the store checks the claims, inside its transaction */
	if ((rep = report_port(reg, &q, &renv, e)) == NULL) {
		json_decref(out);
		return NULL;
	}
	collide_registry(out, rep, c);
	collide_curated(out, rep, c);
	collide_listening(out, rep, c);
	json_decref(rep);
	return out;
}

void
collide_ack(const json_t *findings, char *buf, size_t len)
{
	const json_t *f;
	size_t i, n = 0;

	buf[0] = '\0';
	json_array_foreach(findings, i, f)
	{
		const char *code = report_str(f, "code");

		if (json_is_true(json_object_get(f, "refused")) || strstr(buf, code) != NULL)
			continue;
		n += (size_t)snprintf(buf + n, n < len ? len - n : 0, "%s%s", n ? "," : "", code);
	}
	if (n >= len && len > 0)
		buf[len - 1] = '\0';
}

int
collide_refused(const json_t *findings)
{
	const json_t *f;
	size_t i;

	json_array_foreach(findings, i,
	                   f) if (json_is_true(json_object_get(f, "refused"))) return 1;
	return 0;
}
