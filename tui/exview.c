/*
 * exview — the exercise screen; see exview.h.
 *
 * Data model: the text laid out for the pane's width (md_doc, redone when
 * the width changes), the results pane as lines (redone when the result,
 * the hints or the width change), each pane's scroll offset, which pane
 * has the focus, the hints revealed, in the order they were, and the last
 * recorded check with its verdict, shown until this session checks.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/buf.h"
#include "base/err.h"
#include "checker/kind.h"
#include "tui/exview.h"
#include "tui/home.h"
#include "tui/md.h"
#include "tui/verdict.h"

enum { OUTPUT_LINES = 200, MAX_LINES = 5000, MAX_HINTS = 32 };

#define NO_HINT_FOR_IT "no hint is written for this failure; the next general hint:"

struct rline {
	char *text;
	enum ui_color color;
	attr_t attr;
	int indent;
};

struct exview {
	struct md_doc doc;
	int doc_width;
	bool solution;           /* the text pane shows the reference solution */
	struct rline *lines;
	int nlines, res_width;
	bool res_dirty;
	int text_top, res_top;
	int focus;               /* 0 the text, 1 the results */
	int text_h, res_h;       /* the panes' heights at the last draw */
	int revealed[MAX_HINTS];
	int nrevealed;
	bool general[MAX_HINTS];    /* revealed this session as no answer to the failure */
	struct record_entry last;   /* the last recorded check (number 0: none) */
	struct json *last_result;   /* its verdict, if it has tests to show; else NULL */
};

static void free_lines(struct exview *v)
{
	for (int i = 0; i < v->nlines; i++)
		free(v->lines[i].text);
	free(v->lines);
	v->lines = NULL;
	v->nlines = 0;
}

static void add(struct exview *v, int indent, enum ui_color c, attr_t a, const char *s, size_t n)
{
	struct rline *l;

	if (v->nlines >= MAX_LINES)
		return;
	if (!(l = realloc(v->lines, (size_t)(v->nlines + 1) * sizeof(*l))))
		return;
	v->lines = l;
	l = &v->lines[v->nlines];
	if (!(l->text = strndup(s, n)))
		return;
	l->color = c, l->attr = a, l->indent = indent;
	v->nlines++;
}

/* Adds text wrapped at word boundaries to width; newlines are kept. */
static void add_wrapped(struct exview *v, int indent, enum ui_color c, attr_t a, const char *s, int width)
{
	int avail = width - indent;

	if (avail < 10)
		avail = 10;
	while (*s) {
		const char *nl = strchr(s, '\n');
		size_t n = nl ? (size_t)(nl - s) : strlen(s);

		while (md_width(s, n) > avail) {
			size_t cut = 0, lastsp = 0;

			while (cut < n && md_width(s, cut + 1) <= avail) {
				cut++;
				while (cut < n && ((unsigned char)s[cut] & 0xc0) == 0x80)
					cut++;
				if (s[cut] == ' ')
					lastsp = cut;
			}
			if (lastsp > 0)
				cut = lastsp;
			if (cut == 0)
				cut = 1;
			add(v, indent, c, a, s, cut);
			s += cut;
			n -= cut;
			while (n && *s == ' ')
				s++, n--;
		}
		add(v, indent, c, a, s, n);
		s += n + (nl ? 1 : 0);
	}
}

static const char *glyph(const struct ui *ui, const char *status)
{
	if (strcmp(status, "pass") == 0)
		return ui->utf8 ? "\u2713" : "+";
	return ui->utf8 ? "\u2717" : "x";
}

/* A check's verdict (docs/results.md), as the command mode shows it too
 * (tui/verdict.h), wrapped to the pane. */
