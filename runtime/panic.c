/*
 * panic.c — fatal errors, panics, crashes and the goroutine dump, after
 * Go's runtime/panic.go (throw, fatal, gopanic), signal_unix.go (sigpanic)
 * and traceback.go (goroutineheader, tracebackothers).
 *
 * Data model
 *   A fatal error ends the process: one line "panic: <msg>" or
 *   "fatal error: <msg>", then a dump of the goroutine that failed (or of
 *   every goroutine that is not dead, by id, for the deadlock report), all
 *   on stderr, then _exit(2).  There is no recover: a panic is as final as
 *   a fatal error, so both print and exit the same way.
 *
 *   fatal_once lets one thread report (go_dump holds it for a while, as
 *   2, and whoever else wants it waits); any other thread that fails at the
 *   same time waits for the exit instead of interleaving its lines.
 *
 *   A goroutine is dumped in Go's shape: "goroutine <id> [<status or wait
 *   reason>]:", where it is (the line it failed at, or where it blocked),
 *   its frames innermost first ("\t#i func file:line", traceback.c) and
 *   where it was created.  A running goroutine on another M is asked where
 *   it is: the dumping thread sends that M's thread SIGURG, whose handler
 *   stores the interrupted pc and frame pointer in the M (probe_*) and
 *   bumps probe_seq.  Dumps: the deadlock report (by id), SIGQUIT and
 *   go_dump (running goroutines first), the leak report (leak.c).  Every
 *   dump is formatted into out_buf and written with write(2): no stdio
 *   lock, no malloc.  The stack overflow report is not here: it runs in a
 *   signal handler and lives beside it, in stack.c.
 *
 *   A fault (SIGSEGV, SIGBUS, SIGFPE, SIGILL raised by the CPU) in a
 *   normal build is Go's runtime panic (go__crash): "panic: runtime error:
 *   invalid memory address or nil pointer dereference" (the wording per
 *   signal), "[signal SIGSEGV: segmentation violation code=... addr=...
 *   pc=...]", the faulting goroutine's frames from the interrupted
 *   context, exit 2.  Under ASan or TSan the sanitizer's handler reports.
 *
 *   Output survives.  stdout into a pipe is fully buffered (see README.md,
 *   "Output"), so every way out flushes it first, as Go's unbuffered
 *   fmt.Println never loses a line:
 *   - the fatal errors above run on a goroutine, never inside stdio:
 *     they flush stdout themselves (go__flush_stdout), waiting a bounded time
 *     for a thread that holds its lock (a parked goroutine may);
 *   - a crash (SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT, SIGXCPU) and the
 *     stack overflow report run in a signal handler, on a thread that may
 *     have been inside printf holding stdout's lock, with its buffer half
 *     updated.  fflush there is not async-signal-safe, and ftrylockfile
 *     does not tell: stdio's lock is recursive, so it succeeds for the
 *     thread that already holds it.  So the handler asks the monitor
 *     thread, which never touches stdio or malloc, to flush
 *     (flush_req/flush_done) and waits at most 100 ms: the monitor's
 *     ftrylockfile fails while any other thread, the crashed one
 *     included, holds the lock, and then nothing is flushed rather than
 *     something broken;
 *   - SIGQUIT (Go's "dump and quit"; the checker sends it at the time
 *     limit, then SIGKILL after a grace; with the limit's MiB as its value
 *     when the program held more memory than it may) only sets quit_req:
 *     the monitor flushes, prints "SIGQUIT: quit ..." (or "fatal error:
 *     out of memory ...") and every goroutine, and exits
 *     2, off the signal handler (3.5 ms here, the grace is 100).  It is
 *     blocked on every M and delivered to the monitor alone.
 *   Other FILE streams (fopen'd by the program) are not flushed: their
 *   locks may be held by a parked goroutine for good.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>

#include "det.h"
#include "internal.h"
#include "san.h"
#include "preempt.h"
#include "prof.h"

static int fatal_once;                /* 0, 1: a fatal report, 2: a go_dump */
static int flush_req;                 /* atomic: a crash asks for a flush */
static int flush_done;                /* atomic: bumped once it is done */
static volatile sig_atomic_t quit_req;   /* SIGQUIT came: -1, or the MiB of a
					    memory limit the checker says was passed */

#define CRASH_SIGNALS { SIGFPE, SIGILL, SIGABRT, SIGXCPU }
static struct sigaction old_crash[4];

/* --- flushing stdout on the way out ------------------------------------- */

static void sleep_ms(long ms)
{
	struct timespec ts = { 0, ms * 1000000 };
	nanosleep(&ts, NULL);
}

