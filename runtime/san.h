/*
 * san.h — the stack switches, told to ASan and TSan; and under TSan, what
 * happens before what between goroutines.
 *
 * A sanitizer that follows one thread's stack is lost when a goroutine
 * switch swaps the stack under it, so every switch is announced:
 *   ASan  __sanitizer_start_switch_fiber before the switch and
 *         __sanitizer_finish_switch_fiber after it, on the stack switched
 *         to; the leaving side's fake stack (for use-after-return) is saved
 *         in g->fake_stack or m->g0_fake_stack, or dropped when a G exits.
 *   TSan  one fiber per G, made the first time the G runs and kept for its
 *         next lives (ids TSan reuses would hide races with exited Gs), and
 *         the thread's own fiber for g0; __tsan_switch_to_fiber before
 *         every switch, without synchronising the two fibers.
 * Each helper is empty unless the flavour has that sanitizer, so the
 * scheduler calls them unconditionally and reads the same in every build.
 * (Valgrind is told about stacks when they are made, in stack.c.)
 *
 * What happens before what, under TSan (Go's raceacquire/racerelease)
 *   TSan orders two goroutines only through what it sees them synchronise
 *   on.  So the runtime's own code is not instrumented (runtime.mk): its
 *   locks and atomics would order every goroutine that passes through the
 *   scheduler, a channel or a semaphore, whether the program's memory
 *   model says so or not.  A switch between two goroutines on one thread
 *   orders nothing either (no_sync): two goroutines that take turns on one
 *   thread race as they do on two, and TSan says so, as Go's race detector
 *   does at GOMAXPROCS=1.  The orderings the Go memory model gives are
 *   told instead, each at its place, with go__race_acquire and
 *   go__race_release on an address that stands for the object:
 *     go_spawn        the spawner, before the G is queued -> the new G,
 *                     before its function (the G's address)
 *     a channel       a send -> the receive that takes its value, and a
 *                     receive -> the send that hands it over (the buffer's
 *                     slot, or the waiting G's address); close -> every
 *                     receive that sees it closed (the channel's address)
 *     Mutex           Unlock -> the next Lock (&state, as the inline fast
 *                     path's own atomics do); RWMutex, WaitGroup, Once as
 *                     Go's sync package annotates them
 *     a go_ctx        its cancel -> whoever sees it cancelled (go_ctx_err,
 *                     go_ctx_done, the done channel's close)
 *     go_timer_func   the arming call -> the function's goroutine
 *     go_proc_pin     an unpin -> the next pin of the same P
 *   and nothing else: a wake-up alone (Cond.Signal, a timer, the network
 *   poller) orders nothing, as in Go.
 *   A stack is never handed from one G to another (GO__SAN_KEEPS_STACKS):
 *   the locals of a goroutine that ended are not the next one's to race
 *   with.  (Go resets a new stack's shadow, racemalloc; gcc's libtsan has
 *   no call that does.)
 */
#ifndef GO_SAN_H
#define GO_SAN_H

#include "internal.h"
#include <sys/mman.h>

#ifdef GO__ASAN
void __sanitizer_start_switch_fiber(void **fake_stack_save,
	const void *bottom, size_t size);
void __sanitizer_finish_switch_fiber(void *fake_stack_save,
	const void **bottom_old, size_t *size_old);
void __asan_unpoison_memory_region(void const volatile *addr, size_t size);
void __asan_get_shadow_mapping(size_t *shadow_scale, size_t *shadow_offset);
void __lsan_register_root_region(const void *p, size_t size);
#endif
#ifdef GO__TSAN
void *__tsan_get_current_fiber(void);
void *__tsan_create_fiber(unsigned flags);
void __tsan_destroy_fiber(void *fiber);
void __tsan_switch_to_fiber(void *fiber, unsigned flags);
void __tsan_acquire(void *addr);
void __tsan_release(void *addr);
void AnnotateIgnoreSyncBegin(const char *file, int line);
void AnnotateIgnoreSyncEnd(const char *file, int line);
void __tsan_ignore_thread_begin(void);
void __tsan_ignore_thread_end(void);
extern __thread void *go__san_ignoring;   /* sched.c */
#define GO__TSAN_NO_SYNC 1u    /* __tsan_switch_to_fiber_no_sync */
#endif

