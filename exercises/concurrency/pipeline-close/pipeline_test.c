/* pipeline_test.c: instructor tests for pipeline-close, one process each. */
#include <chanlab_test.h>

#include "pipeline.h"

CL_TEST(no_numbers) {
	CL_EXPECT_INT(pipeline_sum_squares(NULL, 0), 0);
}

CL_TEST(one_number) {
	int xs[] = { 7 };

	CL_EXPECT_INT(pipeline_sum_squares(xs, 1), 49);
}

CL_TEST(one_to_ten) {
	int xs[10];

	for (int i = 0; i < 10; i++)
		xs[i] = i + 1;
	CL_EXPECT_INT(pipeline_sum_squares(xs, 10), 385);
}

CL_TEST(negative_numbers) {
	int xs[] = { -3, 4, -5 };

	CL_EXPECT_INT(pipeline_sum_squares(xs, 3), 50);
}

CL_TEST(many_numbers) {
	static int xs[5000];
	long want = 0;

	for (int i = 0; i < 5000; i++) {
		xs[i] = i % 100;
		want += (long)(i % 100) * (i % 100);
	}
	CL_EXPECT_INT(pipeline_sum_squares(xs, 5000), want);
}

CL_TEST(twice_in_a_row) {
	int xs[] = { 1, 2, 3 };

	CL_EXPECT_INT(pipeline_sum_squares(xs, 3), 14);
	CL_EXPECT_INT(pipeline_sum_squares(xs, 3), 14);
}
