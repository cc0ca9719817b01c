/* Wrong: the summary starts from the first reading, which is right when
 * there is one; with no readings it returns a struct nobody set. */
#include "stats.h"

struct stats stats_of(const int *ms, int n, int limit)
{
	struct stats st;

	if (n == 0)
		return st;              /* wrong: test anywhere */
	st.count = 1;
	st.total = ms[0];
	st.slowest = ms[0];
	st.slow = ms[0] > limit;
	for (int i = 1; i < n; i++) {
		st.count++;
		st.total += ms[i];
		if (ms[i] > st.slowest)
			st.slowest = ms[i];
		if (ms[i] > limit)
			st.slow++;
	}
	return st;
}
