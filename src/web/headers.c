/*
 * headers.c - request headers the server interprets itself (headers.h).
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "headers.h"

/*
 * 1 when Accept-Encoding allows gzip (RFC 9110, 12.5.3): an explicit
 * "gzip" (or its old alias "x-gzip") element decides by its q; without
 * one, a "*" element does.  So "gzip;q=0, *" refuses gzip, and "*" alone
 * accepts it.
 */
int
headers_accept_gzip(const char *ae)
{
	const char *p, *q;
	int gzip = -1, star = -1, ok; /* -1: not named */
	size_t n;

	for (p = ae; p != NULL && *p; p += strcspn(p, ",")) {
		p += strspn(p, " \t,");
		n = strcspn(p, " \t;,");
		q = p + n;
		q += strspn(q, " \t");
		ok = 1;
		if (*q == ';') {
			q += 1 + strspn(q + 1, " \t");
			if ((*q == 'q' || *q == 'Q') && q[1] == '=' && strtod(q + 2, NULL) <= 0.0)
				ok = 0;
		}
		if ((n == 4 && strncasecmp(p, "gzip", 4) == 0) ||
		    (n == 6 && strncasecmp(p, "x-gzip", 6) == 0))
			gzip = gzip == 1 ? 1 : ok;
		else if (n == 1 && *p == '*')
			star = ok;
	}
	return gzip != -1 ? gzip == 1 : star == 1;
}