static void add_result(struct exview *v, struct ui *ui, const struct json *res, int width)
{
	static const struct { enum ui_color c; attr_t a; } looks[] = {
		[VERDICT_PASS] = { UI_GOOD, 0 },   [VERDICT_FAIL] = { UI_BAD, A_BOLD },
		[VERDICT_SKIP] = { UI_DIM, 0 },    [VERDICT_TEXT] = { UI_NORMAL, 0 },
		[VERDICT_FOUND] = { UI_TITLE, A_BOLD }, [VERDICT_OUTPUT] = { UI_DIM, 0 },
		[VERDICT_DIM] = { UI_DIM, 0 },     [VERDICT_TITLE] = { UI_TITLE, A_BOLD },
	};
	struct verdict_lines l = { .learner_files = ui->ex->files };

	verdict_render(&l, res, ui->utf8, OUTPUT_LINES);
	for (size_t i = 0; i < l.n; i++) {
		const struct verdict_line *vl = &l.v[i];

		add_wrapped(v, vl->indent, looks[vl->style].c, i == 0 ? A_BOLD : looks[vl->style].a, vl->text, width);
	}
	verdict_lines_release(&l);
	if (strcmp(json_str(res, "status"), "pass") == 0) {
		const struct pack_exercise *next = home_next_todo(ui, ui->ex);
		char line[256];

		if (next && next != ui->ex)
			snprintf(line, sizeof(line), "Press n for the next exercise (%s), s to compare with the "
				 "reference solution.", next->id);
		else
			snprintf(line, sizeof(line), "Press s to compare with the reference solution.");
		add_wrapped(v, 1, UI_NORMAL, 0, line, width);
	}
}

/* When the last recorded check ran, as local "YYYY-MM-DD HH:MM". */
static void last_when(const struct exview *v, char *buf, size_t size)
{
	time_t at = (time_t)v->last.at;
	struct tm tm;

	localtime_r(&at, &tm);
	strftime(buf, size, "%Y-%m-%d %H:%M", &tm);
}

static bool passed(const struct ui *ui)
{
	enum ui_mark m = ui->marks[ui_index(ui, ui->ex)];

	return m == UI_PASSED || m == UI_FAST || (ui->result && strcmp(json_str(ui->result, "status"), "pass") == 0);
}

/* Beside the reference solution: the learner's files against it, as a
 * unified diff (tabs expanded), in the results pane. */
static void add_solution_diff(struct exview *v, struct ui *ui, int width)
{
	struct buf d = BUF_INIT;
	const char *s;

	add_wrapped(v, 1, UI_TITLE, A_BOLD, "Your files against the reference solution (- yours, + the reference):",
		    width);
	if (app_diff(ui->app, ui->ex, "work", "solution", &d) < 0) {
		add_wrapped(v, 2, UI_BAD, 0, err_msg(), width);
		buf_release(&d);
		return;
	}
	if (!d.len)
		add_wrapped(v, 2, UI_GOOD, 0, "They are the same.", width);
	for (s = d.s; s && *s;) {
		const char *nl = strchr(s, '\n');
		size_t n = nl ? (size_t)(nl - s) : strlen(s);
		struct buf line = BUF_INIT;

		ui_expand_tabs(&line, s, n, 1);
		add(v, 1, ui_diff_color(s), 0, line.s ? line.s : "", line.len);
		buf_release(&line);
		s += n + (nl != NULL);
	}
	buf_release(&d);
	add(v, 0, UI_NORMAL, 0, "", 0);
	add_wrapped(v, 1, UI_DIM, 0, "s or Esc: back to the exercise's text and your results.", width);
}

