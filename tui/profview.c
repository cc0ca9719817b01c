/*
 * profview — the profile screen; see profview.h.
 *
 * Data model: the merged call tree of the kind on show (and of the check
 * before, for the top table's "before" column), the zoom root and the
 * selected node (indexes into the tree's nodes), which of the views is
 * on show, the top table's rows with its scroll offset, and for the
 * callers and callees view (pprof's -peek) the function it is about and
 * its edges. Each draw lays
 * the graph out afresh from the zoom root: a node's columns are its share
 * of the zoom root's total, placed after its heavier siblings, so widths
 * add up and nothing narrower than a column is drawn.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "checker/flame.h"
#include "tui/profiles.h"
#include "tui/profview.h"

struct profview {
	const char *kind;
	struct flame f, before;       /* before: the check before's, maybe empty */
	char files[4400];
	int nruns;
	size_t zoom, sel;             /* nodes of f */
	bool top;                     /* the top table, not the graph */
	struct flame_row *rows;
	size_t nrows;
	int row_top, row_sel, rows_h;
	int *x0, *x1;                 /* per node: its columns at the last layout (-1: not drawn) */
	bool peek;                    /* the callers and callees of peek_fn */
	size_t peek_fn;
	struct flame_edge *callers, *callees;
	size_t ncallers, ncallees;
	int64_t peek_cum;
	int peek_sel;                 /* callers first, then callees */
};

static int load(struct profview *v, struct ui *ui, const char *kind)
{
	struct flame f = FLAME_INIT, before = FLAME_INIT;
	char files[4400], unused[4400];
	int n = 0;

	for (size_t i = 0; !kind && i < 4; i++)
		if ((n = profiles_load(ui->app->home, ui->ex->key, "last", profiles_kinds[i], &f, files,
				       sizeof(files))) != 0)
			kind = profiles_kinds[i];
	if (kind && !n)
		n = profiles_load(ui->app->home, ui->ex->key, "last", kind, &f, files, sizeof(files));
	if (n <= 0 || !f.total) {
		flame_release(&f);
		if (n < 0)
			return -1;
		return err_set("no %s profile of %s is kept: P profiles a check of it", kind ? kind : "",
			       ui->ex->id);
	}
	if (profiles_load(ui->app->home, ui->ex->key, "prev", kind, &before, unused, sizeof(unused)) < 0)
		flame_release(&before);   /* only the "before" column is missing */
	free(v->rows);
	v->rows = NULL;
	v->nrows = 0;
	if (flame_top(&f, &v->rows, &v->nrows) < 0) {
		flame_release(&f);
		flame_release(&before);
		return -1;
	}
	free(v->x0);
	free(v->x1);
	v->x0 = calloc(f.nnodes, sizeof(*v->x0));
	v->x1 = calloc(f.nnodes, sizeof(*v->x1));
	if (!v->x0 || !v->x1) {
		flame_release(&f);
		flame_release(&before);
		return err_set("out of memory");
	}
	flame_release(&v->f);
	flame_release(&v->before);
	v->f = f;
	v->before = before;
	v->kind = kind;
	v->nruns = n;
	snprintf(v->files, sizeof(v->files), "%s", files);
	v->zoom = 0;
	v->peek = false;        /* its edges are of the tree before */
	v->sel = f.nodes[0].child;
	v->row_top = v->row_sel = 0;
	return 0;
}

int profview_new(struct profview **out, struct ui *ui, const char *kind)
{
	struct profview *v = calloc(1, sizeof(*v));

	*out = NULL;
	if (!v)
		return err_set("out of memory");
	if (load(v, ui, kind) < 0) {
		profview_free(v);
		return -1;
	}
	*out = v;
	return 0;
}

void profview_free(struct profview *v)
{
	if (!v)
		return;
	flame_release(&v->f);
	flame_release(&v->before);
	free(v->rows);
	free(v->x0);
	free(v->x1);
	free(v->callers);
	free(v->callees);
	free(v);
}