/* Flush stdout unless some other thread holds its lock for more than ms
 * milliseconds.  Not from a signal handler (see the top). */
bool go__flush_stdout(int ms)
{
	for (int i = 0;; i++) {
		if (ftrylockfile(stdout) == 0) {
			fflush(stdout);
			funlockfile(stdout);
			return true;
		}
		if (i >= ms)
			return false;
		sleep_ms(1);
	}
}

void go__flush_in_signal(void)
{
	int seen = ld_acquire(&flush_done);

	st_release(&flush_req, 1);
	for (int i = 0; i < 100 && ld_acquire(&flush_done) == seen; i++)
		sleep_ms(1);
}

static void quit(void);
static void probe_handler(int sig, siginfo_t *si, void *uctx);

void go__fatal_poll(void)
{
	if (quit_req)
		quit();
	if (ld_acquire(&flush_req)) {
		st_relaxed(&flush_req, 0);
		go__flush_stdout(50);
		xadd(&flush_done, 1);
	}
}

void go__quit_thread(void)
{
	sigset_t quitset;

	sigemptyset(&quitset);
	sigaddset(&quitset, SIGQUIT);
	pthread_sigmask(SIG_UNBLOCK, &quitset, NULL);
}

static void quit_handler(int sig, siginfo_t *si, void *uctx)
{
	(void)sig, (void)uctx;
	quit_req = si->si_code == SI_QUEUE && si->si_value.sival_int > 0 ? si->si_value.sival_int : -1;
}

/* A crash that is not a stack overflow: flush, then die of it as before.
 * A fault (si_code > 0) recurs when the handler returns; a signal that was
 * sent (abort's SIGABRT, the kernel's SIGXCPU) is raised again: blocked in
 * here, it comes as soon as the handler returns. */
static void crash_handler(int sig, siginfo_t *si, void *uctx)
{
	static const int sigs[] = CRASH_SIGNALS;

#if !defined(GO__ASAN) && !defined(GO__TSAN)
	if (si->si_code > 0 && (sig == SIGFPE || sig == SIGILL))
		go__crash(sig, si, uctx);   /* Go's panic, at the learner's line */
#endif
	(void)uctx;
	go__flush_in_signal();
	for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
		if (sigs[i] == sig)
			sigaction(sig, &old_crash[i], NULL);
	if (si->si_code <= 0 || sig == SIGABRT || sig == SIGXCPU)
		raise(sig);
}

void go__signal_init(void)
{
	static const int sigs[] = CRASH_SIGNALS;
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = quit_handler;
	sa.sa_flags = SA_SIGINFO | SA_RESTART;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGQUIT, &sa, NULL);
	/* SIGQUIT goes to the monitor, which unblocks it (go__quit_thread):
	 * every M inherits this mask.  A thread spinning in the program might
	 * not run a handler soon (TSan delays it to the next libc call). */
	sigset_t quitset;
	sigemptyset(&quitset);
	sigaddset(&quitset, SIGQUIT);
	pthread_sigmask(SIG_BLOCK, &quitset, NULL);

	sa.sa_handler = NULL;
	sa.sa_sigaction = probe_handler;
	sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_RESTART;
	sigaction(SIGURG, &sa, NULL);

	sa.sa_sigaction = crash_handler;
	sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
	for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
		sigaction(sigs[i], &sa, &old_crash[i]);
}

/* --- output ------------------------------------------------------------- */

/* Every dump goes through one buffer to fd 2 with write(): no stdio lock,
 * no malloc, so a crash inside either can still be reported.  One report
 * at a time (fatal_once; the leak check runs on a goroutine). */
static char out_buf[8192];
static size_t out_len;

void go__print_flush(void)
{
	size_t off = 0;

	while (off < out_len) {
		ssize_t r = write(2, out_buf + off, out_len - off);
		if (r <= 0)
			break;
		off += (size_t)r;
	}
	out_len = 0;
}

void go__printf(const char *fmt, ...)
{
	va_list ap;
	int n;

	if (out_len > sizeof out_buf - 1024)
		go__print_flush();
	va_start(ap, fmt);
	n = vsnprintf(out_buf + out_len, sizeof out_buf - out_len, fmt, ap);
	va_end(ap);
	if (n > 0)
		out_len += (size_t)n < sizeof out_buf - out_len ? (size_t)n :
			sizeof out_buf - out_len - 1;
}

/* --- one goroutine ------------------------------------------------------ */

