/*
 * ilview — the interleaving screen; see ilview.h.
 *
 * Data model: the steps of the replayed schedule copied out of the verdict
 * (so the view outlives a new result), the goroutines in the order they
 * first ran (the columns), the selected step and the first row shown, and
 * the source file of the selected step read from the learner's folder (or
 * the read-only copy of the tests beside it) when the selection moves to
 * another file.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/err.h"
#include "base/fs.h"
#include "tui/ilview.h"

enum { MAX_COLS = 32, SOURCE_MAX = 1 << 20 };

struct step {
	unsigned g, after;          /* after: the goroutine that ran (0: none, the first step) */
	char *what, *file, *func;   /* how it stopped, where ("" when unknown) */
	char *state;                /* the channel it waits on, as it was then, or "" */
	int line;
};

struct ilview {
	char test[256], schedule[64];
	struct step *steps;
	size_t n;
	unsigned cols[MAX_COLS];    /* goroutine ids, by first appearance */
	int ncols;
	int sel, top, rows_h;
	char src_name[256];
	char *src;                  /* the file of the selected step, or NULL */
	size_t src_len;
};

static char *dup_str(const char *s)
{
	return strdup(s ? s : "");
}

static void add_col(struct ilview *v, unsigned g)
{
	for (int i = 0; i < v->ncols; i++)
		if (v->cols[i] == g)
			return;
	if (g && v->ncols < MAX_COLS)
		v->cols[v->ncols++] = g;
}

static int col_of(const struct ilview *v, unsigned g)
{
	for (int i = 0; i < v->ncols; i++)
		if (v->cols[i] == g)
			return i;
	return -1;
}

int ilview_new(struct ilview **out, struct ui *ui, const struct json *res)
{
	const struct json *tests = json_get(res, "tests"), *il = NULL, *steps;
	struct ilview *v;
	const char *name = "";

	(void)ui;
	*out = NULL;
	for (size_t i = 0; tests && tests->type == JSON_ARR && i < tests->nkids && !il; i++) {
		const struct json *t = &tests->kids[i];

		if ((il = json_get(t, "interleaving")))
			name = json_str(t, "name");
	}
	steps = il ? json_get(il, "steps") : NULL;
	if (!steps || steps->type != JSON_ARR || !steps->nkids)
		return err_set("no test failed under a deterministic schedule: nothing to step through");
	if (!(v = calloc(1, sizeof(*v))) || !(v->steps = calloc(steps->nkids, sizeof(*v->steps)))) {
		free(v);
		return err_set("out of memory");
	}
	snprintf(v->test, sizeof(v->test), "%s", name);
	snprintf(v->schedule, sizeof(v->schedule), "%s", json_str(il, "schedule"));
	/* the test's goroutine first, wherever the run began */
	for (size_t i = 0; i < steps->nkids; i++)
		if (json_num(&steps->kids[i], "g") == 1 || json_num(&steps->kids[i], "after") == 1)
			add_col(v, 1);
	for (size_t i = 0; i < steps->nkids; i++) {
		const struct json *s = &steps->kids[i];
		struct step *st = &v->steps[v->n++];

		st->g = (unsigned)json_num(s, "g");
		st->after = (unsigned)json_num(s, "after");
		st->what = dup_str(json_str(s, "what"));
		st->file = dup_str(json_str(s, "file"));
		st->func = dup_str(json_str(s, "func"));
		st->state = dup_str(json_str(s, "state"));
		st->line = (int)json_num(s, "line");
		add_col(v, st->after);
		add_col(v, st->g);
	}
	v->sel = (int)v->n - 1;   /* the failure first: the end of the run */
	*out = v;
	return 0;
}

void ilview_free(struct ilview *v)
{
	if (!v)
		return;
	for (size_t i = 0; i < v->n; i++)
		free(v->steps[i].what), free(v->steps[i].file), free(v->steps[i].func), free(v->steps[i].state);
	free(v->steps);
	free(v->src);
	free(v);
}

