/*
 * time.c — the clock, sleep, timers and tickers on per-P timer heaps
 * (Go's time.go).
 *
 * Data model
 *   Every time in the runtime is go_now(): CLOCK_MONOTONIC in nanoseconds
 *   (Go's nanotime), so deadlines do not move when the wall clock does.
 *
 *   Each P has a binary min-heap of go__timer ordered by when, guarded by
 *   p->timer_lock; p->timer0_when mirrors the earliest deadline (0: none)
 *   so schedulers can look without locking.  A timer is in at most one
 *   heap: t->p says which (NULL: not armed), and t->p only changes under
 *   that heap's lock.  t->running counts its functions in flight (a
 *   ticker may fire on two Ms at once), so freeing a timer can wait them out.
 *
 *   Timers run from findrunnable: an M runs the expired timers of its own
 *   P and, before it goes idle, of every P; an idle M sleeps until the
 *   earliest deadline over all Ps (go__timers_next), and a timer armed for
 *   sooner than that wakes one (go__wake_for_timer, Go's wakeNetPoller):
 *   a P busy with one goroutine does not hold up the timers armed on it.
 *   A timer's function runs on g0 and must not block: it readies a G, or
 *   sends on a channel without blocking.
 *
 *   go_sleep and the deadline forms arm the G's own timer (g->sleep_timer)
 *   from the park commit on g0, so it cannot fire before the G is parked.
 */
#define _GNU_SOURCE
#include <stdlib.h>

#include "det.h"
#include "internal.h"
#include "san.h"

struct go_timer {
	go__timer t;
};

/* --- the clock (Go's nanotime) ------------------------------------------ */

