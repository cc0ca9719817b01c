/*
 * det.c — deterministic schedules: seeded random and PCT scheduling on
 * one thread, with a virtual clock, so that a failing interleaving
 * replays exactly from its seed (as Shuttle and Coyote do for Rust and
 * C#; PCT is Burckhardt et al., "A Randomized Scheduler with
 * Probabilistic Guarantees of Finding Bugs", ASPLOS 2010).
 *
 * CHANLAB_SCHED=random:SEED or pct:SEED[:DEPTH[:STEPS]] switches it on
 * for a run.
 * The program then has one P and one M (no monitor: nothing preempts by
 * the clock), and every runtime call that checks for preemption — spawn,
 * channel operations, select, the sync primitives, yield, go_sched_point
 * — is a scheduling point: the P's preempt flag stays set, so the call
 * yields, and findrunnable asks go__det_pick which runnable goroutine
 * runs next.
 *
 * Data model. The runnable goroutines are wherever the scheduler put
 * them (runnext, the local queue, the global queue); go__det_pick takes
 * them all out in that order — deterministic, since one thread does
 * everything — chooses one and puts the others back in the same order.
 *   random  uniform among the runnable;
 *   pct     each goroutine gets a random priority above DEPTH when it is
 *           first seen; DEPTH-1 change points are drawn uniformly among
 *           the first k decisions, k the run's length as the paper has it:
 *           a harness searching many schedules of a case learns it from
 *           the runs before (go_sched_length, as Shuttle does) and names
 *           it as STEPS in the schedule it reports, so that a replay
 *           draws the same points; otherwise 100 (CHANLAB_SCHED_STEPS);
 *           at the i-th point the goroutine that just ran drops to
 *           priority i (below every initial one); the highest runnable
 *           priority runs.
 * One xorshift generator, seeded from SEED, drives the choices, the
 * priorities and select's choice among ready cases (m->fastrand), so the
 * same seed gives the same run. Virtual time (go_now) starts at 1 s and
 * only moves when no goroutine can run: it jumps to the next timer.
 *
 * Every decision is logged (step, goroutine); CHANLAB_SCHED_LOG=FILE
 * writes the log when the program exits, and a fatal error names the
 * schedule so that it can be replayed. With a log file each decision also
 * says where the goroutine that ran before it stopped and why (blocked on
 * what, at which line of the learner's code; yielded; finished): the
 * interleaving a learner steps through, and what it waited on as it was
 * then: a channel's contents, or who holds a mutex (each lock notes its
 * taker in a replay: every lock passes through go__mutex_lock_preempted
 * in this mode, off the fast path). Finding that line costs a walk of
 * its stack and a symbol lookup, so it is done only when a log is written
 * (a replay), never while many schedules are searched.
 */
#define _GNU_SOURCE
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "det.h"
#include "internal.h"

#define MAX_DEPTH 16
#define MAX_RUNNABLE 4096

int go__det;
int go__det_log;
int64_t go__det_now = 1000000000;   /* virtual nanoseconds */

static void go__det_write_log(void);

/* In a replay, who took each mutex last and where: an open-addressed
 * table by the mutex's address, written only on the one thread. */
struct holder {
	const void *mu;
	uint32_t g;
	int line;
	const char *file;
};

static struct {
	struct holder *slot;
	size_t cap, n;          /* cap a power of two, n used, at most half */
} held;

/* A decision: the goroutine chosen and, in a replay with a log, how the
 * one before it stopped: what (a wait reason, "yielded", "finished") and
 * where (its innermost frame the learner sees, "file:line func"). */
struct step {
	uint32_t g, prev;
	const char *what;
	char *where;
	char *state;        /* what it waits on, as it was: a channel's contents */
};

static struct {
	int strategy;               /* 'r' or 'p' */
	uint64_t seed;
	int depth;
	uint64_t steps_hint;        /* PCT's k */
	bool steps_named;           /* k is part of the spec (STEPS) */
	uint64_t rng;
	uint64_t step;              /* decisions made */
	uint64_t change[MAX_DEPTH];
	uint64_t *prio;             /* by goroutine id; 0: not seen yet */
	size_t nprio;
	uint64_t last;              /* the goroutine of the last decision */
	struct step *log;           /* each decision */
	size_t nlog, caplog;
	go__g *last_g;              /* the G of the last decision */
	const char *log_path;
	char spec[64];
} det;

static uint64_t next(void)
{
	uint64_t x = det.rng;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	det.rng = x;
	return x;
}

static uint64_t below(uint64_t n)
{
	return n ? next() % n : 0;
}

static uint64_t mix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return (x ^ (x >> 31)) | 1;
}

