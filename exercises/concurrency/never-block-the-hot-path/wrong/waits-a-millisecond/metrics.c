/* Wrong: "wait a little, then drop": a send with a 1 ms deadline still
 * waits a whole millisecond for every event while the exporter is slow. */
#include "metrics.h"

void metrics_emit(struct metrics *m, int64_t value)
{
	if (go_send_until(m->events, &value, go_now() + GO_MILLISECOND) != GO_OK)       /* wrong: test anywhere */
		go_atomic_int64_add(&m->dropped, 1);
}

int64_t metrics_dropped(struct metrics *m)
{
	return go_atomic_int64_load(&m->dropped);
}
