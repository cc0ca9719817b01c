/* spawn_test.c: instructor tests for own-your-argument, one process each.
 * The handler counts how often each id was handled. */
#include <chanlab_test.h>

#include "spawn.h"

#define MAX 1000

static atomic_int seen[MAX], out_of_range, returned;

static void handle(int id)
{
	if (id >= 0 && id < MAX)
		atomic_fetch_add(&seen[id], 1);
	else
		atomic_fetch_add(&out_of_range, 1);
	go_yield();
	atomic_fetch_add(&returned, 1);
}

/* Starts n workers and expects each id 0..n-1 handled exactly once. */
static void start_and_expect(int n)
{
	int never = 0, twice = 0, first_never = -1, first_twice = -1;

	start_workers(n, handle);
	CL_EXPECT_MSG(atomic_load(&returned) == n,
		      "start_workers returned when %d of %d handlers had returned", atomic_load(&returned), n);
	CL_EXPECT_MSG(atomic_load(&out_of_range) == 0,
		      "%d workers were handed an id outside 0..%d", atomic_load(&out_of_range), n - 1);
	for (int id = 0; id < n; id++) {
		int k = atomic_load(&seen[id]);

		if (k == 0 && never++ == 0)
			first_never = id;
		if (k > 1 && twice++ == 0)
			first_twice = id;
	}
	CL_EXPECT_MSG(never == 0 && twice == 0,
		      "of %d ids, %d were never handled (the first: %d) and %d more than once (the first: id %d, %d times)",
		      n, never, first_never, twice, first_twice, first_twice >= 0 ? atomic_load(&seen[first_twice]) : 0);
}

CL_TEST(no_workers_handle_nothing) {
	start_and_expect(0);
}

CL_TEST(one_worker_handles_id_0) {
	start_and_expect(1);
}

CL_TEST(eight_workers_each_handle_their_own_id) {
	start_and_expect(8);
}

CL_TEST(a_thousand_workers_each_handle_their_own_id) {
	start_and_expect(MAX);
}