static void layout_results(struct exview *v, struct ui *ui, int width)
{
	const struct pack_exercise *ex = ui->ex;
	const struct record_progress *p = &ui->progress[ui_index(ui, ex)];
	char line[PATH_MAX + 1024], dir[PATH_MAX], when[32];

	free_lines(v);
	v->res_width = width;
	v->res_dirty = false;
	if (ex->error) {
		add_wrapped(v, 1, UI_BAD, A_BOLD, "This exercise cannot be used: its script has an error.", width);
		add_wrapped(v, 4, UI_NORMAL, 0, ex->error, width);
		add_wrapped(v, 1, UI_NORMAL, 0, "Tell the exercise's author; the other exercises work.", width);
		return;
	}
	app_workdir(ui->app, ex, dir, sizeof(dir));
	if (p->attempts) {
		int min = (int)(p->seconds_spent / 60 + 0.5);
		char spent[32] = "less than a minute";

		if (min >= 1)
			snprintf(spent, sizeof(spent), "about %d min", min);
		snprintf(line, sizeof(line), "%d check%s, %s spent%s", p->attempts, p->attempts == 1 ? "" : "s", spent,
			 !p->passed ? "" : strcmp(p->last_status, "pass") == 0 ? ", passed"
									 : ", best: passed (your files no longer pass)");
		add_wrapped(v, 1, UI_DIM, 0, line, width);
	}
	add(v, 1, UI_TITLE, A_BOLD, "Your files", 10);
	for (char *const *f = ex->files; f && *f; f++) {
		snprintf(line, sizeof(line), "%s/%s", dir, *f);
		add_wrapped(v, 2, UI_NORMAL, 0, line, width);
	}
	add(v, 0, UI_NORMAL, 0, "", 0);
	if (v->solution) {
		add_solution_diff(v, ui, width);
		return;
	}
	if (ui->checking && ui->partial) {
		add_result(v, ui, ui->partial, width);   /* as the tests finish */
	} else if (ui->result) {
		add_result(v, ui, ui->result, width);
	} else if (ui->result_error[0]) {
		add_wrapped(v, 1, UI_BAD, A_BOLD, "The check could not run:", width);
		add_wrapped(v, 4, UI_NORMAL, 0, ui->result_error, width);
	} else if (v->last_result) {
		last_when(v, when, sizeof(when));
		snprintf(line, sizeof(line), "Last recorded check (#%d, %s):", v->last.number, when);
		add_wrapped(v, 1, UI_DIM, 0, line, width);
		add_result(v, ui, v->last_result, width);
		add_wrapped(v, 1, UI_NORMAL, 0, "Save a file or press c to check again; H shows every check.", width);
	} else if (v->last.number > 0) {
		last_when(v, when, sizeof(when));
		snprintf(line, sizeof(line), "%s Last check (#%d, %s): %s, %d of %d tests passed in %.2f s.",
			 glyph(ui, v->last.status), v->last.number, when,
			 strcmp(v->last.status, "pass") == 0 ? "passed" : "not passed", v->last.passed, v->last.total,
			 v->last.seconds);
		add_wrapped(v, 1, strcmp(v->last.status, "pass") == 0 ? UI_GOOD : UI_BAD, 0, line, width);
		add_wrapped(v, 1, UI_NORMAL, 0, "Save a file or press c to check again; H shows every check.", width);
	} else {
		add_wrapped(v, 1, UI_NORMAL, 0,
			    "Not checked yet. Press e to edit your files; every save checks them.", width);
	}
	if (ex->nhints) {
		add(v, 0, UI_NORMAL, 0, "", 0);
		snprintf(line, sizeof(line), "Hints: %d of %zu shown%s", v->nrevealed, ex->nhints,
			 (size_t)v->nrevealed < ex->nhints ? " (h for the next)" : "");
		add_wrapped(v, 1, UI_TITLE, A_BOLD, line, width);
		for (int i = 0; i < v->nrevealed; i++) {
			if (v->general[i])
				add_wrapped(v, 2, UI_DIM, 0, NO_HINT_FOR_IT, width);
			snprintf(line, sizeof(line), "%d. %s", i + 1, ex->hints[v->revealed[i]].text);
			add_wrapped(v, 2, UI_NORMAL, 0, line, width);
		}
	}
}

/* The failures of a verdict, in its order, as hints answer them: up to
 * max into f (the strings are res's); how many. */
static size_t failures(const struct json *res, struct pack_failure *f, size_t max)
{
	const struct json *tests = json_get(res, "tests");
	size_t n = 0;

	for (size_t i = 0; tests && tests->type == JSON_ARR && i < tests->nkids && n < max; i++) {
		const struct json *t = &tests->kids[i];
		const char *status = json_str(t, "status");

		if (strcmp(status, "fail") != 0 && strcmp(status, "error") != 0)
			continue;
		f[n].test = json_str(t, "name");
		f[n++].kind = *json_str(t, "hint_on") ? json_str(t, "hint_on") : NULL;
	}
	return n;
}

