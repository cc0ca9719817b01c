/*
 * ui — what the shell's views share: the shell's model (the open
 * exercise, the check in flight, its result, each exercise's mark) and
 * the few drawing helpers every view uses, so that text from outside
 * (program output, file names) only reaches the terminal escaped.
 *
 * Views (home, exview, hist) draw with ui_* into the rectangle they are
 * given and answer keys with ui_flags; only the shell (shell.c) sets the
 * terminal up, reads keys, runs editors and checks, and restores it.
 */
#ifndef TUI_UI_H
#define TUI_UI_H

#include <limits.h>
#include <stdbool.h>

#include <curses.h>

#include "base/buf.h"
#include "data/record.h"
#include "tui/app.h"
#include "tui/json.h"

/* What a view's key handler answers; the shell acts on the action bits. */
enum ui_flags {
	UI_HANDLED = 1,
	UI_REDRAW = 2,
	UI_QUIT = 4,
	UI_OPEN = 8,        /* open ui->ex in the exercise screen */
	UI_BACK = 16,       /* back to the previous screen */
	UI_EDIT = 32,       /* open the exercise's files in the learner's editor */
	UI_CHECK = 64,      /* check ui->ex now */
	UI_HISTORY = 128,   /* the history of ui->ex */
	UI_RELOAD = 256,    /* the record changed: re-read marks and results */
	UI_PROFILE = 512,   /* the profile view of ui->ex (a profiling check first if none is kept) */
	UI_PROFILE_RUN = 1024,  /* a profiling check of ui->ex, then its profile view */
	UI_RUN = 2048,      /* run the learner's code in the terminal (chanlab run) */
	UI_INTERLEAVE = 4096,  /* step through the schedule a test failed under */
	UI_TRACE = 8192,    /* the trace view of ui->ex (a tracing check first if none is kept) */
	UI_TRACE_RUN = 16384,  /* a tracing check of ui->ex, then its trace view */
	UI_CHECK_ALL = 32768,  /* check every exercise started again (chanlab check --all) */
};

enum ui_mark { UI_NEW, UI_FAILING, UI_PASSED, UI_FAST, UI_BROKEN };

/* Colour pairs (plain attributes when NO_COLOR or a monochrome terminal). */
enum ui_color { UI_NORMAL, UI_GOOD, UI_BAD, UI_DIM, UI_TITLE, UI_BAR, UI_CODE, UI_BUSY };

struct ui_rect {
	int y, x, h, w;
};

struct ui {
	struct app *app;
	char exe[PATH_MAX];          /* chanlab itself, for background checks */
	bool color, utf8;
	enum ui_mark *marks;         /* per app->pack->ex */
	struct record_progress *progress;   /* per app->pack->ex */
	const struct pack_exercise *ex;     /* the open exercise, or NULL */
	bool checking;               /* a check of ex is running */
	int spin;                    /* spinner frame */
	struct json *result;         /* the latest result of ex this session, or NULL */
	struct json *partial;        /* the tests of the check running, so far, or NULL */
	char result_error[512];      /* why the latest check gave no result, or "" */
	char msg[256];               /* one line for the status bar, or "" */
};

/* True if needle occurs in hay, ignoring ASCII case. */
bool ui_contains(const char *hay, const char *needle);

/* The index of ex in the pack (for marks and progress). */
size_t ui_index(const struct ui *ui, const struct pack_exercise *ex);

/* The attribute for a colour (and extra attributes such as A_BOLD). */
attr_t ui_attr(const struct ui *ui, enum ui_color c, attr_t extra);

/* Draws s at (y, x), at most w columns, with attribute a; control
 * characters show as ^X and bad bytes as '?'. Returns the columns used. */
int ui_text(int y, int x, int w, const char *s, attr_t a);

/* Same, for the first n bytes of s. */
int ui_textn(int y, int x, int w, const char *s, size_t n, attr_t a);

/* Clears w columns at (y, x) with attribute a. */
void ui_fill(int y, int x, int w, attr_t a);

/* A horizontal line of w columns. */
void ui_hline(int y, int x, int w, attr_t a);

/* Appends the n bytes at s to b with each tab expanded to the next
 * multiple of 8 columns, the columns counted from byte `from` on (the
 * bytes before it, such as a diff line's +/-/space, are copied but not
 * counted, so the file's own indentation lines up); a UTF-8
 * continuation byte takes no column. */
void ui_expand_tabs(struct buf *b, const char *s, size_t n, size_t from);

/* The colour of a line of a unified diff: added, removed, a header. */
enum ui_color ui_diff_color(const char *line);

/* A progress bar [####----] of w columns for done of total. */
void ui_bar(const struct ui *ui, int y, int x, int w, int done, int total);

/* The mark's glyph (one column) and colour. */
const char *ui_mark_glyph(const struct ui *ui, enum ui_mark m);
enum ui_color ui_mark_color(enum ui_mark m);

/* A view's keys, as a table (the footer and the help are made from it). */
struct ui_key {
	int key, alt;                /* the key and another that does the same, or 0 */
	const char *label;           /* "j/↓" */
	const char *help;            /* "next exercise" */
	bool footer;                 /* shown in the footer */
	int (*run)(void *view, struct ui *ui);   /* returns ui_flags */
};

/* Runs the entry of keys (ended by a NULL label) for key. Its flags, or 0. */
int ui_dispatch(const struct ui_key *keys, void *view, struct ui *ui, int key);

/* The footer: the footer keys of the table, on row y. */
void ui_keys(const struct ui *ui, int y, const struct ui_key *keys);

/* The help box over rectangle r: every key of the table. */
void ui_help(const struct ui *ui, struct ui_rect r, const char *title, const struct ui_key *keys);

#endif
