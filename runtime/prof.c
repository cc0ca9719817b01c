/*
 * prof.c — the CPU profiler: SIGPROF samples of goroutine stacks, written
 * as a pprof profile (Go's runtime/pprof CPU profile, the same file).
 *
 * Data model. While profiling is on (prof.hz > 0), every M that runs Gs
 * has a timer on its own thread's CPU clock, armed at hz by the M itself
 * in execute() (go__prof_check: one thread-local load per schedule, as
 * Go's setThreadCPUProfiler), which sends SIGPROF to that thread only. The
 * handler runs on the M's signal stack and touches nothing but its
 * thread's ring: it finds which stack was interrupted (the running G's,
 * g0's, or neither) by the stack pointer, walks frame pointers only within
 * that stack's bounds, and stores {weight, goroutine, its function, PCs}.
 * The weight is 1 + the timer's overrun: the kernel checks CPU timers at
 * its tick, so at high rates several periods elapse per signal.
 *
 * A ring belongs to one thread and is written only by that thread's
 * handler, so a sample is published by one release store of its write
 * index. Rings are kept on a list for the whole run (a thread's samples
 * outlive it); a full ring counts what it drops. The handler runs with
 * prof.inflight raised: stop clears prof.on, waits for inflight to drain,
 * then reads every ring, aggregates equal stacks, symbolizes each PC once
 * (libbacktrace, inlined frames included) and writes the profile.
 *
 * Leaf functions: gcc keeps no frame in leaves even with frame pointers,
 * so the leaf's caller is not on the frame chain. When the word at the
 * stack pointer is a return address just after a direct call whose target
 * is at or shortly before the interrupted PC (or is a PLT stub), it is
 * that caller (checked against the executable mappings read when
 * profiling starts).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>

#include "contention.h"
#include "internal.h"
#include "preempt.h"
#include "pprof.h"
#include "prof.h"
#include "sym.h"

#define PROF_DEPTH 64
#define RING_N 8192             /* 82 s of one thread's CPU at 100 Hz */
#define MAX_TEXT 64
#define MAX_LABELS 8            /* go_pprof_do's pairs a sample carries */

struct prof_sample {
	uint64_t weight;
	uint64_t gid;               /* 0: not on a goroutine's stack */
	void (*gfn)(void *);
	const char *labels;         /* the goroutine's go_pprof_do labels, or NULL */
	uint32_t npc;
	bool g0;                    /* on the M's own stack: the scheduler */
	uintptr_t pc[PROF_DEPTH];
};

struct prof_ring {
	struct prof_ring *next;
	uint64_t w;                 /* samples written, release-stored */
	uint64_t lost;
	struct prof_sample s[RING_N];
};

struct text { uintptr_t lo, hi; };

static struct {
	int hz;                     /* atomic: the rate Ms arm their timers at */
	int on;                     /* atomic: the handler records */
	int inflight;               /* atomic: handlers running */
	go__lock lock;              /* rings, start/stop */
	struct prof_ring *rings;
	struct text text[MAX_TEXT];
	int ntext;
	char *path;
	int64_t start;
	bool atexit_set;
} prof;

int go__prof_hz;
__thread int go__prof_m_hz;

static __thread struct {
	bool has_timer;
	timer_t timer;
	struct prof_ring *ring;
} prof_m;

/* --- the signal handler --------------------------------------------------- */

static bool in_text(uintptr_t a)
{
	for (int i = 0; i < prof.ntext; i++)
		if (a >= prof.text[i].lo && a < prof.text[i].hi)
			return true;
	return false;
}

/* True if the code at a is a PLT stub: (endbr64) (bnd) jmp *disp(%rip). */
static bool plt_stub(uintptr_t a)
{
	const uint8_t *p = (const uint8_t *)a;

	if (!in_text(a) || !in_text(a + 7))
		return false;
	if (p[0] == 0xf3 && p[1] == 0x0f && p[2] == 0x1e && p[3] == 0xfa)
		p += 4;
	if (p[0] == 0xf2)
		p++;
	return p[0] == 0xff && p[1] == 0x25;
}

/* The caller of an interrupted leaf: see the data model. A call through
 * the PLT (a leaf in a shared library, such as strlen) counts too. */
static uintptr_t leaf_caller(uintptr_t pc, uintptr_t sp, uintptr_t lo, uintptr_t hi)
{
	uintptr_t ret, target;
	int32_t rel;

	if (sp < lo || sp + sizeof(uintptr_t) > hi || sp % sizeof(uintptr_t))
		return 0;
	ret = *(const uintptr_t *)sp;
	if (ret < 5 || !in_text(ret - 5) || !in_text(ret - 1) || *(const uint8_t *)(ret - 5) != 0xe8)
		return 0;
	memcpy(&rel, (const void *)(ret - 4), sizeof(rel));
	target = ret + (uintptr_t)(intptr_t)rel;
	if ((target <= pc && pc - target <= 65536) || plt_stub(target))
		return ret;
	return 0;
}

