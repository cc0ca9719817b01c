/*
 * trace — read an execution trace the runtime wrote (Go 1.19's format,
 * runtime/trace.c) and reduce it to the facts a grader asks about: how
 * many goroutines, how many ran at once, how busy each P was, how long
 * goroutines waited and on what, and how long runnable goroutines waited
 * for a P (scheduler latency).
 *
 * The file comes from a learner's program: the reader bounds the number
 * of events and goroutines and refuses what does not parse, with a
 * message, never a crash.
 */
#ifndef CHECKER_TRACE_H
#define CHECKER_TRACE_H

#include <stddef.h>
#include <stdint.h>

enum trace_wait { TW_SEND, TW_RECV, TW_SELECT, TW_SYNC, TW_COND, TW_SLEEP, TW_NET, TW_SYSCALL, TW_OTHER, TW_COUNT };

#define TRACE_MAX_PROCS 64

struct trace_facts {
	double seconds;                     /* first event to last */
	long events;
	long goroutines;                    /* created while tracing */
	long max_alive;                     /* alive at once */
	int max_running;                    /* running at once */
	int procs;                          /* GOMAXPROCS at the start */
	int nprocs;                         /* Ps seen running goroutines */
	double busy[TRACE_MAX_PROCS];       /* seconds each P ran goroutines */
	double blocked[TW_COUNT];           /* seconds goroutines spent waiting, by what on */
	long blocks[TW_COUNT];              /* and how many times */
	double latency_p50, latency_p99, latency_max;   /* runnable to running, seconds */
};

/* The names of enum trace_wait, for scripts: "send", "recv", ... */
const char *trace_wait_name(enum trace_wait w);

/* Reads the trace in data. 0, or -1 and err_msg. */
int trace_facts(struct trace_facts *f, const void *data, size_t len);

/* What the scheduler timeline draws: each stretch a goroutine ran on a P,
 * and how many goroutines were runnable (waiting for a P) over time. Times
 * are nanoseconds from the trace's first event. */
enum trace_stop { TS_BLOCK, TS_YIELD, TS_PREEMPT, TS_END };

struct trace_span {
	int p;
	uint64_t g;
	int64_t start, end;
	uint8_t stop;                       /* enum trace_stop */
	uint8_t why;                        /* enum trace_wait, for TS_BLOCK */
};

struct trace_runnable {
	int64_t t;
	int n;                              /* from t on */
};

struct trace_timeline {
	struct trace_span *spans;
	size_t nspans, capspans;
	struct trace_runnable *runnable;
	size_t nrunnable, caprunnable;
	int64_t duration;
};

/* trace_facts and, into tl (zeroed; release with trace_timeline_release),
 * the timeline. 0, or -1 and err_msg. */
int trace_read(struct trace_facts *f, struct trace_timeline *tl, const void *data, size_t len);
void trace_timeline_release(struct trace_timeline *tl);

#endif