/* The selected step's file, from the learner's folder or the copy of the
 * tests beside it. */
static void load_source(struct ilview *v, struct ui *ui, const char *file)
{
	char dir[PATH_MAX], path[PATH_MAX + 300];

	if (strcmp(file, v->src_name) == 0)
		return;
	free(v->src);
	v->src = NULL;
	snprintf(v->src_name, sizeof(v->src_name), "%s", file);
	if (!*file || strchr(file, '/'))
		return;
	app_workdir(ui->app, ui->ex, dir, sizeof(dir));
	snprintf(path, sizeof(path), "%s/%s", dir, file);
	if (!(v->src = fs_read(path, &v->src_len))) {
		snprintf(path, sizeof(path), "%s/tests/%s", dir, file);
		v->src = fs_read(path, &v->src_len);
	}
	err_set("%s", "");
}

static void draw_source(struct ilview *v, struct ui *ui, struct ui_rect r, const struct step *s)
{
	const char *p;
	int line = 1, first = s->line - r.h / 2;
	char head[512];

	snprintf(head, sizeof(head), "%s:%d  %s%s%s", s->file, s->line, s->func, *s->state ? ":  " : "", s->state);
	ui_hline(r.y, r.x, r.w, ui_attr(ui, UI_DIM, 0));
	ui_text(r.y, r.x + 2, r.w - 4, head, ui_attr(ui, UI_TITLE, A_BOLD));
	if (!v->src) {
		ui_text(r.y + 1, r.x + 2, r.w - 4,
			*s->file ? "(this file is not in your folder)"
			: strcmp(s->what, "finished") == 0 ? "(it had finished)"
							    : "(in the test harness or the runtime: no line of your code)",
			ui_attr(ui, UI_DIM, 0));
		return;
	}
	if (first < 1)
		first = 1;
	for (p = v->src; p && *p && line < first + r.h - 1; line++) {
		const char *nl = memchr(p, '\n', v->src_len - (size_t)(p - v->src));
		size_t n = nl ? (size_t)(nl - p) : strlen(p);

		if (line >= first) {
			struct buf b = BUF_INIT;
			int y = r.y + 1 + (line - first);

			buf_printf(&b, "%c%5d  ", line == s->line ? '>' : ' ', line);
			ui_expand_tabs(&b, p, n, 0);
			ui_textn(y, r.x + 1, r.w - 2, b.s ? b.s : "", b.len,
				 line == s->line ? ui_attr(ui, UI_BAD, A_BOLD) : A_NORMAL);
			buf_release(&b);
		}
		p = nl ? nl + 1 : NULL;
	}
}

void ilview_draw(struct ilview *v, struct ui *ui, struct ui_rect r)
{
	int cw = v->ncols ? (r.w - 6) / v->ncols : r.w, src_h = r.h / 3, list_h;
	char line[512];

	if (cw > 40)
		cw = 40;
	if (src_h < 5)
		src_h = 5;
	list_h = r.h - src_h - 2;
	v->rows_h = list_h;
	snprintf(line, sizeof(line), "%s failed under schedule %s: %zu steps (step %d, the last is the failure)",
		 v->test, v->schedule, v->n, v->sel + 1);
	ui_text(r.y, r.x + 1, r.w - 2, line, ui_attr(ui, UI_TITLE, A_BOLD));
	for (int c = 0; c < v->ncols; c++) {
		snprintf(line, sizeof(line), "G%u%s", v->cols[c], v->cols[c] == 1 ? " (the test)" : "");
		ui_text(r.y + 1, r.x + 6 + c * cw, cw - 1, line, ui_attr(ui, UI_DIM, A_BOLD));
	}
	if (v->sel < v->top)
		v->top = v->sel;
	if (v->sel >= v->top + list_h)
		v->top = v->sel - list_h + 1;
	for (int k = 0; k < list_h && v->top + k < (int)v->n; k++) {
		const struct step *s = &v->steps[v->top + k];
		int y = r.y + 2 + k, c = col_of(v, s->after ? s->after : s->g);
		bool sel = v->top + k == v->sel;
		attr_t a = sel ? A_REVERSE : A_NORMAL;

		ui_fill(y, r.x, r.w, a);
		snprintf(line, sizeof(line), "%4d", v->top + k + 1);
		ui_text(y, r.x, 5, line, ui_attr(ui, UI_DIM, a));
		if (!s->after)
			snprintf(line, sizeof(line), "starts");
		else if (*s->file)
			snprintf(line, sizeof(line), "%s:%d %s", s->file, s->line,
				 strcmp(s->what, "yielded") == 0 ? "yield" : s->what);
		else
			snprintf(line, sizeof(line), "%s", s->what);
		if (c >= 0)
			ui_text(y, r.x + 6 + c * cw, cw - 1, line,
				ui_attr(ui, strcmp(s->what, "yielded") == 0 ? UI_NORMAL
					    : strcmp(s->what, "finished") == 0 ? UI_DIM : UI_BAD, a));
	}
	if (v->n) {
		const struct step *s = &v->steps[v->sel];

		load_source(v, ui, s->file);
		draw_source(v, ui, (struct ui_rect){ r.y + 2 + list_h, r.x, src_h, r.w }, s);
	}
}

