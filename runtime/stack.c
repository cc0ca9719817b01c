/*
 * stack.c — goroutine stacks and the stack-overflow report.
 *
 * Data model
 *   A stack is an mmap'd region: one PROT_NONE guard page, then
 *   go__stack_size usable bytes (default 64 KiB, GOSTACKSIZE=<n>[k|m]);
 *   go_main's goroutine gets GO__DEEP_STACK (64 MiB, or GOSTACKSIZE if
 *   larger), more than a C program's main has. The first DEEP_MAX stacks
 *   carved are deep: GO__DEEP_STACK bytes with a second guard marker
 *   go__stack_size below the top, which the SIGSEGV handler takes away
 *   the first time the goroutine goes past it (g->stack_deep), and
 *   go__stack_shrink puts back, with the pages below given back, when the
 *   goroutine ends. Programs are built with -fstack-clash-protection: a frame
 *   larger than a page touches each page in order, so it hits the guard
 *   and is reported instead of jumping over it.
 *   Only the pages a goroutine touches cost memory.  A G gets its stack
 *   when it first runs (so a million queued Gs need no stacks) and gives it
 *   back when it exits; spare stacks are cached per P (p->stacks, up to
 *   STACK_CACHE) and then in one global pool, whose pages the monitor
 *   returns to the kernel once they have been spare 100 ms or more
 *   (go__stack_scavenge), each linked through a struct go__stack written
 *   at the top of the stack itself.
 *
 *   New stacks come BATCH at a time to the P that ran out (carve): one
 *   mapping, a guard page below each stack installed as the kernel's guard
 *   marker (MADV_GUARD_INSTALL, Linux 6.13: no mapping of its own), and
 *   each stack's top page filled, all in two process_madvise calls.
 *   Where the kernel has no guard markers, each stack is a mapping with a
 *   guard page mprotect'ed below it, two kernel mappings each: when the
 *   next would push the process near vm.max_map_count, new stacks come
 *   without a guard page, carved from large slabs, and the runtime says
 *   so once.
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
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#include "internal.h"
#include "san.h"

#if defined(__has_include)
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#define GO__VALGRIND 1
#endif
#endif

#define STACK_CACHE 16
#define SLAB_STACKS 64
#define BATCH 32                    /* stacks carved at once for a P */
#define BATCH_BYTES (64u << 20)     /* and at most this much address space */
#define SCAVENGE_NS (100 * 1000 * 1000)   /* a spare stack's pages go back after 100-200 ms */
#ifndef MADV_GUARD_INSTALL
#define MADV_GUARD_INSTALL 102      /* Linux 6.13 */
#define MADV_GUARD_REMOVE 103
#endif
#define DEEP_MAX 1024               /* deep stacks carved at most: each costs a
				       page-table page (4 KiB) a shallow one shares */
/* A guard marker inside a deep stack, go__stack_size below its top. Not
 * under ASan: LeakSanitizer reads whole stacks it knows of, marker
 * included (a running goroutine's, made a root at exit, san.h; a thread's
 * whole range when its stack pointer is outside it, in a signal handler),
 * and its tracer dies of the fault. There a deep excursion is found at
 * the goroutine's end by the page the marker would be on (mincore). */
#ifdef GO__ASAN
#define MARK_DEEP_STACKS 0
#else
#define MARK_DEEP_STACKS 1
#endif
#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23      /* Linux 5.14 */
#endif
#define PIDFD_SELF_PROCESS (-10001) /* PIDFD_SELF_THREAD_GROUP, Linux 6.15 */
#define ALTSTACK_SIZE (64 * 1024)

struct go__stack {
	struct go__stack *next;
	char *lo;
	size_t size;
	bool guarded;
	bool grows;                     /* deep: a guard marker go__stack_size below the top */
	bool fresh;                     /* never run on */
	unsigned valgrind_id;
};

size_t go__stack_size = 64 * 1024;
static size_t page_size;
static long max_guarded;            /* guarded stacks we allow ourselves */
static long deep_left = DEEP_MAX;   /* atomic: deep stacks still to carve */
static long nguarded;               /* atomic */
static int warned_unguarded;
static go__lock pool_lock;
static struct go__stack *pool;      /* pages returned to the kernel */
static struct go__stack *dirty, *aging;   /* not yet: see go__stack_scavenge */
static int64_t last_scavenge;       /* the monitor's own */
static char *slab_next, *slab_end;  /* unguarded stacks, guarded by pool_lock */
static int guard_markers = -1;      /* the kernel's guard pages: -1 untried */
static int batch_advice = 1;        /* process_madvise on ourselves works */
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

