/*
 * monitor.c — the monitor thread (Go's sysmon).
 *
 * Data model
 *   The monitor holds no P and runs no goroutines.  Every 2 ms (20 ms when
 *   every P is idle) it looks at each running P:
 *   - p->schedtick has not moved for 10 ms: the Gs there have used up their
 *     time slice (a G run from runnext inherits the slice of the G that
 *     readied it), so it sets p->preempt, and the running G yields at its
 *     next runtime call (cooperative preemption), or at once if it is in
 *     the program's own code (preempt.c: SIGURG, asynchronous preemption);
 *   - p->switchtick has not moved while the thread used 10 ms of CPU: one G
 *     has run all that time without a switch, and is marked a long runner,
 *     which the goroutine dump shows.  CPU time, not wall time, so that a
 *     busy machine does not make a G look like one.
 *   - the P is in a system call it was already in at the last look (its
 *     syscalltick has not moved): the monitor takes it from the M and
 *     hands it to another (go__retake), so a goroutine blocked in read(2)
 *     does not stop the others (Go's retake);
 *   mon_* fields of a P are the monitor's own memory of the last look.
 *   Every 100 ms it gives spare goroutine stacks' pages back to the kernel
 *   (go__stack_scavenge, Go's background scavenger).
 *   It also serves the fatal paths' requests to flush stdout (panic.c):
 *   it holds no lock of stdio or malloc, so it may take them.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <time.h>

#include "internal.h"
#include "san.h"
#include "preempt.h"
#include "trace.h"

#define SLICE_NS (10 * 1000 * 1000)

static int64_t cputime(go__m *m)
{
	struct timespec ts;

	if (clock_gettime(m->cpuclock, &ts) != 0)
		return 0;
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void *monitor(void *arg)
{
	(void)arg;
	go__san_runtime_thread();
	go__quit_thread();
	for (;;) {
		go__fatal_poll();
		int64_t now = go_now();
		go__stack_scavenge(now);
		int idle = 0, n = go__nallocp();
		for (int i = 0; i < n; i++) {
			go__p *p = go__allp(i);
			int status = ld_relaxed(&p->status);
			if (status == GO__P_SYSCALL) {
				/* in a system call since the last look: hand the P
				 * to another M (traced as Go does: the goroutine
				 * blocks in the call, the P stops) */
				uint32_t t = ld_relaxed(&p->syscalltick);
				if (t != p->mon_syscalltick)
					p->mon_syscalltick = t;
				else
					go__retake(p);
				continue;
			}
			if (status != GO__P_RUNNING) {
				idle++;
				continue;
			}
			/* the same G for 10 ms of CPU time: it runs without yielding
			 * (CPU time, so a busy machine does not make it look so) */
			uint32_t sw = ld_relaxed(&p->switchtick);
			go__m *m = ld_acquire(&p->m);
			int64_t cpu = m ? cputime(m) : 0;
			if (sw != p->mon_switch || p->mon_switch_cpu == 0) {
				p->mon_switch = sw;
				p->mon_switch_cpu = cpu;
			} else if (cpu - p->mon_switch_cpu >= SLICE_NS) {
				go__g *g = ld_acquire(&m->curg);
				if (g && ld_relaxed(&g->status) == GO__G_RUNNING)
					st_relaxed(&g->long_runner, true);
			}
			/* the same time slice for 10 ms: ask for a yield */
			uint32_t tick = ld_relaxed(&p->schedtick);
			if (tick != p->mon_tick || p->mon_when == 0) {
				p->mon_tick = tick;
				p->mon_when = now;
			} else if (now - p->mon_when >= SLICE_NS) {
				st_relaxed(&p->preempt, 1);
				/* and now, if it is at a safe point; not if it went into
				 * a system call since the look above (on a busy machine
				 * this thread may have been away meanwhile): the signal
				 * would cut a learner's sleep short with EINTR */
				if (ld_acquire(&p->status) == GO__P_RUNNING && ld_acquire(&p->m) == m)
					go__preempt_signal(m);
				p->mon_when = now;
			}
		}
		struct timespec ts = { 0, idle == n ? 20000000 : 2000000 };
		nanosleep(&ts, NULL);
	}
	return NULL;
}

void go__start_thread(pthread_t *t, void *(*fn)(void *), void *arg, size_t stack, const char *what)
{
	pthread_t ignored;
	pthread_attr_t attr;

	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	pthread_attr_setstacksize(&attr, stack);
	go__san_thread_create_begin();
	if (pthread_create(t ? t : &ignored, &attr, fn, arg) != 0)
		go__fatal(what);
	go__san_thread_create_end();
	pthread_attr_destroy(&attr);
}

void go__monitor_start(void)
{
	go__start_thread(NULL, monitor, NULL, 64 * 1024, "cannot start the monitor thread");
}
