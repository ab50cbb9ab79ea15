/*
 * query.c - see query.h.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "query.h"
#include "util/portnum.h"

int
query_parse_port(const char *s, long *port, struct err *e)
{
	switch (portnum_parse(s, strlen(s), port)) {
	case PORTNUM_OK:
		return 0;
	case PORTNUM_TOO_LARGE:
		return err_set(e, "port %.40s is out of range: ports are 0-65535", s);
	}
	if (*s == '\0')
		return err_set(e, "empty port number");
	return err_set(e, "'%.40s' is not a port number (0-65535)", s);
}

int
query_parse_protocol(const char *s, char out[8], struct err *e)
{
	static const char *const known[] = {"tcp", "udp", "sctp", "dccp"};
	size_t i;

	for (i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (strcasecmp(s, known[i]) == 0) {
			snprintf(out, 8, "%s", known[i]);
			return 0;
		}
	return err_set(e, "unknown protocol '%.20s': use tcp, udp, sctp or dccp", s);
}

static int
query_is_service_name(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n >= 64 || !isalnum((unsigned char)s[0]))
		return 0;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && !strchr("-_*+.", *s))
			return 0;
	return 1;
}

int
query_parse(const char *arg, struct query *q, struct err *e)
{
	char buf[80], *slash, *dash;

	memset(q, 0, sizeof(*q));
	q->port_lo = q->port_hi = PORT_NONE;
	if (strlen(arg) >= sizeof(buf))
		return err_set(e, "query too long: give a port, a range or a service name");
	snprintf(q->text, sizeof(q->text), "%s", arg);
	snprintf(buf, sizeof(buf), "%s", arg);
	if ((slash = strrchr(buf, '/')) != NULL) {
		*slash = '\0';
		if (slash[1] == '\0')
			return err_set(
			    e, "'%s': no protocol after the '/': use tcp, udp, sctp or dccp", arg);
		if (query_parse_protocol(slash + 1, q->protocol, e) == -1)
			return -1;
	}
	if (arg[0] == '\0')
		return err_set(e, "empty query: give a port, a range or a service name");
	if (buf[0] == '\0')
		return err_set(e, "'%s': nothing before the protocol", arg);
	if (!isdigit((unsigned char)buf[0]) && buf[0] != '-') {
		if (!query_is_service_name(buf))
			return err_set(e, "'%s' is neither a port number nor a service name", arg);
		snprintf(q->service, sizeof(q->service), "%s", buf);
		return 0;
	}
	if ((dash = strchr(buf, '-')) != NULL && dash != buf) {
		*dash = '\0';
		if (query_parse_port(buf, &q->port_lo, e) == -1 ||
		    query_parse_port(dash + 1, &q->port_hi, e) == -1)
			return -1;
		if (q->port_lo > q->port_hi)
			return err_set(e, "range %s: the first port is above the last", arg);
		return 0;
	}
	if (query_parse_port(buf, &q->port_lo, e) == -1)
		return -1;
	q->port_hi = q->port_lo;
	return 0;
}
