/*
 * stack.c — goroutine stacks and the stack-overflow report.
 *
 * Data model
 *   A stack is an mmap'd region: one PROT_NONE guard page, then
 *   go__stack_size usable bytes (default 64 KiB, GOSTACKSIZE=<n>[k|m]);
 *   go_main's goroutine gets 8 MiB (or GOSTACKSIZE if larger), the stack a
 *   C program's main has, so that a recursion that works in plain C works
 *   in go_main. Programs are built with -fstack-clash-protection: a frame
 *   larger than a page touches each page in order, so it hits the guard
 *   and is reported instead of jumping over it.
 *   Only the pages a goroutine touches cost memory.  A G gets its stack
 *   when it first runs (so a million queued Gs need no stacks) and gives it
 *   back when it exits; spare stacks are cached per P (p->stacks, up to
 *   STACK_CACHE) and then in one global pool whose pages are returned to
 *   the kernel, each linked through a struct go__stack written at the top
 *   of the stack itself.
 *
 *   Each guarded stack costs two kernel mappings.  When the next one would
 *   push the process near vm.max_map_count, new stacks come without a
 *   guard page, carved from large slabs, and the runtime says so once.
 *
 *   A fault in a guard page is reported as a stack overflow by a SIGSEGV
 *   handler that runs on each M's alternate signal stack; any other fault is
 *   Go's runtime panic with the goroutine's frames (go__crash, panic.c) in
 *   a normal build, and given back to whoever handled SIGSEGV before (the
 *   sanitizer) under ASan or TSan.  All first have stdout flushed
 *   (go__flush_in_signal, panic.c).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "internal.h"

#if defined(__has_include)
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#define GO__VALGRIND 1
#endif
#endif

#define STACK_CACHE 16
#define SLAB_STACKS 64
#define ALTSTACK_SIZE (64 * 1024)

struct go__stack {
	struct go__stack *next;
	char *lo;
	size_t size;
	bool guarded;
	unsigned valgrind_id;
};

size_t go__stack_size = 64 * 1024;
static size_t page_size;
static long max_guarded;            /* guarded stacks we allow ourselves */
static long nguarded;               /* atomic */
static int warned_unguarded;
static go__lock pool_lock;
static struct go__stack *pool;
static long npool;
static char *slab_next, *slab_end;  /* unguarded stacks, guarded by pool_lock */
static struct sigaction old_segv, old_bus;

static void segv_handler(int sig, siginfo_t *si, void *uctx);

static size_t parse_size(const char *s)
{
	char *end;
	unsigned long long v = strtoull(s, &end, 10);
	if (*end == 'k' || *end == 'K')
		v *= 1024;
	else if (*end == 'm' || *end == 'M')
		v *= 1024 * 1024;
	return (size_t)v;
}

void go__stack_init(void)
{
	struct sigaction sa;
	const char *s = getenv("GOSTACKSIZE");
	long maps = 65530;
	FILE *f;

	page_size = (size_t)sysconf(_SC_PAGESIZE);
	if (s && *s) {
		size_t v = parse_size(s);
		if (v >= 16 * 1024)
			go__stack_size = (v + page_size - 1) & ~(page_size - 1);
	}
	f = fopen("/proc/sys/vm/max_map_count", "r");
	if (f) {
		if (fscanf(f, "%ld", &maps) != 1)
			maps = 65530;
		fclose(f);
	}
	/* keep a quarter of the mappings for malloc, libraries and the program */
	max_guarded = maps * 3 / 8;

	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = segv_handler;
	sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGSEGV, &sa, &old_segv);
	sigaction(SIGBUS, &sa, &old_bus);
}

