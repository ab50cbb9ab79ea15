/*
 * cli.h - what every subcommand shares: where the database is, how to
 * report an error, whether to colour, and the exit codes.
 *
 * Exit codes are part of the interface (scripts test them):
 *   0 found / clean, 1 not found / drift, 2 usage or input error,
 *   3 internal error.
 * Each subcommand is `int cmd_NAME(int argc, char **argv)` with argv[0] the
 * subcommand's name, parses its own options with getopt_long, and returns
 * one of these codes; main.c only dispatches.
 */
#ifndef PORTOLAN_CLI_H
#define PORTOLAN_CLI_H

#include <stddef.h>
#include <stdio.h>

#include <jansson.h>

#include "claims/cstore.h"
#include "registry/store.h"
#include "render/render.h"

enum cli_exit {
	CLI_FOUND = 0,
	CLI_NOT_FOUND = 1,
	CLI_USAGE = 2,
	CLI_INTERNAL = 3,
};

/*
 * The database path: --db if given, else $PORTOLAN_DB, else
 * $XDG_DATA_HOME/portolan/portolan.db, else ~/.local/share/portolan/portolan.db.
 * Readers fall back to the system-wide database: cli_db_read_path().
 */
int cli_db_path(const char *db_flag, char *buf, size_t len, struct err *e);
/*
 * When neither --db nor $PORTOLAN_DB chose a database: the system-wide one
 * a package builds (PORTOLAN_SYSTEM_DB, e.g. /var/lib/portolan/portolan.db)
 * into buf, if it is readable; returns 1 then, else 0 and buf untouched.
 */
int cli_db_system(const char *db_flag, char *buf, size_t len);
/*
 * The database a command reads: cli_db_path(), or the system-wide one when
 * that names no file (cli_db_system()).  update writes cli_db_path().
 */
int cli_db_read_path(const char *db_flag, char *buf, size_t len, struct err *e);
/*
 * Open the database read-only (cli_db_read_path(); store_open()'s messages
 * say how to build or mend it).
 */
int cli_open_store(const char *db_flag, struct store **out, struct err *e);
/*
 * Done with a store opened by cli_open_store() just before the command
 * exits: see cli.c for why this may leave it to the kernel.
 */
void cli_store_done(struct store *st);
/* Seed jansson's hash from getrandom(): see cli.c.  Call before any JSON. */
void cli_seed_json(void);
/* Print "portolan CMD: message" on stderr and return the exit code for e's kind. */
int cli_fail(const char *cmd, const struct err *e);
/* Print a usage error and return CLI_USAGE. */
int cli_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/*
 * getopt_long() found an unknown option (main.c sets opterr = 0): say which,
 * and say "not a port number" for "-1", which getopt sees as an option.
 * Option strings start with ':' so a missing value comes back as ':' and
 * is reported by cli_missing_value().
 */
int cli_missing_value(const char *cmd, int argc, char **argv);
/* usage (may be NULL) is the command's help text: a mistyped --name is
 * answered with the nearest option it lists. */
int cli_bad_option(const char *cmd, int argc, char **argv, const char *usage);

/* Longest command or option name cli_nearest() compares. */
#define CLI_NAME_MAX 32
/*
 * The name in names[0..n) nearest to word, for "did you mean": within one
 * edit (a swapped pair of letters is one) of a name of up to 4 letters,
 * two of a longer one; NULL when none is that near, or word is a name.
 */
const char *cli_nearest(const char *word, const char *const *names, size_t n);
/*
 * The options most commands share: --json, --db FILE, --no-color, --help,
 * --store URL (getopt values 'j', 'd', 'C', 'h', CLI_OPT_STORE).
 * cli_option() takes one result of getopt_long() and returns 1 when it was a shared option (stored
 * in o), 0 when the command must handle it itself, or -1 when the command must return *exit_code
 * now: help was printed, or a usage error reported (getopt's ':' and '?').  Option strings start
 * with ':' (see below).
 */
struct cli_opts {
	const char *db;
	const char *store; /* --store URL: the claims store (cli_claims_open()) */
	int json;
	int color;
	const struct i18n *t; /* the language of cli_answer()'s text (cli_lang()); NULL English */
};
/* --store's getopt value: no letter, so no command's own short option can collide. */
#define CLI_OPT_STORE 0x100
/* clang-format off */
#define CLI_OPTS_LONG                                                   \
	{"json", no_argument, NULL, 'j'},                               \
	{"db", required_argument, NULL, 'd'},                           \
	{"no-color", no_argument, NULL, 'C'},                           \
	{"help", no_argument, NULL, 'h'},                               \
	{"store", required_argument, NULL, CLI_OPT_STORE}
/* clang-format on */
int cli_option(int c, struct cli_opts *o, const char *usage, int argc, char **argv, int *exit_code);

/*
 * The end of a command that answers with one JSON document: print result
 * as JSON (--json) or through text() (coloured on a terminal unless
 * --no-color or NO_COLOR), release it, and return CLI_FOUND when its array
 * under list_key has an element, else CLI_NOT_FOUND.
 */
int cli_answer(const struct cli_opts *o, json_t *result, const char *list_key,
               void (*text)(FILE *out, const json_t *result, const struct render_opts *ro));

/*
 * Run a companion binary installed beside this one (portolan-serve), with
 * argv as given: execv() replaces this process, so the pid, the signals
 * and the exit status are the companion's.  Returns only on failure, with
 * CLI_INTERNAL and a message.
 */
int cli_exec_companion(const char *name, int argc, char **argv);

/*
 * The claims store: --store URL, else $PORTOLAN_STORE, else the SQLite
 * file "<database>.claims" beside cli_db_path() (never the registry file
 * itself: `portolan update` replaces that whole).
 */
int cli_store_url(const struct cli_opts *o, char *buf, size_t len, struct err *e);
/*
 * Open the claims store (cstore_open()).  A PostgreSQL store in a program
 * built without libpq (the static portolan) re-runs the command, argv as
 * given, in portolan-serve, which has it: this call then does not return.
 * With CSTORE_READ a store not yet created is *out NULL and 0.  Lost
 * connections are reported on stderr as they are retried.
 */
int cli_claims_open(const struct cli_opts *o, enum cstore_mode mode, int argc, char **argv,
                    struct cstore **out, struct err *e);

/* 1 when out is a terminal and NO_COLOR is unset or empty. */
int cli_color(FILE *out);
/* Where the curated data lives: --data, $PORTOLAN_DATA, or the build's data/ directory. */
const char *cli_data_dir(const char *flag);
/* The translation catalogs: --po, $PORTOLAN_PO, or the po/ beside the curated data/. */
void cli_po_dir(const char *flag, char *buf, size_t len);
/*
 * The reader's language for a command's text: lang (--lang, may be NULL),
 * else the locale's (LC_ALL/LC_MESSAGES/LANG), English when it names none
 * we have; *set is to be released with i18n_free().  0, or the exit status
 * of a usage error (said on stderr) when lang names no language at all.
 * A catalog that will not parse leaves the answer in English, said on
 * stderr, rather than none.
 */
int cli_lang(const char *cmd, const char *lang, struct i18n_set **set, const struct i18n **t);

#endif
