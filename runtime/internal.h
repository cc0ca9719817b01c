/*
 * internal.h — what the runtime's files share and nobody else sees.
 * Every non-static symbol here is prefixed go__.
 *
 * The names follow Go's runtime (proc.go, runtime2.go) so a learner can read
 * both side by side:
 *   G  a goroutine: a function, its stack, its state       struct go__g
 *   M  a machine: one OS thread that runs Gs                struct go__m
 *   P  a processor: the right to run Gs, with a run queue   struct go__p
 * An M must hold a P to run a G; there are GOMAXPROCS Ps.  Each M has its
 * own scheduler context (g0, on the thread's own stack) that runs
 * schedule(); a G gives up its M by switching to g0.
 */
#ifndef GO_INTERNAL_H
#define GO_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <pthread.h>
#include <signal.h>
#include <time.h>

#include "go.h"

#if defined(__SANITIZE_ADDRESS__)
#define GO__ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define GO__ASAN 1
#endif
#endif
#if defined(__SANITIZE_THREAD__)
#define GO__TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define GO__TSAN 1
#endif
#endif

/* --- atomics (GCC builtins; TSan understands them) ----------------------- */
#define ld_relaxed(p) __atomic_load_n((p), __ATOMIC_RELAXED)
#define ld_acquire(p) __atomic_load_n((p), __ATOMIC_ACQUIRE)
#define st_relaxed(p, v) __atomic_store_n((p), (v), __ATOMIC_RELAXED)
#define st_release(p, v) __atomic_store_n((p), (v), __ATOMIC_RELEASE)
#define xadd(p, v) __atomic_add_fetch((p), (v), __ATOMIC_SEQ_CST)
#define xchg(p, v) __atomic_exchange_n((p), (v), __ATOMIC_SEQ_CST)
#define cas(p, oldp, v) \
	__atomic_compare_exchange_n((p), (oldp), (v), false, \
		__ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST)

static inline void go__cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__builtin_ia32_pause();
#elif defined(__aarch64__)
	__asm__ volatile("yield" ::: "memory");
#endif
}

/* --- lock.c: a futex mutex for runtime data, and a one-shot note ------- */
typedef struct go__lock { uint32_t key; } go__lock;   /* zero: unlocked */
void go__lock_acquire(go__lock *l);
void go__lock_release(go__lock *l);

/* A note is a one-shot event an M sleeps on (Go's note). */
typedef struct go__note { uint32_t key; } go__note;
void go__note_clear(go__note *n);
void go__note_wakeup(go__note *n);
/* Sleep until woken, or ns passes (ns < 0: no limit); true if woken. */
bool go__note_sleep(go__note *n, int64_t ns);

/* --- G ------------------------------------------------------------------ */
enum go__gstatus {
	GO__G_IDLE,      /* just allocated, not yet initialized */
	GO__G_RUNNABLE,  /* on a run queue, not running */
	GO__G_RUNNING,   /* running on an M that holds a P */
	GO__G_WAITING,   /* parked; wait_reason says why */
	GO__G_DEAD,      /* finished; on a free list for reuse */
};

typedef struct go__g go__g;
typedef struct go__m go__m;
typedef struct go__p go__p;
typedef struct go__timer go__timer;

struct go__g {
	void *sp;                   /* saved stack pointer while switched out */
	uint64_t id;
	uint32_t status;            /* enum go__gstatus, atomic */
	uint32_t select_done;       /* select: 1 once a case has won */
	void (*fn)(void *);
	void *arg;
	char *stack_lo;             /* lowest usable byte; guard page below */
	size_t stack_size;          /* usable bytes; 0: no stack yet */
	size_t stack_want;          /* a size other than GOSTACKSIZE (go_main's), or 0 */
	bool stack_guarded;
	bool stack_grows;           /* a deep stack (stack.c): a guard marker
				       go__stack_size below its top (not under
				       ASan) is taken away the first time the G
				       goes past it */
	bool stack_deep;            /* it was: the pages below go back at its end */
	bool stack_fresh;           /* never run on: its ASan shadow is clean */
	bool stack_kept;            /* dead, kept its stack for its next life (TSan) */
	bool long_runner;           /* the monitor saw it run > 10 ms */
	const char *wait_reason;
	const char *wait_file;      /* where it blocked (valid while waiting) */
	int wait_line;
	void *wait_obj;             /* what it parked on (go__park's arg), while waiting */
	int create_line;
	const char *create_file;
	void *param;                /* handed over by whoever readied it */
	go__g *sched_link;          /* global run queue / free list */
	go__g *all_link;            /* the list of all Gs */
	go__timer *sleep_timer;     /* lazily made for go_sleep/_until */
	void *fake_stack;           /* ASan fiber state */
	void *tsan_fiber;           /* TSan fiber */
	unsigned valgrind_id;       /* VALGRIND_STACK_REGISTER id */
	void *async_save;           /* preempted by signal: its saved state (preempt.c) */
	uint64_t traceseq;          /* the tracer's sequence number (trace.c) */
	uint32_t trace_sys;         /* atomic: 1 in a traced system call, 2 its P was
				     * taken (GoSysBlock written), else 0 (trace.c) */
	const char *labels;         /* go_pprof_do's "k=v,..." (inherited by spawn), or NULL */
};

