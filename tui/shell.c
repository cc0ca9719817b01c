/*
 * shell — the ncurses screen; see shell.h.
 *
 * Data model: a flat list of rows (track headings and exercises) built from
 * the pack, a selection and a scroll offset. Rendering reads the model;
 * key decoding changes it and returns flags to the one event loop.
 */
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <curses.h>

#include "tui/shell.h"

enum { KEY_HANDLED = 1, KEY_REDRAW = 2, KEY_QUIT = 4 };

struct row {
	const char *track;                 /* a heading row when ex is NULL */
	const struct pack_exercise *ex;
	const char *status;
};

struct shell {
	struct app *app;
	struct row *rows;
	int nrows, sel, top;
};

static bool curses_on;

static void restore_terminal(void)
{
	if (curses_on) {
		endwin();
		curses_on = false;
	}
}

static void on_fatal(int sig)
{
	restore_terminal();
	signal(sig, SIG_DFL);
	raise(sig);
}

static const char *status_of(struct app *app, const struct pack_exercise *ex)
{
	struct store_summary s;

	if (ex->error)
		return "!";
	if (!app->store || store_summary(app->store, ex->id, &s) < 0 || s.attempts == 0)
		return " ";
	return s.passed ? "*" : "x";
}

static int build_rows(struct shell *sh)
{
	const struct pack *p = sh->app->pack;
	const char *track = NULL;

	sh->rows = calloc(p->nex * 2 + 1, sizeof(*sh->rows));
	if (!sh->rows)
		return -1;
	for (size_t i = 0; i < p->nex; i++) {
		const struct pack_exercise *ex = &p->ex[i];

		if (!track || strcmp(track, ex->track) != 0) {
			track = ex->track;
			sh->rows[sh->nrows++] = (struct row){ .track = track };
		}
		sh->rows[sh->nrows++] = (struct row){ .ex = ex, .status = status_of(sh->app, ex) };
	}
	sh->sel = sh->nrows > 1 ? 1 : 0;
	return 0;
}

static void render(struct shell *sh)
{
	int h = LINES, w = COLS, body = h - 2;

	erase();
	attron(A_REVERSE);
	mvhline(0, 0, ' ', w);
	mvprintw(0, 1, "chanlab  %s %s", sh->app->pack->name, sh->app->pack->version ? sh->app->pack->version : "");
	attroff(A_REVERSE);
	if (sh->sel < sh->top)
		sh->top = sh->sel;
	if (sh->sel >= sh->top + body)
		sh->top = sh->sel - body + 1;
	for (int i = 0; i < body && sh->top + i < sh->nrows; i++) {
		const struct row *r = &sh->rows[sh->top + i];

		if (!r->ex) {
			attron(A_BOLD);
			mvprintw(1 + i, 1, "%s", r->track);
			attroff(A_BOLD);
			continue;
		}
		if (sh->top + i == sh->sel)
			attron(A_REVERSE);
		mvprintw(1 + i, 3, "[%s] %-22.22s %.*s", r->status, r->ex->id, w > 34 ? w - 34 : 0, r->ex->title);
		if (sh->top + i == sh->sel)
			attroff(A_REVERSE);
	}
	attron(A_REVERSE);
	mvhline(h - 1, 0, ' ', w);
	mvprintw(h - 1, 1, "j/k move   q quit      [*] passed  [x] failing  [!] broken");
	attroff(A_REVERSE);
	refresh();
}

static void move_sel(struct shell *sh, int dir)
{
	int i = sh->sel + dir;

	while (i >= 0 && i < sh->nrows && !sh->rows[i].ex)
		i += dir;
	if (i >= 0 && i < sh->nrows)
		sh->sel = i;
}

static int on_key(struct shell *sh, int key)
{
	switch (key) {
	case 'q':
		return KEY_QUIT;
	case 'j':
	case KEY_DOWN:
		move_sel(sh, 1);
		return KEY_HANDLED | KEY_REDRAW;
	case 'k':
	case KEY_UP:
		move_sel(sh, -1);
		return KEY_HANDLED | KEY_REDRAW;
	case KEY_RESIZE:
		return KEY_REDRAW;
	default:
		return 0;
	}
}

int shell_run(struct app *app)
{
	struct shell sh = { .app = app };
	char db[4096];

	snprintf(db, sizeof(db), "%s/progress.db", app->home);
	if (access(db, F_OK) == 0)
		app_open_record(app);   /* statuses; a damaged file shows as none */
	if (build_rows(&sh) < 0)
		return 3;
	atexit(restore_terminal);
	signal(SIGSEGV, on_fatal);
	signal(SIGABRT, on_fatal);
	signal(SIGBUS, on_fatal);
	signal(SIGTERM, on_fatal);
	signal(SIGHUP, on_fatal);
	initscr();
	curses_on = true;
	cbreak();
	noecho();
	keypad(stdscr, TRUE);
	curs_set(0);
	render(&sh);
	for (;;) {
		int flags = on_key(&sh, getch());

		if (flags & KEY_QUIT)
			break;
		if (flags & KEY_REDRAW)
			render(&sh);
	}
	restore_terminal();
	free(sh.rows);
	return 0;
}
