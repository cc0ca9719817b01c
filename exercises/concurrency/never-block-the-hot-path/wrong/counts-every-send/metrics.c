/* Wrong: the test the wrong way round: counts the events that were sent
 * as dropped, and the dropped ones not at all. */
#include "metrics.h"

void metrics_emit(struct metrics *m, int64_t value)
{
	if (go_try_send(m->events, &value))
		go_atomic_int64_add(&m->dropped, 1);    /* wrong: test anywhere */
}

int64_t metrics_dropped(struct metrics *m)
{
	return go_atomic_int64_load(&m->dropped);
}
