/*
 * cmd_machine.h - the commands about this machine's listening sockets:
 *
 *   portolan who PORT[/PROTO]      who listens on one port (exit 0 yes, 1 no)
 *   portolan listening (ls)        every listener, annotated and flagged
 *   portolan connections (conns)   every connection, annotated by its remote port
 *   portolan audit --expect FILE   drift from an expected set (0 clean, 1 drift)
 *   portolan audit --snapshot      today's set in the expect-file format
 *
 * Contract as in cli.h: argv[0] is the subcommand's name, the return value
 * is the exit code.
 */
#ifndef PORTOLAN_CMD_MACHINE_H
#define PORTOLAN_CMD_MACHINE_H

int cmd_who(int argc, char **argv);
int cmd_listening(int argc, char **argv);
int cmd_connections(int argc, char **argv);
int cmd_audit(int argc, char **argv);

#endif
