/*
 * cli.c - see cli.h.
 */
#include <sys/random.h>

#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <getopt.h>
#include <unistd.h>

#include <jansson.h>

#include "cli.h"

#ifndef PORTOLAN_DATADIR
#define PORTOLAN_DATADIR "data"
#endif

int
cli_db_path(const char *db_flag, char *buf, size_t len, struct err *e)
{
	const char *env;
	int n;

	if (db_flag && db_flag[0])
		n = snprintf(buf, len, "%s", db_flag);
	else if ((env = getenv("PORTOLAN_DB")) && env[0])
		n = snprintf(buf, len, "%s", env);
	else if ((env = getenv("XDG_DATA_HOME")) && env[0] == '/')
		n = snprintf(buf, len, "%s/portolan/portolan.db", env);
	else if ((env = getenv("HOME")) && env[0])
		n = snprintf(buf, len, "%s/.local/share/portolan/portolan.db", env);
	else
		return err_set(e, "no database path: set --db, PORTOLAN_DB or HOME");
	if (n < 0 || (size_t)n >= len)
		return err_set(e, "database path too long");
	return 0;
}

/*
 * A package (debian/, make install SYSTEM_DB=...) builds one database for
 * every user, so portolan answers on first use, offline, before anyone has
 * run `portolan update`.  A user's own database, --db and $PORTOLAN_DB
 * still win: the system one is only where nothing else was chosen or built.
 */
int
cli_db_system(const char *db_flag, char *buf, size_t len)
{
#ifdef PORTOLAN_SYSTEM_DB
	const char *env = getenv("PORTOLAN_DB");

	if ((db_flag && db_flag[0]) || (env && env[0]) || access(PORTOLAN_SYSTEM_DB, R_OK) != 0)
		return 0;
	snprintf(buf, len, "%s", PORTOLAN_SYSTEM_DB);
	return 1;
#else
	(void)db_flag, (void)buf, (void)len;
	return 0;
#endif
}

int
cli_db_read_path(const char *db_flag, char *buf, size_t len, struct err *e)
{
	if (cli_db_path(db_flag, buf, len, e) == -1)
		return -1;
	if (access(buf, F_OK) != 0 && errno == ENOENT)
		cli_db_system(db_flag, buf, len);
	return 0;
}

int
cli_open_store(const char *db_flag, struct store **out, struct err *e)
{
	char path[4096];

	if (cli_db_path(db_flag, path, sizeof(path), e) == -1)
		return -1;
	if (store_open(path, out, e) == 0)
		return 0;
	/*
	 * Asked only on failure (an access() before every open is a syscall a
	 * lookup): with no database of the user's, the system-wide one a
	 * package built; else store_open()'s message says how to build one.
	 */
	if (access(path, F_OK) != 0 && errno == ENOENT &&
	    cli_db_system(db_flag, path, sizeof(path)))
		return store_open(path, out, e);
	return -1;
}

/*
 * sqlite3_close() frees the parsed schema object by object and unmaps the
 * file: 0.07 ms of a 2.4 ms lookup (bench/lookup), for work exit() does
 * at once.  The connection is read-only and immutable, so nothing is left
 * to flush or unlock.  Leak checkers would call the rest a leak, so the
 * sanitizer build (PORTOLAN_LEAK_CHECK) closes it properly.
 */
void
cli_store_done(struct store *st)
{
#ifdef PORTOLAN_LEAK_CHECK
	store_close(st);
#else
	(void)st;
#endif
}

/*
 * jansson seeds its object hash itself on first use by opening and reading
 * /dev/urandom: three syscalls and a descriptor in every lookup.  One
 * getrandom() does the same.  If it cannot (no entropy yet, an old
 * kernel), jansson is left to seed itself.
 */
void
cli_seed_json(void)
{
	uint32_t seed;

	if (getrandom(&seed, sizeof(seed), GRND_NONBLOCK) == (ssize_t)sizeof(seed) && seed != 0)
		json_object_seed(seed);
}

int
cli_fail(const char *cmd, const struct err *e)
{
	fprintf(stderr, "portolan %s: %s\n", cmd, e->msg[0] ? e->msg : "failed");
	return e->kind == ERR_INPUT ? CLI_USAGE : CLI_INTERNAL;
}

int
cli_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "portolan %s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry 'portolan %s --help'.\n", cmd);
	return CLI_USAGE;
}

