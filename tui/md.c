/*
 * md — Markdown to laid-out lines; see md.h.
 *
 * Two passes per block. The block pass walks the source line by line
 * (fences, headings, list items, quotes, blank lines) and gathers a
 * paragraph's text; the inline pass turns that text into characters with
 * a style and a display width; the wrap pass fills lines greedily by
 * words, breaking inside a word only when it is wider than the line.
 */
#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "base/buf.h"
#include "lua/pack.h"
#include "tui/md.h"

struct ch {
	const char *p;          /* into the paragraph's text, or a literal */
	int len, width, style;
	bool space;
};

struct chars {
	struct ch *v;
	size_t n, cap;
};

struct layout {
	struct md_doc *doc;
	int width;
	bool oom;
};

/* One character of s (at most n bytes): its length and display width. */
static int next_char(const char *s, size_t n, int *width)
{
	mbstate_t st = { 0 };
	wchar_t wc;
	size_t len = mbrtowc(&wc, s, n, &st);

	if (len == (size_t)-1 || len == (size_t)-2 || len == 0) {
		*width = 1;
		return 1;
	}
	*width = wcwidth(wc);
	if (*width < 0)
		*width = 1;
	return (int)len;
}

int md_width(const char *s, size_t n)
{
	int total = 0, w;

	for (size_t i = 0; i < n;) {
		i += (size_t)next_char(s + i, n - i, &w);
		total += w;
	}
	return total;
}

static void push_ch(struct layout *l, struct chars *c, struct ch ch)
{
	if (c->n == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 256;
		struct ch *v = realloc(c->v, cap * sizeof(*v));

		if (!v) {
			l->oom = true;
			return;
		}
		c->v = v, c->cap = cap;
	}
	c->v[c->n++] = ch;
}

static struct md_line *new_line(struct layout *l, int indent)
{
	struct md_doc *d = l->doc;
	struct md_line *lines = realloc(d->lines, (d->nlines + 1) * sizeof(*lines));

	if (!lines) {
		l->oom = true;
		return NULL;
	}
	d->lines = lines;
	lines[d->nlines] = (struct md_line){ .indent = indent };
	return &lines[d->nlines++];
}

/* Appends bytes to the line's last span if the style matches, else a new span. */
static void add_text(struct layout *l, struct md_line *line, const char *p, int len, int style)
{
	struct md_span *sp = line->nspans ? &line->spans[line->nspans - 1] : NULL;
	size_t old;
	char *t;

	if (!line || l->oom)
		return;
	if (!sp || sp->style != style) {
		sp = realloc(line->spans, (line->nspans + 1) * sizeof(*sp));
		if (!sp) {
			l->oom = true;
			return;
		}
		line->spans = sp;
		sp = &sp[line->nspans++];
		*sp = (struct md_span){ .text = NULL, .style = style };
	}
	old = sp->text ? strlen(sp->text) : 0;
	if (!(t = realloc(sp->text, old + (size_t)len + 1))) {
		l->oom = true;
		return;
	}
	memcpy(t + old, p, (size_t)len);
	t[old + (size_t)len] = '\0';
	sp->text = t;
}

static void add_ch(struct layout *l, struct md_line *line, const struct ch *c)
{
	/* control characters and bad bytes never reach the screen */
	if (c->len == 1 && ((unsigned char)*c->p < 0x20 || *c->p == 0x7f || (unsigned char)*c->p >= 0x80))
		add_text(l, line, "?", 1, c->style);
	else
		add_text(l, line, c->p, c->len, c->style);
}

/* Breaks text into characters with their inline styles. */
static void inline_chars(struct layout *l, struct chars *out, const char *s, int base)
{
	int style = base;
	size_t n = strlen(s);

	for (size_t i = 0; i < n;) {
		char c = s[i];
		bool prev_alnum = i > 0 && isalnum((unsigned char)s[i - 1]);
		bool next_alnum = i + 1 < n && isalnum((unsigned char)s[i + 1]);
		struct ch ch = { .p = s + i, .style = style };

		if (c == '`') {
			style ^= MD_CODE;
			i++;
			continue;
		}
		if (!(style & MD_CODE)) {
			if (c == '\\' && i + 1 < n && ispunct((unsigned char)s[i + 1])) {
				i++;
				ch.p = s + i;
			} else if (c == '*' && i + 1 < n && s[i + 1] == '*') {
				style ^= MD_STRONG;
				i += 2;
				continue;
			} else if ((c == '*' || c == '_') && ((style & MD_EM) ? !next_alnum : !prev_alnum) &&
				   i + 1 < n && s[i + 1] != ' ' && (c == '*' || !prev_alnum)) {
				style ^= MD_EM;
				i++;
				continue;
			} else if ((c == '*' || c == '_') && (style & MD_EM) && !next_alnum) {
				style ^= MD_EM;
				i++;
				continue;
			}
		}
		ch.len = next_char(s + i, n - i, &ch.width);
		ch.space = ch.len == 1 && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n');
		if (ch.space)
			ch.p = " ", ch.width = 1;
		push_ch(l, out, ch);
		i += (size_t)ch.len;
	}
}

