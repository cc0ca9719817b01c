/*
 * ui — the shared model's helpers and safe drawing; see ui.h.
 */
#include <string.h>
#include <strings.h>
#include <wchar.h>

#include "tui/md.h"
#include "tui/ui.h"

bool ui_contains(const char *hay, const char *needle)
{
	size_t n = strlen(needle);

	for (; *hay; hay++)
		if (strncasecmp(hay, needle, n) == 0)
			return true;
	return n == 0;
}

size_t ui_index(const struct ui *ui, const struct pack_exercise *ex)
{
	return (size_t)(ex - ui->app->pack->ex);
}

attr_t ui_attr(const struct ui *ui, enum ui_color c, attr_t extra)
{
	static const attr_t mono[] = {
		[UI_NORMAL] = A_NORMAL, [UI_GOOD] = A_BOLD, [UI_BAD] = A_BOLD, [UI_DIM] = A_DIM,
		[UI_TITLE] = A_BOLD, [UI_BAR] = A_REVERSE, [UI_CODE] = A_NORMAL, [UI_BUSY] = A_BOLD,
	};

	if (!ui->color || c == UI_NORMAL)
		return mono[c] | extra;
	if (c == UI_BAR)
		return A_REVERSE | extra;
	return (attr_t)COLOR_PAIR((short)c) | extra;
}

static void set_attr(attr_t a)
{
	attr_set(a & ~A_COLOR, (short)((a & A_COLOR) >> NCURSES_ATTR_SHIFT), NULL);
}

void ui_hline(int y, int x, int w, attr_t a)
{
	set_attr(a);
	mvhline(y, x, 0, w);
	set_attr(A_NORMAL);
}

int ui_textn(int y, int x, int w, const char *s, size_t n, attr_t a)
{
	int col = 0;

	set_attr(a);
	for (size_t i = 0; i < n && col < w;) {
		unsigned char c = (unsigned char)s[i];
		mbstate_t st = { 0 };
		wchar_t wc;
		size_t len;
		int cw;

		if (c < 0x20 || c == 0x7f) {
			char esc[3] = { '^', (char)(c == 0x7f ? '?' : c + '@'), '\0' };

			if (c == '\t')
				esc[0] = ' ', esc[1] = '\0';
			if (col + (int)strlen(esc) > w)
				break;
			mvaddstr(y, x + col, esc);
			col += (int)strlen(esc);
			i++;
			continue;
		}
		len = mbrtowc(&wc, s + i, n - i, &st);
		if (len == (size_t)-1 || len == (size_t)-2 || len == 0 || (cw = wcwidth(wc)) < 0) {
			mvaddch(y, x + col, '?');
			col++;
			i++;
			continue;
		}
		if (col + cw > w)
			break;
		mvaddnstr(y, x + col, s + i, (int)len);
		col += cw;
		i += len;
	}
	set_attr(A_NORMAL);
	return col;
}

int ui_text(int y, int x, int w, const char *s, attr_t a)
{
	return ui_textn(y, x, w, s, strlen(s), a);
}

void ui_fill(int y, int x, int w, attr_t a)
{
	set_attr(a);
	mvhline(y, x, ' ', w);
	set_attr(A_NORMAL);
}

void ui_bar(const struct ui *ui, int y, int x, int w, int done, int total)
{
	int inner = w - 2, full = total > 0 ? done * inner / total : 0;

	if (inner < 1)
		return;
	ui_text(y, x, 1, "[", A_NORMAL);
	for (int i = 0; i < inner; i++) {
		if (ui->utf8)
			ui_text(y, x + 1 + i, 1, i < full ? "\u2588" : "\u00b7",
				i < full ? ui_attr(ui, UI_GOOD, 0) : ui_attr(ui, UI_DIM, 0));
		else
			ui_text(y, x + 1 + i, 1, i < full ? "#" : "-", i < full ? ui_attr(ui, UI_GOOD, 0) : A_NORMAL);
	}
	ui_text(y, x + w - 1, 1, "]", A_NORMAL);
}

const char *ui_mark_glyph(const struct ui *ui, enum ui_mark m)
{
	static const char *const utf8[] = { "\u00b7", "\u2717", "\u2713", "\u2605", "!" };
	static const char *const ascii[] = { ".", "x", "+", "*", "!" };

	return ui->utf8 ? utf8[m] : ascii[m];
}

enum ui_color ui_mark_color(enum ui_mark m)
{
	static const enum ui_color c[] = { UI_DIM, UI_BAD, UI_GOOD, UI_GOOD, UI_BAD };

	return c[m];
}

int ui_dispatch(const struct ui_key *keys, void *view, struct ui *ui, int key)
{
	for (const struct ui_key *k = keys; k->label; k++)
		if (k->run && (key == k->key || (k->alt && key == k->alt)))
			return k->run(view, ui);
	return 0;
}

void ui_keys(const struct ui *ui, int y, const struct ui_key *keys)
{
	int x = 1;

	ui_fill(y, 0, COLS, ui_attr(ui, UI_BAR, 0));
	for (const struct ui_key *k = keys; k->label; k++) {
		int need;

		if (!k->footer)
			continue;
		need = md_width(k->label, strlen(k->label)) + md_width(k->help, strlen(k->help)) + 3;
		if (x + need > COLS)
			break;
		x += ui_text(y, x, COLS - x, k->label, ui_attr(ui, UI_BAR, A_BOLD));
		x += ui_text(y, x + 1, COLS - x - 1, k->help, ui_attr(ui, UI_BAR, 0)) + 3;
	}
}

void ui_help(const struct ui *ui, struct ui_rect r, const char *title, const struct ui_key *keys)
{
	int n = 0, w = 56, h, y, x;

	for (const struct ui_key *k = keys; k->label; k++)
		n += k->key != 0 || k->run;   /* a footer-only row is not a key */
	h = n + 4;
	if (h > r.h)
		h = r.h;
	if (w > r.w)
		w = r.w;
	y = r.y + (r.h - h) / 2;
	x = r.x + (r.w - w) / 2;
	for (int i = 0; i < h; i++)
		ui_fill(y + i, x, w, ui_attr(ui, UI_BAR, 0));
	ui_text(y + 1, x + 2, w - 4, title, ui_attr(ui, UI_BAR, A_BOLD));
	for (int i = 0, row = 0; keys[i].label && row < n && row + 3 < h - 1; i++) {
		if (keys[i].key == 0 && !keys[i].run)
			continue;
		ui_text(y + 3 + row, x + 2, 12, keys[i].label, ui_attr(ui, UI_BAR, A_BOLD));
		ui_text(y + 3 + row, x + 15, w - 17, keys[i].help, ui_attr(ui, UI_BAR, 0));
		row++;
	}
}

void ui_expand_tabs(struct buf *b, const char *s, size_t n, size_t from)
{
	size_t col = 0;

	for (size_t i = 0; i < n; i++) {
		if (i >= from && s[i] == '\t') {
			do
				buf_puts(b, " ");
			while (++col % 8);
			continue;
		}
		buf_add(b, &s[i], 1);
		if (i >= from && ((unsigned char)s[i] & 0xc0) != 0x80)
			col++;
	}
}

enum ui_color ui_diff_color(const char *line)
{
	if (*line == '+' && strncmp(line, "+++", 3) != 0)
		return UI_GOOD;
	if (*line == '-' && strncmp(line, "---", 3) != 0)
		return UI_BAD;
	if (*line == '@' || strncmp(line, "diff ", 5) == 0)
		return UI_TITLE;
	return UI_NORMAL;
}