/* Go's raceacquire and racerelease: what this goroutine did before its
 * release on addr happens before what another does after its acquire on
 * it.  (TSan merges releases: an address holds every release made on it.) */
static inline void go__race_acquire(const void *addr)
{
#ifdef GO__TSAN
	__tsan_acquire((void *)(uintptr_t)addr);
#endif
	(void)addr;
}

static inline void go__race_release(const void *addr)
{
#ifdef GO__TSAN
	__tsan_release((void *)(uintptr_t)addr);
#endif
	(void)addr;
}

/* LeakSanitizer looks for pointers in the threads' stacks, not in the
 * goroutines': at exit, g's live part of its stack, lo up, becomes a root
 * (lsan_exit_roots in sched.c).  Memory that a goroutine blocked at
 * exit still holds is not a leak: it is reachable, as in Go. */
static inline void go__san_stack_root(go__g *g, const void *lo)
{
#ifdef GO__ASAN
	const char *top = g->stack_lo + g->stack_size;

	if ((const char *)lo >= g->stack_lo && (const char *)lo < top)
		__lsan_register_root_region(lo, (size_t)(top - (const char *)lo));
#endif
	(void)g;
	(void)lo;
}

/* The runtime starts a thread: it starts with no history of its
 * creator's, which (creating an M from go_spawn) may be a goroutine. */
static inline void go__san_thread_create_begin(void)
{
#ifdef GO__TSAN
	AnnotateIgnoreSyncBegin(__FILE__, __LINE__);
#endif
}

static inline void go__san_thread_create_end(void)
{
#ifdef GO__TSAN
	AnnotateIgnoreSyncEnd(__FILE__, __LINE__);
#endif
}

/* A thread that runs only the runtime (an M's g0, the monitor, the
 * network poller): what the libc calls it makes touch (calloc, epoll_wait,
 * pthread_getcpuclockid, ...) is the runtime's, and TSan need not follow
 * it, as it does not follow the runtime's own code.  What it synchronises
 * (a timer's channel send, go_timer_func's spawn) still counts. */
static inline void go__san_runtime_thread(void)
{
#ifdef GO__TSAN
	__tsan_ignore_thread_begin();
	go__san_ignoring = __tsan_get_current_fiber();
#endif
}

/* The runtime ends the program (a fatal error): TSan, at the exit, wants
 * the fiber it is on to ignore nothing. */
static inline void go__san_exit(void)
{
#ifdef GO__TSAN
	if (go__san_ignoring && __tsan_get_current_fiber() == go__san_ignoring) {
		go__san_ignoring = NULL;
		__tsan_ignore_thread_end();
	}
#endif
}

/* A thread becomes m: its own fiber is g0's.  TSan counts the thread's
 * TLS (errno, go.h's go__tls_preempt) as written when the thread started;
 * every G that runs on m acquires that (go__san_switch_to_g). */
static inline void go__san_m_init(go__m *m)
{
	go__san_runtime_thread();
#ifdef GO__TSAN
	m->g0_tsan_fiber = __tsan_get_current_fiber();
	__tsan_release(m);
#endif
	(void)m;
}

/* g got a stack: a reused one may still hold the poisoned redzones of
 * dead frames, to be forgotten. A fresh one has none, and is left alone:
 * unpoisoning it writes its whole shadow, 8 KiB of memory a goroutine. */
static inline void go__san_stack_new(go__g *g)
{
#ifdef GO__ASAN
	size_t used = g->stack_grows ? go__stack_size : g->stack_size;   /* see go__stack_shrink */

	if (!g->stack_fresh)
		__asan_unpoison_memory_region(g->stack_lo + g->stack_size - used, used);
#endif
	(void)g;
}

