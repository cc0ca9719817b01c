/* checker/kind: one table of failure kinds, each with its explanation; the docs name the same set. */
#define _GNU_SOURCE
#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/fs.h"
#include "checker/kind.h"
#include "tests/tap.h"

/* The kind named by the backquoted word at s (which starts after a '`'),
 * or -1; *next is set past the closing '`' (or to the end of the text). */
static int word_kind(const char *s, const char **next)
{
	const char *e = strchr(s, '`');
	char word[64];

	*next = e ? e + 1 : s + strlen(s);
	if (!e || e - s >= (long)sizeof(word))
		return -1;
	snprintf(word, sizeof(word), "%.*s", (int)(e - s), s);
	return kind_lookup(word);
}

/* How many kinds the list in the line of text that starts with row names
 * ("`build`, `test`, ..." from its first kind on), each counted once; -1 if
 * the list goes on with a word that is no kind, or there is no such line. */
static int kinds_in_row(const char *text, const char *row)
{
	const char *p = text ? strstr(text, row) : NULL, *eol;
	bool seen[KIND_COUNT] = { false };
	int n = 0, k = -1;

	if (!p)
		return -1;
	eol = strchrnul(p, '\n');
	for (p += strlen(row); k < 0 && (p = memchr(p, '`', (size_t)(eol - p))); )
		if ((k = word_kind(p + 1, &p)) < 0 && p > eol)
			return -1;
	while (k >= 0 && p <= eol) {
		n += !seen[k];
		seen[k] = true;
		if (strncmp(p, ", `", 3) != 0)
			break;
		if ((k = word_kind(p + 3, &p)) < 0)
			return -1;
	}
	return n;
}

/* How many kinds the rows of the table after the paragraph that starts
 * with intro name first (| `kind` | ...), each counted once; -1 if a row
 * names no kind or there is no such table. */
static int kinds_in_table(const char *text, const char *intro)
{
	const char *p = text ? strstr(text, intro) : NULL;
	bool seen[KIND_COUNT] = { false };
	int n = 0, k;

	if (!p || !(p = strstr(p, "\n|---")))
		return -1;
	for (p = strchrnul(p + 1, '\n'); strncmp(p, "\n| `", 4) == 0; p = strchrnul(p, '\n')) {
		if ((k = word_kind(p + 4, &p)) < 0)
			return -1;
		n += !seen[k];
		seen[k] = true;
	}
	return n;
}

int main(void)
{
	struct buf names = BUF_INIT;
	bool named = true, explained = true, plain = true, unique = true, order = true;
	char *results, *authoring;
	const char *at;
	int commas = 0;

	plan(18);
	for (int k = 0; k < KIND_COUNT; k++) {
		const char *name = kind_name((enum kind)k), *why = kind_explain((enum kind)k);

		if (!name || !*name || kind_lookup(name) != k) {
			named = false;
			diag(name ? name : "(a kind with no name)");
		}
		if (!why || strlen(why) < 20) {
			explained = false;
			diag(name ? name : "?");
		} else if (!islower((unsigned char)why[0]) || why[strlen(why) - 1] == '.') {
			plain = false;
			diag(why);
		}
		for (int j = 0; j < k; j++)
			if (name && kind_name((enum kind)j) && strcmp(name, kind_name((enum kind)j)) == 0)
				unique = false;
	}
	ok(named, "every kind has a name that looks up to itself");
	ok(explained, "every kind has a one-line explanation for a learner");
	ok(plain, "explanations read like chanlab's messages (lowercase, no trailing period)");
	ok(unique, "no two kinds share a name");

	is_int(kind_lookup("build"), KIND_BUILD, "'build' is the build kind");
	is_int(kind_lookup("sanitizer"), KIND_SANITIZER, "'sanitizer' is the sanitizer kind");
	ok(kind_known("timeout") && kind_known("deadlock") && kind_known("benchmark"),
	   "timeout, deadlock and benchmark are kinds");
	ok(!kind_known("race") && !kind_known("error") && !kind_known("Build") && !kind_known("") &&
	   !kind_known(NULL) && kind_lookup(NULL) == -1,
	   "unknown, differently spelt, empty and NULL names are no kind");

	ok(kind_family(KIND_USE_AFTER_FREE) == KIND_SANITIZER && kind_family(KIND_DATA_RACE) == KIND_SANITIZER &&
	   kind_family(KIND_MEMORY_LEAK) == KIND_SANITIZER, "a use after free, a race and a memory leak are sanitizer failures");
	ok(kind_family(KIND_LEAK) == KIND_LEAK && kind_family(KIND_TEST) == KIND_TEST,
	   "a goroutine leak and a failed test are their own family");
	ok(kind_answers("sanitizer", "use-after-free") && kind_answers("sanitizer", "sanitizer") &&
	   kind_answers("use-after-free", "use-after-free"), "aimed at sanitizer answers its family, and a kind itself");
	ok(!kind_answers("use-after-free", "sanitizer") && !kind_answers("use-after-free", "overflow"),
	   "aimed at a use after free answers nothing broader and no sibling");
	ok(!kind_answers("sanitizer", "memory") && !kind_answers("leak", "memory-leak"),
	   "a goroutine leak is no memory leak; unknown names answer nothing");
	ok(kind_answers("test", NULL) && !kind_answers("sanitizer", NULL), "no kind is a failed test");

	kind_names(&names);
	at = names.s;
	ok(names.s && strncmp(names.s, "build, test, crash, ", 20) == 0, "the names are listed in table order: %s",
	   names.s ? names.s : "(none)");
	for (const char *p = names.s; p && (p = strstr(p, ", ")); p += 2)
		commas++;
	for (int k = 0; k < KIND_COUNT && order; k++)
		if (!at || !(at = strstr(at, kind_name((enum kind)k))))
			order = false;
	ok(order && commas == KIND_COUNT - 1, "the list names every kind once, separated by commas");
	buf_release(&names);

	/* the docs name the same set (prove runs in the source tree) */
	results = fs_read("docs/results.md", NULL);
	authoring = fs_read("docs/authoring.md", NULL);
	is_int(kinds_in_row(results, "| `tests[].hint_on` |"), KIND_COUNT,
	       "docs/results.md's hint_on row names every kind and nothing else");
	is_int(kinds_in_table(authoring, "The failure kinds a hint's `on` can name"), KIND_COUNT,
	       "docs/authoring.md's table of `on` values has a row per kind");
	free(results);
	free(authoring);
	return done();
}
