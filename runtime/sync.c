/*
 * sync.c — Mutex, RWMutex, WaitGroup, Once and Cond, after Go's sync
 * package, on top of a semaphore that parks goroutines (Go's sema.go).
 *
 * Data model
 *   The semaphore is any uint32_t in a sync object.  Goroutines waiting on
 *   one queue in one of SEMTAB_SIZE buckets picked by the address; a bucket
 *   has a lock, a count of waiters (so a release can skip the lock), and a
 *   list of waiters (on their own stacks) in arrival order.  A release with
 *   handoff passes the count straight to the first waiter, which then runs
 *   next on this P: that is how a starving Mutex becomes fair.
 *
 *   go_mutex.state (Go's sync.Mutex): bit 0 locked, bit 1 a waiter is awake
 *   and trying, bit 2 starvation mode, bits 3.. the number of waiters.
 *   Normal mode lets a newcomer barge in (fast, unfair); a waiter that has
 *   waited over 1 ms switches the mutex to starvation mode, in which unlock
 *   hands ownership to the first waiter.
 *
 *   go_cond keeps Go's ticket scheme: wait takes a ticket, signal serves the
 *   oldest ticket, broadcast serves all; waiters sit in c->head..tail.
 */
#define _GNU_SOURCE
#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "contention.h"
#include "det.h"
#include "internal.h"
#include "san.h"

/* --- the semaphore ------------------------------------------------------ */

#define SEMTAB_SIZE 251

typedef struct semwaiter semwaiter;
struct semwaiter {
	go__g *g;
	uint32_t *addr;
	semwaiter *next;
	bool handed;            /* release handed us the count */
	int64_t since;          /* when it queued, for the mutex profile; 0: not kept */
	const char *reason;
};

static struct semroot {
	go__lock lock;
	uint32_t nwait;
	semwaiter *head, *tail;
} __attribute__((aligned(64))) semtab[SEMTAB_SIZE];

static struct semroot *semroot(uint32_t *addr)
{
	return &semtab[((uintptr_t)addr >> 3) % SEMTAB_SIZE];
}

static bool cansemacquire(uint32_t *addr)
{
	uint32_t v = ld_relaxed(addr);
	while (v > 0) {
		if (cas(addr, &v, v - 1))
			return true;
	}
	return false;
}

static bool unlock_root(go__g *g, void *arg)
{
	(void)g;
	go__lock_release(&((struct semroot *)arg)->lock);
	return true;
}

void go__semacquire(uint32_t *addr, bool lifo, const char *reason,
	const char *file, int line)
{
	struct semroot *r;

	if (cansemacquire(addr))
		return;
	r = semroot(addr);
	for (;;) {
		go__lock_acquire(&r->lock);
		xadd(&r->nwait, 1);
		if (cansemacquire(addr)) {
			xadd(&r->nwait, -1u);
			go__lock_release(&r->lock);
			return;
		}
		semwaiter w = { go__getg(), addr, NULL, false, 0, reason };

		if (strstr(reason, "Mutex"))
			w.since = go__mutex_queued();
		if (lifo) {
			w.next = r->head;
			r->head = &w;
			if (r->tail == NULL)
				r->tail = &w;
		} else {
			if (r->tail)
				r->tail->next = &w;
			else
				r->head = &w;
			r->tail = &w;
		}
		go__park(unlock_root, r, reason, file, line);
		if (w.handed || cansemacquire(addr))
			return;
	}
}

void go__semrelease(uint32_t *addr, bool handoff)
{
	struct semroot *r = semroot(addr);
	semwaiter *w, *prev = NULL;

	xadd(addr, 1);
	if (ld_relaxed(&r->nwait) == 0)
		return;
	go__lock_acquire(&r->lock);
	for (w = r->head; w && w->addr != addr; w = w->next)
		prev = w;
	if (w == NULL) {
		go__lock_release(&r->lock);
		return;
	}
	if (prev)
		prev->next = w->next;
	else
		r->head = w->next;
	if (r->tail == w)
		r->tail = prev;
	xadd(&r->nwait, -1u);
	go__lock_release(&r->lock);
	if (w->since)
		go__mutex_event(w->since, w->reason);
	bool handed = handoff && cansemacquire(addr);
	w->handed = handed;
	go__ready(w->g);    /* w may be gone from here on */
	if (handed)
		go_yield();     /* let the new owner run now, on this P */
}

