#include <chanlab_test.h>
#include <stdlib.h>
#include "work.h"

static volatile unsigned long sink;

CL_TEST(heavy_then_light) {
	sink = heavy(150000000);
	sink = light(150000000);
	CL_EXPECT(sink != 0);
}

CL_TEST(copies) {
	for (int i = 0; i < 1000; i++)
		free(copy_of("a string of forty bytes, or near enough"));
}