/* The page of a deep stack's inner guard marker: go__stack_size below its top. */
static char *deep_mark(char *lo, size_t size)
{
	return lo + size - go__stack_size - page_size;
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
	s->grows = false;
	s->fresh = true;
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
	s->grows = false;
	s->fresh = true;
	return s;
}

/* advice for n pages, at lo + i * stride each: one process_madvise call
 * where the kernel takes it for the process itself (Linux 6.15), else a
 * madvise each when must (a guard), else nothing (a populate is only a
 * head start). 0, or -1 when some page did not take it. */
static int advise_pages(char *lo, size_t stride, int n, int advice, bool must)
{
	struct iovec iov[BATCH];
	long done = -1;

	if (ld_relaxed(&batch_advice)) {
		for (int i = 0; i < n; i++)
			iov[i] = (struct iovec){ lo + (size_t)i * stride, page_size };
		done = syscall(SYS_process_madvise, PIDFD_SELF_PROCESS, iov, (size_t)n, advice, 0);
		if (done == (long)n * (long)page_size)
			return 0;
		if (done < 0 && (errno == EBADF || errno == EINVAL || errno == ENOSYS || errno == EPERM))
			st_relaxed(&batch_advice, 0);   /* an older kernel: not again */
	}
	if (!must)
		return 0;
	for (int i = 0; i < n; i++)
		if (madvise(lo + (size_t)i * stride, page_size, advice) != 0)
			return -1;
	return 0;
}

/* n stacks of size usable bytes, each above a guard page, carved from one
 * mapping: the guards are the kernel's guard markers (no mapping of their
 * own, so no vm.max_map_count to watch), and each stack's top page is
 * filled in the same call (a page fault is the dearest part of a new
 * stack: 14 us on this machine's VM, against 1 us a page here). NULL
 * where the kernel has no guard markers: see map_guarded. */
static struct go__stack *carve(size_t size, int n)
{
	size_t stride = size + page_size;
	struct go__stack *first = NULL;
	char *base;

	if (ld_relaxed(&guard_markers) == 0)
		return NULL;
	base = mmap(NULL, stride * (size_t)n, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (base == MAP_FAILED)
		return NULL;
#ifdef MADV_NOHUGEPAGE
	madvise(base, stride * (size_t)n, MADV_NOHUGEPAGE);
#endif
	if (advise_pages(base, stride, n, MADV_GUARD_INSTALL, true) != 0) {
		st_relaxed(&guard_markers, 0);      /* an older kernel, or valgrind */
		munmap(base, stride * (size_t)n);
		return NULL;
	}
	st_relaxed(&guard_markers, 1);
	if (size > go__stack_size && MARK_DEEP_STACKS &&
	    advise_pages(deep_mark(base + page_size, size), stride, n, MADV_GUARD_INSTALL, true) != 0) {
		st_relaxed(&deep_left, 0);
		munmap(base, stride * (size_t)n);
		return NULL;
	}
	advise_pages(base + stride - page_size, stride, n, MADV_POPULATE_WRITE, false);
	for (int i = n; i-- > 0;) {
		char *lo = base + (size_t)i * stride + page_size;
		struct go__stack *s = stack_header(lo, size);

		s->lo = lo;
		s->size = size;
		s->guarded = true;
		s->grows = size > go__stack_size;
		s->fresh = true;
#ifdef GO__VALGRIND
		s->valgrind_id = VALGRIND_STACK_REGISTER(s->lo, s->lo + s->size);
#endif
		s->next = first;
		first = s;
	}
	return first;
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

		go__lock_acquire(&pool_lock);
		s = map_unguarded(size);
		go__lock_release(&pool_lock);
		if (s == NULL)
			return NULL;   /* out of address space: see go__stack_oom */
		if (cas(&warned_unguarded, &zero, 1))
			fprintf(stderr, "runtime: %ld goroutine stacks have used the "
				"kernel's share of memory mappings (vm.max_map_count); "
				"further stacks have no guard page, so an overflow there "
				"is not reported\n", ld_relaxed(&nguarded));
	}
#ifdef GO__VALGRIND
	s->valgrind_id = VALGRIND_STACK_REGISTER(s->lo, s->lo + s->size);
#endif
	return s;
}