/* --- Mutex -------------------------------------------------------------- */

enum {
	MUTEX_LOCKED = 1,
	MUTEX_WOKEN = 2,
	MUTEX_STARVING = 4,
	MUTEX_WAITER_SHIFT = 3,
};
#define STARVATION_NS (1000 * 1000)

static void spin(void)
{
	for (int i = 0; i < 30; i++)
		go__cpu_relax();
}

void go__mutex_lock_slow(go_mutex *mu, const char *file, int line)
{
	int64_t wait_start = 0;
	bool starving = false, awoke = false;
	int iter = 0;
	int32_t old = ld_relaxed(&mu->state);

	for (;;) {
		/* Spin while it is locked (not starving) and spinning may pay. */
		if ((old & (MUTEX_LOCKED | MUTEX_STARVING)) == MUTEX_LOCKED &&
		    go__can_spin(iter)) {
			if (!awoke && (old & MUTEX_WOKEN) == 0 &&
			    old >> MUTEX_WAITER_SHIFT != 0 &&
			    cas(&mu->state, &old, old | MUTEX_WOKEN))
				awoke = true;
			spin();
			iter++;
			old = ld_relaxed(&mu->state);
			continue;
		}
		int32_t new = old;
		if ((old & MUTEX_STARVING) == 0)
			new |= MUTEX_LOCKED;
		if ((old & (MUTEX_LOCKED | MUTEX_STARVING)) != 0)
			new += 1 << MUTEX_WAITER_SHIFT;
		if (starving && (old & MUTEX_LOCKED) != 0)
			new |= MUTEX_STARVING;
		if (awoke) {
			if ((new & MUTEX_WOKEN) == 0)
				go__fatal("sync: inconsistent mutex state");
			new &= ~MUTEX_WOKEN;
		}
		if (!cas(&mu->state, &old, new))
			continue;       /* old was reloaded by the failed CAS */
		if ((old & (MUTEX_LOCKED | MUTEX_STARVING)) == 0)
			break;          /* we took it */
		bool lifo = wait_start != 0;
		if (wait_start == 0)
			wait_start = go_now();
		go__semacquire(&mu->sema, lifo, "sync.Mutex.Lock", file, line);
		starving = starving || go_now() - wait_start > STARVATION_NS;
		old = ld_relaxed(&mu->state);
		if (old & MUTEX_STARVING) {
			/* Ownership was handed to us; the lock bit is not set. */
			if ((old & (MUTEX_LOCKED | MUTEX_WOKEN)) != 0 ||
			    old >> MUTEX_WAITER_SHIFT == 0)
				go__fatal("sync: inconsistent mutex state");
			int32_t delta = MUTEX_LOCKED - (1 << MUTEX_WAITER_SHIFT);
			if (!starving || old >> MUTEX_WAITER_SHIFT == 1)
				delta -= MUTEX_STARVING;   /* leave starvation mode */
			xadd(&mu->state, delta);
			break;
		}
		awoke = true;
		iter = 0;
	}
	go__race_acquire(&mu->state);   /* the fast path's atomics do it there */
}

/* Asked to yield on the way in: yields, then locks. A deterministic run
 * always comes this way (every check yields), so it is where a replay
 * notes who took the lock and where, for the schedule log. */
void go__mutex_lock_preempted(go_mutex *mu, const char *file, int line)
{
	int32_t unlocked = 0;

	go__preempt_yield();
	if (!cas(&mu->state, &unlocked, MUTEX_LOCKED))
		go__mutex_lock_slow(mu, file, line);
	go__race_acquire(&mu->state);
	if (go__det_log)
		go__det_locked(mu, file, line);
}

