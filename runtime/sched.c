/*
 * sched.c — the G/M/P scheduler, after Go's runtime/proc.go.
 *
 * Data model
 *   go__sched_state (one, guarded by .lock unless noted):
 *     midle      Ms with nothing to do, each asleep on its own note
 *     pidle      Ps no M holds; npidle counts them (atomic for readers)
 *     nmspinning Ms looking for work without having found any (atomic)
 *     runq_*     the global run queue, a list through g->sched_link
 *     gfree      dead Gs spilled from the Ps' free lists (gfree_lock)
 *     allg       every G ever made, for the deadlock dump (allg_lock)
 *   P: a bounded ring runq[head..tail) plus runnext, lock-free: only the
 *     owner adds at tail; the owner and thieves take at head with CAS.
 *     runnext is the G to run next; it inherits the current time slice.
 *   M: a thread; g0 is its scheduler context on the thread's own stack.
 *   G: status moves RUNNABLE -> RUNNING -> (WAITING -> RUNNABLE ...) -> DEAD.
 *
 * Life of a switch: a G that parks, yields or exits records in m->after
 * what g0 should do, then switches to g0.  Back on g0, schedule() does it
 * (e.g. releases the channel lock the G parked under: only now, off the
 * G's stack, may anyone make the G runnable again), finds the next G and
 * switches to it.
 *
 * Finding work (findrunnable): local runnext/runq, the global queue (first,
 * every 61st tick, for fairness), then stealing half of another P's queue.
 * At most half the busy Ps may have a spinning M.  Who readies a G wakes an
 * idle M only if there is an idle P and nobody is spinning (wakep); a
 * spinning M that finds work wakes a replacement.  An M that finds nothing
 * gives back its P and sleeps on its note until the next timer is due.
 * When the last M goes to sleep with no timer pending and goroutines
 * remain, every goroutine is blocked forever: that is the deadlock report.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "contention.h"
#include "det.h"
#include "internal.h"
#include "preempt.h"
#include "prof.h"
#include "san.h"
#include "trace.h"

void go__ctx_switch_out(void **save_sp, void *g0_sp);
void go__ctx_switch_in(void **save_sp, void *g_sp, uint64_t *fpcur);
void go__ctx_entry(void);
void go__g_entry(void) __attribute__((noreturn));
void go__preempt_yield(void);

#define MAXPROCS 1024

go__sched go__sched_state;
__thread go__m *go__tls_m;
static uint32_t no_preempt;     /* stays 0: the flag of "no P" */
__thread uint32_t *go__tls_preempt = &no_preempt;

static go__sched *const sched = &go__sched_state;
static go__p *allp[MAXPROCS];
static int (*main_entry)(int, char **);
#ifdef GO__TSAN
__thread void *go__san_ignoring;
#endif
static int main_argc;
static char **main_argv;
static int ncpu;                /* online CPUs, set once at start */

enum { AFTER_NONE, AFTER_PARK, AFTER_YIELD, AFTER_PREEMPT, AFTER_EXIT, AFTER_EXITSYSCALL };

static bool runq_empty(go__p *p);

/* --- small helpers ------------------------------------------------------ */

uint32_t go__fastrandn(uint32_t n)
{
	go__m *m = go__getm();
	uint64_t x = m->fastrand;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	m->fastrand = x;
	return (uint32_t)(((x >> 32) * (uint64_t)n) >> 32);
}

static int32_t gomaxprocs(void)
{
	return ld_relaxed(&sched->gomaxprocs);
}

static int nallocp(void)
{
	return ld_acquire(&sched->nprocs_alloc);
}

int go__nallocp(void)
{
	return nallocp();
}

go__p *go__allp(int i)
{
	return allp[i];
}

bool go__can_spin(int iter)
{
	go__m *m = go__getm();

	if (iter >= 4 || ncpu <= 1 || m->p == NULL)
		return false;
	if (gomaxprocs() <= (int)(ld_relaxed(&sched->npidle) +
	    ld_relaxed(&sched->nmspinning)) + 1)
		return false;
	return runq_empty(m->p);
}

/* --- P run queues (Go's runqput/runqget/runqsteal) ---------------------- */

static void globrunqput_batch(go__g *head, go__g *tail, uint32_t n)
{
	go__lock_acquire(&sched->lock);
	tail->sched_link = NULL;
	if (sched->runq_tail)
		sched->runq_tail->sched_link = head;
	else
		sched->runq_head = head;
	sched->runq_tail = tail;
	st_relaxed(&sched->runq_size, sched->runq_size + n);
	go__lock_release(&sched->lock);
}

static void globrunqput(go__g *g)
{
	globrunqput_batch(g, g, 1);
}

/* The local queue is full: move half of it and g to the global queue. */
static bool runqputslow(go__p *p, go__g *g, uint32_t h, uint32_t t)
{
	go__g *batch[GO__RUNQ_SIZE / 2 + 1];
	uint32_t n = (t - h) / 2;

	for (uint32_t i = 0; i < n; i++)
		batch[i] = ld_relaxed(&p->runq[(h + i) % GO__RUNQ_SIZE]);
	if (!cas(&p->runq_head, &h, h + n))
		return false;
	batch[n] = g;
	for (uint32_t i = 0; i < n; i++)
		batch[i]->sched_link = batch[i + 1];
	globrunqput_batch(batch[0], batch[n], n + 1);
	return true;
}

