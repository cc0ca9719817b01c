/* metrics.h: a telemetry hook on a hot path (see the exercise text). */
#ifndef METRICS_H
#define METRICS_H

#include <stdint.h>

#include <go.h>

struct metrics {
	go_chan *events;          /* int64_t values, to the exporter; buffered */
	go_atomic_int64 dropped;  /* events that did not fit in the buffer */
};

/* Hands one event to the exporter. Called on the hot path by any number
 * of goroutines at once: it must never wait for the exporter. */
void metrics_emit(struct metrics *m, int64_t value);

/* How many events were dropped so far. */
int64_t metrics_dropped(struct metrics *m);

#endif
