/*
 * traceview — the scheduler timeline screen; see traceview.h.
 *
 * Data model: the kept traces' paths, the one on show read into facts and
 * a timeline (checker/trace.h), the window of time shown (from, span),
 * and the selected goroutine (0: none), whose account is summed from the
 * timeline's spans when it is drawn. The grid is laid out afresh for
 * every draw (tui/timeline.h): it costs one pass over the spans.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/err.h"
#include "base/fs.h"
#include "base/str.h"
#include "checker/trace.h"
#include "tui/profiles.h"
#include "tui/timeline.h"
#include "tui/traceview.h"

struct traceview {
	char **files;
	size_t nfiles, run;
	struct trace_facts f;
	struct trace_timeline tl;
	int64_t from, span;           /* the window shown, ns */
	uint64_t sel;                 /* the selected goroutine, or 0 */
	uint64_t order[64];           /* goroutines by first run, for Tab */
	int norder;
};

static int load_run(struct traceview *v, size_t run)
{
	struct trace_timeline tl = { 0 };
	struct trace_facts f;
	size_t len;
	char *data = fs_read(v->files[run], &len);

	if (!data || trace_read(&f, &tl, data, len) < 0) {
		free(data);
		trace_timeline_release(&tl);
		return err_set("%s: %s", v->files[run], err_msg());
	}
	free(data);
	trace_timeline_release(&v->tl);
	v->tl = tl;
	v->f = f;
	v->run = run;
	v->from = 0;
	v->span = tl.duration > 0 ? tl.duration : 1;
	v->sel = 0;
	v->norder = 0;
	for (size_t i = 0; i < tl.nspans && v->norder < 64; i++) {
		bool seen = false;

		for (int k = 0; k < v->norder && !seen; k++)
			seen = v->order[k] == tl.spans[i].g;
		if (!seen)
			v->order[v->norder++] = tl.spans[i].g;
	}
	return 0;
}

int traceview_new(struct traceview **out, struct ui *ui)
{
	struct traceview *v = calloc(1, sizeof(*v));
	size_t best = 0;

	*out = NULL;
	if (!v || !(v->files = profiles_traces(ui->app->home, ui->ex->key, "last"))) {
		free(v);
		return err_set("out of memory");
	}
	while (v->files[v->nfiles])
		v->nfiles++;
	if (!v->nfiles) {
		traceview_free(v);
		return err_set("no trace of %s is kept: T traces a check of it", ui->ex->id);
	}
	for (size_t i = 1; i < v->nfiles; i++) {   /* the longest run first */
		struct stat a, b;

		if (stat(v->files[i], &a) == 0 && stat(v->files[best], &b) == 0 && a.st_size > b.st_size)
			best = i;
	}
	if (load_run(v, best) < 0) {
		traceview_free(v);
		return -1;
	}
	*out = v;
	return 0;
}

void traceview_free(struct traceview *v)
{
	if (!v)
		return;
	str_list_free(v->files);
	trace_timeline_release(&v->tl);
	free(v);
}

static enum ui_color letter_color(char c)
{
	static const enum ui_color cycle[] = { UI_GOOD, UI_TITLE, UI_BAD, UI_CODE, UI_BUSY };

	if (c >= 'A' && c <= 'Z')
		return cycle[(c - 'A') % 5];
	if (c >= 'a' && c <= 'z')
		return cycle[(c - 'a' + 1) % 5];
	return UI_DIM;
}

