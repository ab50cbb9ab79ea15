/*
 * resume_delay.c - an LD_PRELOAD shim for tests/e2e/test_web_abuse.py: MHD_resume_connection()
 * as libmicrohttpd's, then 50 ms of sleep, so whatever the calling thread does after resuming
 * a connection happens after that connection's thread has had time to answer, close and free
 * it.  It makes a read of a request after its resume (a use after free) certain rather than
 * rare.  Test-only; never part of the server.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stddef.h>
#include <time.h>

struct MHD_Connection;

void MHD_resume_connection(struct MHD_Connection *c);

void
MHD_resume_connection(struct MHD_Connection *c)
{
	static void (*real)(struct MHD_Connection *);
	struct timespec ts = {0, 50 * 1000 * 1000};

	if (real == NULL)
		*(void **)&real = dlsym(RTLD_NEXT, "MHD_resume_connection");
	real(c);
	nanosleep(&ts, NULL);
}
