/*
 * hist — the history screen; see hist.h.
 *
 * Data model: the exercise's entries (newest shown first), the selected
 * one and an optional marked one (the other side of a diff), the diff on
 * show as lines with a scroll offset, and a pending confirmation (restore
 * or reset) that the next key answers.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/buf.h"
#include "base/err.h"
#include "tui/hist.h"

enum confirm { C_NONE, C_RESTORE, C_RESET };

struct hist {
	struct record_entry *e;
	size_t n;
	int sel, top;            /* index into e, counted from the newest */
	int mark;                /* the marked entry, or -1 */
	struct buf diff;
	char diff_title[128];
	char diff_from[32], diff_to[32];   /* its sides: shown again when the record changes */
	int diff_top, diff_h, list_h;
	bool diff_focus;
	enum confirm confirm;
};

static void redo_diff(struct hist *h, struct ui *ui);

static const struct record_entry *entry(const struct hist *h, int i)
{
	return &h->e[h->n - 1 - (size_t)i];
}

static void load(struct hist *h, struct ui *ui)
{
	free(h->e);
	h->e = NULL;
	h->n = 0;
	if (app_history(ui->app, ui->ex, &h->e, &h->n) < 0)
		snprintf(ui->msg, sizeof(ui->msg), "%s", err_msg());
	if (h->sel >= (int)h->n)
		h->sel = h->n ? (int)h->n - 1 : 0;
	if (h->mark >= (int)h->n)
		h->mark = -1;
}

int hist_new(struct hist **out, struct ui *ui)
{
	struct hist *h = calloc(1, sizeof(*h));

	*out = NULL;
	if (!h)
		return err_set("out of memory");
	h->mark = -1;
	buf_init(&h->diff);
	load(h, ui);
	*out = h;
	return 0;
}

void hist_free(struct hist *h)
{
	if (!h)
		return;
	free(h->e);
	buf_release(&h->diff);
	free(h);
}

void hist_reload(struct hist *h, struct ui *ui)
{
	int n = (int)h->n;

	load(h, ui);
	if ((int)h->n > n && h->mark >= 0)
		h->mark += (int)h->n - n;   /* indices count from the newest */
	redo_diff(h, ui);
}

static void show_diff(struct hist *h, struct ui *ui, const char *from, const char *to, const char *title)
{
	buf_release(&h->diff);
	h->diff_top = 0;
	snprintf(h->diff_title, sizeof(h->diff_title), "%s", title);
	snprintf(h->diff_from, sizeof(h->diff_from), "%s", from);
	snprintf(h->diff_to, sizeof(h->diff_to), "%s", to);
	if (app_diff(ui->app, ui->ex, from, to, &h->diff) < 0) {
		buf_release(&h->diff);
		snprintf(ui->msg, sizeof(ui->msg), "no diff: %s", err_msg());
	} else if (!h->diff.len) {
		buf_puts(&h->diff, "(no difference)\n");
	} else {
		/* the learner's files: escape sequences and NULs in them are shown
		 * (\x1b, \x00), as everywhere, tabs and newlines kept */
		struct buf raw = h->diff;

		buf_init(&h->diff);
		buf_add_shown(&h->diff, raw.s, raw.len);
		buf_release(&raw);
	}
	h->diff_focus = true;
}

/* The diff on show again, from its sides: after a restore or a reset the
 * learner's files ("work") and the entries are not what they were. */
static void redo_diff(struct hist *h, struct ui *ui)
{
	char from[32], to[32], title[128];
	int top = h->diff_top;
	bool focus = h->diff_focus;

	if (!h->diff.len)
		return;
	snprintf(from, sizeof(from), "%s", h->diff_from);
	snprintf(to, sizeof(to), "%s", h->diff_to);
	snprintf(title, sizeof(title), "%s", h->diff_title);
	show_diff(h, ui, from, to, title);
	h->diff_top = top;
	h->diff_focus = focus;
}

static int count_lines(const char *s)
{
	int n = 0;

	for (; s && *s; s++)
		n += *s == '\n';
	return n;
}

