/*
 * cmd — the command mode: `chanlab COMMAND [ARGS]`.
 *
 * Each area of chanlab keeps its commands in a table of its own (cmd_core
 * in main.c, cmd_record in cmd_record.c, cmd_author in cmd_author.c); main
 * dispatches through all of them, and --help is made from the same tables.
 */
#ifndef TUI_CMD_H
#define TUI_CMD_H

#include <stdbool.h>
#include <stdio.h>

#include "tui/app.h"
#include "tui/json.h"

/* Exit statuses of every command. */
enum { EXIT_PASS = 0, EXIT_NOTPASS = 1, EXIT_USAGE = 2, EXIT_ERROR = 3 };

/* A command's flag: "--json" sets flags['json']-style booleans by name. */
struct cmd_flag {
	const char *name;        /* "--json" */
	const char *help;        /* one line */
};

struct cmd_args {
	int argc;                /* positional arguments after the command */
	char **argv;
	const char *home;        /* --home, or NULL */
	const char *pack;        /* --pack as an absolute folder (pack_resolve), or NULL;
				  * also given as the flag "--pack=" */
	const char *flags[8];    /* the flags given, by name ("--json"), NULL-terminated */
	const char *values[8];   /* the value of each flag that takes one ("--format=csv"), else NULL */
};

struct cmd {
	const char *name;        /* NULL ends a table */
	const char *usage;       /* "chanlab check [--json] ID" */
	const char *summary;     /* one line for `chanlab --help` */
	const char *help;        /* the rest of `chanlab COMMAND --help` */
	const char *const *flags;  /* the flags it accepts ("--json", "--format="), NULL-terminated */
	int min_args, max_args;
	bool no_app;             /* runs without loading the pack */
	int (*run)(struct app *app, const struct cmd_args *a);
};

/* True if flag (e.g. "--json") was given; *value gets its value if it takes one. */
bool cmd_flag(const struct cmd_args *a, const char *flag, const char **value);

/* True if stdout shows UTF-8 (for check marks). */
bool cmd_utf8(void);

/* Writes the n bytes at s to f as buf_add_shown spells them (text, tabs and
 * newlines as they are; escape sequences, NULs and stray bytes as \x1b,
 * \x00, ...). Everything a learner's program or files could have written
 * reaches the terminal through this. */
void cmd_put_shown(FILE *f, const char *s, size_t n);

/* Prints err_msg to stderr as "chanlab: <message>", shown as cmd_put_shown
 * does (a message may name a learner's file), and returns EXIT_ERROR. */
int cmd_error(void);

/* Says on stderr that p has no exercise id, with "did you mean 'X'?" when
 * one starts with id or is at most two edits from it. Returns EXIT_USAGE. */
int cmd_no_exercise(const struct pack *p, const char *id);

/* Prints a verdict (docs/results.md) as `chanlab check` does, with the
 * renderer the shell uses (tui/verdict.h): the headline after ex's id,
 * each test, the benchmarks and the note, and, after a failure, where a
 * hint is to be had (`chanlab hint ID`; none is printed unasked). */
void cmd_print_result(const struct pack_exercise *ex, const struct json *res);

/* The same for a verdict just made. */
void cmd_print_verdict(const struct pack_exercise *ex, const struct check_verdict *v);

/* `chanlab check --all`: every exercise started, checked again two at a
 * time, with a progress grid; those that no longer pass are marked. 0 if
 * every one passes, else EXIT_NOTPASS. */
int cmd_check_all(struct app *app, const struct cmd_args *a);

extern const struct cmd cmd_core[];
extern const struct cmd cmd_record[];
extern const struct cmd cmd_author[];
extern const struct cmd cmd_learn[];
extern const struct cmd cmd_prof[];

#endif