/* --- what a frame is ---------------------------------------------------------- */

static const char *base_name(const char *file)
{
	const char *s = strrchr(file, '/');

	return s ? s + 1 : file;
}

/* The learner's own code: a function in one of the exercise's files. */
static bool learners(const struct ui *ui, const struct flame_fn *fn)
{
	const char *b = base_name(fn->file);

	for (size_t i = 0; ui->ex->files && ui->ex->files[i]; i++)
		if (strcmp(ui->ex->files[i], b) == 0)
			return true;
	return false;
}

static bool runtimes(const struct flame_fn *fn)
{
	return strncmp(fn->file, "runtime/", 8) == 0 || strncmp(fn->name, "go__", 4) == 0 ||
	       strstr(fn->file, "chanlab_test.h") || strchr(fn->name, '.');   /* "libc.so.6" */
}

static attr_t frame_attr(const struct ui *ui, const struct flame_fn *fn, bool sel)
{
	enum ui_color c = learners(ui, fn) ? UI_GOOD : runtimes(fn) ? UI_DIM : UI_CODE;

	if (!ui->color)   /* monochrome: the learner's own in bold, the rest plain */
		return (sel ? A_REVERSE | A_UNDERLINE : A_REVERSE) | (learners(ui, fn) ? A_BOLD : 0);
	return ui_attr(ui, c, A_REVERSE | (sel ? A_BOLD | A_UNDERLINE : 0));
}

/* --- the flame graph ---------------------------------------------------------- */

/* Lays out the subtree of node in columns [x, x + w) of a graph whose
 * zoom root's total is total; marks the nodes drawn. */
static void layout(struct profview *v, size_t node, double x, double w)
{
	const struct flame *f = &v->f;
	double at = x;

	v->x0[node] = (int)(x + 0.5);
	v->x1[node] = (int)(x + w + 0.5);
	for (size_t c = f->nodes[node].child; c; c = f->nodes[c].next) {
		double cw = w * (double)f->nodes[c].total / (double)(f->nodes[node].total ? f->nodes[node].total : 1);

		if ((int)(at + cw + 0.5) - (int)(at + 0.5) >= 1)
			layout(v, c, at, cw);
		else
			v->x0[c] = v->x1[c] = -1;
		at += cw;
	}
}

static void clear_layout(struct profview *v)
{
	for (size_t i = 0; i < v->f.nnodes; i++)
		v->x0[i] = v->x1[i] = -1;
}

static void draw_label(const struct ui *ui, int y, int x, int w, const char *name, attr_t a)
{
	size_t len = strlen(name);

	ui_fill(y, x, w, a);
	if (w < 2)
		return;
	if ((int)len <= w - 1) {
		ui_text(y, x, w - 1, name, a);
	} else {
		ui_textn(y, x, w - 2, name, (size_t)(w - 2), a);
		ui_text(y, x + w - 2, 1, ui->utf8 ? "\u2026" : "~", a);
	}
	ui_fill(y, x + w - 1, 1, A_NORMAL);   /* a gap between neighbours */
}

static void draw_graph(struct profview *v, struct ui *ui, struct ui_rect r)
{
	const struct flame *f = &v->f;
	int depth0 = f->nodes[v->zoom].depth, rows = r.h, first;

	clear_layout(v);
	layout(v, v->zoom, r.x, r.w);
	/* scroll down just enough to show the selected frame */
	first = depth0;
	if (f->nodes[v->sel].depth - first >= rows)
		first = f->nodes[v->sel].depth - rows + 1;
	for (size_t i = 0; i < f->nnodes; i++) {
		int d = f->nodes[i].depth - first, w = v->x1[i] - v->x0[i];

		if (v->x0[i] < 0 || w < 1 || d < 0 || d >= rows || (i == 0 && v->zoom != 0))
			continue;
		if (i == 0) {
			char all[96], total[32];

			profiles_value(total, sizeof(total), f->total, profiles_unit(v->kind));
			snprintf(all, sizeof(all), "all: %s", total);
			draw_label(ui, r.y + d, v->x0[i], w, all, ui_attr(ui, UI_TITLE, A_REVERSE | (i == v->sel ? A_BOLD : 0)));
			continue;
		}
		draw_label(ui, r.y + d, v->x0[i], w, f->fns[f->nodes[i].fn].name,
			   frame_attr(ui, &f->fns[f->nodes[i].fn], i == v->sel));
	}
}