/* Fills lines from chars: first line after prefix (a bullet, "1. ", a quote
 * bar), the following ones indented as far as the prefix reaches. */
static void wrap(struct layout *l, const struct chars *c, int indent, const char *prefix, int pstyle)
{
	int pw = prefix ? md_width(prefix, strlen(prefix)) : 0;
	int avail = l->width - indent - pw, col = 0;
	struct md_line *line = new_line(l, indent);
	size_t i = 0;

	if (avail < 8)
		avail = 8;
	if (prefix)
		add_text(l, line, prefix, (int)strlen(prefix), pstyle);
	while (i < c->n && !l->oom) {
		size_t j;
		int ww = 0;

		while (i < c->n && c->v[i].space)
			i++;
		for (j = i; j < c->n && !c->v[j].space; j++)
			ww += c->v[j].width;
		if (i == j)
			break;
		if (col > 0 && col + 1 + ww > avail) {
			line = new_line(l, indent + pw);
			if (pstyle & MD_QUOTE)
				add_text(l, line, prefix, (int)strlen(prefix), pstyle), line->indent = indent;
			col = 0;
		}
		if (col > 0) {
			add_ch(l, line, &c->v[i - 1]);
			col++;
		}
		for (; i < j; i++) {
			if (col + c->v[i].width > avail && col > 0) {
				line = new_line(l, indent + pw);
				col = 0;
			}
			add_ch(l, line, &c->v[i]);
			col += c->v[i].width;
		}
	}
}

static void blank(struct layout *l)
{
	struct md_doc *d = l->doc;

	if (d->nlines && d->lines[d->nlines - 1].nspans)
		new_line(l, 0);
}

/* A line of a code block, hard-wrapped; tabs become spaces. */
static void code_line(struct layout *l, const char *s, size_t n)
{
	int avail = l->width - 4, col = 0, w;
	struct md_line *line = new_line(l, 2);

	add_text(l, line, "", 0, MD_BLOCK);
	for (size_t i = 0; i < n && !l->oom;) {
		struct ch ch = { .p = s + i, .style = MD_BLOCK };

		if (s[i] == '\t') {
			do
				add_text(l, line, " ", 1, MD_BLOCK), col++;
			while (col % 4);
			i++;
			continue;
		}
		ch.len = next_char(s + i, n - i, &w);
		ch.width = w;
		if (col + w > avail) {
			line = new_line(l, 4);
			col = 0;
		}
		add_ch(l, line, &ch);
		col += w;
		i += (size_t)ch.len;
	}
}

struct para {
	struct buf text;
	int indent, style;
	char prefix[16];
	bool open;
};

static void flush(struct layout *l, struct para *p)
{
	struct chars c = { 0 };

	if (!p->open)
		return;
	inline_chars(l, &c, p->text.s ? p->text.s : "", p->style);
	wrap(l, &c, p->indent, p->prefix[0] ? p->prefix : NULL,
	     p->style & MD_QUOTE ? MD_QUOTE : MD_BULLET);
	free(c.v);
	buf_release(&p->text);
	p->open = false;
	p->prefix[0] = '\0';
	if (p->text.oom)
		l->oom = true;
}

static void start(struct para *p, int indent, int style, const char *prefix)
{
	buf_init(&p->text);
	p->open = true;
	p->indent = indent;
	p->style = style;
	strncpy(p->prefix, prefix ? prefix : "", sizeof(p->prefix) - 1);
	p->prefix[sizeof(p->prefix) - 1] = '\0';
}

static size_t list_marker(const char *s, char *prefix, size_t size)
{
	size_t i = 0;

	if ((s[0] == '-' || s[0] == '*' || s[0] == '+') && s[1] == ' ') {
		snprintf(prefix, size, "%s ", MB_CUR_MAX > 1 ? "\u2022" : "*");
		return 2;
	}
	while (isdigit((unsigned char)s[i]) && i < 4)
		i++;
	if (i > 0 && (s[i] == '.' || s[i] == ')') && s[i + 1] == ' ') {
		snprintf(prefix, size, "%.*s. ", (int)i, s);
		return i + 2;
	}
	return 0;
}