/* A deep stack's pages below [lo, hi) went back to the kernel: their
 * shadow goes too, whole pages of it given back (zero: unpoisoned, as
 * ASan's own shadow releases are), its ragged ends unpoisoned. Unpoisoning
 * it all would write, and keep, 8 MiB of shadow per 64 MiB stack. */
static inline void go__san_stack_release(char *lo, char *hi)
{
#ifdef GO__ASAN
	size_t scale, offset, page = 4096;
	uintptr_t s_lo, s_hi, p_lo, p_hi;

	__asan_get_shadow_mapping(&scale, &offset);
	s_lo = ((uintptr_t)lo >> scale) + offset;
	s_hi = ((uintptr_t)hi >> scale) + offset;
	p_lo = (s_lo + page - 1) & ~(uintptr_t)(page - 1);
	p_hi = s_hi & ~(uintptr_t)(page - 1);
	if (p_lo >= p_hi) {
		__asan_unpoison_memory_region(lo, (size_t)(hi - lo));
		return;
	}
	madvise((void *)p_lo, p_hi - p_lo, MADV_DONTNEED);
	__asan_unpoison_memory_region(lo, (p_lo - s_lo) << scale);
	__asan_unpoison_memory_region((char *)((p_hi - offset) << scale), (s_hi - p_hi) << scale);
#endif
	(void)lo, (void)hi;
}

/* Under TSan a G keeps its stack when it exits, for its next life: the
 * stack's shadow holds what its fiber did there, and another G's fiber
 * would race with that.  (TSan's AnnotateNewMemory, which would forget
 * it, does nothing in gcc's libtsan.)  A fresh stack's shadow is clean:
 * it was mapped on g0, whose accesses TSan ignores. */
#ifdef GO__TSAN
#define GO__SAN_KEEPS_STACKS 1
#else
#define GO__SAN_KEEPS_STACKS 0
#endif

/* On g0, about to switch to g (execute). */
static inline void go__san_switch_to_g(go__m *m, go__g *g)
{
#ifdef GO__TSAN
	if (g->tsan_fiber == NULL)
		g->tsan_fiber = __tsan_create_fiber(0);
	__tsan_switch_to_fiber(g->tsan_fiber, GO__TSAN_NO_SYNC);
	__tsan_acquire(m);      /* the thread's start, as g's */
#endif
#ifdef GO__ASAN
	__sanitizer_start_switch_fiber(&m->g0_fake_stack, g->stack_lo,
		g->stack_size);
#endif
	(void)m;
	(void)g;
}

/* On g0 again, back from a G (execute). */
static inline void go__san_back_on_g0(go__m *m)
{
#ifdef GO__ASAN
	__sanitizer_finish_switch_fiber(m->g0_fake_stack, NULL, NULL);
#endif
	(void)m;
}

/* On g, about to switch to g0 (mcall); exiting: g will not come back on
 * this stack, so ASan need not keep its fake stack. */
static inline void go__san_switch_to_g0(go__m *m, go__g *g, bool exiting)
{
#ifdef GO__TSAN
	__tsan_switch_to_fiber(m->g0_tsan_fiber, GO__TSAN_NO_SYNC);
#endif
#ifdef GO__ASAN
	__sanitizer_start_switch_fiber(exiting ? NULL : &g->fake_stack,
		m->g0_stack_bottom, m->g0_stack_size);
#endif
	(void)m;
	(void)g;
	(void)exiting;
}

/* On g again, back from g0 (mcall). */
static inline void go__san_back_on_g(go__g *g)
{
#ifdef GO__ASAN
	__sanitizer_finish_switch_fiber(g->fake_stack, NULL, NULL);
#endif
	(void)g;
}

/* On a new G's stack for the first time (go__g_entry). */
static inline void go__san_first_on_g(void)
{
#ifdef GO__ASAN
	__sanitizer_finish_switch_fiber(NULL, NULL, NULL);
#endif
}

#endif
