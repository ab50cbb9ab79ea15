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
 *   - libpq (a PostgreSQL claims store) is a shared library too, with
 *     OpenSSL and Kerberos behind it: the commands that read or write
 *     claims run here when the store is PostgreSQL (cli_claims_open()).
 */
#include <string.h>

#include "claims/cstore.h"
#include "cli/cmd.h"
#include "cli/cmd_machine.h"

int
main(int argc, char **argv)
{
	static const struct {
		const char *name;
		int (*run)(int, char **);
	} claims_cmds[] = {{"claim", cmd_claim},
	                   {"lookup", cmd_lookup},
	                   {"free", cmd_free},
	                   {"audit", cmd_audit},
	                   {"feedback", cmd_feedback}};

	cstore_postgresql_enable();
	for (size_t i = 0; argc > 0 && i < sizeof(claims_cmds) / sizeof(claims_cmds[0]); i++)
		if (strcmp(argv[0], claims_cmds[i].name) == 0)
			return claims_cmds[i].run(argc, argv);
	if (argc > 0 && strcmp(argv[0], "export") == 0)
		return cmd_export(argc, argv);
	if (argc > 0 && strcmp(argv[0], "update") == 0)
		return cmd_update(argc, argv);
	if (argc > 0 && strcmp(argv[0], "check-data") == 0)
		return cmd_check_data(argc, argv);
	argv[0] = "serve";
	return cmd_serve(argc, argv);
}
