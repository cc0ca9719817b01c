/* Wrong: never waits, but counts drops in a counter of its own with a
 * plain ++: goroutines that drop at once lose each other's counts. */
#include "metrics.h"

static int64_t dropped;

void metrics_emit(struct metrics *m, int64_t value)
{
	if (!go_try_send(m->events, &value))
		dropped++;              /* wrong: sanitizer */
}

int64_t metrics_dropped(struct metrics *m)
{
	(void)m;
	return dropped;
}