static void runqput(go__p *p, go__g *g, bool next)
{
	if (next) {
		go__g *old = xchg(&p->runnext, g);
		if (old == NULL)
			return;
		g = old;    /* kick the old runnext to the tail */
	}
	for (;;) {
		uint32_t h = ld_acquire(&p->runq_head);
		uint32_t t = p->runq_tail;
		if (t - h < GO__RUNQ_SIZE) {
			st_relaxed(&p->runq[t % GO__RUNQ_SIZE], g);
			st_release(&p->runq_tail, t + 1);
			return;
		}
		if (runqputslow(p, g, h, t))
			return;
	}
}

static go__g *runqget(go__p *p, bool *inherit)
{
	go__g *next = ld_relaxed(&p->runnext);

	if (next && cas(&p->runnext, &next, NULL)) {
		*inherit = true;
		return next;
	}
	*inherit = false;
	for (;;) {
		uint32_t h = ld_acquire(&p->runq_head);
		uint32_t t = p->runq_tail;
		if (t == h)
			return NULL;
		go__g *g = ld_relaxed(&p->runq[h % GO__RUNQ_SIZE]);
		if (cas(&p->runq_head, &h, h + 1))
			return g;
	}
}

static bool runq_empty(go__p *p)
{
	for (;;) {
		uint32_t h = ld_acquire(&p->runq_head);
		uint32_t t = ld_acquire(&p->runq_tail);
		go__g *next = ld_acquire(&p->runnext);
		if (t == ld_acquire(&p->runq_tail))
			return h == t && next == NULL;
	}
}

/* Take half of p's queue into batch[bh..]; returns how many. */
static uint32_t runqgrab(go__p *p, go__g **batch, uint32_t bh, bool take_next)
{
	for (;;) {
		uint32_t h = ld_acquire(&p->runq_head);
		uint32_t t = ld_acquire(&p->runq_tail);
		uint32_t n = t - h;
		n = n - n / 2;
		if (n == 0) {
			if (!take_next)
				return 0;
			go__g *next = ld_acquire(&p->runnext);
			if (next == NULL)
				return 0;
			if (ld_relaxed(&p->status) == GO__P_RUNNING) {
				/* p is about to run it: sleep a moment, as Go does
				 * (spinning here burns a CPU the machine may need),
				 * and if p did run it, leave it be */
				struct timespec ts = { 0, 3000 };
				nanosleep(&ts, NULL);
			}
			if (!cas(&p->runnext, &next, NULL))
				return 0;
			st_relaxed(&batch[bh % GO__RUNQ_SIZE], next);
			return 1;
		}
		if (n > GO__RUNQ_SIZE / 2)
			continue;   /* inconsistent h and t: retry */
		for (uint32_t i = 0; i < n; i++) {
			go__g *g = ld_relaxed(&p->runq[(h + i) % GO__RUNQ_SIZE]);
			st_relaxed(&batch[(bh + i) % GO__RUNQ_SIZE], g);
		}
		if (cas(&p->runq_head, &h, h + n))
			return n;
	}
}

static go__g *runqsteal(go__p *p, go__p *victim, bool take_next)
{
	uint32_t t = p->runq_tail;
	uint32_t n = runqgrab(victim, p->runq, t, take_next);

	if (n == 0)
		return NULL;
	n--;
	go__g *g = ld_relaxed(&p->runq[(t + n) % GO__RUNQ_SIZE]);
	if (n > 0)
		st_release(&p->runq_tail, t + n);
	return g;
}

/* Take a fair share of the global queue (sched->lock held). */
static go__g *globrunqget(go__p *p, uint32_t max)
{
	uint32_t size = sched->runq_size;
	if (size == 0)
		return NULL;
	uint32_t n = size / (uint32_t)gomaxprocs() + 1;
	if (n > size)
		n = size;
	if (max > 0 && n > max)
		n = max;
	if (n > GO__RUNQ_SIZE / 2)
		n = GO__RUNQ_SIZE / 2;
	st_relaxed(&sched->runq_size, size - n);
	go__g *g = sched->runq_head;
	sched->runq_head = g->sched_link;
	for (uint32_t i = 1; i < n; i++) {
		go__g *g1 = sched->runq_head;
		sched->runq_head = g1->sched_link;
		runqput(p, g1, false);
	}
	if (sched->runq_head == NULL)
		sched->runq_tail = NULL;
	return g;
}

/* --- idle Ps and Ms (sched->lock held) ---------------------------------- */

static void pidleput(go__p *p)
{
	st_relaxed(&p->m, NULL);
	if (p->id >= gomaxprocs()) {
		st_relaxed(&p->status, GO__P_DEAD);
		return;
	}
	st_relaxed(&p->status, GO__P_IDLE);
	p->link = sched->pidle;
	sched->pidle = p;
	st_relaxed(&sched->npidle, sched->npidle + 1);
}

static go__p *pidleget(void)
{
	go__p *p = sched->pidle;
	if (p) {
		sched->pidle = p->link;
		st_relaxed(&sched->npidle, sched->npidle - 1);
	}
	return p;
}

/* Called on m's own thread (it sets the thread's preempt pointer). */
static void acquirep(go__m *m, go__p *p)
{
	m->p = p;
	go__tls_preempt = &p->preempt;
	st_release(&p->m, m);
	st_relaxed(&p->status, GO__P_RUNNING);
	GO__TRACE(go__trace_proc_start(p));
}

static void mput(go__m *m)
{
	m->link = sched->midle;
	sched->midle = m;
	sched->nmidle++;
}

