/* words_test.c: instructor tests for word-split, one process each. */
#include <chanlab_test.h>

#include "words.h"

CL_TEST(no_words) {
	int n = -1;
	char **w = words_split("  \t ", &n);

	CL_EXPECT_INT(n, 0);
	CL_EXPECT(w == NULL);
	words_free(w, n);
}

CL_TEST(one_word) {
	int n = 0;
	char **w = words_split("channel", &n);

	CL_ASSERT(n == 1);
	CL_EXPECT_STR(w[0], "channel");
	words_free(w, n);
}

CL_TEST(several_words) {
	int n = 0;
	char **w = words_split("do not communicate by sharing memory", &n);

	CL_ASSERT(n == 6);
	CL_EXPECT_STR(w[0], "do");
	CL_EXPECT_STR(w[5], "memory");
	words_free(w, n);
}

CL_TEST(extra_spaces) {
	int n = 0;
	char **w = words_split("  share memory \t by\ncommunicating  ", &n);

	CL_ASSERT(n == 4);
	CL_EXPECT_STR(w[2], "by");
	CL_EXPECT_STR(w[3], "communicating");
	words_free(w, n);
}

CL_TEST(many_lines) {
	for (int round = 0; round < 100; round++) {
		int n = 0;
		char **w = words_split("a bb ccc dddd", &n);

		CL_ASSERT(n == 4);
		CL_EXPECT_STR(w[3], "dddd");
		words_free(w, n);
	}
}
