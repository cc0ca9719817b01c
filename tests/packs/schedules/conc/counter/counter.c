#include "go.h"
#include "counter.h"

void counter_add(long *n)
{
	long v = *n;

	go_sched_point();       /* the harness explores the gap between read and write */
	*n = v + 1;
}
