/* Wrong: three of the four fields are zeroed one by one, and slowest is
 * forgotten: the first comparison with it reads garbage. */
#include "stats.h"

struct stats stats_of(const int *ms, int n, int limit)
{
	struct stats st;

	st.count = 0;
	st.total = 0;
	st.slow = 0;
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
