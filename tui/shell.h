/*
 * shell — the ncurses front: the exercise list and, from it, the rest.
 * The only module that touches the terminal.
 */
#ifndef TUI_SHELL_H
#define TUI_SHELL_H

#include "tui/app.h"

/* Runs the shell until the learner quits; the terminal is restored on every
 * way out. Returns the process exit status. */
int shell_run(struct app *app);

#endif