static const char *gstatus_name(go__g *g)
{
	switch (ld_relaxed(&g->status)) {
	case GO__G_RUNNABLE: return "runnable";
	case GO__G_RUNNING: return "running";
	case GO__G_WAITING: return g->wait_reason ? g->wait_reason : "waiting";
	default: return "dead";
	}
}

/* Where a running G on another M is: that M's thread answers SIGURG with
 * the interrupted pc and frame pointer (probe_handler).  Waits at most
 * 200 ms for it (the checker waits 1 s for the whole dump). */
void go__probe_signal(void *uctx)
{
	go__m *m = go__tls_m;
	ucontext_t *uc = uctx;

	if (!m)
		return;
#if defined(__x86_64__)
	m->probe_pc = (uintptr_t)uc->uc_mcontext.gregs[REG_RIP];
	m->probe_fp = (uintptr_t)uc->uc_mcontext.gregs[REG_RBP];
#else
	(void)uc;
#endif
	m->probe_g = m->curg;
	xadd(&m->probe_seq, 1);
}

static void probe_handler(int sig, siginfo_t *si, void *uctx)
{
	(void)sig, (void)si;
	go__probe_signal(uctx);
}

static go__m *running_m(go__g *g)
{
	for (int i = 0, n = go__nallocp(); i < n; i++) {
		go__m *m = ld_acquire(&go__allp(i)->m);
		if (m && ld_acquire(&m->curg) == g)
			return m;
	}
	return NULL;
}

/* g's frames from where it was interrupted: pcs[0] is that pc itself,
 * then the walk of its frame pointers within g's stack. */
static int frames_from(go__g *g, uintptr_t pc, uintptr_t fp, uintptr_t *pcs, int max, bool *exact)
{
	uintptr_t lo = (uintptr_t)g->stack_lo;

	if (max <= 0 || !g->stack_size)
		return 0;
	pcs[0] = pc;
	*exact = true;
	return go__tb_walk(fp, lo, lo + g->stack_size, pcs, 1, max);
}

/* g's frames into pcs; *exact: pcs[0] is an interrupted pc, not a return
 * address. */
int go__g_frames(go__g *g, uintptr_t *pcs, int max, bool *exact)
{
	go__m *self = go__tls_m, *m;
	uint32_t st = ld_acquire(&g->status), seq;
	uintptr_t pc, fp;

	*exact = false;
	if (self && self->curg == g)
		return go__tb_self(pcs, max);
	if (g->stack_size && go__preempt_stopped_at(g, &pc, &fp))
		return frames_from(g, pc, fp, pcs, max, exact);   /* stopped by the signal */
	if (st == GO__G_WAITING || st == GO__G_RUNNABLE)
		return go__tb_parked(g, pcs, max);
	if (st != GO__G_RUNNING || !g->stack_size)
		return 0;
	/* A G just switched to, or just preempted, is "running" while its
	 * thread is still on g0: no M has it yet, or the answer comes from
	 * the scheduler's stack. It is on its own stack a moment later: ask
	 * again, a few times; the last answer stands as it is (a thread in a
	 * library built without frame pointers has its pc to show). */
	for (int tries = 0; tries < 5; tries++) {
		uintptr_t lo = (uintptr_t)g->stack_lo;
		struct timespec again = { 0, 1000000 };

		if (tries)
			nanosleep(&again, NULL);
		if (ld_acquire(&g->status) != GO__G_RUNNING)
			break;      /* parked or stopped meanwhile: as the others */
		if ((m = running_m(g)) == NULL)
			continue;
		if (m == self)
			return 0;
		seq = ld_acquire(&m->probe_seq);
		if (pthread_kill(m->thread, SIGURG) != 0)
			return 0;
		/* a thread answers in microseconds, unless the machine is loaded
		 * and it waits for a core: the dump is the story, so wait up to
		 * 200 ms */
		for (int i = 0; i < 800 && ld_acquire(&m->probe_seq) == seq; i++) {
			struct timespec ts = { 0, 250000 };
			nanosleep(&ts, NULL);
		}
		if (ld_acquire(&m->probe_seq) == seq)
			return 0;
		if (m->probe_g == g && ((m->probe_fp >= lo && m->probe_fp < lo + g->stack_size) || tries == 4))
			return frames_from(g, m->probe_pc, m->probe_fp, pcs, max, exact);   /* its answer */
	}
	st = ld_acquire(&g->status);
	if (go__preempt_stopped_at(g, &pc, &fp))
		return frames_from(g, pc, fp, pcs, max, exact);
	if (st == GO__G_WAITING || st == GO__G_RUNNABLE)
		return go__tb_parked(g, pcs, max);
	return 0;
}