void go_sched_seed(uint64_t seed)
{
	go__m *m = go__getm();

	det.seed = seed;
	det.rng = mix(seed);
	det.step = 0;
	for (size_t i = 0; i < det.nlog; i++)
		free(det.log[i].where), free(det.log[i].state);
	det.nlog = 0;
	det.last = 0;
	det.last_g = NULL;
	if (det.prio)
		memset(det.prio, 0, det.nprio * sizeof(*det.prio));
	for (int i = 0; i < det.depth - 1 && i < MAX_DEPTH; i++)
		det.change[i] = 1 + below(det.steps_hint);
	if (m)
		m->fastrand = mix(seed ^ 0x5eed);
	if (det.strategy != 'p')
		snprintf(det.spec, sizeof(det.spec), "random:%" PRIu64, seed);
	else if (det.steps_named)
		snprintf(det.spec, sizeof(det.spec), "pct:%" PRIu64 ":%d:%" PRIu64, seed, det.depth, det.steps_hint);
	else
		snprintf(det.spec, sizeof(det.spec), "pct:%" PRIu64 ":%d", seed, det.depth);
}

void go_sched_length(uint64_t k)
{
	if (k) {
		det.steps_hint = k;
		det.steps_named = true;
	}
}

uint64_t go_sched_steps(void)
{
	return det.step;
}

bool go__det_init(void)
{
	const char *env = getenv("CHANLAB_SCHED"), *steps = getenv("CHANLAB_SCHED_STEPS");
	char *end;

	if (!env || !*env)
		return false;
	if (strncmp(env, "random:", 7) == 0) {
		det.strategy = 'r';
		det.seed = strtoull(env + 7, &end, 10);
	} else if (strncmp(env, "pct:", 4) == 0) {
		det.strategy = 'p';
		det.seed = strtoull(env + 4, &end, 10);
		det.depth = 3;
		if (*end == ':')
			det.depth = (int)strtol(end + 1, &end, 10);
		if (det.depth < 1 || det.depth > MAX_DEPTH)
			go__fatal("CHANLAB_SCHED: a PCT depth is 1 to 16");
		if (*end == ':') {
			det.steps_hint = strtoull(end + 1, &end, 10);
			det.steps_named = true;
			if (!det.steps_hint)
				go__fatal("CHANLAB_SCHED: a PCT run's STEPS is at least 1");
		}
	} else {
		go__fatal("CHANLAB_SCHED is random:SEED or pct:SEED[:DEPTH[:STEPS]]");
		return false;
	}
	if (*end)
		go__fatal("CHANLAB_SCHED is random:SEED or pct:SEED[:DEPTH[:STEPS]]");
	if (!det.steps_named)
		det.steps_hint = steps && *steps ? strtoull(steps, NULL, 10) : 100;
	if (!det.steps_hint)
		det.steps_hint = 100;
	det.log_path = getenv("CHANLAB_SCHED_LOG");
	go__det_log = det.log_path && *det.log_path;
	go__det = 1;
	return true;
}

static void at_exit(void)
{
	go__det_write_log();
}

void go__det_start(void)
{
	go_sched_seed(det.seed);
	atexit(at_exit);
}

void go__det_fatal(void)
{
	if (!go__det)
		return;
	fprintf(stderr, "\nschedule: %s (replay it with CHANLAB_SCHED=%s)\n", det.spec, det.spec);
	go__det_write_log();
}

const char *go__det_spec(void)
{
	return go__det ? det.spec : NULL;
}

static uint64_t prio_of(uint64_t id)
{
	if (id >= det.nprio) {
		size_t n = det.nprio ? det.nprio : 64;
		uint64_t *p;

		while (n <= id)
			n *= 2;
		p = realloc(det.prio, n * sizeof(*p));
		if (!p)
			go__fatal("out of memory in the deterministic scheduler");
		memset(p + det.nprio, 0, (n - det.nprio) * sizeof(*p));
		det.prio = p;
		det.nprio = n;
	}
	if (!det.prio[id])
		det.prio[id] = (uint64_t)det.depth + 1 + (next() >> 1);
	return det.prio[id];
}

static struct holder *holder_slot(const void *mu)
{
	size_t i = ((uintptr_t)mu >> 3) * 0x9e3779b97f4a7c15ULL >> 20;

	for (i &= held.cap - 1; held.slot[i].mu && held.slot[i].mu != mu; i = (i + 1) & (held.cap - 1))
		;
	return &held.slot[i];
}

void go__det_locked(const void *mu, const char *file, int line)
{
	go__g *g = go__getg();
	struct holder *h;

	if (held.n + 1 > held.cap / 2) {
		struct holder *old = held.slot;
		size_t oldcap = held.cap;

		held.cap = oldcap ? oldcap * 2 : 64;
		if (!(held.slot = calloc(held.cap, sizeof(*held.slot)))) {
			held.slot = old, held.cap = oldcap;
			return;     /* the log says less, the run goes on */
		}
		for (size_t i = 0; i < oldcap; i++)
			if (old[i].mu)
				*holder_slot(old[i].mu) = old[i];
		free(old);
	}
	h = holder_slot(mu);
	if (!h->mu)
		held.n++;
	*h = (struct holder){ mu, g ? (uint32_t)g->id : 0, line, file };
}