static go__m *mget(void)
{
	go__m *m = sched->midle;
	if (m) {
		sched->midle = m->link;
		sched->nmidle--;
	}
	return m;
}

static void munlink(go__m *m)
{
	for (go__m **pp = &sched->midle; *pp; pp = &(*pp)->link) {
		if (*pp == m) {
			*pp = m->link;
				sched->nmidle--;
			return;
		}
	}
}

/* --- Ms ----------------------------------------------------------------- */

static void schedule(go__m *m) __attribute__((noreturn));

/* The thread's FP control state as the switch saves it. */
static uint64_t fpword(void)
{
	uint32_t mxcsr;
	uint16_t cw;

	__asm__ volatile("stmxcsr %0" : "=m"(mxcsr));
	__asm__ volatile("fnstcw %0" : "=m"(cw));
	return (uint64_t)cw << 32 | mxcsr;
}

static void m_init_thread(go__m *m)
{
	pthread_attr_t attr;
	void *addr;
	size_t size;

	go__san_m_init(m);
	go__tls_m = m;
	m->thread = pthread_self();
	m->fpcur = fpword();
	if (pthread_getcpuclockid(pthread_self(), &m->cpuclock) != 0)
		m->cpuclock = CLOCK_THREAD_CPUTIME_ID;
	m->fastrand = (uint64_t)(uintptr_t)m * 0x9E3779B97F4A7C15ull | 1;
	if (pthread_getattr_np(pthread_self(), &attr) == 0) {
		if (pthread_attr_getstack(&attr, &addr, &size) == 0) {
			m->g0_stack_bottom = addr;
			m->g0_stack_size = size;
		}
		pthread_attr_destroy(&attr);
	}
	go__stack_signal_init(m);
}

static void *m_start(void *arg)
{
	go__m *m = arg;

	m_init_thread(m);
	go__lock_acquire(&sched->lock);
	acquirep(m, m->nextp);
	m->nextp = NULL;
	go__lock_release(&sched->lock);
	schedule(m);
}

static go__m *allocm(void)
{
	go__m *m = calloc(1, sizeof *m);
	if (m == NULL)
		go__fatal("out of memory allocating an M");
	m->id = sched->mcount++;
	m->g0.id = 0;
	m->g0.status = GO__G_RUNNING;
	return m;
}

/* Run some M on p (an idle P if p is NULL), spinning if asked.  The caller
 * has already counted a spinning M in nmspinning. */
static void startm(go__p *p, bool spinning)
{
	go__lock_acquire(&sched->lock);
	if (p == NULL) {
		p = pidleget();
		if (p == NULL) {
			go__lock_release(&sched->lock);
			if (spinning)
				xadd(&sched->nmspinning, -1u);
			return;
		}
	}
	st_relaxed(&p->status, GO__P_RUNNING);
	go__m *m = mget();
	bool fresh = m == NULL;
	if (fresh)
		m = allocm();
	m->spinning = spinning;
	m->nextp = p;
	go__lock_release(&sched->lock);
	if (fresh)
		go__start_thread(&m->thread, m_start, m, 256 * 1024, "cannot create a thread for an M");
	else
		go__note_wakeup(&m->park);
}

/* Go's rule: wake an M only if a P is idle and no M is already spinning
 * (a spinning M will find the new work, then wake another). */
static void wakep(void)
{
	uint32_t zero = 0;

	if (ld_relaxed(&sched->npidle) == 0)
		return;
	if (ld_relaxed(&sched->nmspinning) != 0 ||
	    !cas(&sched->nmspinning, &zero, 1))
		return;
	startm(NULL, true);
}

static void resetspinning(go__m *m)
{
	m->spinning = false;
	if (xadd(&sched->nmspinning, -1u) == 0)
		wakep();
}

static void checkdead(void);

/* Park this M until startm hands it a P, or until `until` (a go_now time,
 * 0: none) when it goes to look at the timers itself.  Returns holding a P. */
static void stopm(go__m *m, int64_t until)
{
	for (;;) {
		go__lock_acquire(&sched->lock);
		if (sched->runq_size > 0 && sched->pidle) {
			/* work arrived (e.g. from a retiring P): do not sleep */
			acquirep(m, pidleget());
			go__lock_release(&sched->lock);
			return;
		}
		m->nextp = NULL;
		go__note_clear(&m->park);
		mput(m);
		if (sched->nmidle == sched->mcount && until == 0)
			checkdead();

		int64_t ns = -1;
		if (until) {
			ns = until - go_now();
			if (ns < 0)
				ns = 0;
		}
		if (until && (sched->idle_until == 0 || until < sched->idle_until ||
			      sched->idle_until <= go_now()))
			st_relaxed(&sched->idle_until, until);
		go__lock_release(&sched->lock);
		go__note_sleep(&m->park, ns);

		go__lock_acquire(&sched->lock);
		if (until && sched->idle_until == until)
			st_relaxed(&sched->idle_until, 0);   /* nobody sleeps to it now */
		if (m->nextp) {
			acquirep(m, m->nextp);
			m->nextp = NULL;
			go__lock_release(&sched->lock);
			return;
		}
		munlink(m);          /* timed out: still on the idle list */
		go__p *p = pidleget();
		if (p) {
			acquirep(m, p);
			go__lock_release(&sched->lock);
			return;
		}
		go__lock_release(&sched->lock);
		until = go__timers_next();
	}
}

/* idle_until is a hint: an M that sleeps to a deadline records it (the
 * earliest wins), and clears it when it wakes; one past is stale. */
