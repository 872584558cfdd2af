/* The command line's shared parts: each command lives in src/cli/cmd_*.c and is listed once in
 * the table in src/main.c. */
#ifndef XINFANG_CLI_H
#define XINFANG_CLI_H

#include <stdbool.h>
#include <stdint.h>

#include "xinfang/case.h"
#include "xinfang/store.h"
#include "xinfang/util.h"

/* Exit codes: 0 done, 1 refused, 2 usage, 3 the store stayed busy (try again). */
enum { EXIT_REFUSED = 1, EXIT_USAGE = 2, EXIT_BUSY = 3 };

/* Options shared by every command. */
struct cli {
	char *db;
	const char *user;
	struct xf_store *st;
	struct xf_session session;
};

/* One subcommand: its name, what runs it, and its lines of the usage text. */
struct cli_command {
	const char *name;
	int (*run)(struct cli *c, int argc, char **argv);
	const char *usage;
};

/* After setlocale: when the locale's charset is not UTF-8 (nor the C locale's ASCII), stdout and
 * stderr write in it and the arguments are read from it. */
void cli_charset_setup(int argc, char **argv);
/* The charset output is converted to, or NULL when it stays UTF-8. */
const char *cli_charset(void);
/* Standard output takes bytes as they are from now on (a PDF, a CSV in the encoding asked). */
void cli_output_raw(void);
/* Puts the plain stdout back for the desk (curses converts on its own). */
void cli_charset_plain_stdout(void);
/* s in the locale's charset, for a terminal opened directly; a new string. */
char *cli_to_locale(const char *s);
/* True when an argument asks how the command is used (-h or --help, before any "--"). */
bool cli_wants_help(int argc, char **argv);
/* Prints a command's usage (its lines of the --help text); returns 0. */
int help_command(const struct cli_command *cmd);
/* Prints the usage of a move of the workflow, made from its table row; returns 0. */
int help_move(const struct xf_move_def *def);
/* Checks that standard output took everything; on a write error says so and returns a
 * failing exit code, else code. */
int cli_finish_output(int code);

/* Prints a usage error (fmt with one %s) to stderr and returns the usage exit code. */
int usage_error(const char *fmt, const char *arg);
/* Prints a usage error with the core's message whole (after prefix, when given); returns the
 * usage exit code. usage_error clips its argument to 40 columns: never pass it a message. */
int usage_refused(const char *prefix, const struct xf_err *err);
/* Prints a core error and returns its exit code (EXIT_BUSY for a busy store, else EXIT_REFUSED). */
int refused(const struct xf_err *err);
/* Warns on stderr when the store can be read by users outside the office. */
void warn_file_modes(const struct cli *c);
/* Reads a password from the terminal without echo; NULL when there is no terminal. */
char *ask_password(const char *prompt);
/* The password from the environment variable env_name or the terminal. */
char *get_password(const char *env_name, const char *prompt);
/* Parses KEY=VALUE arguments into fields; returns the index of a bad one, or -1. */
int parse_pairs(int argc, char **argv, struct xf_fields *f);
/* Takes "--branch CODE" out of argv (*argc shrinks) into *code: a filter by branch, as
 * branch=CODE. Returns 0, or -1 when --branch has no code after it. */
int cli_take_branch(int *argc, char **argv, const char **code);
/* Writes a value with \n, \t and \\ escaped so each field stays on one line. */
void print_value(const char *v);
/* Prints the values of keys (NULL-terminated) of a row, tab-separated and escaped, one line. */
void print_columns(const struct xf_fields *row, const char *const *keys);
/* Prints fields as key<TAB>value lines. */
void print_fields(const struct xf_fields *f);
/* Opens the store and logs the operator in. */
int login(struct cli *c, struct xf_err *err);
/* Logs in and finds the case named by number. */
int login_and_find(struct cli *c, const char *number, int64_t *id, struct xf_err *err);

int cmd_init(struct cli *c, int argc, char **argv);
int cmd_branch(struct cli *c, int argc, char **argv);
int cmd_handover(struct cli *c, int argc, char **argv);
int cmd_takeover(struct cli *c, int argc, char **argv);
int cmd_handup(struct cli *c, int argc, char **argv);
int cmd_supervise(struct cli *c, int argc, char **argv);
int cmd_answer(struct cli *c, int argc, char **argv);
int cmd_supervised(struct cli *c, int argc, char **argv);
int cmd_push(struct cli *c, int argc, char **argv);
int cmd_user(struct cli *c, int argc, char **argv);
int cmd_passwd(struct cli *c, int argc, char **argv);
int cmd_calendar(struct cli *c, int argc, char **argv);
int cmd_rules(struct cli *c, int argc, char **argv);
int cmd_new(struct cli *c, int argc, char **argv);
int cmd_show(struct cli *c, int argc, char **argv);
int cmd_history(struct cli *c, int argc, char **argv);
int cmd_edit(struct cli *c, int argc, char **argv);
int cmd_move(struct cli *c, const struct xf_move_def *def, int argc, char **argv);
int cmd_print(struct cli *c, int argc, char **argv);
int cmd_printer(struct cli *c, int argc, char **argv);
int cmd_due(struct cli *c, int argc, char **argv);
int cmd_status(struct cli *c, int argc, char **argv);
int cmd_list(struct cli *c, int argc, char **argv);
int cmd_find(struct cli *c, int argc, char **argv);
int cmd_verify(struct cli *c, int argc, char **argv);
int cmd_backup(struct cli *c, int argc, char **argv);
int cmd_restore(struct cli *c, int argc, char **argv);
int cmd_export(struct cli *c, int argc, char **argv);
int cmd_import(struct cli *c, int argc, char **argv);
int cmd_search(struct cli *c, int argc, char **argv);
int cmd_stats(struct cli *c, int argc, char **argv);
int cmd_config(struct cli *c, int argc, char **argv);
int cmd_nightly(struct cli *c, int argc, char **argv);

#endif
