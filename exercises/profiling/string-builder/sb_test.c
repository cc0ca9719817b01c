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

/* Geometric growth, counted: a megabyte from 8-byte appends takes a few
 * dozen allocations when cap grows by a factor (doubling from 64: 15) and
 * one per step when it grows by a fixed amount (4096 bytes: 256). Counts
 * are exact, so this holds on any machine, under any load. */
CL_TEST(a_megabyte_in_few_allocations) {
	struct sb b = SB_INIT;
	long before = cl_allocs(), made = 0;
	int i;

	/* stops once over the budget: a quadratic builder would take
	 * minutes to finish the megabyte */
	for (i = 0; i < 1 << 17 && made <= 64; i++) {
		sb_append(&b, "01234567");
		made = cl_allocs() - before;
	}
	CL_EXPECT_MSG(made <= 64,
		      "building 1 MiB from 8-byte appends, the string was only %d bytes long when it had taken %ld "
		      "allocations (malloc and realloc calls): a cap that grows by a factor takes a few dozen for the "
		      "whole megabyte (doubling from 64 takes 15), one that grows by a fixed amount one per amount",
		      i * 8, made);
	if (made <= 64) {
		CL_EXPECT(b.len == 1 << 20);
		CL_LOG("1 MiB from 8-byte appends: %ld allocations", made);
	}
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
