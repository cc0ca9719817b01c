/*
 * timerwake.c — a timer armed on a P whose goroutine then runs on without
 * a pause still fires on time (tests/runtime.t): another P's idle M wakes
 * for it, as Go's wakeNetPoller has one do. At GOMAXPROCS=2 (asynchronous
 * preemption off, so nothing takes go_main off its P) go_main arms a 2 ms
 * timer and spins for 100 ms without a runtime call. Prints "on time"
 * when the timer's function ran within 20 ms of its deadline, else
 * "N ms late" (before the fix: the spin's full 98 ms).
 */
#include <stdio.h>

#include "go.h"

static int64_t due, fired;

static void fire(void *arg)
{
	(void)arg;
	__atomic_store_n(&fired, go_now(), __ATOMIC_RELEASE);
}

int go_main(int argc, char **argv)
{
	volatile unsigned long spin = 0;
	int64_t t0, late;
	go_timer *t;

	(void)argc, (void)argv;
	due = go_now() + 2 * GO_MILLISECOND;
	t = go_timer_func(2 * GO_MILLISECOND, fire, NULL);
	t0 = go_now();
	while (go_now() - t0 < 100 * GO_MILLISECOND)
		spin++;         /* go_now is the vDSO clock, not a runtime call */
	while (!__atomic_load_n(&fired, __ATOMIC_ACQUIRE))
		go_sleep(GO_MILLISECOND);
	late = (fired - due) / GO_MILLISECOND;
	if (late < 20)
		printf("on time\n");
	else
		printf("%lld ms late\n", (long long)late);
	go_timer_free(t);
	return 0;
}
