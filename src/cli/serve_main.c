/*
 * serve_main.c - the entry point of portolan-serve, portolan's dynamically
 * linked half: the web server, the static export of the same pages, and
 * update's downloads.
 *
 * `portolan serve` and `portolan export` exec this program with argv[0]
 * "serve" or "export" (cmd_dynamic_exec() in src/cli/main.c), and
 * `portolan update` with "update" when it downloads (cmd_update_static()
 * in src/cli/cmd_update.c); the table at the top of src/cli/main.c is the
 * one list of which command runs where.  Two binaries because each half needs what the
 * other must not have:
 *   - portolan is one static PIE, so a lookup maps no shared library
 *     (see the Makefile).  A static program may dlopen() libraries, but a
 *     thread started inside one does not work: glibc's libc.so, loaded a
 *     second time beside the static copy, has no thread state, and
 *     pthread_create() there crashes.  libcurl starts such a thread to
 *     resolve a host name, so downloads (update) must run here.
 *   - libmicrohttpd links GnuTLS, whose start-up work (library
 *     constructors, a dozen more shared objects) would cost every
 *     `portolan 3106` about 3 ms before main() runs: twice what the whole
 *     lookup should take.
 */
#include <string.h>

#include "cli/cmd.h"

int
main(int argc, char **argv)
{
	if (argc > 0 && strcmp(argv[0], "export") == 0)
		return cmd_export(argc, argv);
	if (argc > 0 && strcmp(argv[0], "update") == 0)
		return cmd_update(argc, argv);
	if (argc > 0 && strcmp(argv[0], "check-data") == 0)
		return cmd_check_data(argc, argv);
	argv[0] = "serve";
	return cmd_serve(argc, argv);
}