/* --- keys --------------------------------------------------------------------- */

static int k_down(void *p, struct ui *ui)
{
	struct ilview *v = p;

	(void)ui;
	v->sel += v->sel + 1 < (int)v->n;
	return UI_HANDLED | UI_REDRAW;
}

static int k_up(void *p, struct ui *ui)
{
	struct ilview *v = p;

	(void)ui;
	v->sel -= v->sel > 0;
	return UI_HANDLED | UI_REDRAW;
}

static int k_first(void *p, struct ui *ui)
{
	((struct ilview *)p)->sel = 0;
	(void)ui;
	return UI_HANDLED | UI_REDRAW;
}

static int k_failure(void *p, struct ui *ui)
{
	struct ilview *v = p;

	(void)ui;
	v->sel = (int)v->n - 1;
	return UI_HANDLED | UI_REDRAW;
}

/* Tab: the next step of another goroutine than the selected one's. */
static int k_switch(void *p, struct ui *ui)
{
	struct ilview *v = p;
	unsigned g = v->steps[v->sel].after;

	(void)ui;
	for (int i = v->sel + 1; i < (int)v->n; i++)
		if (v->steps[i].after && v->steps[i].after != g) {
			v->sel = i;
			break;
		}
	return UI_HANDLED | UI_REDRAW;
}

/* 1 to 9: the first step the n-th goroutine (column) ran. */
static int k_goroutine(struct ilview *v, int col)
{
	if (col >= v->ncols)
		return UI_HANDLED;
	for (int i = 0; i < (int)v->n; i++)
		if (v->steps[i].after == v->cols[col]) {
			v->sel = i;
			break;
		}
	return UI_HANDLED | UI_REDRAW;
}

static int k_back(void *p, struct ui *ui)
{
	(void)p, (void)ui;
	return UI_HANDLED | UI_BACK;
}

const struct ui_key ilview_keys[] = {
	{ 'j', KEY_DOWN, "j/\u2193", "next step", true, k_down },
	{ 'k', KEY_UP, "k/\u2191", "step back", true, k_up },
	{ '\t', 0, "Tab", "to the next switch of goroutine", true, k_switch },
	{ 'g', KEY_HOME, "g", "the first step", true, k_first },
	{ 'G', KEY_END, "G", "the failure (the last step)", true, k_failure },
	{ '1', 0, "1-9", "the first step of that goroutine (column)", false, NULL },
	{ 27, 'q', "Esc/q", "back", true, k_back },
	{ '?', 0, "?", "help", true, NULL },
	{ 0, 0, NULL, NULL, false, NULL },
};

int ilview_key(struct ilview *v, struct ui *ui, int key)
{
	if (key >= '1' && key <= '9')
		return k_goroutine(v, key - '1');
	return ui_dispatch(ilview_keys, v, ui, key);
}
