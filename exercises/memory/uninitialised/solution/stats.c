/* A summary of response times: the reference solution. */
#include "stats.h"

struct stats stats_of(const int *ms, int n, int limit)
{
	struct stats st = { 0 };   /* every field zero, as Go's var st Stats */

	for (int i = 0; i < n; i++) {
		st.count++;
		st.total += ms[i];
		if (ms[i] > st.slowest)
			st.slowest = ms[i];
		if (ms[i] > limit)
			st.slow++;
	}
	return st;
}