static void dump_created(go__g *g)
{
	if (g->create_line)
		go__printf("\tcreated at %s:%d\n", g->create_file, g->create_line);
	else
		go__printf("\tcreated by the runtime to run go_main\n");
}

/* Go's goroutineheader and traceback: where g failed (file:line, when
 * known) or blocked, its frames innermost first, where it was created. */
void go__dump_g(go__g *g, const char *file, int line)
{
	uintptr_t pcs[GO__TB_MAX];
	bool exact;
	int n = go__g_frames(g, pcs, GO__TB_MAX, &exact);

	go__printf("goroutine %llu [%s%s]:\n", (unsigned long long)g->id,
		gstatus_name(g),
		ld_relaxed(&g->long_runner) ? ", ran >10ms without yielding" : "");
	if (file)
		go__printf("\tat %s:%d\n", file, line);
	else if (ld_relaxed(&g->status) == GO__G_WAITING && g->wait_file)
		go__printf("\tblocked at %s:%d\n", g->wait_file, g->wait_line);
	go__tb_print(pcs, n, exact);
	dump_created(g);
}

/* --- fatal errors ------------------------------------------------------- */

/* Take fatal_once as 1 (a report that ends the process) or 2 (go_dump),
 * waiting out a go_dump; false if a fatal report has it.  Not in a signal
 * handler when mine is 2. */
static bool take_fatal(int mine)
{
	for (;;) {
		int seen = 0;
		if (cas(&fatal_once, &seen, mine))
			return true;
		if (seen == 1)
			return false;
		struct timespec ts = { 0, 1000000 };
		nanosleep(&ts, NULL);
	}
}

static __thread bool reporting;        /* this thread is reporting a fatal error */

/* The end of every fatal report: in a deterministic run, the schedule to
 * replay it; unless in a signal handler (a crash), the profiles and the
 * trace being taken are written, as an exit would: a panic, a deadlock or
 * a timeout is when a learner most wants to see where the time went. (In
 * a crash they are lost: writing them takes malloc, which the crash may
 * have left locked.) */
static void fatal_end(bool in_signal) __attribute__((noreturn));
static void fatal_end(bool in_signal)
{
	go__det_fatal();
	if (!in_signal)
		go__profiles_flush();
	go__san_exit();
	_exit(2);
}

/* Only one thread gets to report; others wait for the exit. A fatal
 * error while reporting one (writing a profile, say) just exits. */
static void fatal_begin(void)
{
	if (reporting) {
		go__san_exit();
		_exit(2);
	}
	if (!take_fatal(1))
		for (;;)
			pause();
	reporting = true;
	go__flush_stdout(100);
}

void go__fatal(const char *msg)
{
	go__throw("fatal error", msg, NULL, 0);
}

void go__throw(const char *kind, const char *msg, const char *file, int line)
{
	fatal_begin();
	go__printf("%s: %s\n", kind, msg);
	go__m *m = go__tls_m;
	if (m && m->curg) {
		go__printf("\n");
		go__dump_g(m->curg, file, line);
	}
	go__print_flush();
	fatal_end(false);
}

void go_panic_at(const char *msg, const char *file, int line)
{
	go__throw("panic", msg, file, line);
}

void (go_panic)(const char *msg)
{
	go__throw("panic", msg, NULL, 0);
}

/* --- every goroutine ---------------------------------------------------- */

static int by_id(const void *a, const void *b)
{
	go__g *x = *(go__g *const *)a, *y = *(go__g *const *)b;
	/* the running ones first (a spinning loop is the story), then by id */
	int rx = ld_relaxed(&x->status) == GO__G_RUNNING;
	int ry = ld_relaxed(&y->status) == GO__G_RUNNING;
	if (rx != ry)
		return ry - rx;
	return x->id < y->id ? -1 : x->id > y->id;
}

/* Every G that is not dead, as Go's tracebackothers. */
static void dump_all(bool running_first)
{
	static go__g *v[4096];
	size_t n = 0;

	for (go__g *g = ld_acquire(&go__sched_state.allg); g; g = g->all_link) {
		if (ld_relaxed(&g->status) == GO__G_DEAD || ld_relaxed(&g->status) == GO__G_IDLE)
			continue;
		if (n == sizeof v / sizeof v[0]) {
			go__printf("\n...more goroutines not shown\n");
			break;
		}
		v[n++] = g;
	}
	if (running_first) {
		qsort(v, n, sizeof *v, by_id);
	} else {
		for (size_t i = 1; i < n; i++)   /* by id (insertion: no malloc) */
			for (size_t j = i; j > 0 && v[j - 1]->id > v[j]->id; j--) {
				go__g *t = v[j];
				v[j] = v[j - 1];
				v[j - 1] = t;
			}
	}
	for (size_t i = 0; i < n; i++) {
		uint32_t st = ld_relaxed(&v[i]->status);

		if (st == GO__G_DEAD || st == GO__G_IDLE)
			continue;   /* ended meanwhile: the others run on while we dump */
		go__printf("\n");
		go__dump_g(v[i], NULL, 0);
	}
}

