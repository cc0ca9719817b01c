/*
 * shell — the ncurses shell; see shell.h.
 *
 * This is the one layer that touches the terminal: it sets it up, reads
 * and decodes keys, hands them to the screen on show (home, exercise,
 * history), runs the learner's editor with curses suspended, and gives
 * the terminal back on every way out, a crash included.
 *
 * One event loop, no busy waiting: poll() on the terminal, the watcher's
 * inotify descriptor and the running check's pipes, with a timeout only
 * while something is due (the spinner's next frame, a debounce, a poll of
 * the files). Idle, chanlab sleeps in poll, waking once a second to ask the
 * record whether another chanlab on the same home changed it (one PRAGMA).
 *
 * Data model: the shared model (struct ui), the three views, which one is
 * shown, the watcher of the open exercise and the check in flight.
 */
#define _GNU_SOURCE   /* ppoll: wait for input and signals without a race */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "base/err.h"
#include "data/work.h"
#include "tui/cmd.h"
#include "tui/exview.h"
#include "tui/hist.h"
#include "tui/profview.h"
#include "tui/ilview.h"
#include "tui/traceview.h"
#include "tui/home.h"
#include "tui/job.h"
#include "tui/shell.h"
#include "tui/ui.h"
#include "tui/watch.h"

enum { MIN_W = 80, MIN_H = 24, SPIN_MS = 100, RECORD_MS = 1000 };

enum shell_screen { S_HOME, S_EXERCISE, S_HISTORY, S_PROFILE, S_INTERLEAVE, S_TRACE };

struct shell {
	struct ui ui;
	enum shell_screen screen;
	bool help, dirty;
	struct home *home;
	struct exview *exview;
	struct hist *hist;
	struct profview *prof;
	struct ilview *il;
	struct traceview *trace;
	struct watch *watch;
	struct job *job;
	bool job_profiles;       /* the job profiles every run: its profile view opens after it */
	bool job_traces;         /* the job traces every run: its trace view opens after it */
	long long job_since, last_spin;
	long long record_stamp, record_seen;   /* record_changed's stamp; when last asked (ms) */
};

static volatile sig_atomic_t curses_on, quit_signal;
static sigset_t poll_mask;   /* the signal mask while in ppoll: the quit signals let through */

static void restore_terminal(void)
{
	if (curses_on) {
		curses_on = 0;
		endwin();
	}
}

static void on_crash(int sig)
{
	restore_terminal();
	signal(sig, SIG_DFL);
	raise(sig);
}

static void on_quit(int sig)
{
	quit_signal = sig;
}

static void set_signals(void)
{
	static const int crash[] = { SIGSEGV, SIGABRT, SIGBUS, SIGFPE, SIGILL, SIGQUIT };
	static const int quit[] = { SIGTERM, SIGINT, SIGHUP };
	struct sigaction sa;
	sigset_t block;

	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = on_crash;
	for (size_t i = 0; i < sizeof(crash) / sizeof(crash[0]); i++)
		sigaction(crash[i], &sa, NULL);
	/* The quit signals stay blocked but in ppoll, so one that comes while
	 * the loop draws is not lost: ppoll returns at once with EINTR. */
	sa.sa_handler = on_quit;
	sigemptyset(&block);
	for (size_t i = 0; i < sizeof(quit) / sizeof(quit[0]); i++) {
		sigaction(quit[i], &sa, NULL);
		sigaddset(&block, quit[i]);
	}
	sigprocmask(SIG_BLOCK, &block, &poll_mask);
	for (size_t i = 0; i < sizeof(quit) / sizeof(quit[0]); i++)
		sigdelset(&poll_mask, quit[i]);
}

/* A quit signal still blocked: ppoll lets the quit signals in only when it
 * returns EINTR, not when a descriptor was ready at once. */