void hist_draw(struct hist *h, struct ui *ui, struct ui_rect r)
{
	int list_h = h->diff.len ? (r.h - 1) / 3 : r.h - 1, y = r.y + 1;
	char line[256];

	if (list_h < 3)
		list_h = 3;
	h->list_h = list_h;
	snprintf(line, sizeof(line), "History of %s: %zu entr%s", ui->ex->id, h->n, h->n == 1 ? "y" : "ies");
	ui_text(r.y, r.x + 1, r.w - 2, line, ui_attr(ui, UI_TITLE, A_BOLD));
	if (!h->n)
		ui_text(y + 1, r.x + 3, r.w - 4, "No checks yet: every check is recorded here.", A_NORMAL);
	if (h->sel < h->top)
		h->top = h->sel;
	if (h->sel >= h->top + list_h)
		h->top = h->sel - list_h + 1;
	for (int i = 0; i < list_h && h->top + i < (int)h->n; i++) {
		int k = h->top + i;
		const struct record_entry *e = entry(h, k);
		bool ok = strcmp(e->status, "pass") == 0, save = strcmp(e->kind, "save") == 0;
		attr_t a = k == h->sel ? A_REVERSE : A_NORMAL;
		time_t at = (time_t)e->at;
		struct tm tm;
		char when[32];

		localtime_r(&at, &tm);
		strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S", &tm);
		if (save)
			snprintf(line, sizeof(line), "%c #%-4d %s  saved before a restore or reset", k == h->mark ? '*' : ' ',
				 e->number, when);
		else
			snprintf(line, sizeof(line), "%c #%-4d %s  %-5s %2d/%-2d tests %7.2f s  %.7s",
				 k == h->mark ? '*' : ' ', e->number, when, e->status, e->passed, e->total, e->seconds,
				 e->commit);
		ui_fill(y + i, r.x, r.w, a);
		ui_text(y + i, r.x + 1, r.w - 2, line,
			ui_attr(ui, save ? UI_DIM : ok ? UI_GOOD : UI_BAD, a));
	}
	if (h->diff.len) {
		int dy = y + list_h, dh = r.h - list_h - 2, total = count_lines(h->diff.s);
		const char *s = h->diff.s;

		h->diff_h = dh;
		if (h->diff_top > total - dh)
			h->diff_top = total - dh;
		if (h->diff_top < 0)
			h->diff_top = 0;
		ui_hline(dy, r.x, r.w, ui_attr(ui, UI_DIM, 0));
		ui_text(dy, r.x + 2, r.w - 4, h->diff_title, ui_attr(ui, UI_TITLE, h->diff_focus ? A_BOLD : 0));
		for (int i = 0; *s && i < h->diff_top; s++)
			i += *s == '\n';
		for (int i = 0; i < dh && *s; i++) {
			const char *nl = strchr(s, '\n');
			size_t n = nl ? (size_t)(nl - s) : strlen(s);
			struct buf line_b = BUF_INIT;

			ui_expand_tabs(&line_b, s, n, 1);
			ui_textn(dy + 1 + i, r.x + 1, r.w - 2, line_b.s ? line_b.s : "", line_b.len,
				 ui_attr(ui, ui_diff_color(s), 0));
			buf_release(&line_b);
			s += n + (nl ? 1 : 0);
		}
	}
	if (h->confirm != C_NONE) {
		if (h->confirm == C_RESTORE && h->n)
			snprintf(line, sizeof(line), "Restore your files to #%d? They are saved first, so nothing is lost. y/n",
				 entry(h, h->sel)->number);
		else
			snprintf(line, sizeof(line), "Reset your files to the starter? They are saved first, so nothing is lost. y/n");
		ui_fill(r.y + r.h - 1, r.x, r.w, ui_attr(ui, UI_BUSY, A_REVERSE));
		ui_text(r.y + r.h - 1, r.x + 1, r.w - 2, line, ui_attr(ui, UI_BUSY, A_REVERSE | A_BOLD));
	}
}

static int scroll_by(struct hist *h, int by)
{
	if (h->diff_focus && h->diff.len) {
		h->diff_top += by;
		if (h->diff_top < 0)
			h->diff_top = 0;
		return UI_HANDLED | UI_REDRAW;
	}
	h->sel += by;
	if (h->sel >= (int)h->n)
		h->sel = (int)h->n - 1;
	if (h->sel < 0)
		h->sel = 0;
	return UI_HANDLED | UI_REDRAW;
}

static int k_down(void *h, struct ui *ui) { (void)ui; return scroll_by(h, 1); }
static int k_up(void *h, struct ui *ui) { (void)ui; return scroll_by(h, -1); }

static int k_page(void *p, struct ui *ui)
{
	struct hist *h = p;

	(void)ui;
	return scroll_by(h, h->diff_focus ? h->diff_h - 1 : h->list_h - 1);
}

static int k_page_up(void *p, struct ui *ui)
{
	struct hist *h = p;

	(void)ui;
	return scroll_by(h, -(h->diff_focus ? h->diff_h - 1 : h->list_h - 1));
}

static int k_focus(void *p, struct ui *ui)
{
	struct hist *h = p;

	(void)ui;
	h->diff_focus = !h->diff_focus && h->diff.len;
	return UI_HANDLED | UI_REDRAW;
}

static void name(const struct record_entry *e, char *buf, size_t size)
{
	snprintf(buf, size, "%d", e->number);
}

/* The diff from the marked entry (else the one before, else the starter)
 * to the selected one. */
