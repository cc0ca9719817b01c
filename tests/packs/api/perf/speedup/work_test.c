/* work_test.c: the harness. */
#include <chanlab_test.h>

#include "spin.h"
#include "work.h"

CL_TEST(small) {
	CL_EXPECT_INT(triangle(0), 0);
	CL_EXPECT_INT(triangle(1), 1);
	CL_EXPECT_INT(triangle(4), 10);
	CL_LOG("spun to %lu", spin(10) & 1);
}

CL_TEST(large) {
	CL_EXPECT_INT(triangle(2000), 2001000);
}

CL_BENCH(triangle_2000) {
	for (long i = 0; i < b->n; i++)
		if (triangle(2000) != 2001000)
			abort();
}