/* --- the top table ------------------------------------------------------------ */

/* The cum share function fn had in the check before, or -1 if it had none. */
static double before_share(const struct profview *v, const struct flame_fn *fn)
{
	struct flame_row *rows;
	size_t n;
	double share = -1;

	if (!v->before.total || flame_top(&v->before, &rows, &n) < 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		const struct flame_fn *b = &v->before.fns[rows[i].fn];

		if (strcmp(b->name, fn->name) == 0 && strcmp(b->file, fn->file) == 0)
			share = (double)rows[i].cum / (double)v->before.total;
	}
	free(rows);
	return share;
}

static void draw_top(struct profview *v, struct ui *ui, struct ui_rect r)
{
	const char *unit = profiles_unit(v->kind);
	double sum = 0, total = v->f.total ? (double)v->f.total : 1;
	char line[512], head[160];

	v->rows_h = r.h - 1;
	if (v->before.total)
		snprintf(head, sizeof(head), "%10s %6s %6s %10s %6s %7s  %s", "flat", "flat%", "sum%", "cum", "cum%",
			 "before", "function");
	else
		snprintf(head, sizeof(head), "%10s %6s %6s %10s %6s  %s", "flat", "flat%", "sum%", "cum", "cum%",
			 "function");
	ui_text(r.y, r.x + 1, r.w - 2, head, ui_attr(ui, UI_DIM, A_BOLD));
	if (v->row_sel < v->row_top)
		v->row_top = v->row_sel;
	if (v->row_sel >= v->row_top + v->rows_h)
		v->row_top = v->row_sel - v->rows_h + 1;
	for (size_t i = 0; i < (size_t)v->row_top && i < v->nrows; i++)
		sum += (double)v->rows[i].flat;
	for (int k = 0; k < v->rows_h && v->row_top + k < (int)v->nrows; k++) {
		const struct flame_row *row = &v->rows[v->row_top + k];
		const struct flame_fn *fn = &v->f.fns[row->fn];
		char flat[32], cum[32], was[16] = "";
		double b = v->before.total ? before_share(v, fn) : -2;
		attr_t a = v->row_top + k == v->row_sel ? A_REVERSE : 0;

		sum += (double)row->flat;
		profiles_value(flat, sizeof(flat), row->flat, unit);
		profiles_value(cum, sizeof(cum), row->cum, unit);
		if (b >= 0)
			snprintf(was, sizeof(was), "%5.1f%%", 100 * b);
		else if (b == -1)
			snprintf(was, sizeof(was), "new");
		int at = snprintf(line, sizeof(line), "%10s %5.1f%% %5.1f%% %10s %5.1f%% ", flat,
				  100 * (double)row->flat / total, 100 * sum / total, cum,
				  100 * (double)row->cum / total);

		if (v->before.total)
			at += snprintf(line + at, sizeof(line) - (size_t)at, "%7s ", was);
		if (*fn->file)
			snprintf(line + at, sizeof(line) - (size_t)at, " %s  %s:%lld", fn->name, base_name(fn->file),
				 (long long)row->line);
		else
			snprintf(line + at, sizeof(line) - (size_t)at, " %s", fn->name);
		ui_fill(r.y + 1 + k, r.x, r.w, a);
		ui_text(r.y + 1 + k, r.x + 1, r.w - 2, line,
			ui_attr(ui, learners(ui, fn) ? UI_GOOD : runtimes(fn) ? UI_DIM : UI_NORMAL, a));
	}
}