int64_t go_now(void)
{
	struct timespec ts;

	if (__builtin_expect(go__det, 0))
		return go__det_now;         /* deterministic runs: virtual time (det.c) */
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* --- the per-P heaps ---------------------------------------------------- */

static void heap_up(go__timer **h, int i)
{
	go__timer *t = h[i];
	while (i > 0) {
		int parent = (i - 1) / 2;
		if (h[parent]->when <= t->when)
			break;
		h[i] = h[parent];
		h[i]->index = i;
		i = parent;
	}
	h[i] = t;
	t->index = i;
}

static void heap_down(go__timer **h, int n, int i)
{
	go__timer *t = h[i];
	for (;;) {
		int c = 2 * i + 1;
		if (c >= n)
			break;
		if (c + 1 < n && h[c + 1]->when < h[c]->when)
			c++;
		if (t->when <= h[c]->when)
			break;
		h[i] = h[c];
		h[i]->index = i;
		i = c;
	}
	h[i] = t;
	t->index = i;
}

static void update_timer0(go__p *p)
{
	st_relaxed(&p->timer0_when, p->ntimers ? p->timers[0]->when : 0);
}

/* p->timer_lock held */
static void heap_add(go__p *p, go__timer *t)
{
	if (p->ntimers == p->timers_cap) {
		int cap = p->timers_cap ? 2 * p->timers_cap : 16;
		go__timer **h = realloc(p->timers, (size_t)cap * sizeof *h);
		if (h == NULL)
			go__fatal("out of memory growing a timer heap");
		p->timers = h;
		p->timers_cap = cap;
	}
	p->timers[p->ntimers] = t;
	st_relaxed(&t->p, p);
	heap_up(p->timers, p->ntimers++);
	update_timer0(p);
}

/* p->timer_lock held */
static void heap_del(go__p *p, go__timer *t)
{
	int i = t->index, last = --p->ntimers;
	if (i != last) {
		p->timers[i] = p->timers[last];
		p->timers[i]->index = i;
		heap_down(p->timers, p->ntimers, i);
		heap_up(p->timers, p->timers[i]->index);
	}
	st_relaxed(&t->p, NULL);
	update_timer0(p);
}

void go__timer_start(go__timer *t, int64_t when)
{
	go__p *p = go__getm()->p;

	if (when <= 0)
		when = 1;
	go__lock_acquire(&p->timer_lock);
	t->when = when;
	heap_add(p, t);
	go__lock_release(&p->timer_lock);
	if (!go__det)
		go__wake_for_timer(when);
}

bool go__timer_stop(go__timer *t)
{
	for (;;) {
		go__p *p = ld_acquire(&t->p);
		if (p == NULL)
			return false;
		go__lock_acquire(&p->timer_lock);
		if (ld_relaxed(&t->p) == p) {
			heap_del(p, t);
			go__lock_release(&p->timer_lock);
			return true;
		}
		go__lock_release(&p->timer_lock);
	}
}

int64_t go__timers_run(go__p *p, int64_t now)
{
	go__lock_acquire(&p->timer_lock);
	while (p->ntimers > 0 && p->timers[0]->when <= now) {
		go__timer *t = p->timers[0];
		if (t->period > 0) {
			t->when += t->period;
			if (t->when <= now)  /* fell behind: skip missed ticks */
				t->when = now + t->period;
			heap_down(p->timers, p->ntimers, 0);
			update_timer0(p);
		} else {
			heap_del(p, t);
		}
		xadd(&t->running, 1);   /* a ticker may run on two Ms at once */
		go__lock_release(&p->timer_lock);
		t->f(t->arg, now);
		xadd(&t->running, -1u);
		go__lock_acquire(&p->timer_lock);
	}
	int64_t next = p->ntimers ? p->timers[0]->when : 0;
	go__lock_release(&p->timer_lock);
	return next;
}

int64_t go__timers_next(void)
{
	int64_t next = 0;

	for (int i = 0, n = go__nallocp(); i < n; i++) {
		int64_t w = ld_relaxed(&go__allp(i)->timer0_when);
		if (w != 0 && (next == 0 || w < next))
			next = w;
	}
	return next;
}

/* --- sleeping and deadlines --------------------------------------------- */

static void ready_g(void *arg, int64_t now)
{
	(void)now;
	go__ready(arg);
}

/* A select with a deadline: wake it unless a case won first. */
static void select_timeout(void *arg, int64_t now)
{
	go__g *g = arg;
	uint32_t zero = 0;

	(void)now;
	if (cas(&g->select_done, &zero, 1)) {
		g->param = NULL;
		go__ready(g);
	}
}

static go__timer *g_timer(go__g *g)
{
	if (g->sleep_timer == NULL) {
		g->sleep_timer = calloc(1, sizeof *g->sleep_timer);
		if (g->sleep_timer == NULL)
			go__fatal("out of memory allocating a timer");
	}
	while (ld_acquire(&g->sleep_timer->running))  /* an old callback in flight */
		go__cpu_relax();
	return g->sleep_timer;
}

static bool start_sleep(go__g *g, void *arg)
{
	(void)arg;
	go__timer_start(g->sleep_timer, g->sleep_timer->when);
	return true;
}

void go_sleep_at(int64_t d, const char *file, int line)
{
	go__g *g = go__getg();

	if (d <= 0) {
		go_yield();
		return;
	}
	go__timer *t = g_timer(g);
	t->f = ready_g;
	t->arg = g;
	t->period = 0;
	t->when = go_now() + d;
	go__park(start_sleep, NULL, "sleep", file, line);
}

/* Called by select (chan.c) from its park commit, on g0. */
go__timer *go__select_timer(go__g *g, int64_t deadline)
{
	go__timer *t = g_timer(g);
	t->f = select_timeout;
	t->arg = g;
	t->period = 0;
	t->when = deadline;
	return t;
}

void go__select_timer_arm(go__g *g)
{
	go__timer_start(g->sleep_timer, g->sleep_timer->when);
}

/* --- timers and tickers ------------------------------------------------- */

static void send_time(void *arg, int64_t now)
{
	go__timer *t = arg;
	go__chan_send_nb(t->c, &now);
}

static void spawn_func(void *arg, int64_t now)
{
	go__timer *t = arg;
	(void)now;
	go__race_acquire(t);    /* the arming call happens before fn */
	go_spawn_at(t->fn, t->fnarg, "go_timer_func", 0);
}

static go_timer *timer_new(int64_t d, int64_t period, bool with_chan)
{
	go_timer *gt = calloc(1, sizeof *gt);
	if (gt == NULL)
		return NULL;
	go__timer *t = &gt->t;
	if (with_chan) {
		t->c = go_chan_make(sizeof(int64_t), 1);
		if (t->c == NULL) {
			free(gt);
			return NULL;
		}
		t->f = send_time;
	} else {
		t->f = spawn_func;
	}
	t->arg = t;
	t->period = period;
	go__timer_start(t, go_now() + d);
	return gt;
}

go_chan *go_after(int64_t d)
{
	go_timer *gt = timer_new(d, 0, true);
	if (gt == NULL)
		return NULL;
	go__chan_set_timer(gt->t.c, &gt->t);
	return gt->t.c;
}

void go__timer_stop_wait(go__timer *t)
{
	go__timer_stop(t);
	while (ld_acquire(&t->running))
		go__cpu_relax();
}

void go__timer_chan_freed(go__timer *t)
{
	go__timer_stop_wait(t);
	free(t);    /* the go_timer that embeds it; go_chan_free frees c */
}

go_timer *go_timer_new(int64_t d)
{
	return timer_new(d, 0, true);
}

go_timer *go_timer_func(int64_t d, void (*fn)(void *), void *arg)
{
	go_timer *gt = calloc(1, sizeof *gt);
	if (gt == NULL)
		return NULL;
	gt->t.f = spawn_func;
	gt->t.arg = &gt->t;
	gt->t.fn = fn;
	gt->t.fnarg = arg;
	go__race_release(&gt->t);
	go__timer_start(&gt->t, go_now() + d);
	return gt;
}

go_timer *go_ticker_new(int64_t period)
{
	if (period <= 0)
		go_panic("non-positive interval for go_ticker_new");
	return timer_new(period, period, true);
}

go_chan *go_timer_chan(go_timer *t)
{
	return t->t.c;
}

bool go_timer_stop(go_timer *t)
{
	return go__timer_stop(&t->t);
}

bool go_timer_reset(go_timer *t, int64_t d)
{
	bool active = go__timer_stop(&t->t);
	if (t->t.period > 0)
		t->t.period = d > 0 ? d : 1;
	go__race_release(&t->t);
	go__timer_start(&t->t, go_now() + d);
	return active;
}

void go_timer_free(go_timer *t)
{
	if (t == NULL)
		return;
	go__timer_stop_wait(&t->t);
	if (t->t.c)
		go_chan_free(t->t.c);
	free(t);
}