int md_layout(struct md_doc *doc, const char *text, int width)
{
	struct layout l = { doc, width < 20 ? 20 : width, false };
	struct para p = { .open = false };
	bool fence = false;

	memset(doc, 0, sizeof(*doc));
	for (const char *s = text ? text : ""; *s && !l.oom;) {
		const char *nl = strchr(s, '\n');
		size_t n = nl ? (size_t)(nl - s) : strlen(s), sp = 0, m;
		const char *t;
		char prefix[16];

		while (sp < n && s[sp] == ' ')
			sp++;
		t = s + sp;
		if (fence) {
			if (strncmp(t, "```", 3) == 0 || strncmp(t, "~~~", 3) == 0) {
				fence = false;
				blank(&l);
			} else {
				code_line(&l, s, n);
			}
		} else if (strncmp(t, "```", 3) == 0 || strncmp(t, "~~~", 3) == 0) {
			flush(&l, &p);
			blank(&l);
			fence = true;
		} else if (sp == n) {
			flush(&l, &p);
			blank(&l);
		} else if (*t == '#') {
			int level = 0;

			while (t[level] == '#')
				level++;
			flush(&l, &p);
			blank(&l);
			start(&p, 0, MD_HEADING | (level == 1 ? MD_STRONG : 0), NULL);
			while (t[level] == ' ')
				level++;
			buf_add(&p.text, t + level, n - sp - (size_t)level);
			flush(&l, &p);
			blank(&l);
		} else if ((m = list_marker(t, prefix, sizeof(prefix))) > 0) {
			flush(&l, &p);
			start(&p, 2 + (int)(sp / 2) * 2, 0, prefix);
			buf_add(&p.text, t + m, n - sp - m);
		} else if (*t == '>') {
			if (!p.open || !(p.style & MD_QUOTE)) {
				flush(&l, &p);
				start(&p, 0, MD_QUOTE, MB_CUR_MAX > 1 ? "\u2502 " : "| ");
			}
			t += t[1] == ' ' ? 2 : 1;
			buf_add(&p.text, " ", 1);
			buf_add(&p.text, t, n - (size_t)(t - s));
		} else if (sp >= 4 && !p.open) {
			code_line(&l, s + 4, n - 4);
		} else {
			if (!p.open)
				start(&p, 0, 0, NULL);
			buf_add(&p.text, " ", 1);
			buf_add(&p.text, t, n - sp);
		}
		s += n + (nl ? 1 : 0);
	}
	flush(&l, &p);
	while (doc->nlines && !doc->lines[doc->nlines - 1].nspans)
		free(doc->lines[--doc->nlines].spans);
	if (l.oom) {
		md_release(doc);
		return -1;
	}
	return 0;
}

void md_release(struct md_doc *doc)
{
	for (size_t i = 0; i < doc->nlines; i++) {
		for (size_t k = 0; k < doc->lines[i].nspans; k++)
			free(doc->lines[i].spans[k].text);
		free(doc->lines[i].spans);
	}
	free(doc->lines);
	memset(doc, 0, sizeof(*doc));
}

void md_exercise(struct buf *md, const struct pack *p, const struct pack_exercise *ex,
		 bool (*done)(const struct pack_exercise *, const void *), const void *arg)
{
	const char *text = ex->text ? ex->text : "", *body = text;
	bool meta = ex->time > 0 || (ex->after && ex->after[0]);

	/* the heading first, if the text opens with one */
	if (text[0] == '#') {
		body = strchr(text, '\n');
		body = body ? body + 1 : text + strlen(text);
		buf_add(md, text, (size_t)(body - text));
		buf_puts(md, "\n");
	}
	if (meta) {
		if (ex->time > 0)
			buf_printf(md, "About %d minutes.", ex->time);
		for (size_t i = 0; ex->after && ex->after[i]; i++) {
			const struct pack_exercise *before = pack_find(p, ex->after[i]);

			buf_printf(md, "%s`%s`%s", i ? ", " : (ex->time > 0 ? " Do first: " : "Do first: "),
				   ex->after[i], done && before && done(before, arg) ? " (done)" : "");
		}
		buf_puts(md, ex->after && ex->after[0] ? ".\n\n" : "\n\n");
	}
	buf_puts(md, body);
	if (ex->learn && ex->learn[0]) {
		buf_puts(md, "\n\n## Learn more\n\n");
		for (size_t i = 0; ex->learn[i]; i++)
			buf_printf(md, "- %s\n", ex->learn[i]);
	}
}
