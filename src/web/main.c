/*
 * web/main.c - the entry point of portolan-serve, the web server binary.
 *
 * `portolan serve` execs this program (see cmd_serve_exec() in
 * src/cli/cli.c).  The server lives in its own binary because
 * libmicrohttpd links GnuTLS, whose start-up work (library constructors,
 * a dozen more shared objects) would otherwise cost every `portolan 3106`
 * about 3 ms before main() runs: twice what the whole lookup should take.
 */
#include "cli/cmd.h"

int
main(int argc, char **argv)
{
	argv[0] = "serve";
	return cmd_serve(argc, argv);
}