static int k_diff(void *p, struct ui *ui)
{
	struct hist *h = p;
	char from[32], to[32], title[128];

	if (!h->n)
		return UI_HANDLED;
	name(entry(h, h->sel), to, sizeof(to));
	if (h->mark >= 0 && h->mark != h->sel)
		name(entry(h, h->mark), from, sizeof(from));
	else if (h->sel + 1 < (int)h->n)
		name(entry(h, h->sel + 1), from, sizeof(from));
	else
		snprintf(from, sizeof(from), "starter");
	snprintf(title, sizeof(title), " diff %s%s %s #%s ", strcmp(from, "starter") ? "#" : "", from,
		 ui->utf8 ? "\u2192" : "->", to);
	show_diff(h, ui, from, to, title);
	return UI_HANDLED | UI_REDRAW;
}

static int k_diff_work(void *p, struct ui *ui)
{
	struct hist *h = p;
	char from[32], title[128];

	if (!h->n)
		return UI_HANDLED;
	name(entry(h, h->sel), from, sizeof(from));
	snprintf(title, sizeof(title), " diff #%s %s your files now ", from, ui->utf8 ? "\u2192" : "->");
	show_diff(h, ui, from, "work", title);
	return UI_HANDLED | UI_REDRAW;
}

static int k_mark(void *p, struct ui *ui)
{
	struct hist *h = p;

	(void)ui;
	h->mark = h->mark == h->sel ? -1 : h->sel;
	return UI_HANDLED | UI_REDRAW;
}

static int k_restore(void *p, struct ui *ui)
{
	struct hist *h = p;

	(void)ui;
	if (h->n)
		h->confirm = C_RESTORE;
	return UI_HANDLED | UI_REDRAW;
}

static int k_reset(void *p, struct ui *ui)
{
	struct hist *h = p;

	(void)ui;
	h->confirm = C_RESET;
	return UI_HANDLED | UI_REDRAW;
}

static int k_back(void *p, struct ui *ui)
{
	struct hist *h = p;

	(void)ui;
	if (h->diff.len) {
		buf_release(&h->diff);
		h->diff_focus = false;
		return UI_HANDLED | UI_REDRAW;
	}
	return UI_HANDLED | UI_BACK;
}

static int confirmed(struct hist *h, struct ui *ui)
{
	struct record_entry saved;
	char which[32];
	int rc;

	if (h->confirm == C_RESTORE) {
		name(entry(h, h->sel), which, sizeof(which));
		rc = app_restore(ui->app, ui->ex, which, &saved);
	} else {
		rc = app_reset(ui->app, ui->ex, &saved);
	}
	if (rc < 0)
		snprintf(ui->msg, sizeof(ui->msg), "%s", err_msg());
	else if (saved.number > 0)
		snprintf(ui->msg, sizeof(ui->msg), "%s; your files as they were are in #%d",
			 h->confirm == C_RESTORE ? "restored" : "reset to the starter", saved.number);
	else
		snprintf(ui->msg, sizeof(ui->msg), "%s", h->confirm == C_RESTORE ? "restored" : "reset to the starter");
	h->confirm = C_NONE;
	load(h, ui);
	redo_diff(h, ui);
	return UI_HANDLED | UI_REDRAW | UI_RELOAD;
}

const struct ui_key hist_keys[] = {
	{ 0, 0, "j/k", "move", true, NULL },   /* the footer's; the help lists each */
	{ 'j', KEY_DOWN, "j/\u2193", "move down", false, k_down },
	{ 'k', KEY_UP, "k/\u2191", "move up", false, k_up },
	{ ' ', KEY_NPAGE, "Space/PgDn", "page down", false, k_page },
	{ 'b', KEY_PPAGE, "b/PgUp", "page up", false, k_page_up },
	{ '\n', 'd', "Enter/d", "diff", true, k_diff },
	{ 'w', 0, "w", "diff to now", true, k_diff_work },
	{ 'm', 0, "m", "mark", true, k_mark },
	{ 'r', 0, "r", "restore", true, k_restore },
	{ 'R', 0, "R", "reset", true, k_reset },
	{ '\t', 0, "Tab", "list/diff", false, k_focus },
	{ 27, 'q', "Esc/q", "back", true, k_back },
	{ '?', 0, "?", "help", true, NULL },
	{ 0, 0, NULL, NULL, false, NULL },
};

int hist_key(struct hist *h, struct ui *ui, int key)
{
	if (h->confirm != C_NONE) {
		if (key == 'y' || key == 'Y')
			return confirmed(h, ui);
		h->confirm = C_NONE;
		snprintf(ui->msg, sizeof(ui->msg), "nothing changed");
		return UI_HANDLED | UI_REDRAW;
	}
	return ui_dispatch(hist_keys, h, ui, key);
}
