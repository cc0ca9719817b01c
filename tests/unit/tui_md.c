/* The shell's text layer: Markdown layout (wide characters included) and
 * the JSON reader for check results. */
#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "tests/tap.h"
#include "tui/json.h"
#include "tui/md.h"

static int line_width(const struct md_line *l)
{
	int w = l->indent;

	for (size_t k = 0; k < l->nspans; k++)
		w += md_width(l->spans[k].text, strlen(l->spans[k].text));
	return w;
}

static int max_width(const struct md_doc *d)
{
	int m = 0;

	for (size_t i = 0; i < d->nlines; i++)
		if (line_width(&d->lines[i]) > m)
			m = line_width(&d->lines[i]);
	return m;
}

/* The text of line i, all spans joined. */
static const char *text(const struct md_doc *d, size_t i)
{
	static char buf[1024];

	buf[0] = '\0';
	for (size_t k = 0; i < d->nlines && k < d->lines[i].nspans; k++)
		strncat(buf, d->lines[i].spans[k].text, sizeof(buf) - strlen(buf) - 1);
	return buf;
}

static int style_of(const struct md_doc *d, const char *word)
{
	for (size_t i = 0; i < d->nlines; i++)
		for (size_t k = 0; k < d->lines[i].nspans; k++)
			if (strcmp(d->lines[i].spans[k].text, word) == 0)
				return d->lines[i].spans[k].style;
	return -1;
}

static void test_md(void)
{
	struct md_doc d;
	const char *cjk = "日本語のテキストはスペースなしでも正しく折り返されるべきです。";
	bool all_full = true, none_split = true;

	ok(md_layout(&d, "# Title\n\nA paragraph that is long enough to wrap at twenty columns.\n", 20) == 0,
	   "lays out a heading and a paragraph");
	ok(d.lines[0].spans[0].style & MD_HEADING, "the heading is styled");
	is_str(text(&d, 0), "Title", "without its #");
	ok(max_width(&d) <= 20, "no line is wider than the width (%d)", max_width(&d));
	is_str(text(&d, 2), "A paragraph that is", "words fill a line");
	md_release(&d);

	is_int(md_width("日本", strlen("日本")), 4, "a CJK character is two columns wide");
	md_layout(&d, cjk, 21);
	ok(max_width(&d) <= 21, "CJK text without spaces wraps within the width (%d)", max_width(&d));
	for (size_t i = 0; i + 1 < d.nlines; i++)
		all_full &= line_width(&d.lines[i]) == 20;
	ok(all_full && d.nlines > 2, "breaking between wide characters, never through one (%zu lines)", d.nlines);
	for (size_t i = 0; i < d.nlines; i++)
		none_split &= strlen(text(&d, i)) % 3 == 0;
	ok(none_split, "each line holds whole UTF-8 characters");
	md_release(&d);

	md_layout(&d, "- one item whose words run on past the width\n- two\n1. first\n", 24);
	ok(d.lines[0].spans[0].style & MD_BULLET, "a list item starts with a bullet");
	is_int(d.lines[1].indent, d.lines[0].indent + md_width(d.lines[0].spans[0].text, strlen(d.lines[0].spans[0].text)),
	       "and its next lines hang under its text");
	ok(strstr(text(&d, d.nlines - 1), "1. first") != NULL, "numbered items keep their number");
	md_release(&d);

	md_layout(&d, "Use `go_spawn` with *care* and **always** check snake_case_names.\n\n```\n\tint x;  // a very long line of code that must not be wrapped at spaces\n```\n", 40);
	ok(style_of(&d, "go_spawn") == MD_CODE, "`code` is code");
	ok(style_of(&d, "care") == MD_EM, "*emphasis*");
	ok(style_of(&d, "always") == MD_STRONG, "**strong**");
	ok(strstr(text(&d, 0), "snake_case_names") || strstr(text(&d, 1), "snake_case_names"),
	   "underscores inside words are not emphasis");
	{
		bool block = false, tab = false;

		for (size_t i = 0; i < d.nlines; i++)
			if (d.lines[i].nspans && d.lines[i].spans[d.lines[i].nspans - 1].style == MD_BLOCK) {
				block = true;
				tab |= strncmp(text(&d, i), "    int x;", 10) == 0;
			}
		ok(block && tab, "a fenced block is code, its tab expanded");
		ok(max_width(&d) <= 40, "a long code line wraps within the width");
	}
	md_release(&d);

	md_layout(&d, "red \x1b[31mtext\x1b[0m and a bell\a\n", 60);
	ok(!strchr(text(&d, 0), '\x1b') && !strchr(text(&d, 0), '\a'), "control characters never reach the screen");
	md_release(&d);
}

static void test_json(void)
{
	struct json *j = NULL;
	const struct json *tests;

	ok(json_parse(&j, "{\"version\":2,\"status\":\"fail\",\"seconds\":0.412,\"tests\":[{\"name\":\"build\","
			  "\"status\":\"pass\",\"report\":null},{\"name\":\"t\\u00e9st \\ud83d\\ude00\\n\",\"ok\":true}]}") == 0,
	   "parses a result");
	is_str(json_str(j, "status"), "fail", "a string member");
	ok(json_num(j, "seconds") > 0.41 && json_num(j, "seconds") < 0.42, "a number member");
	tests = json_get(j, "tests");
	ok(tests && tests->type == JSON_ARR && tests->nkids == 2, "an array");
	is_str(json_str(&tests->kids[1], "name"), "t\xc3\xa9st \xf0\x9f\x98\x80\n", "escapes and surrogate pairs decode to UTF-8");
	ok(json_get(&tests->kids[0], "report")->type == JSON_NULL, "null");
	is_str(json_str(j, "no-such-field"), "", "a missing member reads as empty");
	ok(json_get(NULL, "x") == NULL && json_num(j, "status") == 0, "lookups never fail");
	json_free(j);

	ok(json_parse(&j, "{\"a\":") < 0 && !j, "a cut-off result is refused");
	ok(json_parse(&j, "[1,]") < 0, "a trailing comma is refused");
	ok(json_parse(&j, "{} x") < 0, "text after the value is refused");
	{
		char deep[300];

		memset(deep, '[', sizeof(deep) - 1);
		deep[sizeof(deep) - 1] = '\0';
		ok(json_parse(&j, deep) < 0, "deep nesting is refused, not a stack overflow");
	}
	ok(json_parse(&j, "\"\\u12") < 0, "a cut-off escape is refused");
}

int main(void)
{
	setlocale(LC_ALL, "C.UTF-8");
	plan(32);
	test_md();
	test_json();
	return done();
}