void go__fatal_all(const char *msg)
{
	fatal_begin();
	go__printf("fatal error: %s\n", msg);
	dump_all(false);
	go__print_flush();
	fatal_end(false);
}

void go_dump(void)
{
	if (!take_fatal(2))
		return;
	go__flush_stdout(50);
	go__printf("goroutine dump (go_dump):\n");
	dump_all(true);
	go__print_flush();
	st_release(&fatal_once, 0);
}

/* SIGQUIT, on the monitor: the time limit is up, or (with a value, sent
 * by sigqueue) the program passed its memory limit.  Flush, say so, dump
 * every goroutine with the running ones first, exit 2. */
static void quit(void)
{
	int mib = quit_req;

	if (!take_fatal(1))
		return;   /* a fatal error is being reported: it exits */
	go__flush_stdout(30);
	if (mib > 0)
		go__printf("fatal error: out of memory (the program held more than its "
			"%d MiB and was stopped from outside)\n", mib);
	else
		go__printf("SIGQUIT: quit (stopped from outside: the checker sends it "
			"when the time limit is up)\n");
	go__print_flush();      /* the why first: the dump may be cut short by SIGKILL */
	dump_all(true);
	go__print_flush();
	fatal_end(false);
}

/* --- crashes in a normal build ------------------------------------------ */

static const char *sig_name(int sig)
{
	switch (sig) {
	case SIGSEGV: return "SIGSEGV: segmentation violation";
	case SIGBUS: return "SIGBUS: bus error";
	case SIGFPE: return "SIGFPE: floating-point exception";
	case SIGILL: return "SIGILL: illegal instruction";
	default: return "signal";
	}
}

static const char *crash_msg(int sig, siginfo_t *si, bool *is_panic)
{
	*is_panic = true;
	switch (sig) {
	case SIGSEGV:
	case SIGBUS:
		if ((uintptr_t)si->si_addr < 4096)
			return "runtime error: invalid memory address or nil pointer dereference";
		*is_panic = false;
		return "fault";
	case SIGFPE:
		if (si->si_code == FPE_INTDIV)
			return "runtime error: integer divide by zero";
		if (si->si_code == FPE_INTOVF)
			return "runtime error: integer overflow";
		return "runtime error: floating-point error";
	default:
		return "runtime error: illegal instruction (a trap: __builtin_trap, "
			"or undefined behaviour the compiler caught)";
	}
}

void go__crash(int sig, siginfo_t *si, void *uctx)
{
	ucontext_t *uc = uctx;
	uintptr_t pc = 0, fp = 0;
	bool is_panic;

	if (!take_fatal(1))   /* nanosleep is async-signal-safe */
		for (;;)
			pause();
	go__flush_in_signal();
#if defined(__x86_64__)
	pc = (uintptr_t)uc->uc_mcontext.gregs[REG_RIP];
	fp = (uintptr_t)uc->uc_mcontext.gregs[REG_RBP];
#else
	(void)uc;
#endif
	const char *msg = crash_msg(sig, si, &is_panic);
	if (!is_panic)
		go__printf("unexpected fault address 0x%lx\n", (unsigned long)si->si_addr);
	go__printf("%s: %s\n", is_panic ? "panic" : "fatal error", msg);
	go__printf("[signal %s code=%#x addr=0x%lx pc=0x%lx]\n\n", sig_name(sig),
		(unsigned)si->si_code, (unsigned long)si->si_addr, (unsigned long)pc);
	go__m *m = go__tls_m;
	go__g *g = m ? m->curg : NULL;
	uintptr_t pcs[GO__TB_MAX];
	int n = 0;
	pcs[n++] = pc;
	if (g && g->stack_size) {
		uintptr_t lo = (uintptr_t)g->stack_lo;
		n = go__tb_walk(fp, lo, lo + g->stack_size, pcs, n, GO__TB_MAX);
		go__printf("goroutine %llu [running]:\n", (unsigned long long)g->id);
	} else {
		go__printf("on a thread of the runtime (no goroutine):\n");
	}
	go__tb_print(pcs, n, true);
	if (g)
		dump_created(g);
	go__print_flush();
	fatal_end(true);
}
