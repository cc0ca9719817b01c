/* words_test.c: instructor tests and the benchmark for find-the-hotspot. */
#include <chanlab_test.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"
#include "words.h"

CL_TEST(every_stop_word_is_one) {
	for (int i = 0; i < NSTOPWORDS; i++)
		CL_EXPECT_MSG(is_stopword(stopwords[i], strlen(stopwords[i])), "'%s' is a stop word", stopwords[i]);
}

CL_TEST(other_words_are_not) {
	static const char *const not[] = { "goroutine", "ab", "abou", "abouts", "zzz", "aa", "yourselvesx", "" };

	for (size_t i = 0; i < sizeof(not) / sizeof(not[0]); i++)
		CL_EXPECT_MSG(!is_stopword(not[i], strlen(not[i])), "'%s' is not a stop word", not[i]);
}

CL_TEST(a_prefix_is_not_the_word) {
	/* "the" is a stop word; its first two letters, "th", are not */
	CL_EXPECT(!is_stopword("these", 2));
	CL_EXPECT(is_stopword("these", 3));
	CL_EXPECT(is_stopword("these", 5));
}

CL_TEST(a_sentence) {
	CL_EXPECT_INT(count_content_words("the scheduler runs a goroutine on the first free p"), 5);
	CL_EXPECT_INT(count_content_words(""), 0);
	CL_EXPECT_INT(count_content_words("  \n "), 0);
}

CL_TEST(a_long_text) {
	long want;
	const char *text = text_make(200000, &want);

	CL_EXPECT_INT(count_content_words(text), want);
}

/* One op: count the content words of a 20 000-word text. */
CL_BENCH(count_20k_words) {
	long want;
	const char *text = text_make(20000, &want);

	cl_reset_timer(b);
	for (long i = 0; i < b->n; i++)
		if (count_content_words(text) != want)
			abort();
}