static void stack_put(go__p *p, struct go__stack *s);

const char *go__stack_oom(void)
{
	static char msg[300];
	struct rlimit rl;

	if (getrlimit(RLIMIT_AS, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY)
		snprintf(msg, sizeof(msg), "out of memory allocating a goroutine stack: each takes %zu KiB of "
			 "address space (not of memory), and this process may have %llu MiB of it in all "
			 "(ulimit -v; in a chanlab check, 64 times the run's memory option)",
			 (go__stack_size + page_size) / 1024, (unsigned long long)(rl.rlim_cur >> 20));
	else
		snprintf(msg, sizeof(msg), "out of memory allocating a goroutine stack");
	return msg;
}

/* The first stack of *list (pool_lock held), or NULL. */
static struct go__stack *take(struct go__stack **list)
{
	struct go__stack *s = *list;

	if (s)
		st_relaxed(list, s->next);   /* atomic: peeked without the lock */
	return s;
}

bool go__stack_alloc(go__p *p, go__g *g)
{
	struct go__stack *s = g->stack_want > go__stack_size ? NULL : p->stacks;

	if (s) {
		p->stacks = s->next;
		p->nstacks--;
	} else if (ld_relaxed(&dirty) || ld_relaxed(&aging) || ld_relaxed(&pool)) {
		/* a stack still in memory first: its top page costs no fault */
		go__lock_acquire(&pool_lock);
		if (!(s = take(&dirty)) && !(s = take(&aging)))
			s = take(&pool);
		go__lock_release(&pool_lock);
	}
	if (g->stack_want > go__stack_size) {   /* go_main's: not from the caches */
		if (s)
			stack_put(p, s);
		s = stack_new(g->stack_want);
		if (s == NULL)
			return false;
	}
	if (s == NULL) {   /* a batch: one for g, the rest to the P's cache */
		size_t per = go__stack_size + page_size;
		int n = per * BATCH <= BATCH_BYTES ? BATCH : (int)(BATCH_BYTES / per) + 1;

		if (GO__DEEP_STACK > go__stack_size && ld_relaxed(&deep_left) > 0 &&
		    xadd(&deep_left, -BATCH) > -BATCH)
			s = carve(GO__DEEP_STACK, BATCH);   /* the first thousand: deep */
		if (!s)
			s = carve(go__stack_size, n);
		if (s) {
			for (struct go__stack *r = s->next, *next; r; r = next) {
				next = r->next;
				r->next = p->stacks;
				p->stacks = r;
				p->nstacks++;
			}
		} else if ((s = stack_new(go__stack_size)) == NULL) {
			return false;
		}
	}
	g->stack_lo = s->lo;
	g->stack_size = s->size;
	g->stack_guarded = s->guarded;
	g->stack_grows = s->grows;
	g->stack_deep = false;
	g->stack_fresh = s->fresh;
	g->valgrind_id = s->valgrind_id;
	return true;
}

/* A deep stack whose G went past its marker: the pages below the first
 * go__stack_size go back to the kernel and the marker comes back (which
 * takes its page too), so the memory of a deep excursion is not kept by
 * a stack whose next G stays shallow. Under ASan the shadow of those
 * pages goes too (go__san_stack_new clears only the top's). */
void go__stack_shrink(go__g *g)
{
	char *mark = deep_mark(g->stack_lo, g->stack_size);

#if MARK_DEEP_STACKS
	if (!g->stack_deep)
		return;
	madvise(g->stack_lo, (size_t)(mark - g->stack_lo), MADV_DONTNEED);
	madvise(mark, page_size, MADV_GUARD_INSTALL);
#else
	unsigned char in = 0;

	/* no marker: the page it would be on, in memory, says the G went deep */
	if (!g->stack_grows || mincore(mark, page_size, &in) != 0 || !(in & 1))
		return;
	madvise(g->stack_lo, (size_t)(mark - g->stack_lo) + page_size, MADV_DONTNEED);
#endif
	go__san_stack_release(g->stack_lo, mark + page_size);
	g->stack_deep = false;
}

/* Give g's stack back.  The header is rewritten: the G's frames were there. */
void go__stack_free(go__p *p, go__g *g)
{
	if (g->stack_size == 0)
		return;
	go__stack_shrink(g);
	struct go__stack *s = stack_header(g->stack_lo, g->stack_size);
	s->lo = g->stack_lo;
	s->size = g->stack_size;
	s->guarded = g->stack_guarded;
	s->grows = g->stack_grows;
	s->fresh = false;
	s->valgrind_id = g->valgrind_id;
	g->stack_lo = NULL;
	g->stack_size = 0;
	g->stack_want = 0;
	stack_put(p, s);
}

/* s, whose header is written, to the P's cache or the pool. */
static void stack_put(go__p *p, struct go__stack *s)
{
	if ((s->size == go__stack_size || s->grows) && p->nstacks < STACK_CACHE) {
		s->next = p->stacks;
		p->stacks = s;
		p->nstacks++;
		return;
	}
	/* Off to the pool; the monitor gives its pages back later. */
	go__lock_acquire(&pool_lock);
	s->next = dirty;
	st_relaxed(&dirty, s);
	go__lock_release(&pool_lock);
}

/* On the monitor's thread (Go's background scavenger): every 100 ms, the
 * spare stacks that have waited a whole period give their pages back to
 * the kernel, but for the top one (it holds the header). A stack is put
 * back without a system call, and one taken again soon costs no page
 * fault: returning pages costs a TLB shootdown on every core (18 us a
 * stack here), a page fault 14 us. */
void go__stack_scavenge(int64_t now)
{
	struct go__stack *old, *s, *next, *last = NULL;

	if (now - last_scavenge < SCAVENGE_NS)
		return;
	last_scavenge = now;
	if (!ld_relaxed(&dirty) && !ld_relaxed(&aging))
		return;
	go__lock_acquire(&pool_lock);
	old = aging;
	st_relaxed(&aging, dirty);
	st_relaxed(&dirty, NULL);
	go__lock_release(&pool_lock);
	for (s = old; s; s = next) {
		next = s->next;     /* in the top page, which stays */
		madvise(s->lo, s->size - page_size, MADV_DONTNEED);
		last = s;
	}
	if (!old)
		return;
	go__lock_acquire(&pool_lock);
	last->next = pool;
	st_relaxed(&pool, old);
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
	if (g && g->stack_grows && !g->stack_deep) {
		/* A deep stack's G goes past its first go__stack_size: the
		 * marker goes, the access is made again, and the pages below
		 * come as the kernel's, on first touch. */
		char *mark = deep_mark(g->stack_lo, g->stack_size);

		if (addr >= mark && addr < mark + page_size &&
		    madvise(mark, page_size, MADV_GUARD_REMOVE) == 0) {
			g->stack_deep = true;
			return;
		}
	}
	if (g && g->stack_size && addr < g->stack_lo &&
	    addr >= g->stack_lo - page_size * (g->stack_guarded ? 1 : 0) - 256) {
		bool mib = g->stack_size % (1u << 20) == 0;

		go__flush_in_signal();
		put("fatal error: goroutine ");
		put_num(g->id);
		put(" overflowed its ");
		put_num(mib ? g->stack_size >> 20 : g->stack_size >> 10);
		put(mib ? " MiB stack; created at " : " KiB stack; created at ");
		if (g->create_line) {
			put(g->create_file);
			put(":");
			put_num((unsigned)g->create_line);
		} else {
			put("the runtime (go_main)");
		}
		if (g->stack_size >= GO__DEEP_STACK)
			put("\n(as deep as a goroutine's stack goes: a recursion that does not end?)\n");
		else if (ld_relaxed(&deep_left) < DEEP_MAX)
			put("\n(the first 1024 goroutine stacks may grow to 64 MiB; the rest have "
			    "GOSTACKSIZE, 64 KiB unless set: e.g. GOSTACKSIZE=1m)\n");
		else
			put("\n(set GOSTACKSIZE for bigger stacks, e.g. GOSTACKSIZE=1m)\n");
		go__san_exit();
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
