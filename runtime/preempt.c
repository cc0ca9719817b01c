/*
 * preempt.c — asynchronous preemption (Go's preempt.go and the SIGURG
 * half of signal_unix.go): a goroutine that runs 10 ms without calling
 * the runtime is stopped by a signal and made to yield, so a tight loop
 * cannot starve the others, even at GOMAXPROCS=1.
 *
 * The monitor sets p->preempt after 10 ms of one time slice; a goroutine
 * that reaches a runtime call yields there (cooperative preemption). It
 * also sends SIGURG to the M's thread, and the handler preempts the
 * goroutine at once if the thread was stopped at a safe point:
 *   - on the running goroutine's own stack (not g0's, not a signal stack);
 *   - at an instruction of the program's own code: in the executable's
 *     text but outside the runtime (whose code the build puts in the
 *     section chanlab_rt_text, bounded by the linker's __start_ and
 *     __stop_ symbols), so never inside the runtime, libc or malloc, which
 *     may hold locks a goroutine on the same thread would then wait for.
 * Anywhere else the goroutine yields at its next runtime call, as before.
 *
 * Data model. Preempting takes two signals, so that the interrupted state
 * is restored by the kernel exactly as it was, red zone and vector
 * registers included (C code, unlike Go's, keeps live data up to 128
 * bytes below its stack pointer):
 *   1. the handler copies the interrupted registers and FPU/vector state
 *      into a save area on the goroutine's stack, below the red zone, and
 *      resumes the thread in async_entry with the stack pointer below it;
 *   2. async_entry yields like any preempted goroutine; when it runs again
 *      (maybe on another thread) it marks the save area for restoring and
 *      sends itself SIGURG;
 *   3. the handler sees the mark and copies the saved state into the
 *      signal frame: returning from the handler resumes the goroutine at
 *      the interrupted instruction, with every register as it was.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <ucontext.h>
#include <unistd.h>

#include "internal.h"
#include "preempt.h"

#if defined(__x86_64__) && !defined(GO__ASAN) && !defined(GO__TSAN)
#define ASYNC 1
#endif

/* The runtime's code (see runtime.mk). */
extern const char __start_chanlab_rt_text[] __attribute__((weak));
extern const char __stop_chanlab_rt_text[] __attribute__((weak));

#define RED_ZONE 128
#define FP_MAX 8192             /* the kernel's xsave area for this CPU fits */

/* The interrupted state, on the goroutine's stack below its red zone. */
struct async_save {
	int restore;                /* set by async_entry: the next SIGURG restores */
	size_t fplen;
	gregset_t gregs;
	uint8_t fp[FP_MAX] __attribute__((aligned(64)));
};

static struct {
	bool on;
	uintptr_t text_lo, text_hi;     /* the executable's code */
} pre;

uint64_t go__preempt_async_count;

__thread unsigned go__urg_count;

#ifdef ASYNC
/* Where a goroutine's save area is while it is preempted by signal: in a
 * field of its own, so that the restoring signal finds it on any thread. */
static struct async_save **save_of(go__g *g)
{
	return (struct async_save **)&g->async_save;
}

/* The size of the FPU/vector state in a signal frame: the xsave area the
 * kernel says it wrote, or the 512-byte fxsave image. */
static size_t fp_size(const ucontext_t *uc)
{
	const struct _libc_fpstate *fp = uc->uc_mcontext.fpregs;
	const uint32_t *sw = (const uint32_t *)((const char *)fp + 464);   /* struct _fpx_sw_bytes */

	if (sw[0] == 0x46505853U && sw[4] >= 512 && sw[4] <= FP_MAX)   /* FP_XSTATE_MAGIC1, xstate_size */
		return sw[4];
	return 512;
}

static void async_entry(void)
{
	struct async_save *save = *save_of(go__getg());
	int saved = errno;

	xadd(&go__preempt_async_count, 1);
	go__preempt_yield();
	errno = saved;          /* on the thread it runs on now, maybe another */
	st_release(&save->restore, 1);
	syscall(SYS_tgkill, getpid(), syscall(SYS_gettid), SIGURG);
	go__fatal("an asynchronous preemption did not resume");
}

static bool safe_pc(uintptr_t pc)
{
	if (pc < pre.text_lo || pc >= pre.text_hi)
		return false;
	return !(pc >= (uintptr_t)__start_chanlab_rt_text && pc < (uintptr_t)__stop_chanlab_rt_text);
}

