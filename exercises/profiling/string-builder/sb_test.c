/* sb_test.c: instructor tests and the benchmark for string-builder. */
#include <chanlab_test.h>

#include "sb.h"

CL_TEST(empty) {
	struct sb b = SB_INIT;

	CL_EXPECT_STR(sb_str(&b), "");
	CL_EXPECT_INT(b.len, 0);
	sb_free(&b);
}

CL_TEST(two_appends) {
	struct sb b = SB_INIT;

	sb_append(&b, "go");
	sb_append(&b, "pher");
	CL_EXPECT_STR(sb_str(&b), "gopher");
	CL_EXPECT_INT(b.len, 6);
	sb_free(&b);
}

CL_TEST(empty_append) {
	struct sb b = SB_INIT;

	sb_append(&b, "x");
	sb_append(&b, "");
	CL_EXPECT_STR(sb_str(&b), "x");
	sb_free(&b);
}

CL_TEST(long_string) {
	struct sb b = SB_INIT;

	for (int i = 0; i < 10000; i++)
		sb_append(&b, "ab");
	CL_ASSERT(b.len == 20000);
	CL_EXPECT(b.cap >= b.len + 1);
	CL_EXPECT(b.s[0] == 'a' && b.s[19999] == 'b' && b.s[20000] == '\0');
	sb_free(&b);
}

CL_TEST(free_empties) {
	struct sb b = SB_INIT;

	sb_append(&b, "gone");
	sb_free(&b);
	CL_EXPECT(b.s == NULL);
	CL_EXPECT_INT(b.len, 0);
	sb_append(&b, "again");
	CL_EXPECT_STR(sb_str(&b), "again");
	sb_free(&b);
}

/* One op: build a 4000-byte string from 1000 appends. */
CL_BENCH(build_4k) {
	for (long i = 0; i < b->n; i++) {
		struct sb s = SB_INIT;

		for (int k = 0; k < 1000; k++)
			sb_append(&s, "word");
		if (s.len != 4000)
			abort();
		sb_free(&s);
	}
}