/* The selected goroutine's account: running time, stops by kind. */
static void draw_account(struct traceview *v, struct ui *ui, int y, int x, int w)
{
	static const char *const stop_names[] = { "blocked", "yielded", "preempted", "ended" };
	int64_t ran = 0;
	long runs = 0, stops[4] = { 0 }, waits[TW_COUNT] = { 0 };
	char line[512], t[32];
	size_t at;

	if (!v->sel) {
		ui_text(y, x, w, "Tab selects a goroutine: how long it ran, how it stopped.", ui_attr(ui, UI_DIM, 0));
		return;
	}
	for (size_t i = 0; i < v->tl.nspans; i++) {
		const struct trace_span *s = &v->tl.spans[i];

		if (s->g != v->sel)
			continue;
		ran += s->end - s->start;
		runs++;
		stops[s->stop < 4 ? s->stop : 0]++;
		if (s->stop == TS_BLOCK && s->why < TW_COUNT)
			waits[s->why]++;
	}
	timeline_time(t, sizeof(t), ran);
	at = (size_t)snprintf(line, sizeof(line), "G%llu ran %s in %ld stretches; it",
			      (unsigned long long)v->sel, t, runs);
	for (int k = 0; k < 4 && at < sizeof(line); k++)
		if (stops[k])
			at += (size_t)snprintf(line + at, sizeof(line) - at, " %s %ld times,", stop_names[k], stops[k]);
	for (int k = 0; k < TW_COUNT && at < sizeof(line); k++)
		if (waits[k])
			at += (size_t)snprintf(line + at, sizeof(line) - at, " %s %ld,", trace_wait_name((enum trace_wait)k),
					       waits[k]);
	if (at && at < sizeof(line) && line[at - 1] == ',')
		line[at - 1] = '\0';
	ui_text(y, x, w, line, ui_attr(ui, UI_NORMAL, A_BOLD));
}

void traceview_draw(struct traceview *v, struct ui *ui, struct ui_rect r)
{
	const struct trace_facts *f = &v->f;
	struct timeline_grid g;
	int procs = f->nprocs > f->procs ? f->nprocs : f->procs, w = r.w - 8, y = r.y;
	char line[512], a[32], b[32];

	int top;

	snprintf(line, sizeof(line), "trace of %s, run %zu of %zu: %.3f s, %ld goroutines, %d running at most, GOMAXPROCS %d",
		 ui->ex->id, v->run + 1, v->nfiles, f->seconds, f->goroutines, f->max_running, f->procs);
	if ((int)strlen(line) > r.w - 2) {   /* a narrow terminal: the counts go on a line of their own */
		char *counts = strstr(line, " s, ");

		if (counts) {
			counts[2] = '\0';
			ui_text(y++, r.x + 1, r.w - 2, line, ui_attr(ui, UI_TITLE, A_BOLD));
			memmove(line, counts + 4, strlen(counts + 4) + 1);
		}
		ui_text(y++, r.x + 2, r.w - 3, line, ui_attr(ui, UI_TITLE, 0));
	} else {
		ui_text(y++, r.x + 1, r.w - 2, line, ui_attr(ui, UI_TITLE, A_BOLD));
	}
	top = y;
	for (int p = 0; p < procs && p < TRACE_MAX_PROCS && y < top + 3; p++) {
		snprintf(line, sizeof(line), "P%d ran goroutines %.0f%% of the time", p,
			 f->seconds > 0 ? 100 * f->busy[p] / f->seconds : 0);
		ui_text(y++, r.x + 2, r.w - 3, line, A_NORMAL);
	}
	snprintf(line, sizeof(line), "waiting for a P: median %.0f us, 99th percentile %.0f us, most %.0f us",
		 f->latency_p50 * 1e6, f->latency_p99 * 1e6, f->latency_max * 1e6);
	ui_text(y++, r.x + 2, r.w - 3, line, A_NORMAL);
	y++;
	if (w < 10 || timeline_layout(&g, &v->tl, procs, v->from, v->from + v->span, w) < 0)
		return;
	timeline_time(a, sizeof(a), v->from);
	timeline_time(b, sizeof(b), v->from + v->span);
	snprintf(line, sizeof(line), "%s to %s (+/- zoom, \u2190/\u2192 scroll)", a, b);
	ui_text(y++, r.x + 6, r.w - 7, ui->utf8 ? line : "+/- zoom, h/l scroll", ui_attr(ui, UI_DIM, 0));
	for (int p = 0; p < procs && y < r.y + r.h - 4; p++, y++) {
		snprintf(line, sizeof(line), "P%d", p);
		ui_text(y, r.x + 1, 5, line, ui_attr(ui, UI_DIM, A_BOLD));
		for (int c = 0; c < w; c++) {
			char ch = g.cells[(size_t)p * (size_t)w + (size_t)c];
			bool sel = v->sel && timeline_goroutine(&g, ch) == v->sel;

			ui_textn(y, r.x + 6 + c, 1, &ch, 1,
				 ch == '.' || ch == ':' ? ui_attr(ui, UI_DIM, 0)
				 : ui_attr(ui, letter_color(ch), A_REVERSE | (sel ? A_BOLD | A_UNDERLINE : 0)));
		}
	}
	ui_text(y, r.x + 1, 5, "wait", ui_attr(ui, UI_DIM, A_BOLD));
	ui_textn(y++, r.x + 6, w, g.runnable, (size_t)w, ui_attr(ui, UI_BAD, 0));
	{
		size_t at = 0;

		line[0] = '\0';
		for (int i = 0; i < g.nletters && at < sizeof(line) - 24; i++)
			at += (size_t)snprintf(line + at, sizeof(line) - at, "%s%c=G%llu", i ? " " : "",
					       i < 26 ? 'A' + i : 'a' + i - 26, (unsigned long long)g.letters[i]);
		ui_text(y++, r.x + 6, w, line, ui_attr(ui, UI_DIM, 0));
	}
	timeline_grid_release(&g);
	draw_account(v, ui, y + 1, r.x + 1, r.w - 2);
	snprintf(line, sizeof(line), "go tool trace %s", v->files[v->run]);
	ui_text(r.y + r.h - 1, r.x + 1, r.w - 2, line, ui_attr(ui, UI_DIM, 0));
}

