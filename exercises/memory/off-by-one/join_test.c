/* join_test.c: instructor tests for off-by-one, one process each. */
#include <stdlib.h>
#include <string.h>

#include <chanlab_test.h>

#include "join.h"

CL_TEST(no_parts) {
	char *s = join(NULL, 0, ", ");

	CL_ASSERT(s != NULL);
	CL_EXPECT_STR(s, "");
	free(s);
}

CL_TEST(one_part) {
	const char *parts[] = { "gopher" };
	char *s = join(parts, 1, ", ");

	CL_EXPECT_STR(s, "gopher");
	free(s);
}

CL_TEST(two_parts) {
	const char *parts[] = { "share", "memory" };
	char *s = join(parts, 2, " ");

	CL_EXPECT_STR(s, "share memory");
	free(s);
}

CL_TEST(a_separator_of_two) {
	const char *parts[] = { "a", "bb", "ccc", "dddd" };
	char *s = join(parts, 4, ", ");

	CL_EXPECT_STR(s, "a, bb, ccc, dddd");
	free(s);
}

CL_TEST(an_empty_separator) {
	const char *parts[] = { "go", "ph", "er" };
	char *s = join(parts, 3, "");

	CL_EXPECT_STR(s, "gopher");
	free(s);
}

CL_TEST(empty_parts) {
	const char *parts[] = { "", "", "" };
	char *s = join(parts, 3, "/");

	CL_EXPECT_STR(s, "//");
	free(s);
}

CL_TEST(a_path) {
	const char *parts[] = { "usr", "local", "share", "chanlab" };
	char *s = join(parts, 4, "/");

	CL_EXPECT_STR(s, "usr/local/share/chanlab");
	free(s);
}

CL_TEST(a_hundred_words) {
	const char *parts[100];
	char *s;

	for (int i = 0; i < 100; i++)
		parts[i] = "word";
	s = join(parts, 100, " - ");
	CL_ASSERT(s != NULL);
	CL_EXPECT_INT(strlen(s), 100 * 4 + 99 * 3);
	CL_EXPECT(strncmp(s, "word - word - ", 14) == 0);
	CL_EXPECT_STR(s + strlen(s) - 7, " - word");
	free(s);
}