static bool quit_pending(void)
{
	sigset_t pending;

	return sigpending(&pending) == 0 &&
	       (sigismember(&pending, SIGTERM) == 1 || sigismember(&pending, SIGINT) == 1 ||
		sigismember(&pending, SIGHUP) == 1);
}

/* For a child about to exec: the signals as a fresh process has them. */
static void child_signals(void)
{
	sigset_t none;

	signal(SIGINT, SIG_DFL);
	signal(SIGQUIT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGHUP, SIG_DFL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* --- the model ------------------------------------------------------------- */

static void load_marks(struct shell *sh)
{
	struct ui *ui = &sh->ui;
	const struct pack *p = ui->app->pack;
	const char *notice;
	/* the shell never creates a home just to show the list */
	bool have = record_exists(ui->app->home);

	for (size_t i = 0; i < p->nex; i++) {
		struct record_progress *pr = &ui->progress[i];

		memset(pr, 0, sizeof(*pr));
		if (have && app_progress(ui->app, &p->ex[i], pr) < 0) {
			snprintf(ui->msg, sizeof(ui->msg), "%s", err_msg());
			have = false;
		}
		/* the mark is the current state (the last check), the best is
		 * shown beside it */
		if (p->ex[i].error)
			ui->marks[i] = UI_BROKEN;
		else if (strcmp(pr->last_status, "pass") == 0)
			/* a check passes only within its benchmarks' budgets, so a pass
			 * with benchmark figures is a pass within the budget */
			ui->marks[i] = pr->best_ratio > 0 ? UI_FAST : UI_PASSED;
		else
			ui->marks[i] = pr->attempts ? UI_FAILING : UI_NEW;
	}
	if (ui->app->record && (notice = record_notice(ui->app->record)))
		snprintf(ui->msg, sizeof(ui->msg), "%s", notice);
}

static void reload(struct shell *sh)
{
	load_marks(sh);
	home_reload(sh->home, &sh->ui);
	if (sh->exview)
		exview_reload(sh->exview, &sh->ui);
	if (sh->hist)
		hist_reload(sh->hist, &sh->ui);
	sh->dirty = true;
}

/* Every RECORD_MS: whether another chanlab on this home recorded a check
 * or a hint; if so, the counts and marks are read again. */
static void poll_record(struct shell *sh, long long now)
{
	struct app *app = sh->ui.app;

	if (now - sh->record_seen < RECORD_MS)
		return;
	sh->record_seen = now;
	/* a home being made by our own check is not opened halfway */
	if (!app->record && (sh->job || !record_exists(app->home) || app_open_record(app) < 0))
		return;
	if (record_changed(app->record, &sh->record_stamp) == 1 && !sh->job) {
		/* as reload, but the panes keep where they were scrolled to */
		load_marks(sh);
		home_reload(sh->home, &sh->ui);
		if (sh->exview)
			exview_refresh(sh->exview, &sh->ui);
		if (sh->hist)
			hist_reload(sh->hist, &sh->ui);
		sh->dirty = true;
	}
}

static void start_check(struct shell *sh, const char *profile);

/* The profile view of ui->ex; with run_if_none, a profiling check first
 * when the last checks kept no profile. */
static void open_profile(struct shell *sh, bool run_if_none)
{
	struct ui *ui = &sh->ui;
	struct profview *v;

	if (profview_new(&v, ui, NULL) < 0) {
		if (run_if_none)
			start_check(sh, "cpu");
		else
			snprintf(ui->msg, sizeof(ui->msg), "%s", err_msg());
		return;
	}
	profview_free(sh->prof);
	sh->prof = v;
	sh->screen = S_PROFILE;
}

/* The trace view of ui->ex; with run_if_none, a tracing check first when
 * the last checks kept no trace. */
static void open_trace(struct shell *sh, bool run_if_none)
{
	struct ui *ui = &sh->ui;
	struct traceview *v;

	if (traceview_new(&v, ui) < 0) {
		if (run_if_none)
			start_check(sh, "trace");
		else
			snprintf(ui->msg, sizeof(ui->msg), "%s", err_msg());
		return;
	}
	traceview_free(sh->trace);
	sh->trace = v;
	sh->screen = S_TRACE;
}

static void start_check(struct shell *sh, const char *profile)
{
	struct ui *ui = &sh->ui;

	job_free(sh->job);   /* a newer save cancels the check in flight */
	sh->job = NULL;
	json_free(ui->partial);
	ui->partial = NULL;
	sh->job_profiles = profile != NULL;
	sh->job_traces = profile && strcmp(profile, "trace") == 0;
	if (sh->job_traces)
		snprintf(ui->msg, sizeof(ui->msg), "tracing a check of %s: every run of your code writes a trace", ui->ex->id);
	else if (profile)
		snprintf(ui->msg, sizeof(ui->msg), "profiling a check of %s: every run of your code takes a %s profile",
			 ui->ex->id, profile);
	if (job_start(&sh->job, ui->exe, ui->app->home, ui->ex->key, profile) < 0) {
		snprintf(ui->msg, sizeof(ui->msg), "%s", err_msg());
		ui->checking = false;
	} else {
		ui->checking = true;
		sh->job_since = now_ms();
	}
	sh->dirty = true;
}

/* The tests the running check has finished, in the exercise screen as
 * they come. */
static void show_partial(struct shell *sh)
{
	struct ui *ui = &sh->ui;
	struct json *p = job_partial(sh->job);

	if (!p)
		return;
	if (!ui->ex || strcmp(job_exercise(sh->job), ui->ex->key) != 0) {
		json_free(p);
		return;
	}
	json_free(ui->partial);
	ui->partial = p;
	if (sh->exview)
		exview_refresh(sh->exview, ui);
	sh->dirty = true;
}

static void check_done(struct shell *sh)
{
	struct ui *ui = &sh->ui;
	const struct pack_exercise *ex = pack_find(ui->app->pack, job_exercise(sh->job));
	struct json *res = job_take_result(sh->job);

	if (res && ex) {
		bool pass = strcmp(json_str(res, "status"), "pass") == 0;

		snprintf(ui->msg, sizeof(ui->msg), "%s: %s", ex->id, pass ? "passed" : "not passed yet");
	} else if (ex) {
		snprintf(ui->msg, sizeof(ui->msg), "%s: the check could not run", ex->id);
	}
	if (ex && ex == ui->ex) {
		json_free(ui->result);
		ui->result = res;
		res = NULL;
		snprintf(ui->result_error, sizeof(ui->result_error), "%s", ui->result ? "" : job_error(sh->job));
	}
	json_free(res);
	job_free(sh->job);
	sh->job = NULL;
	json_free(ui->partial);
	ui->partial = NULL;
	ui->checking = false;
	reload(sh);
	if (sh->job_profiles && ex && ex == ui->ex && sh->screen != S_HOME)
		sh->job_traces ? open_trace(sh, false) : open_profile(sh, false);
	sh->job_profiles = sh->job_traces = false;
	if (ui->app->record)   /* what our own check wrote is read already */
		record_changed(ui->app->record, &sh->record_stamp);
}

/* --- screens ---------------------------------------------------------------- */

static int open_exercise(struct shell *sh)
{
	struct ui *ui = &sh->ui;
	char dir[PATH_MAX];

	exview_free(sh->exview);
	sh->exview = NULL;
	watch_free(sh->watch);
	sh->watch = NULL;
	if (!sh->job || strcmp(job_exercise(sh->job), ui->ex->key) != 0) {
		json_free(ui->result);
		ui->result = NULL;
		ui->result_error[0] = '\0';
	}
	app_workdir(ui->app, ui->ex, dir, sizeof(dir));
	/* a broken exercise has nothing to watch: its screen says why */
	if (!ui->ex->error && ui->ex->files) {
		if (work_prepare(dir, ui->ex->dir, ui->ex->files) < 0 ||
		    work_prepare_headers(dir, ui->ex->dir, ui->ex->headers) < 0 || app_tooling(ui->app, ui->ex) < 0 ||
		    watch_new(&sh->watch, dir, ui->ex->files) < 0)
			snprintf(ui->msg, sizeof(ui->msg), "not watching your files: %s", err_msg());
	}
	if (exview_new(&sh->exview, ui) < 0)
		return -1;
	sh->screen = S_EXERCISE;
	return 0;
}

static void close_exercise(struct shell *sh)
{
	exview_free(sh->exview);
	sh->exview = NULL;
	watch_free(sh->watch);
	sh->watch = NULL;
	sh->screen = S_HOME;
	home_reload(sh->home, &sh->ui);
}

/* Runs $VISUAL or $EDITOR (else vi) on the exercise's files, with curses
 * suspended; the watcher sees the saves. */
static void edit(struct shell *sh)
{
	struct ui *ui = &sh->ui;
	const char *ed = getenv("VISUAL");
	char dir[PATH_MAX], *argv[40];
	int argc = 0, status;
	struct sigaction ign = { .sa_handler = SIG_IGN }, old_int, old_quit;
	pid_t pid;

	if (!ed || !*ed)
		ed = getenv("EDITOR");
	if (!ed || !*ed)
		ed = "vi";
	app_workdir(ui->app, ui->ex, dir, sizeof(dir));
	static char sh_path[] = "/bin/sh", sh_c[] = "-c", script[] = "exec $CHANLAB_EDITOR \"$@\"",
		    name[] = "editor";

	argv[argc++] = sh_path;
	argv[argc++] = sh_c;
	argv[argc++] = script;
	argv[argc++] = name;
	for (char *const *f = ui->ex->files; f && *f && argc < 39; f++)
		argv[argc++] = *f;
	argv[argc] = NULL;
	def_prog_mode();
	endwin();
	sigaction(SIGINT, &ign, &old_int);
	sigaction(SIGQUIT, &ign, &old_quit);
	pid = fork();
	if (pid == 0) {
		child_signals();
		setenv("CHANLAB_EDITOR", ed, 1);
		if (chdir(dir) < 0)
			_exit(126);
		execv(argv[0], argv);
		_exit(127);
	}
	if (pid < 0)
		snprintf(ui->msg, sizeof(ui->msg), "cannot start the editor '%s'", ed);
	while (pid > 0 && waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (pid > 0 && WIFEXITED(status) && WEXITSTATUS(status) == 127)
		snprintf(ui->msg, sizeof(ui->msg), "the editor '%s' could not be run: set $VISUAL or $EDITOR", ed);
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGQUIT, &old_quit, NULL);
	reset_prog_mode();
	clearok(curscr, TRUE);
	sh->dirty = true;
}

/* `chanlab ARG ARG2` in the terminal, with curses suspended and banner
 * above it, until the learner presses Enter. */
static void in_terminal(struct shell *sh, const char *banner, const char *arg, const char *arg2)
{
	struct ui *ui = &sh->ui;
	struct sigaction ign = { .sa_handler = SIG_IGN }, old_int, old_quit;
	int status;
	pid_t pid;

	def_prog_mode();
	endwin();
	sigaction(SIGINT, &ign, &old_int);
	sigaction(SIGQUIT, &ign, &old_quit);
	printf("\n%s\n\n", banner);
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		child_signals();
		execl(ui->exe, ui->exe, "--home", ui->app->home, arg, arg2, (char *)NULL);
		_exit(127);
	}
	if (pid < 0)
		snprintf(ui->msg, sizeof(ui->msg), "cannot run chanlab: %s", strerror(errno));
	while (pid > 0 && waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (pid > 0) {
		char line[16];

		printf("\nPress Enter to go back to chanlab. ");
		fflush(stdout);
		if (!fgets(line, sizeof(line), stdin))
			clearerr(stdin);
	}
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGQUIT, &old_quit, NULL);
	reset_prog_mode();
	clearok(curscr, TRUE);
	sh->dirty = true;
}

/* `chanlab run` of the exercise. */
static void run_in_terminal(struct shell *sh)
{
	char banner[300];

	snprintf(banner, sizeof(banner), "%s: running your code as its check does (Ctrl-C stops it)", sh->ui.ex->id);
	in_terminal(sh, banner, "run", sh->ui.ex->key);
}

/* `chanlab check --all`: every exercise started, checked again two at a
 * time with its progress grid; the marks follow from the record. */
static void check_all_in_terminal(struct shell *sh)
{
	in_terminal(sh, "checking every exercise you have started again, two at a time (Ctrl-C stops it)", "check",
		    "--all");
	reload(sh);
}

static void draw_status(struct shell *sh, int y)
{
	static const char *const spin_utf8[] = { "\u280b", "\u2819", "\u2839", "\u2838", "\u283c",
						 "\u2834", "\u2826", "\u2827", "\u2807", "\u280f" };
	static const char *const spin_ascii[] = { "|", "/", "-", "\\" };
	struct ui *ui = &sh->ui;
	char line[512];
	int x = 1, label = 0;

	ui_fill(y, 0, COLS, A_NORMAL);
	if (ui->checking && sh->job) {
		const char *frame = ui->utf8 ? spin_utf8[ui->spin % 10] : spin_ascii[ui->spin % 4];

		char passes[96];

		/* the passes still running: "checking bank-account 2.1 s: normal, TSan" */
		job_running(sh->job, passes, sizeof(passes));
		snprintf(line, sizeof(line), "checking %s %.1f s%s%s", job_exercise(sh->job),
			 (double)(now_ms() - sh->job_since) / 1000.0, passes[0] ? ": " : "", passes);
		x += ui_text(y, x, 2, frame, ui_attr(ui, UI_BUSY, A_BOLD)) + 1;
		x += ui_text(y, x, COLS / 2, line, ui_attr(ui, UI_BUSY, 0)) + 2;
	}
	/* the watcher's label at the right, unless the message needs its room:
	 * the message is never overprinted */
	if (sh->watch && sh->screen != S_HOME) {
		int w;

		snprintf(line, sizeof(line), "watching your files (%s)", watch_kind(sh->watch));
		w = (int)strlen(line);
		if (COLS - w - 1 > x + 20 && (!ui->msg[0] || x + (int)strlen(ui->msg) + 2 < COLS - w - 1)) {
			ui_text(y, COLS - w - 1, w, line, ui_attr(ui, UI_DIM, 0));
			label = w + 2;
		}
	}
	if (ui->msg[0])
		ui_text(y, x, COLS - x - 1 - label, ui->msg, A_NORMAL);
}

static const struct ui_key *keys_of(const struct shell *sh)
{
	return sh->screen == S_HOME ? home_keys : sh->screen == S_EXERCISE ? exview_keys
	       : sh->screen == S_PROFILE ? profview_keys : sh->screen == S_INTERLEAVE ? ilview_keys
	       : sh->screen == S_TRACE ? traceview_keys : hist_keys;
}

static void draw(struct shell *sh)
{
	struct ui *ui = &sh->ui;
	struct ui_rect body = { 1, 0, LINES - 3, COLS };
	char title[256];

	erase();
	if (COLS < MIN_W || LINES < MIN_H) {
		char msg[128];

		snprintf(msg, sizeof(msg), "chanlab needs %dx%d; this terminal is %dx%d.", MIN_W, MIN_H, COLS, LINES);
		ui_text(LINES / 2 - 1, 1, COLS - 2, msg, A_BOLD);
		ui_text(LINES / 2, 1, COLS - 2, "Make it larger, or press q to quit.", A_NORMAL);
		refresh();
		return;
	}
	ui_fill(0, 0, COLS, ui_attr(ui, UI_BAR, 0));
	snprintf(title, sizeof(title), "chanlab  %s %s%s%s", ui->app->pack->name,
		 ui->app->pack->version ? ui->app->pack->version : "", sh->screen != S_HOME ? "  \u203a " : "",
		 sh->screen != S_HOME ? ui->ex->track : "");
	if (!ui->utf8 && sh->screen != S_HOME)
		snprintf(title, sizeof(title), "chanlab  %s  > %s", ui->app->pack->name, ui->ex->track);
	ui_text(0, 1, COLS - 2, title, ui_attr(ui, UI_BAR, A_BOLD));
	switch (sh->screen) {
	case S_HOME: home_draw(sh->home, ui, body); break;
	case S_EXERCISE: exview_draw(sh->exview, ui, body); break;
	case S_HISTORY: hist_draw(sh->hist, ui, body); break;
	case S_PROFILE: profview_draw(sh->prof, ui, body); break;
	case S_INTERLEAVE: ilview_draw(sh->il, ui, body); break;
	case S_TRACE: traceview_draw(sh->trace, ui, body); break;
	}
	draw_status(sh, LINES - 2);
	ui_keys(ui, LINES - 1, keys_of(sh));
	if (sh->help)
		ui_help(ui, body, sh->screen == S_HOME ? "Keys: the exercise list"
				  : sh->screen == S_EXERCISE ? "Keys: an exercise (saving a file checks it)"
				  : sh->screen == S_PROFILE  ? "Keys: the profile"
				  : sh->screen == S_INTERLEAVE ? "Keys: the interleaving"
				  : sh->screen == S_TRACE    ? "Keys: the scheduler timeline"
							     : "Keys: history",
			keys_of(sh));
	refresh();
}

/* Acts on a view's flags. False when the shell should end. */
static bool act(struct shell *sh, int flags)
{
	struct ui *ui = &sh->ui;

	if (flags & UI_QUIT)
		return false;
	if (flags & (UI_REDRAW | UI_HANDLED))
		sh->dirty = true;
	if (flags & UI_RELOAD)
		reload(sh);
	if ((flags & UI_OPEN) && open_exercise(sh) < 0)
		snprintf(ui->msg, sizeof(ui->msg), "out of memory");
	if ((flags & (UI_EDIT | UI_CHECK)) && ui->ex && ui->ex->error) {
		snprintf(ui->msg, sizeof(ui->msg), "this exercise's script is broken: nothing to edit or check");
		flags &= ~(UI_EDIT | UI_CHECK);
	}
	if (flags & UI_EDIT)
		edit(sh);
	if ((flags & UI_RUN) && ui->ex && !ui->ex->error)
		run_in_terminal(sh);
	if (flags & UI_CHECK_ALL)
		check_all_in_terminal(sh);
	if ((flags & UI_INTERLEAVE) && sh->exview) {
		struct ilview *v;

		if (ilview_new(&v, ui, exview_result(sh->exview, ui)) < 0) {
			snprintf(ui->msg, sizeof(ui->msg), "%s", err_msg());
		} else {
			ilview_free(sh->il);
			sh->il = v;
			sh->screen = S_INTERLEAVE;
		}
	}
	if (flags & UI_CHECK)
		start_check(sh, NULL);
	if ((flags & UI_PROFILE_RUN) && ui->ex && !ui->ex->error)
		start_check(sh, "cpu");
	else if ((flags & UI_PROFILE) && ui->ex && !ui->ex->error)
		open_profile(sh, true);
	if ((flags & UI_TRACE_RUN) && ui->ex && !ui->ex->error)
		start_check(sh, "trace");
	else if ((flags & UI_TRACE) && ui->ex && !ui->ex->error)
		open_trace(sh, true);
	if (flags & UI_HISTORY) {
		hist_free(sh->hist);
		sh->hist = NULL;
		if (hist_new(&sh->hist, ui) < 0)
			snprintf(ui->msg, sizeof(ui->msg), "%s", err_msg());
		else
			sh->screen = S_HISTORY;
	}
	if (flags & UI_BACK) {
		if (sh->screen == S_HISTORY) {
			hist_free(sh->hist);
			sh->hist = NULL;
			sh->screen = S_EXERCISE;
		} else if (sh->screen == S_INTERLEAVE) {
			ilview_free(sh->il);
			sh->il = NULL;
			sh->screen = S_EXERCISE;
		} else if (sh->screen == S_TRACE) {
			traceview_free(sh->trace);
			sh->trace = NULL;
			sh->screen = S_EXERCISE;
		} else if (sh->screen == S_PROFILE) {
			profview_free(sh->prof);
			sh->prof = NULL;
			sh->screen = S_EXERCISE;
		} else if (sh->screen == S_EXERCISE) {
			close_exercise(sh);
		}
	}
	return true;
}

/* One decoded key. False when the shell should end. */
static bool on_key(struct shell *sh, int key)
{
	int flags = 0;

	if (key == '\r' || key == KEY_ENTER)
		key = '\n';
	if (key == KEY_RESIZE || key == 12 /* ^L */) {
		clearok(curscr, TRUE);
		sh->dirty = true;
		return true;
	}
	if (sh->help) {
		sh->help = false;
		sh->dirty = true;
		return true;
	}
	sh->ui.msg[0] = '\0';
	if (COLS < MIN_W || LINES < MIN_H)
		return key != 'q';
	if (key == '?') {
		sh->help = true;
		sh->dirty = true;
		return true;
	}
	switch (sh->screen) {
	case S_HOME: flags = home_key(sh->home, &sh->ui, key); break;
	case S_EXERCISE: flags = exview_key(sh->exview, &sh->ui, key); break;
	case S_HISTORY: flags = hist_key(sh->hist, &sh->ui, key); break;
	case S_PROFILE: flags = profview_key(sh->prof, &sh->ui, key); break;
	case S_INTERLEAVE: flags = ilview_key(sh->il, &sh->ui, key); break;
	case S_TRACE: flags = traceview_key(sh->trace, &sh->ui, key); break;
	}
	sh->dirty = true;   /* at least the cleared message */
	return act(sh, flags);
}

static void setup_colors(struct ui *ui)
{
	const char *no_color = getenv("NO_COLOR");

	ui->color = has_colors() && !(no_color && *no_color);
	if (!ui->color)
		return;
	start_color();
	use_default_colors();
	init_pair(UI_GOOD, COLOR_GREEN, -1);
	init_pair(UI_BAD, COLOR_RED, -1);
	init_pair(UI_DIM, COLORS >= 16 ? 8 : COLOR_BLUE, -1);
	init_pair(UI_TITLE, COLOR_CYAN, -1);
	init_pair(UI_CODE, COLOR_YELLOW, -1);
	init_pair(UI_BUSY, COLOR_MAGENTA, -1);
}

static int loop(struct shell *sh)
{
	sh->dirty = true;
	for (;;) {
		struct pollfd fds[4];
		int nfds = 0, timeout = -1, jfds[2], nj = 0, wt;
		struct timespec ts;
		long long now;
		wint_t wc;
		int rc;

		if (quit_signal)
			return 0;
		if (sh->dirty) {
			draw(sh);
			sh->dirty = false;
		}
		fds[nfds++] = (struct pollfd){ .fd = 0, .events = POLLIN };
		if (sh->watch && watch_fd(sh->watch) >= 0)
			fds[nfds++] = (struct pollfd){ .fd = watch_fd(sh->watch), .events = POLLIN };
		if (sh->job) {
			nj = job_fds(sh->job, jfds);
			for (int i = 0; i < nj; i++)
				fds[nfds++] = (struct pollfd){ .fd = jfds[i], .events = POLLIN };
			timeout = SPIN_MS;
		}
		if (sh->watch && (wt = watch_timeout(sh->watch, now_ms())) >= 0 && (timeout < 0 || wt < timeout))
			timeout = wt;
		if (timeout < 0 || timeout > RECORD_MS)
			timeout = RECORD_MS;   /* the record may change from another chanlab */
		ts.tv_sec = timeout / 1000;
		ts.tv_nsec = (long)(timeout % 1000) * 1000000;
		rc = ppoll(fds, (nfds_t)nfds, timeout < 0 ? NULL : &ts, &poll_mask);
		if (rc < 0 && errno != EINTR)
			return err_sys("cannot wait for input");
		if (quit_signal || quit_pending())
			return 0;
		/* The terminal is gone (its window closed, ssh dropped): nobody
		 * is left to read the screen, so quit instead of spinning on EOF. */
		if (fds[0].revents & (POLLHUP | POLLERR | POLLNVAL))
			return 0;
		now = now_ms();
		while ((rc = get_wch(&wc)) != ERR) {
			/* a character whose code point falls among the function key
			 * codes is not one of ours: only KEY_CODE_YES makes a key code */
			if (rc == OK && wc >= KEY_MIN)
				continue;
			if (!on_key(sh, (int)wc))
				return 0;
		}
		if (sh->job && job_step(sh->job))
			check_done(sh);
		else if (sh->job)
			show_partial(sh);
		if (sh->watch && watch_step(sh->watch, now))
			start_check(sh, NULL);   /* the status line says so */
		poll_record(sh, now);
		if (sh->job && now - sh->last_spin >= SPIN_MS) {
			sh->ui.spin++;
			sh->last_spin = now;
			sh->dirty = true;
		}
	}
}

int shell_run(struct app *app)
{
	struct shell sh = { .ui = { .app = app } };
	size_t nex = app->pack->nex;
	ssize_t n;
	int rc = 0;

	n = readlink("/proc/self/exe", sh.ui.exe, sizeof(sh.ui.exe) - 1);
	if (n < 0) {
		fprintf(stderr, "chanlab: cannot find chanlab's own executable\n");
		return EXIT_ERROR;
	}
	sh.ui.exe[n] = '\0';
	sh.ui.utf8 = cmd_utf8();
	app->shell = true;
	sh.ui.marks = calloc(nex + 1, sizeof(*sh.ui.marks));
	sh.ui.progress = calloc(nex + 1, sizeof(*sh.ui.progress));
	if (!sh.ui.marks || !sh.ui.progress)
		goto out_oom;
	load_marks(&sh);
	if (sh.ui.app->record)
		record_changed(sh.ui.app->record, &sh.record_stamp);
	if (home_new(&sh.home, &sh.ui) < 0)
		goto out_oom;
	job_init_reaper();
	atexit(restore_terminal);
	set_signals();
	if (!newterm(NULL, stdout, stdin)) {
		fprintf(stderr, "chanlab: cannot use this terminal (TERM=%s)\n", getenv("TERM") ? getenv("TERM") : "");
		rc = EXIT_ERROR;
		goto out_free;
	}
	curses_on = 1;
	set_escdelay(25);
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	curs_set(0);
	setup_colors(&sh.ui);
	if (loop(&sh) < 0) {
		restore_terminal();
		fprintf(stderr, "chanlab: %s\n", err_msg());
		rc = EXIT_ERROR;
	}
	restore_terminal();
out_free:
	job_free(sh.job);
	watch_free(sh.watch);
	hist_free(sh.hist);
	profview_free(sh.prof);
	ilview_free(sh.il);
	traceview_free(sh.trace);
	exview_free(sh.exview);
	home_free(sh.home);
	json_free(sh.ui.result);
	json_free(sh.ui.partial);
	free(sh.ui.marks);
	free(sh.ui.progress);
	return rc;
out_oom:
	fprintf(stderr, "chanlab: out of memory\n");
	rc = EXIT_ERROR;
	goto out_free;
}