/* --- keys --------------------------------------------------------------------- */

static int k_zoom_in(void *p, struct ui *ui)
{
	struct traceview *v = p;

	(void)ui;
	if (v->span > 2000) {
		v->from += v->span / 4;
		v->span /= 2;
	}
	return UI_HANDLED | UI_REDRAW;
}

static int k_zoom_out(void *p, struct ui *ui)
{
	struct traceview *v = p;

	(void)ui;
	v->from -= v->span / 2;
	v->span *= 2;
	if (v->from < 0)
		v->from = 0;
	if (v->span > v->tl.duration) {
		v->span = v->tl.duration > 0 ? v->tl.duration : 1;
		v->from = 0;
	}
	return UI_HANDLED | UI_REDRAW;
}

static int scroll_by(struct traceview *v, int dir)
{
	v->from += dir * v->span / 4;
	if (v->from > v->tl.duration - v->span)
		v->from = v->tl.duration - v->span;
	if (v->from < 0)
		v->from = 0;
	return UI_HANDLED | UI_REDRAW;
}

static int k_left(void *p, struct ui *ui)
{
	(void)ui;
	return scroll_by(p, -1);
}

static int k_right(void *p, struct ui *ui)
{
	(void)ui;
	return scroll_by(p, 1);
}

static int k_select(void *p, struct ui *ui)
{
	struct traceview *v = p;
	int at = -1;

	(void)ui;
	for (int i = 0; i < v->norder; i++)
		if (v->order[i] == v->sel)
			at = i;
	v->sel = at + 1 < v->norder ? v->order[at + 1] : 0;
	return UI_HANDLED | UI_REDRAW;
}

static int k_next_run(void *p, struct ui *ui)
{
	struct traceview *v = p;

	if (v->nfiles > 1 && load_run(v, (v->run + 1) % v->nfiles) < 0)
		snprintf(ui->msg, sizeof(ui->msg), "%s", err_msg());
	return UI_HANDLED | UI_REDRAW;
}

static int k_back(void *p, struct ui *ui)
{
	(void)p, (void)ui;
	return UI_HANDLED | UI_BACK;
}

static int k_again(void *p, struct ui *ui)
{
	(void)p, (void)ui;
	return UI_HANDLED | UI_TRACE_RUN;
}

const struct ui_key traceview_keys[] = {
	{ '+', '=', "+/-", "zoom in, out", true, k_zoom_in },
	{ '-', 0, "-", "zoom out", false, k_zoom_out },
	{ KEY_LEFT, 'h', "\u2190/\u2192", "scroll", true, k_left },
	{ KEY_RIGHT, 'l', "\u2192", "scroll right", false, k_right },
	{ '\t', 0, "Tab", "select the next goroutine", true, k_select },
	{ 'n', 0, "n", "the next traced run", true, k_next_run },
	{ 'T', 0, "T", "trace a new check", true, k_again },
	{ 27, 'q', "Esc/q", "back", true, k_back },
	{ '?', 0, "?", "help", true, NULL },
	{ 0, 0, NULL, NULL, false, NULL },
};

int traceview_key(struct traceview *v, struct ui *ui, int key)
{
	return ui_dispatch(traceview_keys, v, ui, key);
}