int
cli_answer(const struct cli_opts *o, json_t *result, const char *list_key,
           void (*text)(FILE *out, const json_t *result, const struct render_opts *ro))
{
	struct render_opts ro = {.color = o->color && !o->json && cli_color(stdout), .t = o->t};
	int rc = json_array_size(json_object_get(result, list_key)) ? CLI_FOUND : CLI_NOT_FOUND;

	if (o->json)
		render_json(stdout, result);
	else
		text(stdout, result, &ro);
	json_decref(result);
	return rc;
}

int
cli_color(FILE *out)
{
	const char *no = getenv("NO_COLOR");

	return isatty(fileno(out)) && (no == NULL || no[0] == '\0');
}

const char *
cli_data_dir(const char *flag)
{
	const char *env = getenv("PORTOLAN_DATA");

	if (flag && flag[0])
		return flag;
	if (env && env[0])
		return env;
	return PORTOLAN_DATADIR;
}

void
cli_po_dir(const char *flag, char *buf, size_t len)
{
	const char *env = getenv("PORTOLAN_PO");

	if (flag != NULL)
		snprintf(buf, len, "%s", flag);
	else if (env != NULL && env[0])
		snprintf(buf, len, "%s", env);
	else
		snprintf(buf, len, "%s/../po", cli_data_dir(NULL));
}

/*
 * Edit distance with adjacent transpositions counted as one edit (optimal
 * string alignment): "serach" is one slip from "search", not two.
 */
static size_t
cli_distance(const char *a, const char *b)
{
	size_t n = strlen(a), m = strlen(b), i, j;
	size_t d[CLI_NAME_MAX + 1][CLI_NAME_MAX + 1];

	if (n > CLI_NAME_MAX || m > CLI_NAME_MAX)
		return (size_t)-1;
	for (i = 0; i <= n; i++)
		d[i][0] = i;
	for (j = 0; j <= m; j++)
		d[0][j] = j;
	for (i = 1; i <= n; i++)
		for (j = 1; j <= m; j++) {
			size_t best = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);

			if (d[i - 1][j] + 1 < best)
				best = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < best)
				best = d[i][j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    d[i - 2][j - 2] + 1 < best)
				best = d[i - 2][j - 2] + 1;
			d[i][j] = best;
		}
	return d[n][m];
}

const char *
cli_nearest(const char *word, const char *const *names, size_t n)
{
	const char *near = NULL;
	size_t i, d, best = (size_t)-1;

	for (i = 0; i < n; i++) {
		d = cli_distance(word, names[i]);
		/* Two slips in a long name, one in a short: "x" is no typo of "ls". */
		if (d == 0 || d > (strlen(names[i]) <= 4 ? 1u : 2u) || d >= best)
			continue;
		best = d;
		near = names[i];
	}
	return near;
}

/* The nearest "--name" in a usage text to the mistyped --option arg, or NULL. */
static const char *
cli_nearest_option(const char *arg, const char *usage, char *buf, size_t len)
{
	const char *names[64], *p = usage, *near;
	char words[64][CLI_NAME_MAX + 1], want[CLI_NAME_MAX + 1];
	size_t n = 0, k;

	if (strncmp(arg, "--", 2) != 0 || usage == NULL)
		return NULL;
	snprintf(want, sizeof(want), "%.*s", (int)strcspn(arg + 2, "="), arg + 2);
	while (n < 64 && (p = strstr(p, "--")) != NULL) {
		p += 2;
		k = strspn(p, "abcdefghijklmnopqrstuvwxyz0123456789-");
		if (k > 0 && k <= CLI_NAME_MAX) {
			snprintf(words[n], sizeof(words[n]), "%.*s", (int)k, p);
			names[n] = words[n];
			n++;
		}
		p += k;
	}
	if ((near = cli_nearest(want, names, n)) == NULL)
		return NULL;
	snprintf(buf, len, "--%s", near);
	return buf;
}

int
cli_bad_option(const char *cmd, int argc, char **argv, const char *usage)
{
	const char *arg = optind > 0 && optind <= argc ? argv[optind - 1] : "?";
	char buf[CLI_NAME_MAX + 3];
	const char *near;

	if (arg[0] == '-' && arg[1] >= '0' && arg[1] <= '9')
		return cli_usage_error(cmd, "'%s' is not a port number (0-65535)", arg);
	if ((near = cli_nearest_option(arg, usage, buf, sizeof(buf))) != NULL)
		return cli_usage_error(cmd, "unknown option '%s'; did you mean '%s'?", arg, near);
	return cli_usage_error(cmd, "unknown option '%s'", arg);
}

