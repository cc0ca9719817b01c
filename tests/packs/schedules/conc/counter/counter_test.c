#include <chanlab_test.h>
#include "counter.h"

static long total;
static go_waitgroup wg = GO_WAITGROUP_INIT;

static void adder(void *arg)
{
	(void)arg;
	for (int i = 0; i < 3; i++)
		counter_add(&total);
	go_waitgroup_done(&wg);
}

CL_TEST(four_goroutines_add_twelve)
{
	go_waitgroup_add(&wg, 4);
	for (int i = 0; i < 4; i++)
		go_spawn(adder, NULL);
	go_waitgroup_wait(&wg);
	CL_EXPECT_INT(total, 12);
	CL_LOG("four adders done");   /* every schedule says it: the result says it once */
	CL_LOG("total %ld", total);   /* the failing schedule's, not the passing ones' */
}