/* --- callers and callees ------------------------------------------------------ */

/* Shows the callers and callees of function fn (peek_sel on the first). */
static int peek_at(struct profview *v, size_t fn)
{
	struct flame_edge *in, *out;
	size_t nin, nout;
	int64_t cum;

	if (flame_peek(&v->f, fn, &in, &nin, &out, &nout, &cum) < 0)
		return -1;
	free(v->callers);
	free(v->callees);
	v->callers = in, v->ncallers = nin;
	v->callees = out, v->ncallees = nout;
	v->peek_cum = cum;
	v->peek_fn = fn;
	v->peek_sel = 0;
	v->peek = true;
	return 0;
}

/* The function of the peek view's selected line. */
static size_t peek_selected(const struct profview *v)
{
	if (v->peek_sel < (int)v->ncallers)
		return v->callers[v->peek_sel].fn;
	return v->callees[v->peek_sel - (int)v->ncallers].fn;
}

static void draw_edge(struct profview *v, struct ui *ui, int y, struct ui_rect r, const struct flame_edge *e,
		      bool sel)
{
	const struct flame_fn *fn = &v->f.fns[e->fn];
	char val[32], line[600];

	profiles_value(val, sizeof(val), e->value, profiles_unit(v->kind));
	snprintf(line, sizeof(line), "%10s %5.1f%%  %s%s%s", val, 100.0 * (double)e->value / (double)v->f.total,
		 fn->name, *fn->file ? "  " : "", *fn->file ? base_name(fn->file) : "");
	ui_fill(y, r.x, r.w, sel ? A_REVERSE : 0);
	ui_text(y, r.x + 3, r.w - 4, line,
		ui_attr(ui, learners(ui, fn) ? UI_GOOD : runtimes(fn) ? UI_DIM : UI_NORMAL, sel ? A_REVERSE : 0));
}

/* Callers above the function, callees below, as pprof -peek prints them;
 * scrolled so that the selected line shows. */
static void draw_peek(struct profview *v, struct ui *ui, struct ui_rect r)
{
	const struct flame_fn *fn = &v->f.fns[v->peek_fn];
	int n = (int)(v->ncallers + v->ncallees), lines = n + 4, skip = 0, y = r.y;
	char cum[32], line[600];

	if (lines > r.h && v->peek_sel + 4 >= r.h)
		skip = v->peek_sel + 4 - r.h + 1;
	profiles_value(cum, sizeof(cum), v->peek_cum, profiles_unit(v->kind));
#define ROW(draw) do { if (skip > 0) skip--; else if (y < r.y + r.h) { draw; y++; } } while (0)
	ROW(ui_text(y, r.x + 1, r.w - 2, v->ncallers ? "called by" : "called by nothing in the program",
		    ui_attr(ui, UI_DIM, A_BOLD)));
	for (size_t i = 0; i < v->ncallers; i++)
		ROW(draw_edge(v, ui, y, r, &v->callers[i], (int)i == v->peek_sel));
	snprintf(line, sizeof(line), "%s  %s   %s (%.1f%%) with its callees", fn->name, base_name(fn->file), cum,
		 100.0 * (double)v->peek_cum / (double)(v->f.total ? v->f.total : 1));
	ROW(ui_text(y, r.x + 1, r.w - 2, line, ui_attr(ui, learners(ui, fn) ? UI_GOOD : UI_TITLE, A_BOLD)));
	ROW(ui_text(y, r.x + 1, r.w - 2, v->ncallees ? "calls" : "calls nothing: all of it is its own",
		    ui_attr(ui, UI_DIM, A_BOLD)));
	for (size_t i = 0; i < v->ncallees; i++)
		ROW(draw_edge(v, ui, y, r, &v->callees[i], (int)(v->ncallers + i) == v->peek_sel));
#undef ROW
}

