/*
 * prof.h — the profilers' hooks in the scheduler (see prof.c).
 */
#ifndef GO_PROF_H
#define GO_PROF_H

extern int go__prof_hz;                 /* atomic: 0 when not profiling */
extern __thread int go__prof_m_hz;      /* the rate this M's timer runs at */

/* Arms or disarms this M's CPU timer to go__prof_hz. */
void go__prof_arm(void);

/* In execute(): one thread-local load and compare per schedule. */
static inline void go__prof_check(void)
{
	if (__builtin_expect(__atomic_load_n(&go__prof_hz, __ATOMIC_RELAXED) != go__prof_m_hz, 0))
		go__prof_arm();
}

/* Starts the profilers the environment asks for (CHANLAB_CPUPROFILE). */
void go__prof_init(void);

/* A fatal error (a panic, a deadlock, the checker's SIGQUIT) is ending
 * the program, which will not run its atexit handlers: writes every
 * profile and the trace being taken, as an exit would (prof.c). */
void go__profiles_flush(void);

/* Writes the heap profile the environment asked for, as at exit (heap.c). */
void go__heap_flush(void);

#endif
