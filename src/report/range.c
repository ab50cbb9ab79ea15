/*
 * range.c - see range.h.
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "range.h"

/*
 * What each class means is said in the reader's language by the renderers
 * (words_range_meaning() in render/words.c), keyed on the class name: the
 * report carries the name, never a sentence.
 */
static const struct range_class range_classes[] = {
    {"well-known", "System Ports", 0, 1023},
    {"registered", "User Ports", 1024, 49151},
    {"dynamic", "Dynamic and/or Private Ports", 49152, 65535},
};

const struct range_class *
range_classify(long port)
{
	size_t i;

	for (i = 0; i < sizeof(range_classes) / sizeof(range_classes[0]); i++)
		if (port >= range_classes[i].lo && port <= range_classes[i].hi)
			return &range_classes[i];
	return NULL;
}

const struct range_class *
range_by_name(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(range_classes) / sizeof(range_classes[0]); i++)
		if (strcmp(range_classes[i].name, name) == 0)
			return &range_classes[i];
	return NULL;
}

/* A sysctl of one or two numbers; how many were read.  A read() of a few
 * bytes, not stdio, whose buffer and fstat() cost as much as the read. */
static int
range_read_longs(const char *path, long *a, long *b)
{
	char buf[64];
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd == -1)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	return b ? sscanf(buf, "%ld %ld", a, b) : sscanf(buf, "%ld", a);
}

/* Linux's compiled-in defaults. */
void
range_machine_defaults(struct range_machine *m)
{
	*m = (struct range_machine){
	    .ephemeral_lo = 32768, .ephemeral_hi = 60999, .unprivileged_start = 1024};
}

void
range_machine_read(struct range_machine *m)
{
	long lo, hi, start;

	range_machine_defaults(m); /* where /proc is unavailable */
	m->this_machine = 1;
	if (range_read_longs("/proc/sys/net/ipv4/ip_local_port_range", &lo, &hi) == 2 && lo >= 0 &&
	    lo <= hi && hi <= 65535) {
		m->ephemeral_lo = lo;
		m->ephemeral_hi = hi;
		m->from_kernel = 1;
	}
	if (range_read_longs("/proc/sys/net/ipv4/ip_unprivileged_port_start", &start, NULL) == 1 &&
	    start >= 0 && start <= 65536)
		m->unprivileged_start = start;
}