void go_mutex_lock_at(go_mutex *mu, const char *file, int line)
{
	go__mutex_lock(mu, file, line);   /* the inline fast path of go.h */
	go__race_acquire(&mu->state);     /* its atomics are not seen here */
}

/* Unlock from the runtime's own code, whose atomics TSan does not see. */
static void mutex_unlock(go_mutex *mu, const char *file, int line)
{
	go__race_release(&mu->state);
	go__mutex_unlock(mu, file, line);
}

/* Never blocks, but may be polled in a loop: a preemption point. */
bool go_mutex_trylock(go_mutex *mu)
{
	go__checkpreempt();
	int32_t old = ld_relaxed(&mu->state);
	if (old & (MUTEX_LOCKED | MUTEX_STARVING) || !cas(&mu->state, &old, old | MUTEX_LOCKED))
		return false;
	go__race_acquire(&mu->state);
	if (go__det_log)
		go__det_locked(mu, NULL, 0);
	return true;
}

/* Only in a deterministic run, on its one thread: g waits, as reason
 * says, on the semaphore queue obj; if that is a Mutex's, what the
 * learner would want to know of it ("the mutex G3 locked at bank.c:20;
 * 2 goroutines wait for it"), into buf. */
bool go__sema_describe(const char *reason, const void *obj, const go__g *g, char *buf, size_t size)
{
	const struct semroot *r = obj;
	const semwaiter *w;
	const go_mutex *mu;
	const char *file;
	uint32_t holder;
	int32_t state;
	int line;

	if (!r || !reason || strcmp(reason, "sync.Mutex.Lock") != 0)
		return false;
	for (w = r->head; w && w->g != g; w = w->next)
		;
	if (!w)
		return false;
	mu = (const go_mutex *)(const void *)((const char *)w->addr - offsetof(go_mutex, sema));
	state = ld_relaxed(&mu->state);
	if (go__det_holder(mu, &holder, &file, &line) && (state & MUTEX_LOCKED)) {
		if (file)
			snprintf(buf, size, "the mutex G%" PRIu32 " locked at %s:%d", holder, go__tb_relative(file), line);
		else
			snprintf(buf, size, "the mutex G%" PRIu32 " took with go_mutex_trylock", holder);
	} else {
		snprintf(buf, size, "a mutex");
	}
	snprintf(buf + strlen(buf), size - strlen(buf), "; %d goroutine%s wait%s for it%s", state >> MUTEX_WAITER_SHIFT,
		 state >> MUTEX_WAITER_SHIFT == 1 ? "" : "s", state >> MUTEX_WAITER_SHIFT == 1 ? "s" : "",
		 state & MUTEX_STARVING ? "; starving: the first in line gets it next" : "");
	return true;
}

void go__mutex_unlock_slow(go_mutex *mu, int32_t new, const char *file, int line)
{
	if (((new + MUTEX_LOCKED) & MUTEX_LOCKED) == 0)
		go__throw("fatal error", "sync: unlock of unlocked mutex", file, line);
	if (new & MUTEX_STARVING) {
		go__semrelease(&mu->sema, true);
		return;
	}
	int32_t old = new;
	for (;;) {
		/* Nobody to wake, or someone already awake or owning it. */
		if (old >> MUTEX_WAITER_SHIFT == 0 ||
		    (old & (MUTEX_LOCKED | MUTEX_WOKEN | MUTEX_STARVING)) != 0)
			return;
		new = (old - (1 << MUTEX_WAITER_SHIFT)) | MUTEX_WOKEN;
		if (cas(&mu->state, &old, new)) {
			go__semrelease(&mu->sema, false);
			return;
		}
	}
}


/* --- RWMutex ------------------------------------------------------------ */

