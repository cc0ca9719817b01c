/*
 * md — an exercise's Markdown laid out as lines for a given width.
 *
 * Headings, paragraphs, bulleted and numbered lists (with hanging indent),
 * block quotes, fenced and indented code blocks, `code`, *emphasis* and
 * **strong**. Widths are display columns (wcwidth), so CJK and other wide
 * characters wrap and align; a line with no space breaks between
 * characters. No terminal here: each span carries style bits the shell
 * maps to attributes.
 */
#ifndef TUI_MD_H
#define TUI_MD_H

#include <stdbool.h>

#include <stddef.h>

enum md_style {
	MD_STRONG = 1, MD_EM = 2, MD_CODE = 4, MD_HEADING = 8, MD_BLOCK = 16, MD_QUOTE = 32,
	MD_BULLET = 64,
};

struct md_span {
	char *text;             /* UTF-8, no control characters */
	int style;              /* md_style bits */
};

struct md_line {
	int indent;             /* columns before the first span */
	struct md_span *spans;
	size_t nspans;
};

struct md_doc {
	struct md_line *lines;
	size_t nlines;
};

/* Lays out text for width columns into doc (release with md_release).
 * 0 or -1 (out of memory). */
int md_layout(struct md_doc *doc, const char *text, int width);
void md_release(struct md_doc *doc);

/* The display width of the first n bytes of s (control characters
 * count as 1; invalid bytes count as 1). */
int md_width(const char *s, size_t n);

/* The exercise's text as the shell and `chanlab text` show it, Markdown
 * into md: after its heading, a line of what it asks first (about how
 * many minutes, which exercises to do before it, "(done)" where done says
 * so; done may be NULL), then the text, then its "learn more" list. */
struct buf;
struct pack;
struct pack_exercise;
void md_exercise(struct buf *md, const struct pack *p, const struct pack_exercise *ex,
		 bool (*done)(const struct pack_exercise *, const void *), const void *arg);

#endif