void go__wake_for_timer(int64_t when)
{
	int64_t u = ld_relaxed(&sched->idle_until);
	go__m *m = NULL;

	if (ld_relaxed(&sched->npidle) == 0)
		return;         /* every P is busy: its M looks at the timers */
	if (u != 0 && u <= when && u > go_now())
		return;         /* an idle M wakes in time, and looks again */
	go__lock_acquire(&sched->lock);
	if (!sched->pidle) {
		go__lock_release(&sched->lock);
		return;
	}
	if ((m = sched->midle) != NULL) {
		st_relaxed(&sched->idle_until, when);   /* one wake is enough */
		go__note_wakeup(&m->park);              /* it sleeps again, to when */
	}
	go__lock_release(&sched->lock);
	if (!m)
		wakep();        /* an M to spin, find nothing and sleep to when */
}

/* p is beyond GOMAXPROCS: hand its Gs to the global queue and let it go. */
static void retirep(go__m *m, go__p *p)
{
	bool inherit;
	go__g *g;

	bool moved = false;
	while ((g = runqget(p, &inherit)) != NULL) {
		globrunqput(g);
		moved = true;
	}
	GO__TRACE(go__trace_proc_stop(p));
	go__lock_acquire(&sched->lock);
	st_relaxed(&p->m, NULL);
	st_relaxed(&p->status, GO__P_DEAD);
	m->p = NULL;
	go__tls_preempt = &no_preempt;
	go__lock_release(&sched->lock);
	if (m->spinning) {
		m->spinning = false;
		xadd(&sched->nmspinning, -1u);
	}
	if (moved)
		wakep();
}

static bool run_all_timers(void)
{
	int64_t now = 0;
	bool ran = false;

	for (int i = 0, n = nallocp(); i < n; i++) {
		int64_t w = ld_relaxed(&allp[i]->timer0_when);
		if (w == 0)
			continue;
		if (now == 0)
			now = go_now();
		if (w <= now) {
			go__timers_run(allp[i], now);
			ran = true;
		}
	}
	return ran;
}

/* A deterministic run: every runnable G out of the queues, in queue order,
 * one chosen by det.c, the others back in the same order. */
static go__g *det_pick(go__p *p)
{
	go__g *gs[1024], *g;
	bool inherit;
	int n = 0;

	while (n < 1024 && (g = runqget(p, &inherit)) != NULL)
		gs[n++] = g;
	go__lock_acquire(&sched->lock);
	while (n < 1024 && sched->runq_head) {
		g = sched->runq_head;
		sched->runq_head = g->sched_link;
		st_relaxed(&sched->runq_size, sched->runq_size - 1);
		gs[n++] = g;
	}
	if (sched->runq_head == NULL)
		sched->runq_tail = NULL;
	go__lock_release(&sched->lock);
	if (n == 0)
		return NULL;
	g = go__det_choose(gs, n);
	for (int i = 0; i < n; i++)
		if (gs[i] != g)
			runqput(p, gs[i], false);
	return g;
}

/* A deterministic run: the chosen G; when none can run, virtual time jumps
 * to the next timer. NULL when nothing ever will (a deadlock, which the
 * normal path reports). */
static go__g *det_findrunnable(go__p *p)
{
	for (;;) {
		go__g *g;
		int64_t next;

		if (ld_relaxed(&p->timer0_when) != 0)
			go__timers_run(p, go_now());
		if ((g = det_pick(p)) != NULL)
			return g;
		if (ld_relaxed(&go__netpoll_waiters) > 0)
			return NULL;   /* not time's turn: the poller readies them */
		next = go__timers_next();
		if (next == 0)
			return NULL;
		if (next > go__det_now)
			go__det_now = next;
	}
}

static go__g *findrunnable(go__m *m, bool *inherit)
{
	go__g *g;
	go__p *p;

	if (go__det && (g = det_findrunnable(m->p)) != NULL) {
		*inherit = false;
		return g;
	}
top:
	p = m->p;
	if (p->id >= gomaxprocs()) {
		retirep(m, p);
		stopm(m, go__timers_next());
		goto top;
	}
	if (ld_relaxed(&p->timer0_when) != 0)
		go__timers_run(p, go_now());
	if (p->schedtick % 61 == 0 && ld_relaxed(&sched->runq_size) > 0) {
		go__lock_acquire(&sched->lock);
		g = globrunqget(p, 1);
		go__lock_release(&sched->lock);
		if (g) {
			*inherit = false;
			return g;
		}
	}
	if ((g = runqget(p, inherit)) != NULL)
		return g;
	*inherit = false;
	if (ld_relaxed(&sched->runq_size) > 0) {
		go__lock_acquire(&sched->lock);
		g = globrunqget(p, 0);
		go__lock_release(&sched->lock);
		if (g)
			return g;
	}

	/* Expired timers of any P (its M may be busy, or it may be idle). */
	if (run_all_timers() && (g = runqget(p, inherit)) != NULL)
		return g;

	/* Steal, if not too many Ms are at it already. */
	int procs = gomaxprocs();
	int busy = procs - (int)ld_relaxed(&sched->npidle);
	if (procs > 1 && (m->spinning ||
	    2 * (int)ld_relaxed(&sched->nmspinning) < busy)) {
		if (!m->spinning) {
			m->spinning = true;
			xadd(&sched->nmspinning, 1);
		}
		int n = nallocp();
		for (int i = 0; i < 4; i++) {
			int start = (int)go__fastrandn((uint32_t)n);
			for (int j = 0; j < n; j++) {
				go__p *p2 = allp[(start + j) % n];
				if (p2 == p)
					continue;
				if ((g = runqsteal(p, p2, i == 3)) != NULL)
					return g;
			}
		}
	}

	/* Nothing to do: give up the P. */
	go__lock_acquire(&sched->lock);
	if (sched->runq_size > 0) {
		g = globrunqget(p, 0);
		go__lock_release(&sched->lock);
		return g;
	}
	GO__TRACE(go__trace_proc_stop(p));
	m->p = NULL;
	go__tls_preempt = &no_preempt;
	pidleput(p);
	go__lock_release(&sched->lock);

	/* A G readied while we were spinning saw nmspinning > 0 and woke
	 * nobody: after leaving the spinning state, look once more. */
	bool was_spinning = m->spinning;
	if (was_spinning) {
		m->spinning = false;
		xadd(&sched->nmspinning, -1u);
		int n = nallocp();
		for (int j = 0; j < n; j++) {
			if (runq_empty(allp[j]))
				continue;
			go__lock_acquire(&sched->lock);
			p = pidleget();
			go__lock_release(&sched->lock);
			if (p) {
				acquirep(m, p);
				m->spinning = true;
				xadd(&sched->nmspinning, 1);
				goto top;
			}
			break;
		}
	}
	stopm(m, go__timers_next());
	goto top;
}

