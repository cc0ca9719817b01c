/* Telemetry on the hot path: the reference solution. */
#include "metrics.h"

void metrics_emit(struct metrics *m, int64_t value)
{
	/* select { case events <- value: default: dropped.Add(1) } */
	if (!go_try_send(m->events, &value))
		go_atomic_int64_add(&m->dropped, 1);
}

int64_t metrics_dropped(struct metrics *m)
{
	return go_atomic_int64_load(&m->dropped);
}
