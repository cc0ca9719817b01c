/* total_test.c: instructor tests. */
#include <chanlab_test.h>

#include "total.h"

CL_TEST(empty) {
	CL_EXPECT_INT(total_sum(NULL, 0), 0);
}

CL_TEST(several) {
	int xs[] = { 1, 2, 3, 4 };

	CL_EXPECT_INT(total_sum(xs, 4), 10);
}
