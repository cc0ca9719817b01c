/*
 * panic.c — fatal errors, panics and the goroutine dump, after Go's
 * runtime/panic.go (throw, fatal, gopanic) and traceback.go
 * (goroutineheader, tracebackothers).
 *
 * Data model
 *   A fatal error ends the process: one line "panic: <msg>" or
 *   "fatal error: <msg>", then a dump of the goroutine that failed (or of
 *   every goroutine that is not dead, by id, for the deadlock report), all
 *   on stderr, then _exit(2).  There is no recover: a panic is as final as
 *   a fatal error, so both print and exit the same way.
 *
 *   fatal_once lets one thread report; any other thread that fails at the
 *   same time waits for the exit instead of interleaving its lines.
 *
 *   A goroutine is dumped in Go's shape: "goroutine <id> [<status or wait
 *   reason>]:", then, where Go prints the stack, where it is (the line it
 *   failed at, or where it blocked) and where it was created.  The stack overflow report is not
 *   here: it runs in a signal handler and lives beside it, in stack.c.
 *
 *   Output survives.  stdout into a pipe is fully buffered (see README.md,
 *   "Output"), so every way out flushes it first, as Go's unbuffered
 *   fmt.Println never loses a line:
 *   - the fatal errors above run on a goroutine, never inside stdio:
 *     they flush stdout themselves (flush_stdout), waiting a bounded time
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
 *     limit, then SIGKILL after a grace) only sets quit_req: the monitor
 *     flushes, prints one line and exits 2, off the signal handler.  It
 *     is blocked on every M and delivered to the monitor alone.
 *   Other FILE streams (fopen'd by the program) are not flushed: their
 *   locks may be held by a parked goroutine for good.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "det.h"
#include "internal.h"

static int fatal_once;
static int flush_req;                 /* atomic: a crash asks for a flush */
static int flush_done;                /* atomic: bumped once it is done */
static volatile sig_atomic_t quit_req;   /* SIGQUIT came */

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
static bool flush_stdout(int ms)
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

static void quit(void)
{
	static const char note[] = "SIGQUIT: quit (stopped from outside: "
		"the checker sends it when the time limit is up)\n";
	int zero = 0;

	if (!cas(&fatal_once, &zero, 1))
		return;   /* a fatal error is being reported: it exits */
	flush_stdout(50);
	ssize_t r = write(2, note, sizeof note - 1);
	(void)r;
	_exit(2);
}

void go__fatal_poll(void)
{
	if (quit_req)
		quit();
	if (ld_acquire(&flush_req)) {
		st_relaxed(&flush_req, 0);
		flush_stdout(50);
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

static void quit_handler(int sig)
{
	(void)sig;
	quit_req = 1;
}

/* A crash that is not a stack overflow: flush, then die of it as before.
 * A fault (si_code > 0) recurs when the handler returns; a signal that was
 * sent (abort's SIGABRT, the kernel's SIGXCPU) is raised again: blocked in
 * here, it comes as soon as the handler returns. */
static void crash_handler(int sig, siginfo_t *si, void *uctx)
{
	static const int sigs[] = CRASH_SIGNALS;

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
	sa.sa_handler = quit_handler;
	sa.sa_flags = SA_RESTART;
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
	sa.sa_sigaction = crash_handler;
	sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
	for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
		sigaction(sigs[i], &sa, &old_crash[i]);
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

/* Go's goroutineheader, and the two lines standing in for its traceback;
 * file:line, when known, is where g failed. */
static void dump_g(go__g *g, const char *file, int line)
{
	fprintf(stderr, "goroutine %llu [%s%s]:\n", (unsigned long long)g->id,
		gstatus_name(g),
		ld_relaxed(&g->long_runner) ? ", ran >10ms without yielding" : "");
	if (file)
		fprintf(stderr, "\tat %s:%d\n", file, line);
	else if (ld_relaxed(&g->status) == GO__G_WAITING && g->wait_file)
		fprintf(stderr, "\tblocked at %s:%d\n", g->wait_file, g->wait_line);
	if (g->create_line)
		fprintf(stderr, "\tcreated at %s:%d\n", g->create_file,
			g->create_line);
	else
		fprintf(stderr, "\tcreated by the runtime to run go_main\n");
}

/* --- fatal errors ------------------------------------------------------- */

/* Only one thread gets to report; others wait for the exit. */
/* The end of every fatal report: in a deterministic run, the schedule to
 * replay it. */
static void fatal_end(void) __attribute__((noreturn));
static void fatal_end(void)
{
	go__det_fatal();
	_exit(2);
}

static void fatal_begin(void)
{
	int zero = 0;
	if (!cas(&fatal_once, &zero, 1))
		for (;;)
			pause();
	flush_stdout(100);
}

void go__fatal(const char *msg)
{
	fatal_begin();
	fprintf(stderr, "fatal error: %s\n", msg);
	go__m *m = go__tls_m;
	if (m && m->curg) {
		fputc('\n', stderr);
		dump_g(m->curg, NULL, 0);
	}
	fatal_end();
}

void go__throw(const char *kind, const char *msg, const char *file, int line)
{
	fatal_begin();
	fprintf(stderr, "%s: %s\n", kind, msg);
	go__m *m = go__tls_m;
	if (m && m->curg) {
		fputc('\n', stderr);
		dump_g(m->curg, file, line);
	}
	fatal_end();
}

void go_panic(const char *msg)
{
	go__throw("panic", msg, NULL, 0);
}

/* --- every goroutine ---------------------------------------------------- */

static int by_id(const void *a, const void *b)
{
	uint64_t x = (*(go__g *const *)a)->id, y = (*(go__g *const *)b)->id;
	return x < y ? -1 : x > y;
}

/* Go's tracebackothers, for the deadlock report. */
void go__fatal_all(const char *msg)
{
	fatal_begin();
	fprintf(stderr, "fatal error: %s\n", msg);
	/* by id, like Go */
	size_t n = 0;
	for (go__g *g = ld_acquire(&go__sched_state.allg); g; g = g->all_link)
		n++;
	go__g **v = malloc(n * sizeof *v);
	if (v) {
		size_t i = 0;
		for (go__g *g = ld_acquire(&go__sched_state.allg); g; g = g->all_link)
			v[i++] = g;
		qsort(v, n, sizeof *v, by_id);
		for (i = 0; i < n; i++) {
			if (ld_relaxed(&v[i]->status) == GO__G_DEAD)
				continue;
			fputc('\n', stderr);
			dump_g(v[i], NULL, 0);
		}
	}
	fatal_end();
}