/* --- P ------------------------------------------------------------------ */
#define GO__RUNQ_SIZE 256
enum { GO__P_IDLE, GO__P_RUNNING, GO__P_DEAD, GO__P_SYSCALL };

struct go__p {
	int id;
	int status;                 /* guarded by the sched lock */
	go__m *m;                   /* owner, NULL when idle */
	go__p *link;                /* idle P list */
	uint32_t schedtick;         /* time slices begun (runnext inherits one) */
	uint32_t switchtick;        /* Gs switched in, atomic */
	uint32_t preempt;           /* set by the monitor: yield at next call */
	uint32_t runq_head, runq_tail;  /* atomic; tail written by the owner only */
	go__g *runnext;             /* atomic: run this next, inherits the slice */
	go__g *runq[GO__RUNQ_SIZE];
	go__g *gfree;               /* dead Gs for reuse */
	int ngfree;
	uint64_t goid_next, goid_end;   /* this P's batch of goroutine ids */
	int64_t gcount;             /* Gs spawned minus Gs exited here, atomic */
	struct go__stack *stacks;   /* cached free stacks */
	int nstacks;
	/* timers (time.c), guarded by timer_lock */
	go__lock timer_lock;
	go__timer **timers;         /* min-heap on when */
	int ntimers, timers_cap;
	int64_t timer0_when;        /* atomic copy of timers[0]->when, 0: none */
	/* monitor's view */
	uint32_t mon_tick, mon_switch;
	int64_t mon_when, mon_switch_cpu;
	/* system calls (syscall.c): the M in one that holds this P, atomic;
	 * the monitor takes the P from it (handoff) when it stays there */
	go__m *sysm;
	uint32_t syscalltick;           /* system calls entered, atomic */
	uint32_t mon_syscalltick;
} __attribute__((aligned(64)));

/* --- M ------------------------------------------------------------------ */
struct go__m {
	int id;
	go__g g0;                   /* the scheduler context on the thread stack */
	go__g *curg;                /* the G running, or NULL on g0 */
	go__p *p;                   /* held P, NULL when idle */
	go__p *nextp;               /* P handed over by startm */
	go__m *link;                /* idle M list */
	go__note park;
	bool spinning;              /* looking for work, counted in nmspinning */
	uint32_t pins;              /* go_proc_pin depth: nothing preempts the G */
	const char *pin_file;       /* where the outermost pin was taken */
	int pin_line;
	uint64_t fastrand;
	/* what g0 does after the G switched out (see schedule) */
	int after;                  /* enum in sched.c */
	bool (*unlockf)(go__g *, void *);
	void *unlockarg;
	uint64_t fpcur;             /* FP control word the thread has now */
	/* sanitizer state of g0 */
	void *g0_fake_stack;
	void *g0_tsan_fiber;
	const void *g0_stack_bottom;
	size_t g0_stack_size;
	void *altstack;
	pthread_t thread;
	clockid_t cpuclock;         /* the thread's CPU-time clock */
	/* the dump's question "where is your G?" (SIGURG), panic.c */
	uintptr_t probe_pc, probe_fp;
	go__g *probe_g;
	uint32_t probe_seq;         /* atomic: bumped once answered */
};

extern __thread go__m *go__tls_m;

/* The running M.  The asm barrier makes the compiler reload the thread
 * pointer after a park: a G may wake on another thread. */
static inline go__m *go__getm(void)
{
	go__m *m;
	__asm__ volatile("" ::: "memory");
	m = go__tls_m;
	return m;
}
static inline go__g *go__getg(void) { return go__getm()->curg; }

