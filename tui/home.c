/*
 * home — the home screen; see home.h.
 *
 * Data model: the visible rows (track headings and exercises), rebuilt
 * whenever the filter or the search changes; the selected exercise is
 * kept as a pointer so rebuilding never loses it; a scroll offset; the
 * search text and whether it is being typed.
 */
#include <stdlib.h>
#include <string.h>

#include "tui/home.h"

enum filter { F_ALL, F_TODO, F_DONE, NFILTERS };
static const char *const filter_names[] = { "all", "unfinished", "passed" };

struct row {
	const char *track;       /* a heading when ex is NULL */
	const struct pack *pack; /* the heading's pack: every pack's tracks are its own */
	const struct pack_exercise *ex;
};

struct home {
	struct row *rows;
	int nrows, top;
	const struct pack_exercise *sel;
	enum filter filter;
	char query[64];
	bool typing;
};

static bool finished(const struct ui *ui, const struct pack_exercise *ex)
{
	enum ui_mark m = ui->marks[ui_index(ui, ex)];

	return m == UI_PASSED || m == UI_FAST;
}


/* True if one of the exercise's topics (its `topics` list) holds q. */
static bool topics_contain(const struct pack_exercise *ex, const char *q)
{
	for (size_t i = 0; ex->topics && ex->topics[i]; i++)
		if (ui_contains(ex->topics[i], q))
			return true;
	return false;
}
static bool matches(const struct home *h, const struct ui *ui, const struct pack_exercise *ex)
{
	if (h->filter == F_TODO && finished(ui, ex))
		return false;
	if (h->filter == F_DONE && !finished(ui, ex))
		return false;
	if (!h->query[0])
		return true;
	/* the text too, so /mutex, /race, /leak find the exercises about them */
	return ui_contains(ex->id, h->query) || ui_contains(ex->title, h->query) ||
	       ui_contains(ex->track, h->query) || ui_contains(ex->pack->name, h->query) ||
	       (ex->text && ui_contains(ex->text, h->query)) || topics_contain(ex, h->query);
}

static void rebuild(struct home *h, struct ui *ui)
{
	const struct pack *p = ui->app->pack;
	const struct pack_exercise *prev = NULL;
	bool sel_seen = false;

	h->nrows = 0;
	for (size_t i = 0; i < p->nex; i++) {
		const struct pack_exercise *ex = &p->ex[i];

		if (!matches(h, ui, ex))
			continue;
		if (!prev || prev->pack != ex->pack || strcmp(prev->track, ex->track) != 0)
			h->rows[h->nrows++] = (struct row){ .track = ex->track, .pack = ex->pack };
		prev = ex;
		h->rows[h->nrows++] = (struct row){ .ex = ex };
		sel_seen |= ex == h->sel;
	}
	if (!sel_seen) {
		h->sel = NULL;
		for (int i = 0; i < h->nrows && !h->sel; i++)
			h->sel = h->rows[i].ex;
	}
}

static int sel_row(const struct home *h)
{
	for (int i = 0; i < h->nrows; i++)
		if (h->rows[i].ex && h->rows[i].ex == h->sel)
			return i;
	return 0;
}

/* Every exercise ex says to do first (its `after`) is finished. */
static bool ready(const struct ui *ui, const struct pack_exercise *ex)
{
	for (size_t i = 0; ex->after && ex->after[i]; i++) {
		const struct pack_exercise *before = pack_find(ui->app->pack, ex->after[i]);

		if (before && !finished(ui, before))
			return false;
	}
	return true;
}

const struct pack_exercise *home_next_todo(const struct ui *ui, const struct pack_exercise *from)
{
	const struct pack *p = ui->app->pack;
	size_t start = from ? ui_index(ui, from) + 1 : 0;

	/* one whose `after` exercises are done first; else any unfinished */
	for (int pass = 0; pass < 2; pass++)
		for (size_t k = 0; k < p->nex; k++) {
			const struct pack_exercise *ex = &p->ex[(start + k) % p->nex];

			if (!finished(ui, ex) && !ex->error && (pass || ready(ui, ex)))
				return ex;
		}
	return NULL;
}

int home_new(struct home **out, struct ui *ui)
{
	const struct pack *p = ui->app->pack;
	struct home *h = calloc(1, sizeof(*h));
	long long last = 0;

	*out = NULL;
	if (!h || !(h->rows = calloc(p->nex * 2 + 1, sizeof(*h->rows)))) {
		free(h);
		return -1;
	}
	/* where the learner left off: the exercise checked last, or the next
	 * unfinished one if that one is done */
	for (size_t i = 0; i < p->nex; i++)
		if (ui->progress[i].last_at > last) {
			last = ui->progress[i].last_at;
			h->sel = &p->ex[i];
		}
	if (!h->sel || finished(ui, h->sel)) {
		const struct pack_exercise *todo = home_next_todo(ui, h->sel);

		if (todo)
			h->sel = todo;
	}
	rebuild(h, ui);
	*out = h;
	return 0;
}