static void prof_handler(int sig, siginfo_t *si, void *ucv)
{
	ucontext_t *uc = ucv;
	int saved = errno;
	struct prof_ring *r = prof_m.ring;
	struct prof_sample *s;
	go__m *m = go__tls_m;
	go__g *g;
	uintptr_t pc, fp, sp, lo = 0, hi = 0, caller;
	uint64_t w;

	(void)sig;
	xadd(&prof.inflight, 1);
	if (!r || !m || !ld_acquire(&prof.on))
		goto out;
	w = r->w;
	if (w >= RING_N) {
		r->lost += 1 + (uint64_t)(si->si_overrun > 0 ? si->si_overrun : 0);
		goto out;
	}
	s = &r->s[w];
	s->weight = 1 + (uint64_t)(si->si_overrun > 0 ? si->si_overrun : 0);
	pc = (uintptr_t)uc->uc_mcontext.gregs[REG_RIP];
	fp = (uintptr_t)uc->uc_mcontext.gregs[REG_RBP];
	sp = (uintptr_t)uc->uc_mcontext.gregs[REG_RSP];
	g = ld_relaxed(&m->curg);
	go__preempt_interrupted(g, pc, &pc, &fp, &sp);     /* preempted this instant: where it was */
	s->gid = 0;
	s->gfn = NULL;
	s->labels = NULL;
	s->g0 = false;
	if (g && sp >= (uintptr_t)g->stack_lo && sp < (uintptr_t)g->stack_lo + g->stack_size) {
		lo = (uintptr_t)g->stack_lo;
		hi = lo + g->stack_size;
		s->gid = g->id;
		s->gfn = g->fn;
		s->labels = ld_relaxed(&g->labels);
	} else if (sp >= (uintptr_t)m->g0_stack_bottom &&
		   sp < (uintptr_t)m->g0_stack_bottom + m->g0_stack_size) {
		lo = (uintptr_t)m->g0_stack_bottom;
		hi = lo + m->g0_stack_size;
		s->g0 = true;
	}
	s->npc = 0;
	s->pc[s->npc++] = pc;
	caller = leaf_caller(pc, sp, lo, hi);
	while (s->npc < PROF_DEPTH && fp >= lo && fp + 2 * sizeof(uintptr_t) <= hi && fp % sizeof(uintptr_t) == 0) {
		uintptr_t ret = ((const uintptr_t *)fp)[1], next = ((const uintptr_t *)fp)[0];

		if (!ret)
			break;
		if (caller && caller != ret)
			s->pc[s->npc++] = caller;
		caller = 0;
		if (s->npc < PROF_DEPTH)
			s->pc[s->npc++] = ret;
		if (next <= fp)
			break;
		fp = next;
	}
	if (caller && s->npc < PROF_DEPTH)
		s->pc[s->npc++] = caller;
	st_release(&r->w, w + 1);
out:
	xadd(&prof.inflight, -1);
	errno = saved;
}

/* --- arming, per M -------------------------------------------------------- */