static bool passed_before(const struct pack_exercise *ex, const void *arg)
{
	const struct ui *ui = arg;
	enum ui_mark m = ui->marks[ui_index(ui, ex)];

	return m == UI_PASSED || m == UI_FAST;
}

static void layout_text(struct exview *v, struct ui *ui, int width)
{
	struct buf md = BUF_INIT;

	md_release(&v->doc);
	v->doc_width = width;
	if (!v->solution) {
		md_exercise(&md, ui->app->pack, ui->ex, passed_before, ui);
		md_layout(&v->doc, md.s ? md.s : "", width);
		buf_release(&md);
		return;
	}
	buf_puts(&md, "# The reference solution\n\n");
	for (char *const *f = ui->ex->files; f && *f; f++) {
		char path[PATH_MAX], chunk[4096];
		FILE *in;
		size_t n;

		snprintf(path, sizeof(path), "%s/solution/%s", ui->ex->dir, *f);
		buf_printf(&md, "## %s\n\n```\n", *f);
		if ((in = fopen(path, "r"))) {
			while ((n = fread(chunk, 1, sizeof(chunk), in)) > 0)
				buf_add(&md, chunk, n);
			fclose(in);
		} else {
			buf_puts(&md, "(this exercise has no reference copy of this file)\n");
		}
		buf_puts(&md, "\n```\n\n");
	}
	md_layout(&v->doc, md.s ? md.s : "", width);
	buf_release(&md);
}

/* The last recorded check of the exercise, for the results pane before
 * this session's first check: its verdict in full when it has one (read
 * as a live result is), else its summary (a row recovered from git has no
 * tests, and a verdict that does not parse is shown as the summary too). */
static void find_last(struct exview *v, struct ui *ui)
{
	const struct json *tests;
	char *text = NULL;

	memset(&v->last, 0, sizeof(v->last));
	json_free(v->last_result);
	v->last_result = NULL;
	if (!ui->progress[ui_index(ui, ui->ex)].attempts || app_last_result(ui->app, ui->ex, &v->last, &text) < 0 ||
	    !text)
		return;
	if (json_parse(&v->last_result, text) == 0) {
		tests = json_get(v->last_result, "tests");
		if (!*json_str(v->last_result, "status") ||
		    (json_num(v->last_result, "recovered") != 0 && (!tests || tests->type != JSON_ARR || !tests->nkids))) {
			json_free(v->last_result);
			v->last_result = NULL;
		}
	}
	free(text);
}

int exview_new(struct exview **out, struct ui *ui)
{
	struct exview *v = calloc(1, sizeof(*v));
	size_t shown = 0;

	*out = NULL;
	if (!v)
		return -1;
	v->res_dirty = true;
	find_last(v, ui);
	/* exactly the hints revealed, in the order they were */
	if (app_hints(ui->app, ui->ex, v->revealed, MAX_HINTS, &shown) < 0)
		snprintf(ui->msg, sizeof(ui->msg), "%s", err_msg());
	v->nrevealed = (int)shown;
	*out = v;
	return 0;
}

void exview_free(struct exview *v)
{
	if (!v)
		return;
	md_release(&v->doc);
	free_lines(v);
	json_free(v->last_result);
	free(v);
}

void exview_reload(struct exview *v, struct ui *ui)
{
	v->res_dirty = true;
	v->res_top = 0;   /* a new verdict shows from its first line */
	find_last(v, ui);
}

void exview_refresh(struct exview *v, struct ui *ui)
{
	v->res_dirty = true;
	find_last(v, ui);
}

static void draw_lines_md(const struct exview *v, const struct ui *ui, struct ui_rect r)
{
	for (int i = 0; i < r.h && v->text_top + i < (int)v->doc.nlines; i++) {
		const struct md_line *l = &v->doc.lines[v->text_top + i];
		int x = r.x + l->indent;

		for (size_t k = 0; k < l->nspans; k++) {
			int st = l->spans[k].style;
			attr_t a = 0;
			enum ui_color c = UI_NORMAL;

			if (st & MD_STRONG)
				a |= A_BOLD;
			if (st & MD_EM)
				a |= A_UNDERLINE;
			if (st & (MD_CODE | MD_BLOCK))
				c = UI_CODE;
			if (st & MD_HEADING)
				c = UI_TITLE, a |= A_BOLD;
			if (st & (MD_QUOTE | MD_BULLET))
				c = UI_DIM;
			if (x < r.x + r.w)
				x += ui_text(r.y + i, x, r.x + r.w - x, l->spans[k].text, ui_attr(ui, c, a));
		}
	}
}