void home_free(struct home *h)
{
	if (!h)
		return;
	free(h->rows);
	free(h);
}

void home_reload(struct home *h, struct ui *ui)
{
	rebuild(h, ui);
}

/* Exercises passed and in all, of one pack's track (or of all when track is NULL). */
static void count(const struct ui *ui, const struct pack *pk, const char *track, int *done, int *total)
{
	const struct pack *p = ui->app->pack;

	*done = *total = 0;
	for (size_t i = 0; i < p->nex; i++)
		if (!track || (p->ex[i].pack == pk && strcmp(p->ex[i].track, track) == 0)) {
			(*total)++;
			*done += finished(ui, &p->ex[i]);
		}
}

void home_draw(struct home *h, struct ui *ui, struct ui_rect r)
{
	int done, total, body = r.h - 2, sel = sel_row(h), y = r.y;
	char line[128];

	/* overall progress */
	count(ui, NULL, NULL, &done, &total);
	snprintf(line, sizeof(line), "%d of %d exercises passed", done, total);
	ui_text(y, r.x + 1, r.w - 2, line, ui_attr(ui, UI_TITLE, 0));
	ui_bar(ui, y, r.x + 30, r.w - 31 > 40 ? 40 : r.w - 31, done, total);
	y++;
	if (h->typing || h->query[0] || h->filter != F_ALL) {
		snprintf(line, sizeof(line), "%s%s%s  showing: %s", h->typing || h->query[0] ? "search: " : "",
			 h->query, h->typing ? "_" : "", filter_names[h->filter]);
		ui_text(y, r.x + 1, r.w - 2, line, ui_attr(ui, UI_BUSY, 0));
	}
	y++;
	if (h->nrows == 0) {
		ui_text(y + 1, r.x + 3, r.w - 4, "no exercise matches: press Esc to show them all", A_NORMAL);
		return;
	}
	if (sel < h->top)
		h->top = sel;
	if (sel >= h->top + body)
		h->top = sel - body + 1;
	if (h->top > 0 && sel - 1 >= 0 && sel - 1 < h->top && !h->rows[sel - 1].ex)
		h->top = sel - 1;   /* keep a track's heading with its first exercise */
	for (int i = 0; i < body && h->top + i < h->nrows; i++) {
		const struct row *row = &h->rows[h->top + i];
		int ry = y + i;

		if (!row->ex) {
			int tw = r.w > 100 ? 30 : 20;

			count(ui, row->pack, row->track, &done, &total);
			/* a pack other than the first names itself: "pack: track" */
			if (row->pack != ui->app->pack)
				snprintf(line, sizeof(line), "%s: %s", row->pack->name, row->track);
			else
				snprintf(line, sizeof(line), "%s", row->track);
			ui_text(ry, r.x + 1, tw, line, ui_attr(ui, UI_TITLE, A_BOLD));
			ui_bar(ui, ry, r.x + 1 + tw, 22, done, total);
			snprintf(line, sizeof(line), "%d/%d", done, total);
			ui_text(ry, r.x + 24 + tw, 10, line, ui_attr(ui, UI_DIM, 0));
			continue;
		}
		{
			size_t k = ui_index(ui, row->ex);
			enum ui_mark m = ui->marks[k];
			bool is_sel = row->ex == h->sel;
			attr_t a = is_sel ? A_REVERSE : A_NORMAL;
			int idw = r.w >= 100 ? 28 : 24;

			ui_fill(ry, r.x, r.w, a);
			ui_text(ry, r.x + 3, 1, ui_mark_glyph(ui, m), ui_attr(ui, ui_mark_color(m), a));
			ui_text(ry, r.x + 5, idw, row->ex->id, a);
			ui_text(ry, r.x + 6 + idw, r.w - idw - 36, row->ex->title, a);
			if (ui->progress[k].attempts) {
				const struct record_progress *pr = &ui->progress[k];

				/* the mark is the current state; the best is its own column */
				if (pr->passed)
					snprintf(line, sizeof(line), "best: passed");
				else
					snprintf(line, sizeof(line), "best: %d/%d", pr->best_passed, pr->best_total);
				ui_text(ry, r.x + r.w - 28, 13, line, ui_attr(ui, UI_DIM, a));
				snprintf(line, sizeof(line), "%3d check%s", pr->attempts, pr->attempts == 1 ? " " : "s");
				ui_text(ry, r.x + r.w - 14, 13, line, ui_attr(ui, UI_DIM, a));
			} else if (row->ex->error) {
				ui_text(ry, r.x + r.w - 14, 13, "broken script", ui_attr(ui, UI_BAD, a));
			}
		}
	}
}

static void move_sel(struct home *h, int dir)
{
	int i = sel_row(h) + dir;

	while (i >= 0 && i < h->nrows && !h->rows[i].ex)
		i += dir;
	if (i >= 0 && i < h->nrows)
		h->sel = h->rows[i].ex;
}

