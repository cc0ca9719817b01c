/* Wrong: a static struct does start at zero, but only once: the second
 * call adds its readings to the first call's totals. */
#include "stats.h"

struct stats stats_of(const int *ms, int n, int limit)
{
	static struct stats st;         /* wrong: test anywhere */

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