static void draw_results(const struct exview *v, const struct ui *ui, struct ui_rect r)
{
	for (int i = 0; i < r.h && v->res_top + i < v->nlines; i++) {
		const struct rline *l = &v->lines[v->res_top + i];

		ui_text(r.y + i, r.x + l->indent, r.w - l->indent, l->text, ui_attr(ui, l->color, l->attr));
	}
}

static void scrollbar(const struct ui *ui, struct ui_rect r, int top, int total)
{
	int pos, len;

	if (total <= r.h || r.h < 3)
		return;
	len = r.h * r.h / total;
	if (len < 1)
		len = 1;
	pos = (r.h - len) * top / (total - r.h);
	for (int i = 0; i < r.h; i++)
		ui_text(r.y + i, r.x + r.w, 1, i >= pos && i < pos + len ? (ui->utf8 ? "\u2503" : "#") : (ui->utf8 ? "\u2502" : "|"),
			ui_attr(ui, UI_DIM, 0));
}

static int clamp(int top, int total, int h)
{
	if (top > total - h)
		top = total - h;
	return top < 0 ? 0 : top;
}

void exview_draw(struct exview *v, struct ui *ui, struct ui_rect r)
{
	bool side = r.w >= 140;
	struct ui_rect text, res;
	char title[512];

	if (side) {
		text = (struct ui_rect){ r.y + 1, r.x + 1, r.h - 1, r.w / 2 - 3 };
		res = (struct ui_rect){ r.y + 1, r.x + r.w / 2 + 1, r.h - 1, r.w - r.w / 2 - 3 };
	} else {
		/* the results take the lines they need, between 40% and 60% */
		int body = r.h - 2, rh;

		if (v->res_dirty || v->res_width != r.w - 3)
			layout_results(v, ui, r.w - 3);
		rh = v->nlines;
		if (rh > body * 3 / 5)
			rh = body * 3 / 5;
		if (rh < body * 2 / 5)
			rh = body * 2 / 5;
		text = (struct ui_rect){ r.y + 1, r.x + 1, body - rh, r.w - 3 };
		res = (struct ui_rect){ r.y + 2 + body - rh, r.x + 1, rh, r.w - 3 };
	}
	if (v->doc_width != text.w)
		layout_text(v, ui, text.w);
	if (v->res_dirty || v->res_width != res.w)
		layout_results(v, ui, res.w);
	v->text_h = text.h, v->res_h = res.h;
	v->text_top = clamp(v->text_top, (int)v->doc.nlines, text.h);
	v->res_top = clamp(v->res_top, v->nlines, res.h);

	snprintf(title, sizeof(title), "%s%s %s %s", v->solution ? "solution of " : "", ui->ex->id,
		 ui->utf8 ? "\u2014" : "-", ui->ex->title);
	ui_text(r.y, r.x + 1, r.w - 2, title, ui_attr(ui, UI_TITLE, v->focus == 0 ? A_BOLD : 0));
	if (side) {
		ui_text(r.y, res.x, res.w, "Results", ui_attr(ui, UI_TITLE, v->focus == 1 ? A_BOLD : 0));
		for (int i = 0; i < r.h; i++)
			ui_text(r.y + i, r.x + r.w / 2 - 1, 1, ui->utf8 ? "\u2502" : "|", ui_attr(ui, UI_DIM, 0));
	} else {
		ui_hline(res.y - 1, r.x, r.w, ui_attr(ui, UI_DIM, 0));
		ui_text(res.y - 1, r.x + 2, 10, " Results ", ui_attr(ui, UI_TITLE, v->focus == 1 ? A_BOLD : 0));
	}
	draw_lines_md(v, ui, text);
	scrollbar(ui, text, v->text_top, (int)v->doc.nlines);
	draw_results(v, ui, res);
	scrollbar(ui, res, v->res_top, v->nlines);
}

