/*
 * fuzz_web_server.c - raw bytes from the network, through the whole
 * request path: a real `portolan serve` (server_start(): accept, the
 * hand-off between threads, libmicrohttpd's parser, the framing checks,
 * the routes, the renderers, the page cache, the vote's suspend and
 * resume and its writer) runs in this process on a loopback port, over a
 * database built once from the vendored IANA XML and the curated data,
 * and each input is sent on a connection of its own, then half-closed and
 * the answer read.  The sanitizers watch the server's threads; a crash,
 * a leak report or a hang (libFuzzer's -timeout) is the finding.
 */
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <poll.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "registry/update.h"
#include "web/server.h"

/* The fuzz build has no PORTOLAN_DATADIR: it runs from the top of the tree (make fuzz-smoke). */
#ifndef PORTOLAN_DATADIR
#define PORTOLAN_DATADIR "data"
#endif

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct sockaddr_in fuzz_addr;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	static char db[64], votes[80];
	struct update_plan plan = {.from = PORTOLAN_DATADIR "/iana/service-names-port-numbers.xml",
	                           .data_dir = PORTOLAN_DATADIR};
	struct server_config cfg = {.show_machine = 0,
	                            .user = "",
	                            .threads = 2,
	                            .vote_rate = 30,
	                            .connections = 256,
	                            .per_address = 0,
	                            .podir = PORTOLAN_DATADIR "/../po"};
	struct update_result res;
	struct server *srv;
	struct err e = {0};
	char url[128];
	unsigned port;

	(void)argc;
	(void)argv;
	snprintf(db, sizeof(db), "/tmp/fuzz_web_server.%d.db", (int)getpid());
	snprintf(votes, sizeof(votes), "%s.votes", db);
	plan.db_path = db;
	if (update_run(&plan, &res, &e) == -1 ||
	    server_parse_listen("127.0.0.1:0", 0, &cfg.listen, &e) == -1) {
		fprintf(stderr, "fuzz_web_server: %s\n", e.msg);
		abort();
	}
	cfg.db = db;
	cfg.votes = votes;
	if (server_start(&cfg, &srv, &e) == -1) {
		fprintf(stderr, "fuzz_web_server: %s\n", e.msg);
		abort();
	}
	server_url(srv, url, sizeof(url));
	if (sscanf(url, "http://127.0.0.1:%u/", &port) != 1)
		abort();
	fuzz_addr.sin_family = AF_INET;
	fuzz_addr.sin_port = htons((uint16_t)port);
	fuzz_addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	return 0; /* the server runs until the process ends */
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pollfd pfd;
	char buf[65536];
	size_t off = 0;
	ssize_t n;
	int fd;

	if ((fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1 ||
	    connect(fd, (struct sockaddr *)&fuzz_addr, sizeof(fuzz_addr)) == -1)
		abort(); /* the server stopped accepting: a finding too */
	while (off < size && (n = send(fd, data + off, size - off, MSG_NOSIGNAL)) > 0)
		off += (size_t)n;
	shutdown(fd, SHUT_WR); /* all there is: MHD answers or closes */
	pfd.fd = fd;
	pfd.events = POLLIN;
	/* Until the server closes; a request it keeps waiting on is left after 2 s. */
	while (poll(&pfd, 1, 2000) == 1 && (n = recv(fd, buf, sizeof(buf), 0)) > 0)
		;
	close(fd);
	return 0;
}