int
cli_missing_value(const char *cmd, int argc, char **argv)
{
	return cli_usage_error(cmd, "option '%s' needs a value",
	                       optind > 0 && optind <= argc ? argv[optind - 1] : "?");
}

int
cli_option(int c, struct cli_opts *o, const char *usage, int argc, char **argv, int *exit_code)
{
	switch (c) {
	case 'j':
		o->json = 1;
		return 1;
	case 'd':
		o->db = optarg;
		return 1;
	case 'C':
		o->color = 0;
		return 1;
	case CLI_OPT_STORE:
		o->store = optarg;
		return 1;
	case 'h':
		fputs(usage, stdout);
		*exit_code = CLI_FOUND;
		return -1;
	case ':':
		*exit_code = cli_missing_value(argv[0], argc, argv);
		return -1;
	case '?':
		*exit_code = cli_bad_option(argv[0], argc, argv, usage);
		return -1;
	}
	return 0;
}

/*
 * Where portolan-serve is: PORTOLAN_LIBEXECDIR when installed (make
 * install puts it there, out of PATH), else this program's own directory.
 */
static int
cli_companion_dir(char *dir, size_t len)
{
#ifdef PORTOLAN_LIBEXECDIR
	snprintf(dir, len, "%s", PORTOLAN_LIBEXECDIR);
#else
	ssize_t n = readlink("/proc/self/exe", dir, len - 1);
	char *slash;

	if (n < 0)
		return -1;
	dir[n] = '\0';
	if ((slash = strrchr(dir, '/')) != NULL)
		*slash = '\0';
#endif
	return 0;
}

int
cli_exec_companion(const char *name, int argc, char **argv)
{
	char dir[4096], path[4200];

	(void)argc;
	if (cli_companion_dir(dir, sizeof(dir)) == -1) {
		fprintf(stderr, "portolan %s: cannot find this program's directory: %s\n", argv[0],
		        strerror(errno));
		return CLI_INTERNAL;
	}
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	execv(path, argv);
	fprintf(stderr, "portolan %s: cannot run %s: %s\n", argv[0], path, strerror(errno));
	return CLI_INTERNAL;
}

int
cli_store_url(const struct cli_opts *o, char *buf, size_t len, struct err *e)
{
	const char *env = getenv("PORTOLAN_STORE");
	char db[4096];

	if (o->store != NULL || (env != NULL && env[0] != '\0')) {
		if ((size_t)snprintf(buf, len, "%s", o->store ? o->store : env) >= len)
			return err_set(e, "store: the URL is longer than %zu bytes", len - 1);
		return cstore_url_check(buf, e);
	}
	if (cli_db_path(o->db, db, sizeof(db), e) == -1)
		return -1;
	if ((size_t)snprintf(buf, len, "%s.claims", db) >= len)
		return err_set(e, "store: the path is longer than %zu bytes", len - 1);
	return 0;
}

static void
cli_claims_notify(void *arg, const char *msg)
{
	fprintf(stderr, "portolan %s: %s\n", (const char *)arg, msg);
}

int
cli_claims_open(const struct cli_opts *o, enum cstore_mode mode, int argc, char **argv,
                struct cstore **out, struct err *e)
{
	char url[CSTORE_MAX_URL];

	*out = NULL;
	if (cli_store_url(o, url, sizeof(url), e) == -1)
		return -1;
	if (!cstore_can_open(url)) {
		cli_exec_companion("portolan-serve", argc, argv);
		return err_internal(e, "store: PostgreSQL needs portolan-serve, which did not run");
	}
	if (cstore_open(url, mode, out, e) == -1)
		return -1;
	cstore_set_notify(*out, cli_claims_notify, argv[0]);
	return 0;
}

int
cli_lang(const char *cmd, const char *lang, struct i18n_set **set, const struct i18n **t)
{
	char tag[64], po[4200];
	struct err e = {0};

	*set = NULL;
	*t = NULL;
	cli_po_dir(NULL, po, sizeof(po));
	if (i18n_load_for(po, lang, i18n_locale_tag(tag, sizeof(tag)), set, t, &e) == -1) {
		if (lang != NULL && e.kind == ERR_INPUT)
			return cli_fail(cmd, &e);
		fprintf(stderr, "%s: %s; answering in English\n", cmd, e.msg);
	}
	return 0;
}