static int scroll_by(struct exview *v, int by)
{
	if (v->focus == 0)
		v->text_top = clamp(v->text_top + by, (int)v->doc.nlines, v->text_h);
	else
		v->res_top = clamp(v->res_top + by, v->nlines, v->res_h);
	return UI_HANDLED | UI_REDRAW;
}

static int k_down(void *v, struct ui *ui) { (void)ui; return scroll_by(v, 1); }
static int k_up(void *v, struct ui *ui) { (void)ui; return scroll_by(v, -1); }

static int k_page(void *p, struct ui *ui)
{
	struct exview *v = p;

	(void)ui;
	return scroll_by(v, (v->focus ? v->res_h : v->text_h) - 1);
}

static int k_page_up(void *p, struct ui *ui)
{
	struct exview *v = p;

	(void)ui;
	return scroll_by(v, -((v->focus ? v->res_h : v->text_h) - 1));
}

static int k_top(void *v, struct ui *ui) { (void)ui; return scroll_by(v, -(1 << 20)); }
static int k_end(void *v, struct ui *ui) { (void)ui; return scroll_by(v, 1 << 20); }

static int k_focus(void *p, struct ui *ui)
{
	struct exview *v = p;

	(void)ui;
	v->focus = !v->focus;
	return UI_HANDLED | UI_REDRAW;
}

static int k_edit(void *v, struct ui *ui) { (void)v, (void)ui; return UI_HANDLED | UI_EDIT; }
static int k_check(void *v, struct ui *ui) { (void)v, (void)ui; return UI_HANDLED | UI_CHECK; }
static int k_history(void *v, struct ui *ui) { (void)v, (void)ui; return UI_HANDLED | UI_HISTORY; }
static int k_back(void *p, struct ui *ui)
{
	struct exview *v = p;

	(void)ui;
	if (!v->solution)
		return UI_HANDLED | UI_BACK;
	v->solution = false;   /* Esc leaves the solution view first */
	v->doc_width = 0;
	v->res_dirty = true;
	v->text_top = 0;
	return UI_HANDLED | UI_REDRAW;
}

static int k_hint(void *p, struct ui *ui)
{
	struct exview *v = p;
	const struct pack_exercise *ex = ui->ex;
	const struct json *res = exview_result(v, ui);   /* the failures on show, a running check's too */
	struct pack_failure f[16];
	size_t nf = res ? failures(res, f, 16) : 0;
	bool matched = false;
	int pick;

	if ((size_t)v->nrevealed >= ex->nhints || v->nrevealed >= MAX_HINTS) {
		snprintf(ui->msg, sizeof(ui->msg), "every hint is shown");
		return UI_HANDLED | UI_REDRAW;
	}
	/* the hint that answers this failure, else the next general one (said
	 * to be no answer); when none is left, those written for other
	 * failures in order, so that h shows every hint in the end */
	pick = pack_hint_for(ex, f, nf, v->revealed, (size_t)v->nrevealed, &matched);
	for (size_t i = 0; pick < 0 && i < ex->nhints; i++) {
		bool shown = false;

		for (int s = 0; s < v->nrevealed; s++)
			shown = shown || v->revealed[s] == (int)i;
		if (!shown)
			pick = (int)i;
	}
	v->general[v->nrevealed] = nf && !matched;
	v->revealed[v->nrevealed++] = pick;
	if (app_hint(ui->app, ex, pick) < 0)
		snprintf(ui->msg, sizeof(ui->msg), "the hint could not be recorded: %s", err_msg());
	else
		ui->progress[ui_index(ui, ex)].hints = v->nrevealed;
	v->res_dirty = true;
	v->res_top = 1 << 20;   /* clamped at the next draw: the new hint is at the end */
	return UI_HANDLED | UI_REDRAW;
}

