/* Telemetry on the hot path: see the exercise text (chanlab shows it). */
#include "metrics.h"

void metrics_emit(struct metrics *m, int64_t value)
{
	go_send(m->events, &value);     /* waits whenever the exporter is behind */
}

int64_t metrics_dropped(struct metrics *m)
{
	return go_atomic_int64_load(&m->dropped);
}