/* --- switching ---------------------------------------------------------- */

/* g's first frame, on a new stack or (TSan) the one it kept. */
static bool new_stack(go__m *m, go__g *g)
{
	if (g->stack_kept && g->stack_want > g->stack_size)
		go__stack_free(m->p, g);
	if (g->stack_kept && g->stack_deep)
		go__stack_shrink(g);
	g->stack_kept = false;
	if (g->stack_size == 0 && !go__stack_alloc(m->p, g))
		return false;
	go__san_stack_new(g);
	uintptr_t top = ((uintptr_t)g->stack_lo + g->stack_size) & ~(uintptr_t)15;
	uint64_t *sp = (uint64_t *)top;
	*--sp = (uint64_t)(uintptr_t)go__ctx_entry;
	for (int i = 0; i < 6; i++)
		*--sp = 0;                                    /* rbp..r15 */
	*--sp = (uint64_t)0x037f << 32 | 0x1f80;              /* fpu cw, mxcsr */
	g->sp = sp;
	return true;
}

static void execute(go__m *m, go__g *g, bool inherit)
{
	go__p *p = m->p;

	if (!inherit)
		st_relaxed(&p->schedtick, p->schedtick + 1);
	st_relaxed(&p->switchtick, p->switchtick + 1);
	st_relaxed(&p->preempt, (uint32_t)go__det);    /* deterministic: every check yields */
	if ((g->stack_size == 0 || g->stack_kept) && !new_stack(m, g))
		go__fatal(go__stack_oom());
	st_relaxed(&g->status, GO__G_RUNNING);
	GO__TRACE(go__trace_go_start(p, g));
	go__prof_check();
	st_release(&m->curg, g);
	go__san_switch_to_g(m, g);
	go__ctx_switch_in(&m->g0.sp, g->sp, &m->fpcur);
	m->fpcur = *(uint64_t *)g->sp;      /* the G's FP word: the thread's now */
	go__san_back_on_g0(m);
	st_relaxed(&m->curg, NULL);
}

/* From a G: switch to g0, which will do m->after. */
static void mcall(go__m *m, go__g *g, int after)
{
	m->after = after;
	go__san_switch_to_g0(m, g, after == AFTER_EXIT);
	go__ctx_switch_out(&g->sp, m->g0.sp);
	go__san_back_on_g(g);
}

/* --- G lifecycle -------------------------------------------------------- */

static void gfput(go__p *p, go__g *g)
{
	g->sched_link = p->gfree;
	p->gfree = g;
	if (++p->ngfree < 64)
		return;
	go__lock_acquire(&sched->gfree_lock);
	while (p->ngfree > 32) {
		go__g *g1 = p->gfree;
		p->gfree = g1->sched_link;
		p->ngfree--;
		g1->sched_link = sched->gfree;
		st_relaxed(&sched->gfree, g1);  /* atomic: peeked without the lock */
		sched->ngfree++;
	}
	go__lock_release(&sched->gfree_lock);
}

static go__g *gfget(go__p *p)
{
	if (p->gfree == NULL && ld_relaxed(&sched->gfree) != NULL) {
		go__lock_acquire(&sched->gfree_lock);
		while (p->ngfree < 32 && sched->gfree) {
			go__g *g1 = sched->gfree;
			st_relaxed(&sched->gfree, g1->sched_link);
			sched->ngfree--;
			g1->sched_link = p->gfree;
			p->gfree = g1;
			p->ngfree++;
		}
		go__lock_release(&sched->gfree_lock);
	}
	go__g *g = p->gfree;
	if (g) {
		p->gfree = g->sched_link;
		p->ngfree--;
	}
	return g;
}

static go__g *newg(go__p *p)
{
	go__g *g = p ? gfget(p) : NULL;
	if (g)
		return g;
	g = calloc(1, sizeof *g);
	if (g == NULL)
		go__fatal("out of memory allocating a goroutine");
	go__lock_acquire(&sched->allg_lock);
	g->all_link = sched->allg;
	st_release(&sched->allg, g);
	go__lock_release(&sched->allg_lock);
	return g;
}

