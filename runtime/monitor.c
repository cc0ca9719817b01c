/*
 * monitor.c — the monitor thread (Go's sysmon), and the runtime's main().
 *
 * Data model
 *   The monitor holds no P and runs no goroutines.  Every few milliseconds
 *   it looks at each running P: if p->schedtick has not moved for 10 ms, the
 *   G there has run a whole time slice without giving up the P, so the
 *   monitor sets p->preempt; the G yields at its next runtime call
 *   (preemption is cooperative).  It also marks the G a long runner, which
 *   the goroutine dump shows.  When every P is idle it backs off to 20 ms.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <time.h>

#include "internal.h"

#define SLICE_NS (10 * 1000 * 1000)

static void *monitor(void *arg)
{
	(void)arg;
	for (;;) {
		int64_t now = go_now();
		int idle = 0, n = go__nallocp();
		for (int i = 0; i < n; i++) {
			go__p *p = go__allp(i);
			if (ld_relaxed(&p->status) != GO__P_RUNNING) {
				idle++;
				continue;
			}
			uint32_t tick = ld_relaxed(&p->schedtick);
			if (tick != p->mon_tick || p->mon_when == 0) {
				p->mon_tick = tick;
				p->mon_when = now;
				continue;
			}
			if (now - p->mon_when >= SLICE_NS) {
				go__m *m = ld_acquire(&p->m);
				go__g *g = m ? ld_acquire(&m->curg) : NULL;
				if (g && ld_relaxed(&g->status) == GO__G_RUNNING)
					st_relaxed(&g->long_runner, true);
				st_relaxed(&p->preempt, 1);
				p->mon_when = now;
			}
		}
		struct timespec ts = { 0, idle == n ? 20000000 : 2000000 };
		nanosleep(&ts, NULL);
	}
	return NULL;
}

void go__monitor_start(void)
{
	pthread_t t;
	pthread_attr_t attr;

	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	pthread_attr_setstacksize(&attr, 64 * 1024);
	if (pthread_create(&t, &attr, monitor, NULL) != 0)
		go__fatal("cannot start the monitor thread");
	pthread_attr_destroy(&attr);
}
