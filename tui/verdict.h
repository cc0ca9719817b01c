/*
 * verdict — the one rendering of a verdict (docs/results.md), shared by
 * the shell's results pane and the command mode (`chanlab check`, `show
 * --verdict`): the same lines, in the same order, with the same folding of
 * a failure that repeats the one above and each explanation said once.
 * Each front end only lays the lines out: the shell wraps and colours
 * them, the command mode prints them indented.
 */
#ifndef TUI_VERDICT_H
#define TUI_VERDICT_H

#include <stdbool.h>
#include <stddef.h>

#include "tui/json.h"

enum verdict_style {
	VERDICT_PASS,            /* a headline or test that passed */
	VERDICT_FAIL,            /* one that failed */
	VERDICT_SKIP,            /* a test not run */
	VERDICT_TEXT,            /* a message */
	VERDICT_FOUND,           /* what a sanitizer or the runtime found, and where */
	VERDICT_OUTPUT,          /* a program's output or the compiler's messages */
	VERDICT_DIM,             /* a note, "the same failure as above" */
	VERDICT_TITLE,           /* a section's title */
};

struct verdict_line {
	int indent;              /* columns */
	enum verdict_style style;
	char *text;              /* shown: escape sequences and NULs spelled \x1b, \x00 */
};

struct verdict_lines {
	struct verdict_line *v;
	size_t n;
	bool oom;
	/* set by the caller, or NULL: the learner's files (NULL-terminated);
	 * a stack frame in another file of the exercise's folder (the test
	 * harness, a pack library) is labelled as the test's code */
	char *const *learner_files;
};

/* Renders res (a verdict as `check --json` gives it or the record keeps
 * it) into out (zeroed by the caller; verdict_lines_release it): the
 * headline, the script's message, each test (a failure equal to the one
 * above says so in one line; a report is shown only when the test's
 * message does not already explain it), at most max_output lines of each
 * failure's output, the benchmarks and the note. utf8 picks the marks.
 * A result whose status is "running" (a check's tests so far, tui/job.h)
 * gets a headline that says more are to come, and its tests. */
void verdict_render(struct verdict_lines *out, const struct json *res, bool utf8, int max_output);
void verdict_lines_release(struct verdict_lines *l);

#endif