static void goexit_on_g0(go__m *m, go__g *g)
{
	/* TSan: the G keeps its fiber for its next life.  Destroying fibers
	 * lets TSan reuse their ids, and it then misses races with Gs that
	 * have exited. */
	st_relaxed(&m->p->gcount, m->p->gcount - 1);
	GO__TRACE(go__trace_go_end(m->p));
	/* A select's deadline timer may still be firing on another M (the
	 * case won as it fired): its callback looks at g->select_done, which
	 * the G's next life resets. Let it finish before the G is reused. */
	if (g->sleep_timer)
		go__timer_stop_wait(g->sleep_timer);
	g->fake_stack = NULL;
	g->arg = NULL;          /* not a root for LeakSanitizer any more */
	g->labels = NULL;
	st_relaxed(&g->status, GO__G_DEAD);
	/* The stack goes to the P's cache for the next G to start, the G to
	 * the free list for the next go_spawn: both are reused hot.  (Under
	 * TSan the G keeps it: san.h.) */
	if (GO__SAN_KEEPS_STACKS)
		g->stack_kept = true;
	else
		go__stack_free(m->p, g);
	gfput(m->p, g);
}

void go__g_entry(void)
{
	go__m *m = go__getm();
	go__g *g = m->curg;

	go__san_first_on_g();
	go__race_acquire(g);
	g->fn(g->arg);
	m = go__getm();
	mcall(m, g, AFTER_EXIT);
	__builtin_unreachable();
}

/* Gs not dead: the sum of the per-P counts. */
static int64_t ngoroutines(void)
{
	int64_t n = 0;
	for (int i = 0, np = nallocp(); i < np; i++)
		n += ld_relaxed(&allp[i]->gcount);
	return n;
}

static go__g *spawn(void (*fn)(void *), void *arg, const char *file, int line)
{
	go__m *m = go__tls_m;
	go__p *p = m ? m->p : NULL;
	go__g *g = newg(p);

	g->fn = fn;
	g->arg = arg;
	g->labels = m && m->curg ? m->curg->labels : NULL;   /* pprof.Do's labels are inherited */
	g->create_file = file;
	g->create_line = line;
	g->wait_reason = NULL;
	st_relaxed(&g->long_runner, false);
	g->select_done = 0;
	if (p->goid_next == p->goid_end) {
		p->goid_next = xadd(&sched->goidgen, 16) - 15;
		p->goid_end = p->goid_next + 16;
	}
	g->id = p->goid_next++;
	st_relaxed(&p->gcount, p->gcount + 1);
	st_relaxed(&g->status, GO__G_RUNNABLE);
	GO__TRACE(go__trace_go_create(p, g));
	go__race_release(g);    /* the spawner's past happens before g's start */
	return g;
}

void go_spawn_at(void (*fn)(void *), void *arg, const char *file, int line)
{
	go__m *m = go__getm();
	go__g *g = spawn(fn, arg, file, line);

	runqput(m->p, g, true);
	wakep();
	go__checkpreempt();
}

/* --- parking ------------------------------------------------------------ */

/* go__park with the block profile or the tracer on: kept out of the fast
 * path, whose code stays as short as without them. */
static __attribute__((noinline)) void park_observed(go__m *m, go__g *g, const char *reason)
{
	int64_t t0 = go__block_begin(reason);   /* 0 unless the block profile is on */

	GO__TRACE(go__trace_go_block(m->p, reason));
	st_release(&g->status, GO__G_WAITING);
	mcall(m, g, AFTER_PARK);
	if (t0)
		go__block_end(t0, reason);
}

/* A pinned goroutine may not leave its P: the report is at the pin that
 * was never undone (the frames say where it blocked). */
static void pinned_throw(go__m *m, bool yielded)
{
	go__throw("fatal error",
		  yielded ? "a goroutine pinned to its P by go_proc_pin yielded before go_proc_unpin"
			  : "a goroutine pinned to its P by go_proc_pin blocked before go_proc_unpin",
		  m->pin_file, m->pin_line);
}

void go__park(bool (*unlockf)(go__g *, void *), void *arg,
	const char *reason, const char *file, int line)
{
	go__m *m = go__getm();
	go__g *g = m->curg;

	if (__builtin_expect(m->pins != 0, 0))   /* Go: "schedule: holding locks" */
		pinned_throw(m, false);
	g->wait_reason = reason;
	g->wait_file = file;
	g->wait_line = line;
	g->wait_obj = arg;
	m->unlockf = unlockf;
	m->unlockarg = arg;
	if (__builtin_expect(ld_relaxed(&go__block_rate) != 0 || ld_relaxed(&go__tracing) != 0, 0)) {
		park_observed(m, g, reason);
		return;
	}
	st_release(&g->status, GO__G_WAITING);
	mcall(m, g, AFTER_PARK);
}

void go__ready(go__g *g)
{
	go__m *m = go__getm();

	GO__TRACE(go__trace_go_unblock(m->p, g));
	st_release(&g->status, GO__G_RUNNABLE);
	runqput(m->p, g, true);
	wakep();
}

void go__ready_outside(go__g *g)
{
	GO__TRACE(go__trace_go_unblock_outside(g));
	st_release(&g->status, GO__G_RUNNABLE);
	globrunqput(g);
	wakep();
}

void go_yield(void)
{
	go__m *m = go__getm();

	if (__builtin_expect(m->pins != 0, 0))
		pinned_throw(m, true);
	GO__TRACE(go__trace_go_sched(m->p, false));
	mcall(m, m->curg, AFTER_YIELD);
}

