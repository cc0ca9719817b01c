#include <chanlab_test.h>

#include "cache.h"

/* the counters themselves: each block counts at its allocator's size */
CL_TEST(counts_what_is_live) {
	long before = cl_inuse();
	char *volatile p = malloc(1000), *volatile q;   /* kept: -O2 drops an unused pair */

	CL_EXPECT(cl_inuse() - before >= 1000);
	q = realloc(p, 100000);
	CL_EXPECT(cl_inuse() - before >= 100000);
	CL_EXPECT(cl_inuse_peak() - before >= 100000);
	free(q);
	CL_EXPECT_INT(cl_inuse(), before);
	cl_inuse_reset_peak();
	CL_EXPECT_INT(cl_inuse_peak(), before);
	p = calloc(10, 100);
	q = strdup("a string");
	CL_EXPECT(cl_inuse() - before >= 1009);
	free(p);
	free(q);
	free(NULL);
	CL_EXPECT_INT(cl_inuse(), before);
	/* aligned blocks too: counted when made, and when freed */
	p = aligned_alloc(64, 640);
	CL_EXPECT(cl_inuse() - before >= 640);
	free(p);
	CL_EXPECT(posix_memalign((void **)&q, 64, 6400) == 0);
	CL_EXPECT(cl_inuse() - before >= 6400);
	free(q);
	CL_EXPECT_INT(cl_inuse(), before);
}

/* the lesson: a long run keeps what it needs and no more */
CL_TEST(forgets_the_old) {
	char s[64];
	long before = cl_inuse();

	for (int i = 0; i < 100000; i++) {
		snprintf(s, sizeof(s), "entry number %d, with some text", i);
		cache_put(s);
	}
	CL_EXPECT_MSG(cl_inuse() - before < 4096, "%ld bytes still held after 100000 puts", cl_inuse() - before);
	cache_clear();
	CL_EXPECT_INT(cl_inuse(), before);
}
