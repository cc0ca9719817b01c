/* wc_test.c: instructor tests for lock-contention, one process per case:
 * wordcount's tables against a plain count on one goroutine. */
#include <chanlab_test.h>
#include <stdlib.h>
#include <string.h>

#include "table_more.h"

/* Counts text with `workers` goroutines and compares with the plain
 * count. */
static void check_text(const char *text, int workers)
{
	struct wc_table *got = table_new(), *want = table_new();
	const char *w;
	long g = 0, x = 0;

	CL_ASSERT(got && want);
	wordcount(text, workers, got);
	corpus_count(text, want);
	w = table_diff(got, want, &g, &x);
	CL_EXPECT_MSG(!w, "with %d workers, '%s' was counted %ld times; it is in the text %ld times", workers,
		      w ? w : "", g, x);
	CL_EXPECT_MSG(table_total(got) == table_total(want), "with %d workers, %ld words counted; the text has %ld",
		      workers, table_total(got), table_total(want));
	table_free(got);
	table_free(want);
}

CL_TEST(counts_a_small_text) {
	struct wc_table *t = table_new();

	CL_ASSERT(t);
	wordcount("the cat and the dog and the bird", 2, t);
	CL_EXPECT_INT(table_get(t, "the", 3), 3);
	CL_EXPECT_INT(table_get(t, "and", 3), 2);
	CL_EXPECT_INT(table_get(t, "cat", 3), 1);
	CL_EXPECT_INT(table_get(t, "bird", 4), 1);
	CL_EXPECT_INT(table_len(t), 5);
	table_free(t);
}

CL_TEST(words_cut_by_the_parts_are_counted_once) {
	check_text("abcdefghij abcdefghij abcdefghij", 4);
	check_text("a b c d e f g h", 16);
	check_text("onlyoneword", 3);
}

CL_TEST(empty_text) {
	struct wc_table *t = table_new();

	CL_ASSERT(t);
	wordcount("", 4, t);
	wordcount("  ,. ", 4, t);
	CL_EXPECT_INT(table_len(t), 0);
	table_free(t);
}

CL_TEST(counts_add_to_what_the_table_holds) {
	struct wc_table *t = table_new();

	CL_ASSERT(t);
	table_inc(t, "go", 2, 5);
	wordcount("go go away", 2, t);
	CL_EXPECT_INT(table_get(t, "go", 2), 7);
	CL_EXPECT_INT(table_get(t, "away", 4), 1);
	table_free(t);
}

CL_TEST(one_and_four_workers_agree_on_a_megabyte) {
	size_t len = strcmp(cl_flavour(), "tsan") == 0 ? 256 << 10 : 1 << 20;
	char *text = corpus_make(len, 11);

	CL_ASSERT(text);
	check_text(text, 1);
	check_text(text, 4);
	free(text);
}

/* One op: the words of 1 MiB, with 4 workers on two threads. */
CL_BENCH(count_1mb) {
	static char *text;

	cl_stop_timer(b);
	go_gomaxprocs(2);
	if (!text)
		text = corpus_make(1 << 20, 5);
	cl_start_timer(b);
	for (long k = 0; k < b->n && text; k++) {
		struct wc_table *t = table_new();

		wordcount(text, 4, t);
		table_free(t);
	}
}
