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
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "internal.h"

static int fatal_once;

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
static void fatal_begin(void)
{
	int zero = 0;
	if (!cas(&fatal_once, &zero, 1))
		for (;;)
			pause();
	fflush(stdout);
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
	_exit(2);
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
	_exit(2);
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
	_exit(2);
}