bool go__det_holder(const void *mu, uint32_t *g, const char **file, int *line)
{
	const struct holder *h;

	if (!held.cap || !(h = holder_slot(mu))->mu)
		return false;
	*g = h->g;
	*file = h->file;
	*line = h->line;
	return true;
}

static int first_frame(void *data, const char *file, int line, const char *func)
{
	char **where = data;

	if (asprintf(where, "%s:%d %s", file, line, func ? func : "?") < 0)
		*where = NULL;
	return 1;
}

/* How g, which ran last, stopped: s->what and s->where. */
static void describe_stop(go__g *g, struct step *s)
{
	uint32_t st = ld_acquire(&g->status);
	uintptr_t pcs[GO__TB_MAX];
	bool exact;
	int n;

	if (g->id != s->prev || st == GO__G_DEAD) {
		s->what = "finished";
		return;
	}
	s->what = st == GO__G_WAITING ? (g->wait_reason ? g->wait_reason : "waiting") : "yielded";
	if (st == GO__G_WAITING) {
		char state[512];

		if (go__chan_describe(g->wait_reason, g->wait_obj, state, sizeof(state)) ||
		    go__sema_describe(g->wait_reason, g->wait_obj, g, state, sizeof(state)))
			s->state = strdup(state);
	}
	if (st == GO__G_WAITING && g->wait_file && g->wait_line &&
	    asprintf(&s->where, "%s:%d", go__tb_relative(g->wait_file), g->wait_line) < 0)
		s->where = NULL;
	n = go__g_frames(g, pcs, GO__TB_MAX, &exact);
	if (n > 0) {
		char *frame = NULL;

		go__tb_frames(pcs, n, exact, first_frame, &frame);
		if (frame && s->where) {   /* the blocking call's line, the frame's function */
			const char *func = strchr(frame, ' ');
			char *both = NULL;

			if (func && asprintf(&both, "%s%s", s->where, func) >= 0) {
				free(s->where);
				s->where = both;
			}
			free(frame);
		} else if (frame) {
			s->where = frame;
		}
	}
}

static void log_step(uint64_t id)
{
	struct step *s;

	if (!det.log_path)   /* only a log asked for is kept: the program's heap is measured */
		return;
	if (det.nlog == det.caplog) {
		size_t cap = det.caplog ? det.caplog * 2 : 1024;
		struct step *l = realloc(det.log, cap * sizeof(*l));

		if (!l)
			return;
		det.log = l;
		det.caplog = cap;
	}
	s = &det.log[det.nlog++];
	*s = (struct step){ .g = (uint32_t)id, .prev = (uint32_t)det.last };
	if (det.last_g)
		describe_stop(det.last_g, s);
}

go__g *go__det_choose(go__g **gs, int n)
{
	int pick = 0;

	det.step++;
	if (det.strategy == 'p') {
		for (int i = 0; i < det.depth - 1; i++)
			if (det.change[i] == det.step && det.last) {
				prio_of(det.last);
				det.prio[det.last] = (uint64_t)i + 1;
			}
		for (int i = 1; i < n; i++)
			if (prio_of(gs[i]->id) > prio_of(gs[pick]->id))
				pick = i;
	} else {
		pick = (int)below((uint64_t)n);
	}
	log_step(gs[pick]->id);
	det.last = gs[pick]->id;
	det.last_g = gs[pick];
	return gs[pick];
}

static void go__det_write_log(void)
{
	FILE *f;

	if (!go__det || !det.log_path || !(f = fopen(det.log_path, "we")))
		return;
	fprintf(f, "# chanlab schedule %s: %zu decisions, the goroutine chosen at each"
		   " (after how the one before stopped, and where)\n", det.spec, det.nlog);
	for (size_t i = 0; i < det.nlog; i++) {
		const struct step *s = &det.log[i];

		fprintf(f, "%zu G%" PRIu32, i + 1, s->g);
		if (s->prev && s->what)
			fprintf(f, " after G%" PRIu32 " %s%s%s%s%s", s->prev, s->what, s->where ? " at " : "",
				s->where ? s->where : "", s->state ? " | " : "", s->state ? s->state : "");
		fputc('\n', f);
	}
	fclose(f);
}

void go_sched_point(void)
{
	go__m *m = go__getm();

	if (go__det && m && !m->pins)   /* pinned: nothing else runs here */
		go_yield();
}
