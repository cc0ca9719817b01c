/*
 * preempt.h — asynchronous preemption (see preempt.c).
 */
#ifndef GO_PREEMPT_H
#define GO_PREEMPT_H

#include <stdbool.h>
#include <stdint.h>

typedef struct go__m go__m;
typedef struct go__g go__g;

/* Installs the SIGURG handler, in a program chanlab built. */
void go__preempt_init(void);

/* The monitor: stop m's goroutine now if it is at a safe point. */
void go__preempt_signal(go__m *m);

/* For the CPU profiler's signal handler (async-signal-safe): when g was
 * stopped by the signal and pc is the first instruction of the code it
 * was diverted into, the pc, frame and stack pointers it was running
 * with, so the sample is charged where the goroutine was. */
bool go__preempt_interrupted(go__g *g, uintptr_t pc, uintptr_t *ipc, uintptr_t *ifp, uintptr_t *isp);

/* For dumps: when g was preempted by the signal and has not resumed yet
 * (parked, runnable, or back on a thread in async_entry), the pc and
 * frame pointer it was stopped at; its stack above async_entry's frames
 * says nothing of where it was. */
bool go__preempt_stopped_at(go__g *g, uintptr_t *ipc, uintptr_t *ifp);

/* Goroutines preempted by the signal so far. */
extern uint64_t go__preempt_async_count;

#endif
