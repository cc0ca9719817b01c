/*
 * san.h — the stack switches, told to ASan and TSan (sched.c's only).
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
 *         every switch.
 * Each helper is empty unless the flavour has that sanitizer, so the
 * scheduler calls them unconditionally and reads the same in every build.
 * (Valgrind is told about stacks when they are made, in stack.c.)
 */
#ifndef GO_SAN_H
#define GO_SAN_H

#include "internal.h"

#ifdef GO__ASAN
void __sanitizer_start_switch_fiber(void **fake_stack_save,
	const void *bottom, size_t size);
void __sanitizer_finish_switch_fiber(void *fake_stack_save,
	const void **bottom_old, size_t *size_old);
void __asan_unpoison_memory_region(void const volatile *addr, size_t size);
#endif
#ifdef GO__TSAN
void *__tsan_get_current_fiber(void);
void *__tsan_create_fiber(unsigned flags);
void __tsan_destroy_fiber(void *fiber);
void __tsan_switch_to_fiber(void *fiber, unsigned flags);
#endif

/* A thread becomes m: its own fiber is g0's. */
static inline void go__san_m_init(go__m *m)
{
#ifdef GO__TSAN
	m->g0_tsan_fiber = __tsan_get_current_fiber();
#endif
	(void)m;
}

/* g got a stack: a reused one may still hold the poisoned redzones of
 * dead frames, to be forgotten. A fresh one has none, and is left alone:
 * unpoisoning it writes its whole shadow, 8 KiB of memory a goroutine. */
static inline void go__san_stack_new(go__g *g)
{
#ifdef GO__ASAN
	if (!g->stack_fresh)
		__asan_unpoison_memory_region(g->stack_lo, g->stack_size);
#endif
	(void)g;
}

/* On g0, about to switch to g (execute). */
static inline void go__san_switch_to_g(go__m *m, go__g *g)
{
#ifdef GO__TSAN
	if (g->tsan_fiber == NULL)
		g->tsan_fiber = __tsan_create_fiber(0);
	__tsan_switch_to_fiber(g->tsan_fiber, 0);
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
	__tsan_switch_to_fiber(m->g0_tsan_fiber, 0);
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