void go__preempt_yield(void)
{
	go__m *m = go__getm();
	if (m->curg) {
		GO__TRACE(go__trace_go_sched(m->p, true));
		mcall(m, m->curg, AFTER_PREEMPT);
	}
}

/* --- system calls (Go's entersyscall, exitsyscall, retake, handoffp) --- */

/* The M keeps its P through a system call, marked as in one; it does not
 * touch the P until it returns. The P's sysm says which M may take it
 * back: whoever clears it with a CAS owns the P, the returning M or the
 * monitor, so neither can take a P the other already has. */
void go__entersyscall(void)
{
	go__m *m = go__getm();
	go__p *p;

	if (!m || !m->curg || !(p = m->p))
		return;
	GO__TRACE(go__trace_go_syscall(p, m->curg));
	st_relaxed(&p->syscalltick, p->syscalltick + 1);
	st_release(&p->sysm, m);
	st_relaxed(&p->status, GO__P_SYSCALL);
}

void go__exitsyscall(void)
{
	go__m *m = go__getm(), *me = m;
	go__p *p;

	if (!m || !m->curg || !(p = m->p))
		return;
	if (cas(&p->sysm, &me, NULL)) {        /* still ours */
		st_relaxed(&p->status, GO__P_RUNNING);
		st_relaxed(&m->curg->trace_sys, 0);
		return;
	}
	/* The monitor gave our P away: take an idle one, or wait for one.
	 * A traced call waits for the monitor's GoSysBlock first, which the
	 * exit must follow in the trace. */
	while (ld_acquire(&m->curg->trace_sys) == 1)
		go__cpu_relax();
	m->p = NULL;
	go__tls_preempt = &no_preempt;
	go__lock_acquire(&sched->lock);
	p = pidleget();
	if (p) {
		acquirep(m, p);
		go__lock_release(&sched->lock);
		GO__TRACE(go__trace_go_start(p, m->curg));   /* GoSysExit, then GoStart */
		return;
	}
	go__lock_release(&sched->lock);
	mcall(m, m->curg, AFTER_EXITSYSCALL);
}

void go__retake(go__p *p)
{
	go__m *m = ld_acquire(&p->sysm);

	if (!m || !cas(&p->sysm, &m, NULL))
		return;
	/* the P is ours now; in the trace its goroutine blocks and the P stops */
	if (m->curg && ld_acquire(&m->curg->trace_sys) == 1) {
		GO__TRACE(go__trace_go_sysblock(p));
		st_release(&m->curg->trace_sys, 2);
	}
	GO__TRACE(go__trace_proc_stop(p));
	/* run its work on another M, or let it idle */
	if (!runq_empty(p) || ld_relaxed(&sched->runq_size) > 0 || ld_relaxed(&p->timer0_when) != 0) {
		startm(p, false);
		return;
	}
	go__lock_acquire(&sched->lock);
	pidleput(p);
	go__lock_release(&sched->lock);
}

/* --- the scheduler loop (on g0) ----------------------------------------- */

static void schedule(go__m *m)
{
	for (;;) {
		bool inherit;
		go__g *g = findrunnable(m, &inherit);
		if (m->spinning)
			resetspinning(m);
again:
		execute(m, g, inherit);
		switch (m->after) {
		case AFTER_PARK:
			if (m->unlockf && !m->unlockf(g, m->unlockarg)) {
				GO__TRACE(go__trace_go_unblock(m->p, g));
				st_relaxed(&g->status, GO__G_RUNNABLE);
				inherit = true;
				goto again;
			}
			break;
		case AFTER_YIELD:
			st_relaxed(&g->status, GO__G_RUNNABLE);
			runqput(m->p, g, false);
			break;
		case AFTER_PREEMPT:
			st_relaxed(&g->status, GO__G_RUNNABLE);
			globrunqput(g);
			break;
		case AFTER_EXIT:
			goexit_on_g0(m, g);
			break;
		case AFTER_EXITSYSCALL:
			/* back from the kernel with no P to run on: the G waits in
			 * the global queue, this M until someone hands it a P */
			st_relaxed(&g->status, GO__G_RUNNABLE);
			globrunqput(g);
			stopm(m, go__timers_next());
			break;
		}
	}
}

/* --- GOMAXPROCS --------------------------------------------------------- */

static go__p *allocp(int id)
{
	go__p *p = aligned_alloc(64, sizeof *p);
	if (p == NULL)
		go__fatal("out of memory allocating a P");
	memset(p, 0, sizeof *p);
	p->id = id;
	st_relaxed(&p->status, GO__P_DEAD);
	return p;
}

int go_gomaxprocs(int n)
{
	int old = gomaxprocs();

	if (n < 1 || n == old || go__det)
		return old;
	if (n > MAXPROCS)
		n = MAXPROCS;
	go__lock_acquire(&sched->lock);
	while (sched->nprocs_alloc < n) {
		allp[sched->nprocs_alloc] = allocp(sched->nprocs_alloc);
		st_release(&sched->nprocs_alloc, sched->nprocs_alloc + 1);
	}
	st_relaxed(&sched->gomaxprocs, n);
	/* Drop idle Ps beyond n; busy ones retire at their next schedule. */
	for (go__p **pp = &sched->pidle; *pp;) {
		if ((*pp)->id >= n) {
			st_relaxed(&(*pp)->status, GO__P_DEAD);
			*pp = (*pp)->link;
			st_relaxed(&sched->npidle, sched->npidle - 1);
		} else {
			pp = &(*pp)->link;
		}
	}
	for (int i = 0; i < n; i++) {
		if (allp[i]->status == GO__P_DEAD)
			pidleput(allp[i]);
	}
	go__lock_release(&sched->lock);
	wakep();
	return old;
}