static int k_down(void *v, struct ui *ui)
{
	(void)ui;
	move_sel(v, 1);
	return UI_HANDLED | UI_REDRAW;
}

static int k_up(void *v, struct ui *ui)
{
	(void)ui;
	move_sel(v, -1);
	return UI_HANDLED | UI_REDRAW;
}

static int k_page(void *v, struct ui *ui)
{
	(void)ui;
	move_sel(v, LINES / 2);
	return UI_HANDLED | UI_REDRAW;
}

static int k_page_up(void *v, struct ui *ui)
{
	(void)ui;
	move_sel(v, -LINES / 2);
	return UI_HANDLED | UI_REDRAW;
}

static int k_open(void *v, struct ui *ui)
{
	struct home *h = v;

	if (!h->sel)
		return UI_HANDLED;
	ui->ex = h->sel;
	return UI_HANDLED | UI_OPEN;
}

/* n: open the next unfinished exercise, in one key: the one under the
 * cursor if it is unfinished (skipping it would lose the learner's place),
 * else the next one ready to do. */
static int k_next(void *v, struct ui *ui)
{
	struct home *h = v;
	const struct pack_exercise *ex = h->sel && !finished(ui, h->sel) && !h->sel->error ? h->sel
										 : home_next_todo(ui, h->sel);

	if (!ex) {
		snprintf(ui->msg, sizeof(ui->msg), "every exercise has passed: well done");
		return UI_HANDLED | UI_REDRAW;
	}
	if (!matches(h, ui, ex)) {
		h->filter = F_ALL;
		h->query[0] = '\0';
	}
	h->sel = ex;
	rebuild(h, ui);
	ui->ex = ex;
	return UI_HANDLED | UI_OPEN;
}

static int k_filter(void *v, struct ui *ui)
{
	struct home *h = v;

	h->filter = (h->filter + 1) % NFILTERS;
	rebuild(h, ui);
	return UI_HANDLED | UI_REDRAW;
}

static int k_search(void *v, struct ui *ui)
{
	struct home *h = v;

	(void)ui;
	h->typing = true;
	h->query[0] = '\0';
	rebuild(h, ui);
	return UI_HANDLED | UI_REDRAW;
}

static int k_clear(void *v, struct ui *ui)
{
	struct home *h = v;

	h->query[0] = '\0';
	h->filter = F_ALL;
	rebuild(h, ui);
	return UI_HANDLED | UI_REDRAW;
}

static int k_check_all(void *v, struct ui *ui)
{
	(void)v, (void)ui;
	return UI_HANDLED | UI_CHECK_ALL;
}

static int k_quit(void *v, struct ui *ui)
{
	(void)v, (void)ui;
	return UI_QUIT;
}

const struct ui_key home_keys[] = {
	{ 0, 0, "j/k", "move", true, NULL },   /* the footer's; the help lists each */
	{ 'j', KEY_DOWN, "j/\u2193", "move down", false, k_down },
	{ 'k', KEY_UP, "k/\u2191", "move up", false, k_up },
	{ KEY_NPAGE, 0, "PgDn", "page down", false, k_page },
	{ KEY_PPAGE, 0, "PgUp", "page up", false, k_page_up },
	{ '\n', KEY_RIGHT, "Enter", "open", true, k_open },
	{ 'l', KEY_ENTER, "l/\u2192", "open the exercise", false, k_open },
	{ 'n', 0, "n", "next unfinished", true, k_next },
	{ 'a', 0, "a", "check every exercise started again", false, k_check_all },
	{ 'f', 0, "f", "filter", true, k_filter },
	{ '/', 0, "/", "search", true, k_search },
	{ 27, 0, "Esc", "clear the search and filter", false, k_clear },
	{ '?', 0, "?", "help", true, NULL },
	{ 'q', 0, "q", "quit", true, k_quit },
	{ 0, 0, NULL, NULL, false, NULL },
};

int home_key(struct home *h, struct ui *ui, int key)
{
	if (h->typing) {
		size_t n = strlen(h->query);

		if (key == '\n' || key == KEY_ENTER) {
			h->typing = false;
		} else if (key == 27) {
			h->typing = false;
			h->query[0] = '\0';
		} else if (key == KEY_BACKSPACE || key == 127 || key == 8) {
			if (n)
				h->query[n - 1] = '\0';
		} else if (key == KEY_DOWN || key == KEY_UP) {
			move_sel(h, key == KEY_DOWN ? 1 : -1);
			return UI_HANDLED | UI_REDRAW;
		} else if (key >= 0x20 && key < 0x7f && n + 1 < sizeof(h->query)) {
			h->query[n] = (char)key;
			h->query[n + 1] = '\0';
		} else {
			return UI_HANDLED;
		}
		rebuild(h, ui);
		return UI_HANDLED | UI_REDRAW;
	}
	return ui_dispatch(home_keys, h, ui, key);
}