static struct prof_ring *ring_new(void)
{
	struct prof_ring *r = mmap(NULL, sizeof(*r), PROT_READ | PROT_WRITE,
				   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (r == MAP_FAILED)
		return NULL;
	go__lock_acquire(&prof.lock);
	r->next = prof.rings;
	prof.rings = r;
	go__lock_release(&prof.lock);
	return r;
}

void go__prof_arm(void)
{
	int hz = ld_relaxed(&go__prof_hz);
	struct itimerspec its = { 0 };

	go__prof_m_hz = hz;
	if (hz > 0 && !prof_m.ring && !(prof_m.ring = ring_new()))
		return;
	if (!prof_m.has_timer) {
		struct sigevent sev = { 0 };

		if (!hz)
			return;
		sev.sigev_notify = SIGEV_THREAD_ID;
		sev.sigev_signo = SIGPROF;
		sev._sigev_un._tid = (pid_t)syscall(SYS_gettid);
		if (timer_create(CLOCK_THREAD_CPUTIME_ID, &sev, &prof_m.timer) < 0)
			return;
		prof_m.has_timer = true;
	}
	if (hz > 0) {
		its.it_interval.tv_nsec = 1000000000L / hz;
		its.it_value = its.it_interval;
	}
	timer_settime(prof_m.timer, 0, &its, NULL);
}

/* --- start and stop ------------------------------------------------------- */

static void read_text(void)
{
	FILE *f = fopen("/proc/self/maps", "re");
	char line[512];

	prof.ntext = 0;
	if (!f)
		return;
	while (prof.ntext < MAX_TEXT && fgets(line, sizeof(line), f)) {
		unsigned long lo, hi;
		char perms[8];

		if (sscanf(line, "%lx-%lx %7s", &lo, &hi, perms) == 3 && perms[2] == 'x')
			prof.text[prof.ntext++] = (struct text){ lo, hi };
	}
	fclose(f);
}

static void at_exit(void)
{
	go_cpuprofile_stop();
}

int go_cpuprofile_start(const char *path, int hz)
{
	struct sigaction sa, old;
	int rc = -1;

#if defined(GO__ASAN) || defined(GO__TSAN)
	(void)path;
	errno = ENOTSUP;            /* sanitizers intercept signals and fake stacks */
	return -1;
#endif
	if (hz <= 0)
		hz = 100;
	if (hz > 1000)
		hz = 1000;
	go__lock_acquire(&prof.lock);
	if (prof.path) {
		errno = EBUSY;
		goto out;
	}
	if (sigaction(SIGPROF, NULL, &old) == 0 && old.sa_handler != SIG_DFL && old.sa_handler != SIG_IGN &&
	    old.sa_sigaction != prof_handler) {
		errno = EBUSY;          /* the program profiles itself */
		goto out;
	}
	prof.path = strdup(path);
	if (!prof.path)
		goto out;
	read_text();
	for (struct prof_ring *r = prof.rings; r; r = r->next)
		r->w = r->lost = 0;
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = prof_handler;
	sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_RESTART;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGPROF, &sa, NULL);
	prof.start = go_now();
	st_release(&prof.on, 1);
	st_release(&go__prof_hz, hz);
	if (!prof.atexit_set)
		prof.atexit_set = atexit(at_exit) == 0;
	rc = 0;
out:
	go__lock_release(&prof.lock);
	if (rc == 0)
		go__prof_arm();         /* this M now; the others at their next schedule */
	return rc;
}

/* Aggregation: equal stacks on the same goroutine are one sample. */
struct agg {
	uint64_t hash;
	struct prof_sample *s;      /* the first of its kind */
	uint64_t weight, count;
};

static uint64_t sample_hash(const struct prof_sample *s)
{
	uint64_t h = 0xcbf29ce484222325ULL ^ s->gid ^ (uint64_t)s->g0 << 63 ^ (uint64_t)(uintptr_t)s->labels;

	for (uint32_t i = 0; i < s->npc; i++)
		h = (h ^ s->pc[i]) * 0x100000001b3ULL;
	return h | 1;
}

static bool same_sample(const struct prof_sample *a, const struct prof_sample *b)
{
	return a->gid == b->gid && a->g0 == b->g0 && a->labels == b->labels && a->npc == b->npc &&
	       memcmp(a->pc, b->pc, a->npc * sizeof(a->pc[0])) == 0;
}

static void goroutine_label(go__sym *sym, const struct prof_sample *s, char *buf, size_t size)
{
	char name[128];

	if (!s->gid)
		snprintf(buf, size, "%s", s->g0 ? "g0 (scheduler)" : "other");
	else
		snprintf(buf, size, "G%llu %s", (unsigned long long)s->gid,
			 go__sym_name(sym, (uintptr_t)s->gfn, name, sizeof(name)));
}

/* go_pprof_do's "k=v,k2=v2" into up to max string labels, their text in
 * buf; how many. A pair without '=' is left out. */
static int split_labels(const char *labels, char *buf, size_t size, struct go__pp_label *out, int max)
{
	int n = 0;

	snprintf(buf, size, "%s", labels);
	for (char *p = buf, *next; p && *p && n < max; p = next) {
		char *eq;

		next = strchr(p, ',');
		if (next)
			*next++ = '\0';
		if ((eq = strchr(p, '=')) && eq > p) {
			*eq = '\0';
			out[n++] = (struct go__pp_label){ p, eq + 1, 0, NULL };
		}
	}
	return n;
}