/* --- the scheduler (sched.c) -------------------------------------------- */
typedef struct go__sched {
	go__lock lock;
	go__m *midle; int nmidle; int mcount;
	int64_t idle_until;             /* atomic: the earliest deadline an idle M
					   sleeps until; 0: none known (lock) */
	go__p *pidle; uint32_t npidle;  /* npidle atomic for reads */
	uint32_t nmspinning;            /* atomic */
	go__g *runq_head, *runq_tail; uint32_t runq_size;  /* global queue */
	go__lock gfree_lock; go__g *gfree; int ngfree;
	go__lock allg_lock; go__g *allg;
	uint64_t goidgen;               /* atomic: ids are taken 16 at a time */
	int32_t gomaxprocs;             /* atomic */
	int nprocs_alloc;
	go__p **allp;
} go__sched;
extern go__sched go__sched_state;

/* Park the running G: set it waiting for reason, switch to g0, which then
 * calls unlockf(g, arg) (if not NULL); if that returns false the G resumes
 * at once.  Returns when someone calls go__ready(g). */
/* System calls (sched.c; Go's entersyscall/exitsyscall): around a call
 * that may block, the running G lets the monitor hand its P to another M
 * (go__retake) if it stays in the kernel; on return it takes its P back,
 * or another, or waits for one. No-ops off a goroutine. */
void go__entersyscall(void);
void go__exitsyscall(void);
/* SIGURG asks a running M where it is (panic.c, for dumps): records the
 * interrupted pc and frame pointer of the ucontext. preempt.c's handler,
 * which owns SIGURG when asynchronous preemption is on, calls it first. */
void go__probe_signal(void *uctx);

/* SIGURGs (the runtime's preemption signal) this thread has taken: a
 * sleep the signal cut short sleeps the rest (syscall.c). */
extern __thread unsigned go__urg_count;

/* The monitor: take p from the M in a system call (if it still is). */
void go__retake(go__p *p);

void go__park(bool (*unlockf)(go__g *, void *), void *arg,
	const char *reason, const char *file, int line);
void go__monitor_start(void);

/* A detached thread running fn(arg) on a stack of that size, its id in *t
 * (t may be NULL); a fatal error saying what, if it cannot start. */
void go__start_thread(pthread_t *t, void *(*fn)(void *), void *arg, size_t stack, const char *what);
/* Make a waiting G runnable on the current P (next in line). */
void go__ready(go__g *g);
/* A timer was armed for when: wake an idle M if every idle M would sleep
 * past it, so that it runs on time (Go's wakeNetPoller). */
void go__wake_for_timer(int64_t when);
/* From a thread that is no M (the network poller): to the global queue. */
void go__ready_outside(go__g *g);
extern uint32_t go__netpoll_waiters;   /* Gs parked in netpoll.c, atomic */
/* Cooperative preemption point: yields if the monitor asked for it.
 * go__tls_preempt points at the preempt flag of the P this thread holds
 * (at a flag that stays 0 when it holds none): one TLS load and one load
 * on every runtime call. */
extern __thread uint32_t *go__tls_preempt;
static inline void go__checkpreempt(void)
{
	extern void go__preempt_yield(void);
	if (__builtin_expect(ld_relaxed(go__tls_preempt) != 0, 0))
		go__preempt_yield();
}
uint32_t go__fastrandn(uint32_t n);
int go__nallocp(void);
go__p *go__allp(int i);
/* Can a goroutine spinning on a sync primitive expect progress? */
bool go__can_spin(int iter);
void go__semacquire(uint32_t *addr, bool lifo, const char *reason,
	const char *file, int line);
void go__semrelease(uint32_t *addr, bool handoff);

/* --- fatal errors (panic.c) --------------------------------------------- */
/* Print "fatal error: msg" and the running goroutine; exit 2. */
void go__fatal(const char *msg) __attribute__((noreturn));
/* Print "<kind>: msg" (kind: "panic" or "fatal error") and the running
 * goroutine, at file:line if known; exit 2. */
void go__throw(const char *kind, const char *msg, const char *file, int line)
	__attribute__((noreturn));
/* Print "fatal error: msg" and every goroutine that is not dead, by id;
 * exit 2.  The deadlock report. */
void go__fatal_all(const char *msg) __attribute__((noreturn));
/* Install the handlers that flush stdout on the way out: SIGQUIT (flush,
 * one line, exit 2) and the crashes that are not the stack's. */
void go__signal_init(void);
/* In a crash's signal handler: have the monitor flush stdout, waiting at
 * most 100 ms.  Async-signal-safe. */
void go__flush_in_signal(void);
/* Flushes stdout if its lock comes within ms milliseconds (a thread may
 * hold it for good); whether it did. */
bool go__flush_stdout(int ms);
/* On the monitor thread, every round: serve the two requests above. */
void go__fatal_poll(void);
/* On the monitor thread, once: SIGQUIT is delivered there. */
void go__quit_thread(void);

