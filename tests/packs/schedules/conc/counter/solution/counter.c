#include "go.h"
#include "counter.h"

static go_mutex mu = GO_MUTEX_INIT;

void counter_add(long *n)
{
	go_mutex_lock(&mu);
	long v = *n;

	go_sched_point();
	*n = v + 1;
	go_mutex_unlock(&mu);
}