#define RW_MAX_READERS (1 << 30)

void go_rwmutex_rlock_at(go_rwmutex *rw, const char *file, int line)
{
	go__checkpreempt();
	if (xadd(&rw->reader_count, 1) < 0)     /* a writer is pending */
		go__semacquire(&rw->reader_sem, false, "sync.RWMutex.RLock",
			file, line);
	go__race_acquire(&rw->reader_sem);      /* the writers before */
}

void go_rwmutex_runlock_at(go_rwmutex *rw, const char *file, int line)
{
	go__race_release(&rw->writer_sem);      /* before the next writer */
	int32_t r = xadd(&rw->reader_count, -1);
	if (r >= 0)
		return;
	if (r + 1 == 0 || r + 1 == -RW_MAX_READERS)
		go__throw("fatal error", "sync: RUnlock of unlocked RWMutex", file, line);
	if (xadd(&rw->reader_wait, -1) == 0)    /* the last reader lets the writer in */
		go__semrelease(&rw->writer_sem, false);
}

void go_rwmutex_lock_at(go_rwmutex *rw, const char *file, int line)
{
	go_mutex_lock_at(&rw->w, file, line);
	/* Announce the writer, then wait for the readers inside to leave. */
	int32_t r = xadd(&rw->reader_count, -RW_MAX_READERS) + RW_MAX_READERS;
	if (r != 0 && xadd(&rw->reader_wait, r) != 0)
		go__semacquire(&rw->writer_sem, false, "sync.RWMutex.Lock",
			file, line);
	go__race_acquire(&rw->reader_sem);
	go__race_acquire(&rw->writer_sem);      /* the readers before */
}

void go_rwmutex_unlock_at(go_rwmutex *rw, const char *file, int line)
{
	go__race_release(&rw->reader_sem);      /* before the readers after */
	int32_t r = xadd(&rw->reader_count, RW_MAX_READERS);
	if (r >= RW_MAX_READERS)
		go__throw("fatal error", "sync: Unlock of unlocked RWMutex", file, line);
	for (int32_t i = 0; i < r; i++)
		go__semrelease(&rw->reader_sem, false);
	mutex_unlock(&rw->w, file, line);
}

void (go_rwmutex_runlock)(go_rwmutex *rw)
{
	go_rwmutex_runlock_at(rw, NULL, 0);
}

void (go_rwmutex_unlock)(go_rwmutex *rw)
{
	go_rwmutex_unlock_at(rw, NULL, 0);
}

/* --- WaitGroup ---------------------------------------------------------- */

void go_waitgroup_add_at(go_waitgroup *wg, int delta, const char *file, int line)
{
	if (delta < 0)
		go__race_release(wg);   /* a Done happens before the Wait it ends */
	uint64_t state = xadd(&wg->state, (uint64_t)(int64_t)delta << 32);
	int32_t v = (int32_t)(state >> 32);
	uint32_t w = (uint32_t)state;

	if (v < 0)
		go__throw("panic", "sync: negative WaitGroup counter", file, line);
	if (w != 0 && delta > 0 && v == delta)
		go__throw("panic", "sync: WaitGroup misuse: Add called "
			"concurrently with Wait", file, line);
	if (v > 0 || w == 0)
		return;
	/* The counter hit zero with waiters: nobody may touch state now. */
	if (ld_relaxed(&wg->state) != state)
		go__throw("panic", "sync: WaitGroup misuse: Add called "
			"concurrently with Wait", file, line);
	st_relaxed(&wg->state, 0);
	for (; w != 0; w--)
		go__semrelease(&wg->sema, false);
}

void go_waitgroup_done_at(go_waitgroup *wg, const char *file, int line)
{
	go_waitgroup_add_at(wg, -1, file, line);
}

void (go_waitgroup_add)(go_waitgroup *wg, int delta)
{
	go_waitgroup_add_at(wg, delta, NULL, 0);
}