static int env_procs(void)
{
	const char *s = getenv("GOMAXPROCS");
	if (s && *s) {
		char *end;
		long v = strtol(s, &end, 10);
		if (*end == '\0' && v >= 1)
			return v > MAXPROCS ? MAXPROCS : (int)v;
	}
	return ncpu < 1 ? 1 : ncpu > MAXPROCS ? MAXPROCS : ncpu;
}

/* --- start and exit ----------------------------------------------------- */

#ifdef GO__ASAN
/* At exit, before LeakSanitizer looks (its atexit handler was installed
 * before this one, so runs after it): every goroutine's stack is a root
 * from where it stopped, the running ones' whole (where they stopped is
 * theirs to know), and this one's from here. */
static void lsan_exit_roots(void)
{
	go__g *self = go__tls_m ? go__tls_m->curg : NULL;
	char here;

	/* LeakSanitizer's check comes next (its atexit hook was set before
	 * ours), and a leak ends the process in _exit: stdout would be lost */
	go__flush_stdout(100);
	for (go__g *g = ld_acquire(&sched->allg); g; g = g->all_link) {
		uint32_t status = ld_acquire(&g->status);

		if (status == GO__G_DEAD || g->stack_size == 0)
			continue;
		if (g == self)
			go__san_stack_root(g, &here);
		else if (status == GO__G_RUNNING || g->sp == NULL)
			go__san_stack_root(g, g->stack_lo);
		else
			go__san_stack_root(g, g->sp);
	}
}
#endif

static void main_goroutine(void *arg)
{
	(void)arg;
	int status = main_entry(main_argc, main_argv);
	if (go__leakcheck_at_exit() && status == 0)
		status = 2;
	go_exit(status);
}

void go_run(int (*entry)(int, char **), int argc, char **argv)
{
	static go__m m0;
	int procs;

	ncpu = (int)sysconf(_SC_NPROCESSORS_ONLN);
	procs = go__det_init() ? 1 : env_procs();
	main_entry = entry;
	main_argc = argc;
	main_argv = argv;
	go__stack_init();
	go__signal_init();

	m0.id = sched->mcount++;
	m0.g0.status = GO__G_RUNNING;
	m_init_thread(&m0);
	if (go__det)
		go__det_start();

	sched->gomaxprocs = procs;
	go__trace_init();
	for (int i = 0; i < procs; i++)
		allp[i] = allocp(i);
	sched->nprocs_alloc = procs;
	for (int i = procs - 1; i >= 1; i--)
		pidleput(allp[i]);
	acquirep(&m0, allp[0]);
	GO__TRACE(go__trace_gomaxprocs(allp[0], procs));

	go__g *g = spawn(main_goroutine, NULL, "the runtime", 0);
	g->stack_want = GO__DEEP_STACK;   /* more than a C main's 8 MiB: a deep stack's */
	runqput(allp[0], g, true);
	if (!go__det) {
		go__preempt_init();
		go__monitor_start();   /* nothing preempts a deterministic run by the clock */
	}
	go__prof_init();
	go__contention_init();
#ifdef GO__ASAN
	atexit(lsan_exit_roots);
#endif
	schedule(&m0);
}

void go_exit(int status)
{
	exit(status);
}

uint64_t go_id(void)
{
	go__m *m = go__getm();
	return m && m->curg ? m->curg->id : 0;
}

/* Pinned, the thread's preempt pointer points at the "no P" flag, which
 * stays 0, so no preemption check yields; the SIGURG handler leaves a
 * pinned goroutine alone too (preempt.c). A request that came meanwhile is
 * still set on the P, and is honoured at unpin. */
int go_proc_pin_at(const char *file, int line)
{
	go__m *m = go__getm();

	if (!m || !m->curg || !m->p)
		return 0;
	if (m->pins++ == 0) {
		go__tls_preempt = &no_preempt;
		m->pin_file = file;
		m->pin_line = line;
	}
	__asm__ volatile("" ::: "memory");   /* the handler reads pins: set first */
	go__race_acquire(m->p);     /* the P's last pinned goroutine before */
	return m->p->id;
}

void go_proc_unpin(void)
{
	go__m *m = go__getm();

	if (!m || !m->curg || !m->p || !m->pins)
		return;
	__asm__ volatile("" ::: "memory");
	go__race_release(m->p);
	if (--m->pins == 0) {
		go__tls_preempt = &m->p->preempt;
		go__checkpreempt();
	}
}

int go_num_goroutine(void)
{
	go__checkpreempt();   /* "wait until the others are done" loops poll it */
	return (int)ngoroutines();
}

/* --- the deadlock check ------------------------------------------------- */

/* All Ms are idle and no timer is pending (sched->lock held): if goroutines
 * remain, none can ever run again. */
static void checkdead(void)
{
	for (int i = 0; i < nallocp(); i++)
		if (!runq_empty(allp[i]))
			return;
	if (sched->runq_size > 0 || go__timers_next() != 0)
		return;
	if (ld_relaxed(&go__netpoll_waiters) > 0)   /* the network may answer */
		return;
	if (ngoroutines() == 0)
		return;
	go__fatal_all("all goroutines are asleep - deadlock!");
}
