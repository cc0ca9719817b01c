/* Wrong: the helper takes the struct by value, so it zeroes its own copy
 * and the caller's st stays garbage. */
#include "stats.h"

static void stats_reset(struct stats st)
{
	st.count = 0;
	st.total = 0;
	st.slowest = 0;
	st.slow = 0;
	(void)st;
}

struct stats stats_of(const int *ms, int n, int limit)
{
	struct stats st;

	stats_reset(st);
	for (int i = 0; i < n; i++) {
		st.count++;
		st.total += ms[i];
		if (ms[i] > st.slowest)         /* wrong: sanitizer */
			st.slowest = ms[i];
		if (ms[i] > limit)
			st.slow++;
	}
	return st;
}