static int write_profile(const char *path, struct agg *aggs, size_t cap, int hz, int64_t duration)
{
	go__sym *sym = go__sym_new();
	go__pp *pp = go__pp_new();
	int64_t period = 1000000000LL / hz;
	int rc = -1;

	if (!pp || !sym) {
		go__pp_free(pp);
		go__sym_free(sym);
		return -1;
	}
	go__pp_sample_type(pp, "samples", "count");
	go__pp_sample_type(pp, "cpu", "nanoseconds");
	go__pp_period(pp, "cpu", "nanoseconds", period);
	go__pp_time(pp, (int64_t)time(NULL) * 1000000000LL - duration, duration);
	go__sym_mapping(sym, pp);
	for (size_t i = 0; i < cap; i++) {
		struct agg *a = &aggs[i];
		uint64_t locs[PROF_DEPTH];
		int64_t values[2];
		char glabel[160], kv[512];
		struct go__pp_label label[1 + MAX_LABELS] = { { "goroutine", glabel, 0, NULL } };
		int nlabels = 1;

		if (!a->s)
			continue;
		for (uint32_t k = 0; k < a->s->npc; k++)
			locs[k] = go__sym_location(sym, pp, a->s->pc[k], k == 0);
		values[0] = (int64_t)a->weight;
		values[1] = (int64_t)a->weight * period;
		goroutine_label(sym, a->s, glabel, sizeof(glabel));
		if (a->s->labels)
			nlabels += split_labels(a->s->labels, kv, sizeof(kv), label + 1, MAX_LABELS);
		go__pp_sample(pp, locs, (int)a->s->npc, values, label, nlabels);
	}
	rc = go__pp_write_file(pp, path);
	go__pp_free(pp);
	go__sym_free(sym);
	return rc;
}

int go_cpuprofile_stop(void)
{
	struct agg *aggs = NULL;
	size_t cap = 64, n = 0;
	uint64_t lost = 0;
	int hz, rc = -1;
	int64_t duration;
	char *path;

	go__lock_acquire(&prof.lock);
	path = prof.path;
	prof.path = NULL;
	hz = ld_relaxed(&go__prof_hz);
	st_release(&go__prof_hz, 0);
	st_release(&prof.on, 0);
	go__lock_release(&prof.lock);
	if (!path) {
		errno = EINVAL;
		return -1;
	}
	go__prof_arm();
	while (ld_acquire(&prof.inflight))
		go__cpu_relax();
	duration = go_now() - prof.start;

	aggs = calloc(cap, sizeof(*aggs));
	for (struct prof_ring *r = aggs ? prof.rings : NULL; r; r = r->next) {
		uint64_t w = ld_acquire(&r->w);

		lost += r->lost;
		for (uint64_t i = 0; i < w; i++) {
			struct prof_sample *s = &r->s[i];
			uint64_t h = sample_hash(s);
			size_t j;

			if (2 * (n + 1) > cap) {
				struct agg *bigger = calloc(cap * 2, sizeof(*bigger));

				if (!bigger)
					goto out;
				for (size_t k = 0; k < cap; k++) {
					if (!aggs[k].s)
						continue;
					for (j = aggs[k].hash & (2 * cap - 1); bigger[j].s; j = (j + 1) & (2 * cap - 1))
						;
					bigger[j] = aggs[k];
				}
				free(aggs);
				aggs = bigger;
				cap *= 2;
			}
			for (j = h & (cap - 1); aggs[j].s; j = (j + 1) & (cap - 1))
				if (aggs[j].hash == h && same_sample(aggs[j].s, s))
					break;
			if (!aggs[j].s) {
				aggs[j] = (struct agg){ h, s, 0, 0 };
				n++;
			}
			aggs[j].weight += s->weight;
			aggs[j].count++;
		}
	}
	if (aggs)
		rc = write_profile(path, aggs, cap, hz, duration);
	(void)lost;
out:
	free(aggs);
	free(path);
	return rc;
}

void go__prof_init(void)
{
	const char *env = getenv("CHANLAB_CPUPROFILE");
	char path[4096];
	const char *comma;
	int hz = 100;

	if (!env || !*env)
		return;
	comma = strrchr(env, ',');
	if (comma && comma[1] >= '0' && comma[1] <= '9') {
		hz = atoi(comma + 1);
		snprintf(path, sizeof(path), "%.*s", (int)(comma - env), env);
	} else {
		snprintf(path, sizeof(path), "%s", env);
	}
	if (go_cpuprofile_start(path, hz) < 0)
		fprintf(stderr, "chanlab runtime: cannot profile into %s: %s\n", path, strerror(errno));
}

/* --- labels (Go's pprof.Do) --------------------------------------------- */

void go_pprof_do(const char *labels, void (*fn)(void *), void *arg)
{
	go__g *g = go__getm()->curg;
	const char *outer = g->labels;

	/* the SIGPROF handler reads it on this thread: a relaxed store is enough */
	st_relaxed(&g->labels, labels);
	fn(arg);
	g = go__getm()->curg;      /* the same G, perhaps on another M */
	st_relaxed(&g->labels, outer);
}

const char *go_pprof_labels(void)
{
	go__m *m = go__tls_m;

	return m && m->curg ? m->curg->labels : NULL;
}

void go__profiles_flush(void)
{
	go_cpuprofile_stop();   /* each of these does nothing when it is off */
	go__heap_flush();
	go__contention_flush();
	go_trace_stop();
}
