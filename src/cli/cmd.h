/*
 * cmd.h - the subcommands main.c dispatches to, one file each
 * (cmd_lookup.c has cmd_lookup()).  Contract: see cli.h.
 */
#ifndef PORTOLAN_CMD_H
#define PORTOLAN_CMD_H

int cmd_lookup(int argc, char **argv);
/*
 * The short form `portolan WORD ...`: a lookup, except that when the
 * database knows nothing of WORD and near (the command WORD is nearest
 * to, or NULL) is set, it says "unknown command 'WORD'; did you mean
 * 'near'?" and returns CLI_USAGE.
 */
int cmd_lookup_guess(int argc, char **argv, const char *near);
int cmd_search(int argc, char **argv);
int cmd_free(int argc, char **argv);
int cmd_update(int argc, char **argv);
/* The same in the static portolan: a download execs portolan-serve's cmd_update(). */
int cmd_update_static(int argc, char **argv);
int cmd_check_data(int argc, char **argv);
int cmd_feedback(int argc, char **argv);
int cmd_serve(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_claim(int argc, char **argv);

#endif