static void on_sigurg(int sig, siginfo_t *si, void *ucv)
{
	ucontext_t *uc = ucv;
	go__m *m = go__tls_m;
	go__g *g;
	go__p *p;
	struct async_save *save;
	uintptr_t pc, sp, at;

	(void)sig, (void)si;
	go__urg_count++;
	go__probe_signal(ucv);          /* a dump may be asking where this M is */
	if (!m || !(g = ld_relaxed(&m->curg)))
		return;
	save = *save_of(g);
	if (save && ld_acquire(&save->restore)) {           /* 3: resume the goroutine */
		size_t n = fp_size(uc) < save->fplen ? fp_size(uc) : save->fplen;

		memcpy(uc->uc_mcontext.gregs, save->gregs, sizeof(save->gregs));
		memcpy(uc->uc_mcontext.fpregs, save->fp, n);
		*save_of(g) = NULL;
		return;
	}
	if (save || !(p = m->p) || !ld_relaxed(&p->preempt) || m->pins)
		return;
	pc = (uintptr_t)uc->uc_mcontext.gregs[REG_RIP];
	sp = (uintptr_t)uc->uc_mcontext.gregs[REG_RSP];
	if (!safe_pc(pc) || sp > (uintptr_t)g->stack_lo + g->stack_size)
		return;
	at = (sp - RED_ZONE - sizeof(*save)) & ~(uintptr_t)63;
	if (at < (uintptr_t)g->stack_lo + 8192)             /* room for async_entry's own calls */
		return;
	save = (struct async_save *)at;                      /* 1: save and divert */
	save->restore = 0;
	save->fplen = fp_size(uc);
	memcpy(save->gregs, uc->uc_mcontext.gregs, sizeof(save->gregs));
	memcpy(save->fp, uc->uc_mcontext.fpregs, save->fplen);
	*save_of(g) = save;
	uc->uc_mcontext.gregs[REG_RSP] = (greg_t)(at - 8);  /* as if called: rsp % 16 == 8 */
	uc->uc_mcontext.gregs[REG_RIP] = (greg_t)(uintptr_t)async_entry;
	uc->uc_mcontext.gregs[REG_RBP] = 0;                 /* a walk of frames stops here */
	uc->uc_mcontext.gregs[REG_EFL] &= ~(greg_t)0x400;   /* DF clear, as the ABI wants */
}

/* The executable's code: the mapping that holds this very function. */
static void find_text(void)
{
	FILE *f = fopen("/proc/self/maps", "re");
	uintptr_t self = (uintptr_t)find_text;
	char line[512];

	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		unsigned long lo, hi;
		char perms[8];

		if (sscanf(line, "%lx-%lx %7s", &lo, &hi, perms) == 3 && perms[2] == 'x' &&
		    self >= lo && self < hi) {
			pre.text_lo = lo;
			pre.text_hi = hi;
		}
	}
	fclose(f);
}
#endif

void go__preempt_init(void)
{
#ifdef ASYNC
	struct sigaction sa;
	const char *env = getenv("CHANLAB_ASYNCPREEMPT");

	if (!__start_chanlab_rt_text || !__stop_chanlab_rt_text || (env && strcmp(env, "0") == 0))
		return;             /* the runtime's code is not marked: cooperative only */
	find_text();
	if (!pre.text_hi)
		return;
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_sigurg;
	sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_RESTART;
	sigemptyset(&sa.sa_mask);
	/* A CPU profile's SIGPROF waits until the goroutine is back: taken
	 * inside this handler, its sample would charge on_sigurg for the
	 * goroutine's time (a sixth of a spinning program's samples at 1 P) */
	sigaddset(&sa.sa_mask, SIGPROF);
	if (sigaction(SIGURG, &sa, NULL) == 0)
		pre.on = true;
#endif
}

bool go__preempt_interrupted(go__g *g, uintptr_t pc, uintptr_t *ipc, uintptr_t *ifp, uintptr_t *isp)
{
#ifdef ASYNC
	struct async_save *save;

	/* SIGPROF is held while on_sigurg runs, so a sample that came during
	 * step 1 arrives as the thread enters async_entry */
	if (!g || pc != (uintptr_t)async_entry || !(save = *save_of(g)) || ld_relaxed(&save->restore))
		return false;
	*ipc = (uintptr_t)save->gregs[REG_RIP];
	*ifp = (uintptr_t)save->gregs[REG_RBP];
	*isp = (uintptr_t)save->gregs[REG_RSP];
	return true;
#else
	(void)g, (void)pc, (void)ipc, (void)ifp, (void)isp;
	return false;
#endif
}

bool go__preempt_stopped_at(go__g *g, uintptr_t *ipc, uintptr_t *ifp)
{
#ifdef ASYNC
	struct async_save *save = ld_acquire(save_of(g));

	if (!save)
		return false;
	*ipc = (uintptr_t)save->gregs[REG_RIP];
	*ifp = (uintptr_t)save->gregs[REG_RBP];
	return *ipc >= 4096;
#else
	(void)g, (void)ipc, (void)ifp;
	return false;
#endif
}

void go__preempt_signal(go__m *m)
{
	if (pre.on && m)
		pthread_kill(m->thread, SIGURG);
}