void profview_draw(struct profview *v, struct ui *ui, struct ui_rect r)
{
	const struct flame *f = &v->f;
	const struct flame_node *n = &f->nodes[v->sel];
	char line[4600], total[32], self[32];

	snprintf(line, sizeof(line), "%s profile of %s: %d run%s merged%s", v->kind, ui->ex->id, v->nruns,
		 v->nruns == 1 ? "" : "s", v->peek ? ": callers and callees (c or Esc: back)" : v->top ? ""
		 : v->zoom ? " (zoomed in: u zooms out)" : "");
	ui_text(r.y, r.x + 1, r.w - 2, line, ui_attr(ui, UI_TITLE, A_BOLD));
	if (v->peek)
		draw_peek(v, ui, (struct ui_rect){ r.y + 1, r.x, r.h - 3, r.w });
	else if (v->top)
		draw_top(v, ui, (struct ui_rect){ r.y + 1, r.x, r.h - 3, r.w });
	else
		draw_graph(v, ui, (struct ui_rect){ r.y + 1, r.x, r.h - 3, r.w });
	/* the selected frame, and where Go's tools find the files */
	if (!v->top && !v->peek && v->sel) {
		const struct flame_fn *fn = &f->fns[n->fn];

		profiles_value(total, sizeof(total), n->total, profiles_unit(v->kind));
		profiles_value(self, sizeof(self), n->self, profiles_unit(v->kind));
		snprintf(line, sizeof(line), "%s  %s:%lld   %s (%.1f%%) with its callees, %s itself", fn->name,
			 base_name(fn->file), (long long)n->line, total, 100.0 * (double)n->total / (double)f->total,
			 self);
		ui_text(r.y + r.h - 2, r.x + 1, r.w - 2, line, ui_attr(ui, learners(ui, fn) ? UI_GOOD : UI_NORMAL, A_BOLD));
	}
	snprintf(line, sizeof(line), "go tool pprof -http=localhost:8080 %s", v->files);
	ui_text(r.y + r.h - 1, r.x + 1, r.w - 2, line, ui_attr(ui, UI_DIM, 0));
}

/* --- keys --------------------------------------------------------------------- */

static int k_view(void *p, struct ui *ui)
{
	struct profview *v = p;

	(void)ui;
	v->top = !v->top;
	return UI_HANDLED | UI_REDRAW;
}

static int k_parent(void *p, struct ui *ui)
{
	struct profview *v = p;

	(void)ui;
	if (v->peek) {
		v->peek_sel -= v->peek_sel > 0;
	} else if (v->top) {
		v->row_sel -= v->row_sel > 0;
	} else if (v->sel != v->zoom) {
		v->sel = v->f.nodes[v->sel].parent;
	}
	return UI_HANDLED | UI_REDRAW;
}

static int k_child(void *p, struct ui *ui)
{
	struct profview *v = p;
	size_t c;

	(void)ui;
	if (v->peek) {
		v->peek_sel += v->peek_sel + 1 < (int)(v->ncallers + v->ncallees);
	} else if (v->top) {
		v->row_sel += v->row_sel + 1 < (int)v->nrows;
	} else if ((c = v->f.nodes[v->sel].child) && v->x0[c] >= 0) {
		v->sel = c;
	}
	return UI_HANDLED | UI_REDRAW;
}

/* The drawn sibling before (dir < 0) or after the selected frame. */
static int sibling(struct profview *v, int dir)
{
	const struct flame *f = &v->f;
	size_t prev = 0;

	if (v->top || v->peek || v->sel == v->zoom)
		return UI_HANDLED;
	for (size_t c = f->nodes[f->nodes[v->sel].parent].child; c; c = f->nodes[c].next) {
		if (v->x0[c] < 0)
			continue;
		if (dir > 0 && prev == v->sel) {
			v->sel = c;
			break;
		}
		if (dir < 0 && c == v->sel) {
			if (prev)
				v->sel = prev;
			break;
		}
		prev = c;
	}
	return UI_HANDLED | UI_REDRAW;
}

static int k_left(void *p, struct ui *ui)
{
	(void)ui;
	return sibling(p, -1);
}