void go__stack_signal_init(go__m *m)
{
	stack_t ss;

	m->altstack = mmap(NULL, ALTSTACK_SIZE, PROT_READ | PROT_WRITE,
		MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (m->altstack == MAP_FAILED) {
		m->altstack = NULL;
		return;
	}
	ss.ss_sp = m->altstack;
	ss.ss_size = ALTSTACK_SIZE;
	ss.ss_flags = 0;
	sigaltstack(&ss, NULL);
}

static struct go__stack *stack_header(char *lo, size_t size)
{
	return (struct go__stack *)(lo + size - sizeof(struct go__stack));
}

static struct go__stack *map_guarded(size_t size)
{
	char *base = mmap(NULL, size + page_size, PROT_READ | PROT_WRITE,
		MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (base == MAP_FAILED)
		return NULL;
	if (mprotect(base, page_size, PROT_NONE) != 0) {
		munmap(base, size + page_size);
		return NULL;
	}
	struct go__stack *s = stack_header(base + page_size, size);
	s->lo = base + page_size;
	s->size = size;
	s->guarded = true;
	return s;
}

/* pool_lock held */
static struct go__stack *map_unguarded(size_t size)
{
	if (slab_next == NULL || (size_t)(slab_end - slab_next) < size) {
		size_t len = size * SLAB_STACKS;
		char *base = mmap(NULL, len, PROT_READ | PROT_WRITE,
			MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
		if (base == MAP_FAILED)
			return NULL;
#ifdef MADV_NOHUGEPAGE
		madvise(base, len, MADV_NOHUGEPAGE);
#endif
		slab_next = base;
		slab_end = base + len;
	}
	char *lo = slab_next;
	slab_next += size;
	struct go__stack *s = stack_header(lo, size);
	s->lo = lo;
	s->size = size;
	s->guarded = false;
	return s;
}

static struct go__stack *stack_new(size_t size)
{
	struct go__stack *s = NULL;

	if (xadd(&nguarded, 1) <= max_guarded) {
		s = map_guarded(size);
		if (s == NULL)
			xadd(&nguarded, -1);
	} else {
		xadd(&nguarded, -1);
	}
	if (s == NULL) {
		int zero = 0;
		if (cas(&warned_unguarded, &zero, 1))
			fprintf(stderr, "runtime: %ld goroutine stacks have used the "
				"kernel's share of memory mappings (vm.max_map_count); "
				"further stacks have no guard page, so an overflow there "
				"is not reported\n", ld_relaxed(&nguarded));
		go__lock_acquire(&pool_lock);
		s = map_unguarded(size);
		go__lock_release(&pool_lock);
		if (s == NULL)
			return NULL;
	}
#ifdef GO__VALGRIND
	s->valgrind_id = VALGRIND_STACK_REGISTER(s->lo, s->lo + s->size);
#endif
	return s;
}

static void stack_put(go__p *p, struct go__stack *s);

bool go__stack_alloc(go__p *p, go__g *g)
{
	struct go__stack *s = g->stack_want > go__stack_size ? NULL : p->stacks;

	if (s) {
		p->stacks = s->next;
		p->nstacks--;
	} else if (ld_relaxed(&pool) != NULL) {
		go__lock_acquire(&pool_lock);
		s = pool;
		if (s) {
			st_relaxed(&pool, s->next);   /* atomic: peeked without the lock */
			npool--;
		}
		go__lock_release(&pool_lock);
	}
	if (g->stack_want > go__stack_size) {   /* go_main's: not from the caches */
		if (s)
			stack_put(p, s);
		s = stack_new(g->stack_want);
		if (s == NULL)
			return false;
	}
	if (s == NULL && (s = stack_new(go__stack_size)) == NULL)
		return false;
	g->stack_lo = s->lo;
	g->stack_size = s->size;
	g->stack_guarded = s->guarded;
	g->valgrind_id = s->valgrind_id;
	return true;
}

/* Give g's stack back.  The header is rewritten: the G's frames were there. */
void go__stack_free(go__p *p, go__g *g)
{
	if (g->stack_size == 0)
		return;
	struct go__stack *s = stack_header(g->stack_lo, g->stack_size);
	s->lo = g->stack_lo;
	s->size = g->stack_size;
	s->guarded = g->stack_guarded;
	s->valgrind_id = g->valgrind_id;
	g->stack_lo = NULL;
	g->stack_size = 0;
	g->stack_want = 0;
	stack_put(p, s);
}

/* s, whose header is written, to the P's cache or the pool. */
static void stack_put(go__p *p, struct go__stack *s)
{
	if (s->size == go__stack_size && p->nstacks < STACK_CACHE) {
		s->next = p->stacks;
		p->stacks = s;
		p->nstacks++;
		return;
	}
	/* Off to the pool; its pages go back to the kernel, except the header. */
	madvise(s->lo, s->size - page_size, MADV_DONTNEED);
	go__lock_acquire(&pool_lock);
	s->next = pool;
	st_relaxed(&pool, s);
	npool++;
	go__lock_release(&pool_lock);
}

/* --- the overflow report ------------------------------------------------ */

static void put(const char *s)
{
	ssize_t r = write(2, s, strlen(s));
	(void)r;
}

static void put_num(unsigned long long v)
{
	char buf[24], *p = buf + sizeof buf;
	*--p = '\0';
	do
		*--p = (char)('0' + v % 10);
	while ((v /= 10) != 0);
	put(p);
}

static void segv_handler(int sig, siginfo_t *si, void *uctx)
{
	go__m *m = go__tls_m;
	go__g *g = m ? m->curg : NULL;
	char *addr = si->si_addr;

	(void)uctx;
	if (g && g->stack_size && addr < g->stack_lo &&
	    addr >= g->stack_lo - page_size * (g->stack_guarded ? 1 : 0) - 256) {
		go__flush_in_signal();
		put("fatal error: goroutine ");
		put_num(g->id);
		put(" overflowed its ");
		put_num(g->stack_size / 1024);
		put(" KiB stack; created at ");
		if (g->create_line) {
			put(g->create_file);
			put(":");
			put_num((unsigned)g->create_line);
		} else {
			put("the runtime (go_main)");
		}
		put("\n(set GOSTACKSIZE for bigger stacks, e.g. GOSTACKSIZE=1m)\n");
		_exit(2);
	}
#if !defined(GO__ASAN) && !defined(GO__TSAN)
	if (si->si_code > 0)
		go__crash(sig, si, uctx);   /* Go's panic, at the learner's line */
#endif
	/* Not ours: flush what the program printed, restore the previous
	 * handler and let the fault recur (a signal sent by kill is sent
	 * again: it is blocked here, and comes once this handler returns). */
	go__flush_in_signal();
	sigaction(sig, sig == SIGSEGV ? &old_segv : &old_bus, NULL);
	if (si->si_code <= 0)
		raise(sig);
}