void (go_waitgroup_done)(go_waitgroup *wg)
{
	go_waitgroup_add_at(wg, -1, NULL, 0);
}

void go_waitgroup_wait_at(go_waitgroup *wg, const char *file, int line)
{
	uint64_t state = ld_acquire(&wg->state);

	go__checkpreempt();
	for (;;) {
		if ((state >> 32) == 0)
			break;
		if (cas(&wg->state, &state, state + 1)) {
			go__semacquire(&wg->sema, false, "sync.WaitGroup.Wait",
				file, line);
			if (ld_relaxed(&wg->state) != 0)
				go__throw("panic", "sync: WaitGroup is reused before "
					"previous Wait has returned", file, line);
			break;
		}
	}
	go__race_acquire(wg);
}

/* --- Once --------------------------------------------------------------- */

/* The caller's file:line is where a goroutine that waits for another's
 * fn (or for its own: a Do inside the same Do) is reported blocked. */
void go_once_do_at(go_once *once, void (*fn)(void *), void *arg, const char *file, int line)
{
	if (ld_acquire(&once->done)) {
		go__race_acquire(&once->done);  /* the fn that ran */
		return;
	}
	go_mutex_lock_at(&once->m, file, line);
	if (!once->done) {
		fn(arg);
		go__race_release(&once->done);
		st_release(&once->done, 1);
	}
	mutex_unlock(&once->m, file, line);
}

void (go_once_do)(go_once *once, void (*fn)(void *), void *arg)
{
	go_once_do_at(once, fn, arg, "go_once_do", 0);
}

/* --- Cond --------------------------------------------------------------- */

typedef struct condwaiter condwaiter;
struct condwaiter {
	go__g *g;
	uint32_t ticket;
	condwaiter *next;
};

static go__lock *cond_lock(go_cond *c)
{
	return (go__lock *)(void *)&c->lock;
}

static bool unlock_cond(go__g *g, void *arg)
{
	(void)g;
	go__lock_release(cond_lock(arg));
	return true;
}

void go_cond_wait_at(go_cond *c, const char *file, int line)
{
	uint32_t ticket = xadd(&c->wait, 1) - 1;

	mutex_unlock(c->l, file, line);
	go__lock_acquire(cond_lock(c));
	if ((int32_t)(ticket - c->notify) < 0) {    /* already signalled */
		go__lock_release(cond_lock(c));
	} else {
		condwaiter w = { go__getg(), ticket, NULL };
		if (c->tail)
			((condwaiter *)c->tail)->next = &w;
		else
			c->head = &w;
		c->tail = &w;
		go__park(unlock_cond, c, "sync.Cond.Wait", file, line);
	}
	go_mutex_lock_at(c->l, file, line);
}

void go_cond_signal(go_cond *c)
{
	if (ld_acquire(&c->wait) == ld_acquire(&c->notify))
		return;
	go__lock_acquire(cond_lock(c));
	uint32_t t = c->notify;
	if (t == ld_relaxed(&c->wait)) {
		go__lock_release(cond_lock(c));
		return;
	}
	st_relaxed(&c->notify, t + 1);
	condwaiter *prev = NULL, *w;
	for (w = c->head; w && w->ticket != t; w = w->next)
		prev = w;
	if (w) {
		if (prev)
			prev->next = w->next;
		else
			c->head = w->next;
		if (c->tail == w)
			c->tail = prev;
	}
	go__lock_release(cond_lock(c));
	if (w)
		go__ready(w->g);
}

void go_cond_broadcast(go_cond *c)
{
	if (ld_acquire(&c->wait) == ld_acquire(&c->notify))
		return;
	go__lock_acquire(cond_lock(c));
	st_relaxed(&c->notify, ld_relaxed(&c->wait));
	condwaiter *w = c->head;
	c->head = c->tail = NULL;
	go__lock_release(cond_lock(c));
	while (w) {
		condwaiter *next = w->next;
		go__ready(w->g);
		w = next;
	}
}