/* Report a crash (SIGSEGV, SIGBUS, SIGFPE, SIGILL that is a fault) as Go
 * does: "panic: runtime error: ...", the signal, the faulting goroutine's
 * frames; exit 2.  In the signal handler; normal builds only (under a
 * sanitizer, its own handler reports). */
void go__crash(int sig, siginfo_t *si, void *uctx) __attribute__((noreturn));
/* A goroutine in Go's dump shape, with its frames (file:line, if known, is
 * where it failed).  Through go__printf. */
void go__dump_g(go__g *g, const char *file, int line);
/* Up to max frames of g, innermost first; *exact: pcs[0] is an
 * interrupted pc rather than a return address.  A running G on another M
 * is asked where it is (SIGURG, 20 ms at most). */
int go__g_frames(go__g *g, uintptr_t *pcs, int max, bool *exact);
/* Dumps are formatted into one static buffer and written to fd 2 with
 * write(): no stdio lock, no malloc (a crash may hold either). */
void go__printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void go__print_flush(void);

/* --- tracebacks (traceback.c) ------------------------------------------- */
#define GO__TB_MAX 64
/* Walk frame pointers from fp while it stays in [lo, hi) and grows,
 * appending return addresses to pcs[n..max); returns the new n. */
int go__tb_walk(uintptr_t fp, uintptr_t lo, uintptr_t hi, uintptr_t *pcs, int n, int max);
/* The frames of a G switched out (its saved context). */
int go__tb_parked(go__g *g, uintptr_t *pcs, int max);
/* The frames of the caller. */
int go__tb_self(uintptr_t *pcs, int max);
/* Call each(data, file, line, func) for every frame the learner should see
 * (inlined calls are frames of their own), innermost first, until it
 * returns non-zero; returns that. */
int go__tb_frames(const uintptr_t *pcs, int n, bool first_exact,
	int (*each)(void *data, const char *file, int line, const char *func), void *data);
/* Print them, one "\t#i func file:line" each (go__printf). */
void go__tb_print(const uintptr_t *pcs, int n, bool first_exact);
/* A frame the learner does not see by default (the runtime's own). */
bool go__tb_hidden(const char *file, const char *func);
/* file relative to the current directory when under it. */
const char *go__tb_relative(const char *file);

/* --- the leak check (leak.c) -------------------------------------------- */
/* At go_main's return: go_leakcheck() if CHANLAB_LEAKCHECK says so and no
 * report was printed yet; true if goroutines leaked. */
bool go__leakcheck_at_exit(void);

/* --- stacks (stack.c) --------------------------------------------------- */
struct go__stack;
extern size_t go__stack_size;
#define GO__DEEP_STACK (64u << 20)   /* what a deep stack, and go_main's, may grow to */
void go__stack_init(void);
bool go__stack_alloc(go__p *p, go__g *g);  /* sets g->stack_*; false: ENOMEM */
void go__stack_free(go__p *p, go__g *g);
void go__stack_shrink(go__g *g);            /* a deep stack's deep pages go back */
void go__stack_scavenge(int64_t now);       /* the monitor's, every look */
const char *go__stack_oom(void);            /* the fatal error's words */
void go__stack_signal_init(go__m *m);       /* per thread: sigaltstack */

/* --- timers (time.c) ---------------------------------------------------- */
struct go__timer {
	int64_t when;
	int64_t period;             /* > 0: a ticker */
	void (*f)(void *arg, int64_t now);
	void *arg;
	go__p *p;                   /* heap it is in, NULL if none */
	int index;                  /* in that heap */
	uint32_t running;           /* callbacks in flight, atomic */
	go_chan *c;                 /* go_after / go_timer_new channel */
	void (*fn)(void *);         /* go_timer_func */
	void *fnarg;
};
void go__timer_start(go__timer *t, int64_t when);
bool go__timer_stop(go__timer *t);
/* Stops t and waits out a callback of it in flight on another M, so that
 * what the callback reads may be freed or reused. */
void go__timer_stop_wait(go__timer *t);
/* Run p's expired timers; returns the next deadline (0: none). */
int64_t go__timers_run(go__p *p, int64_t now);
/* The G's own timer set up for a select deadline, armed at park time. */
go__timer *go__select_timer(go__g *g, int64_t deadline);
void go__select_timer_arm(go__g *g);
/* Earliest timer deadline over all Ps (0: none). */
int64_t go__timers_next(void);
/* Called by go_chan_free for a channel made by go_after. */
void go__timer_chan_freed(go__timer *t);

/* --- channels (chan.c) -------------------------------------------------- */
void go__chan_set_timer(go_chan *c, go__timer *t);
bool go__chan_send_nb(go_chan *c, const void *elem);  /* never blocks */

#endif
