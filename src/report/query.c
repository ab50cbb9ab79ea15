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

/*
 * A service name as IANA writes them: letters, digits and '-', plus the
 * historic '_', '*', '+', '.' and '/' ("EtherNet/IP-1", "914c/g"), starting
 * with a letter or a digit ("9pfs", "802-11-iapp").  RFC 6335 requires a
 * letter somewhere, which is what tells "802-11-iapp" from the range
 * "802-11".
 */
static int
query_is_service_name(const char *s)
{
	size_t n = strlen(s);
	int letter = 0;

	if (n == 0 || n >= 64 || !isalnum((unsigned char)s[0]))
		return 0;
	for (; *s; s++) {
		if (!isalnum((unsigned char)*s) && !strchr("-_*+./", *s))
			return 0;
		letter |= isalpha((unsigned char)*s) != 0;
	}
	return letter;
}

/* Digits, '-' and the like only: meant as a port or a range, however mistyped. */
static int
query_is_numeric(const char *s)
{
	if (!isdigit((unsigned char)s[0]) && s[0] != '-')
		return 0;
	for (; *s; s++)
		if (isalpha((unsigned char)*s))
			return 0;
	return 1;
}

/* "0x50": a number in C's hexadecimal, which no service name looks like. */
static int
query_is_hex(const char *s)
{
	if (s[0] != '0' || (s[1] != 'x' && s[1] != 'X') || s[2] == '\0')
		return 0;
	return s[2 + strspn(s + 2, "0123456789abcdefABCDEF")] == '\0';
}

static int
query_parse_ports(const char *arg, char *buf, struct query *q, struct err *e)
{
	char *dash;

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

/*
 * Which '/' ends the query: the last one, when what follows it is a
 * protocol ("http/tcp", "EtherNet/IP-1/udp").  After anything else the
 * '/' belongs to a service name ("EtherNet/IP-1"), unless the part before
 * it is a port, which can only be followed by a protocol ("80/xyz").
 */
static int
query_split_protocol(const char *arg, char *buf, struct query *q, struct err *e)
{
	char *slash = strrchr(buf, '/');
	char proto[8];

	if (slash == NULL)
		return 0;
	if (slash[1] == '\0')
		return err_set(e, "'%s': no protocol after the '/': use tcp, udp, sctp or dccp",
		               arg);
	if (query_parse_protocol(slash + 1, proto, NULL) == 0) {
		*slash = '\0';
		memcpy(q->protocol, proto, sizeof(proto));
		return 0;
	}
	*slash = '\0';
	if (buf[0] == '\0' || query_is_numeric(buf))
		return query_parse_protocol(slash + 1, q->protocol, e);
	*slash = '/';
	return 0;
}

int
query_parse(const char *arg, struct query *q, struct err *e)
{
	char buf[80];

	memset(q, 0, sizeof(*q));
	q->port_lo = q->port_hi = PORT_NONE;
	if (strlen(arg) >= sizeof(buf))
		return err_set(e, "query too long: give a port, a range or a service name");
	snprintf(q->text, sizeof(q->text), "%s", arg);
	snprintf(buf, sizeof(buf), "%s", arg);
	if (query_split_protocol(arg, buf, q, e) == -1)
		return -1;
	if (arg[0] == '\0')
		return err_set(e, "empty query: give a port, a range or a service name");
	if (buf[0] == '\0')
		return err_set(e, "'%s': nothing before the protocol", arg);
	if (query_is_numeric(buf))
		return query_parse_ports(arg, buf, q, e);
	if (query_is_hex(buf))
		return err_set(e, "'%s' is not a port number (0-65535): write it in decimal", arg);
	if (!query_is_service_name(buf))
		return err_set(e, "'%s' is neither a port number nor a service name", arg);
	snprintf(q->service, sizeof(q->service), "%s", buf);
	return 0;
}