static int k_right(void *p, struct ui *ui)
{
	(void)ui;
	return sibling(p, 1);
}

static int k_zoom(void *p, struct ui *ui)
{
	struct profview *v = p;

	(void)ui;
	if (v->peek && v->ncallers + v->ncallees > 0) {
		if (peek_at(v, peek_selected(v)) < 0)
			snprintf(ui->msg, sizeof(ui->msg), "%s", err_msg());
	} else if (!v->top && !v->peek) {
		v->zoom = v->sel;
	}
	return UI_HANDLED | UI_REDRAW;
}

/* c: the callers and callees of the selected function (of the table's
 * row, or the graph's frame), or back. */
static int k_peek(void *p, struct ui *ui)
{
	struct profview *v = p;

	if (v->peek) {
		v->peek = false;
	} else if (v->top ? v->nrows > 0 : v->sel != 0) {
		if (peek_at(v, v->top ? v->rows[v->row_sel].fn : v->f.nodes[v->sel].fn) < 0)
			snprintf(ui->msg, sizeof(ui->msg), "%s", err_msg());
	}
	return UI_HANDLED | UI_REDRAW;
}

static int k_unzoom(void *p, struct ui *ui)
{
	struct profview *v = p;

	(void)ui;
	if (!v->top && v->zoom)
		v->zoom = v->f.nodes[v->zoom].parent;
	return UI_HANDLED | UI_REDRAW;
}

static int k_kind(void *p, struct ui *ui)
{
	struct profview *v = p;
	size_t at = 0;

	for (size_t i = 0; i < 4; i++)
		if (strcmp(profiles_kinds[i], v->kind) == 0)
			at = i;
	for (size_t k = 1; k < 4; k++) {
		const char *next = profiles_kinds[(at + k) % 4];

		if (load(v, ui, next) == 0) {
			snprintf(ui->msg, sizeof(ui->msg), "the %s profile", next);
			return UI_HANDLED | UI_REDRAW;
		}
	}
	snprintf(ui->msg, sizeof(ui->msg), "no other kind of profile is kept: P profiles a check of %s",
		 ui->ex->id);
	return UI_HANDLED | UI_REDRAW;
}

static int k_back(void *p, struct ui *ui)
{
	struct profview *v = p;

	(void)ui;
	if (v->peek) {          /* Esc leaves the callers and callees first */
		v->peek = false;
		return UI_HANDLED | UI_REDRAW;
	}
	return UI_HANDLED | UI_BACK;
}

static int k_again(void *p, struct ui *ui)
{
	(void)p, (void)ui;
	return UI_HANDLED | UI_PROFILE_RUN;
}

const struct ui_key profview_keys[] = {
	{ '\t', 0, "Tab", "flame graph / top table", true, k_view },
	{ '\n', 0, "Enter", "zoom into the frame (callers and callees: go to that function)", true, k_zoom },
	{ 'c', 0, "c", "callers and callees of the selected function", true, k_peek },
	{ 'u', KEY_BACKSPACE, "u", "zoom out", true, k_unzoom },
	{ KEY_UP, 'k', "\u2191", "caller (the row above in a list)", false, k_parent },
	{ KEY_DOWN, 'j', "\u2193", "heaviest callee (the row below)", false, k_child },
	{ KEY_LEFT, 'h', "\u2190", "the frame to the left", false, k_left },
	{ KEY_RIGHT, 'l', "\u2192", "the frame to the right", false, k_right },
	{ 'K', 0, "K", "next kind: cpu, alloc, block, mutex", true, k_kind },
	{ 'P', 0, "P", "profile a new check", true, k_again },
	{ 27, 'q', "Esc/q", "back", true, k_back },
	{ '?', 0, "?", "help", true, NULL },
	{ 0, 0, NULL, NULL, false, NULL },
};

int profview_key(struct profview *v, struct ui *ui, int key)
{
	return ui_dispatch(profview_keys, v, ui, key);
}