/* After a pass: the next unfinished exercise, in one key. */
static int k_next(void *p, struct ui *ui)
{
	const struct pack_exercise *next;

	(void)p;
	if (!passed(ui)) {
		snprintf(ui->msg, sizeof(ui->msg), "n opens the next exercise once this one passes (Esc: the list)");
		return UI_HANDLED | UI_REDRAW;
	}
	if (!(next = home_next_todo(ui, ui->ex)) || next == ui->ex) {
		snprintf(ui->msg, sizeof(ui->msg), "every exercise has passed: well done");
		return UI_HANDLED | UI_REDRAW;
	}
	ui->ex = next;
	return UI_HANDLED | UI_OPEN;
}

static int k_solution(void *p, struct ui *ui)
{
	struct exview *v = p;

	if (!passed(ui) && !v->solution) {
		snprintf(ui->msg, sizeof(ui->msg), "the reference solution opens once your solution passes");
		return UI_HANDLED | UI_REDRAW;
	}
	v->solution = !v->solution;
	v->doc_width = 0;
	v->res_dirty = true;
	v->text_top = 0;
	v->res_top = 0;
	return UI_HANDLED | UI_REDRAW;
}

static int k_interleave(void *p, struct ui *ui)
{
	(void)p, (void)ui;
	return UI_HANDLED | UI_INTERLEAVE;
}

const struct json *exview_result(const struct exview *v, const struct ui *ui)
{
	if (ui->checking && ui->partial)
		return ui->partial;
	return ui->result ? ui->result : v->last_result;
}

static int k_trace(void *p, struct ui *ui)
{
	(void)p, (void)ui;
	return UI_HANDLED | UI_TRACE;
}

static int k_trace_run(void *p, struct ui *ui)
{
	(void)p, (void)ui;
	return UI_HANDLED | UI_TRACE_RUN;
}

static int k_run(void *p, struct ui *ui)
{
	(void)p, (void)ui;
	return UI_HANDLED | UI_RUN;
}

static int k_profile(void *p, struct ui *ui)
{
	(void)p, (void)ui;
	return UI_HANDLED | UI_PROFILE;
}

static int k_profile_run(void *p, struct ui *ui)
{
	(void)p, (void)ui;
	return UI_HANDLED | UI_PROFILE_RUN;
}

const struct ui_key exview_keys[] = {
	{ 'e', 0, "e", "edit", true, k_edit },
	{ 'c', 0, "c", "check", true, k_check },
	{ 'h', 0, "h", "hint", true, k_hint },
	{ 'H', 0, "H", "history", true, k_history },
	{ 's', 0, "s", "solution", true, k_solution },
	{ 'p', 0, "p", "profile", true, k_profile },
	{ 'r', 0, "r", "run it and see what it prints", false, k_run },
	{ 'i', 0, "i", "step through the interleaving that failed", false, k_interleave },
	{ 't', 0, "t", "scheduler timeline", false, k_trace },
	{ 'T', 0, "T", "trace a new check", false, k_trace_run },
	{ 'P', 0, "P", "profile a new check", false, k_profile_run },
	{ 'n', 0, "n", "next exercise (after a pass)", false, k_next },
	{ '\t', 0, "Tab", "pane", true, k_focus },
	{ 'j', KEY_DOWN, "j/\u2193", "scroll down", false, k_down },
	{ 'k', KEY_UP, "k/\u2191", "scroll up", false, k_up },
	{ ' ', KEY_NPAGE, "Space/PgDn", "page down", false, k_page },
	{ 'g', KEY_HOME, "g/Home", "to the top", false, k_top },
	{ 'G', KEY_END, "G/End", "to the end", false, k_end },
	{ 'b', KEY_PPAGE, "b/PgUp", "page up", false, k_page_up },
	{ 27, 'q', "Esc/q", "back", true, k_back },
	{ KEY_LEFT, 0, "\u2190", "back to the list", false, k_back },
	{ '?', 0, "?", "help", true, NULL },
	{ 0, 0, NULL, NULL, false, NULL },
};

int exview_key(struct exview *v, struct ui *ui, int key)
{
	return ui_dispatch(exview_keys, v, ui, key);
}
