/*
 * trace.h — the execution tracer's hooks in the scheduler (see trace.c).
 * Off, each is one relaxed load and a branch (the GO__TRACE macro).
 */
#ifndef GO_TRACE_H
#define GO_TRACE_H

#include <stdbool.h>

typedef struct go__g go__g;
typedef struct go__p go__p;

extern int go__tracing;         /* atomic: 1 while recording */

#define GO__TRACE(call) \
	do { if (__builtin_expect(__atomic_load_n(&go__tracing, __ATOMIC_RELAXED), 0)) call; } while (0)

void go__trace_go_create(go__p *p, go__g *g);
void go__trace_go_start(go__p *p, go__g *g);
void go__trace_go_end(go__p *p);
void go__trace_go_block(go__p *p, const char *reason);
void go__trace_go_unblock(go__p *p, go__g *g);
void go__trace_go_unblock_outside(go__g *g);
void go__trace_go_sched(go__p *p, bool preempted);
void go__trace_proc_start(go__p *p);
void go__trace_proc_stop(go__p *p);
void go__trace_gomaxprocs(go__p *p, int n);
/* g, running on p, enters a system call. */
void go__trace_go_syscall(go__p *p, go__g *g);
/* The monitor took p from the M of g, blocked in a system call. */
void go__trace_go_sysblock(go__p *p);

/* Starts the trace the environment asks for (CHANLAB_TRACE=FILE). */
void go__trace_init(void);

#endif
