/*
 * trace.c — the execution tracer, in Go 1.19's trace format, so that
 * `go tool trace` opens what a chanlab program records (after Go's
 * runtime/trace.go; the reader is Go's internal/trace/parser.go).
 *
 * CHANLAB_TRACE=FILE (or go_trace_start/stop) records, for the whole run:
 * goroutines created, started, blocked (on what), unblocked, yielding and
 * ending; system calls entered, and those whose P the monitor took (the
 * goroutine blocks, and exits the call before it next starts); Ps started
 * and stopped by their Ms; and the program's own tasks, regions and logs
 * (go_trace_task, go_trace_region, go_trace_log, as runtime/trace's).
 *
 * Data model. Each P has a buffer that only the M holding the P writes,
 * without locks: an event is a byte (type | argument count << 6), the
 * time since the buffer's previous event, its arguments as varints, and a
 * stack id where the event has one (four or more values are preceded by
 * their length in bytes). A buffer starts with a Batch event naming its P
 * and the absolute time; a full one goes on a list under the trace lock
 * and the P starts another. Goroutines carry a sequence number, bumped
 * when they start and when they are unblocked, which lets the reader
 * order the batches of different Ps. The names of tasks, regions and log
 * keys are interned under the lock as they come, and written, with the
 * stacks' strings, when the trace stops. Stacks are interned under the lock
 * (a frame-pointer walk of the goroutine's stack; each P caches the ids
 * it saw last, so a repeated stack takes no lock) and written, with their
 * functions, files and lines as strings, when the trace stops. Times are
 * CPU ticks (rdtsc, as Go's cputicks), and a Frequency event measured
 * over the whole trace turns them into nanoseconds.
 *
 * Stopping races with Ms still writing: each write raises its buffer's
 * inflight count before it looks at the on flag, so once the flag is
 * clear and every count is zero, nobody writes any more.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "internal.h"
#include "sym.h"
#include "trace.h"

#define BUF_SIZE (64 << 10)
#define MAX_EVENT 128               /* bytes one event may take, besides a log's text */
#define MAX_LOG 1024                /* bytes of a log's text kept */
#define STACK_DEPTH 32
#define MAX_PROCS 1024
#define MAX_BYTES (256u << 20)     /* all buffers together; past it, recording stops */

enum {
	EV_BATCH = 1, EV_FREQUENCY = 2, EV_STACK = 3, EV_GOMAXPROCS = 4, EV_PROC_START = 5,
	EV_PROC_STOP = 6, EV_GO_CREATE = 13, EV_GO_START = 14, EV_GO_END = 15, EV_GO_SCHED = 17,
	EV_GO_PREEMPT = 18, EV_GO_SLEEP = 19, EV_GO_BLOCK = 20, EV_GO_UNBLOCK = 21,
	EV_GO_BLOCK_SEND = 22, EV_GO_BLOCK_RECV = 23, EV_GO_BLOCK_SELECT = 24,
	EV_GO_BLOCK_SYNC = 25, EV_GO_BLOCK_COND = 26, EV_GO_BLOCK_NET = 27, EV_GO_SYS_CALL = 28,
	EV_GO_SYS_EXIT = 29, EV_GO_SYS_BLOCK = 30, EV_STRING = 37, EV_USER_TASK_CREATE = 45,
	EV_USER_TASK_END = 46, EV_USER_REGION = 47, EV_USER_LOG = 48,
};

/* Interned strings of the trace, numbered from 1 in order: the program's
 * names as they come, then the functions and files of the stacks. */
struct strs {
	char **s;
	size_t n, cap;
	size_t written;             /* the first written ones, as EvString */
};

struct tbuf {
	struct tbuf *next;
	uint32_t inflight;          /* atomic */
	size_t pos;
	int64_t last;               /* time of the previous event */
	uint8_t data[BUF_SIZE];
};

struct stack {
	struct stack *next;
	uint64_t id, hash;
	int n;
	uintptr_t pc[STACK_DEPTH];
};

int go__tracing;

static struct {
	go__lock lock;
	struct tbuf *cur[MAX_PROCS];    /* each P's, written by its M */
	struct tbuf *global;            /* events of an M without a P, under lock */
	struct tbuf *full;              /* filled buffers, newest first (oldest first once written) */
	size_t bytes;
	bool overflow;
	struct stack **stacks;          /* hash table, chained */
	size_t cap_stacks, nstacks;
	struct strs strs;               /* under lock */
	char *path;
	bool atexit_set;
	int64_t t0, ns0;            /* ticks and nanoseconds at start */
} tr;

static int64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* Event times are CPU ticks where there is a cheap counter (Go's
 * cputicks), nanoseconds elsewhere; the Frequency event says which. */
static int64_t now(void)
{
#if defined(__x86_64__)
	return (int64_t)__builtin_ia32_rdtsc();
#else
	return mono_ns();
#endif
}

static void put_varint(struct tbuf *b, uint64_t v)
{
	while (v >= 0x80) {
		b->data[b->pos++] = (uint8_t)(v | 0x80);
		v >>= 7;
	}
	b->data[b->pos++] = (uint8_t)v;
}

/* A fresh buffer for pid (-1: the global one), starting with its batch. */
static struct tbuf *buf_new(int pid, int64_t t)
{
	struct tbuf *b;

	if (tr.bytes + sizeof(*b) > MAX_BYTES) {
		tr.overflow = true;
		return NULL;
	}
	b = malloc(sizeof(*b));
	if (!b)
		return NULL;
	tr.bytes += sizeof(*b);
	b->next = NULL;
	b->inflight = 0;
	b->pos = 0;
	b->last = t;
	b->data[b->pos++] = EV_BATCH | 1 << 6;
	put_varint(b, (uint64_t)(int64_t)pid);
	put_varint(b, (uint64_t)t);
	return b;
}

/* The buffer to write pid's next event in (lock held for the global one):
 * the P's own, replaced by a new one when nearly full. */
static struct tbuf *buf_for(struct tbuf **slot, int pid, int64_t t)
{
	struct tbuf *b = *slot, *nb;

	if (b && b->pos + MAX_EVENT <= BUF_SIZE)
		return b;
	go__lock_acquire(&tr.lock);
	nb = buf_new(pid, t);
	if (nb) {
		if (b) {
			b->next = tr.full;
			tr.full = b;
		}
		*slot = nb;
	}
	go__lock_release(&tr.lock);
	return nb;
}

/* Writes one event: type and its arguments (a stack id, where the event
 * has one, is the last), then text (len bytes, a log's) if any. */
static void emit_text(go__p *p, int type, const uint64_t *args, int nargs, const char *text, size_t len)
{
	struct tbuf **slot = p ? &tr.cur[p->id] : &tr.global;
	struct tbuf *b;
	int64_t t;
	int narg = nargs < 3 ? nargs : 3;
	size_t lenpos = 0, start;

	if (!p)
		go__lock_acquire(&tr.lock);
	b = *slot;
	if (b)
		xadd(&b->inflight, 1);
	if (!ld_acquire(&go__tracing)) {
		if (b)
			xadd(&b->inflight, -1u);
		goto out;
	}
	t = now();
	if (!b || b->pos + MAX_EVENT + len > BUF_SIZE) {
		if (b)
			xadd(&b->inflight, -1u);
		if (!p)
			go__lock_release(&tr.lock);
		b = buf_for(slot, p ? p->id : -1, t);
		if (!p)
			go__lock_acquire(&tr.lock);
		if (!b)
			goto out;
		xadd(&b->inflight, 1);
	}
	if (t < b->last)
		t = b->last;
	b->data[b->pos++] = (uint8_t)(type | narg << 6);
	if (narg == 3)
		lenpos = b->pos++;
	start = b->pos;
	put_varint(b, (uint64_t)(t - b->last));
	for (int i = 0; i < nargs; i++)
		put_varint(b, args[i]);
	if (narg == 3)
		b->data[lenpos] = (uint8_t)(b->pos - start);
	if (text) {
		put_varint(b, len);
		memcpy(b->data + b->pos, text, len);
		b->pos += len;
	}
	b->last = t;
	xadd(&b->inflight, -1u);
out:
	if (!p)
		go__lock_release(&tr.lock);
}

static void emit(go__p *p, int type, const uint64_t *args, int nargs)
{
	emit_text(p, type, args, nargs, NULL, 0);
}

/* --- stacks --------------------------------------------------------------- */

/* Each P remembers the ids of the stacks it saw last, by their 64-bit
 * hash: most events repeat a stack, and a hit takes no lock. */
#define CACHE_SIZE 256
struct scache {
	uint64_t hash[CACHE_SIZE], id[CACHE_SIZE];
};
static struct scache *caches[MAX_PROCS];

static uint64_t stack_id(go__p *p, const uintptr_t *pc, int n)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	struct scache *c = NULL;
	struct stack *s;
	size_t slot;

	if (n <= 0)
		return 0;
	for (int i = 0; i < n; i++)
		h = (h ^ pc[i]) * 0x100000001b3ULL;
	slot = (h ^ h >> 29) & (CACHE_SIZE - 1);
	if (p && !(c = caches[p->id]))
		c = caches[p->id] = calloc(1, sizeof(*c));
	if (c && c->hash[slot] == h && c->id[slot])
		return c->id[slot];
	go__lock_acquire(&tr.lock);
	if (tr.nstacks >= tr.cap_stacks) {
		size_t cap = tr.cap_stacks ? tr.cap_stacks * 2 : 256;
		struct stack **t = calloc(cap, sizeof(*t));

		if (!t) {
			go__lock_release(&tr.lock);
			return 0;
		}
		for (size_t i = 0; i < tr.cap_stacks; i++)
			while ((s = tr.stacks[i])) {
				tr.stacks[i] = s->next;
				s->next = t[s->hash & (cap - 1)];
				t[s->hash & (cap - 1)] = s;
			}
		free(tr.stacks);
		tr.stacks = t;
		tr.cap_stacks = cap;
	}
	for (s = tr.stacks[h & (tr.cap_stacks - 1)]; s; s = s->next)
		if (s->hash == h && s->n == n && !memcmp(s->pc, pc, (size_t)n * sizeof(*pc)))
			break;
	if (!s && (s = calloc(1, sizeof(*s)))) {
		s->id = ++tr.nstacks;
		s->hash = h;
		s->n = n;
		memcpy(s->pc, pc, (size_t)n * sizeof(*pc));
		s->next = tr.stacks[h & (tr.cap_stacks - 1)];
		tr.stacks[h & (tr.cap_stacks - 1)] = s;
	}
	go__lock_release(&tr.lock);
	if (c && s) {
		c->hash[slot] = h;
		c->id[slot] = s->id;
	}
	return s ? s->id : 0;
}

/* The stack of the calling goroutine, without skip frames: here's own
 * return address, the hook's, the runtime function that called it. */
static uint64_t here(go__p *p, int skip)
{
	uintptr_t pc[STACK_DEPTH];

	return stack_id(p, pc, go__callers(pc, STACK_DEPTH, skip));
}

/* --- the events ----------------------------------------------------------- */

void go__trace_go_create(go__p *p, go__g *g)
{
	/* the new goroutine's "stack" is its function: a leaf-style pc inside it */
	uintptr_t fn = (uintptr_t)g->fn + 1;
	uint64_t a[3] = { g->id, stack_id(p, &fn, 1), here(p, 3) };

	g->traceseq = 0;
	emit(p, EV_GO_CREATE, a, 3);
}

void go__trace_go_start(go__p *p, go__g *g)
{
	uint64_t a[2];

	if (ld_acquire(&g->trace_sys) == 2) {   /* back from a call that lost its P */
		uint64_t x[3] = { g->id, ++g->traceseq, 0 };

		st_relaxed(&g->trace_sys, 0);
		emit(p, EV_GO_SYS_EXIT, x, 3);
	}
	a[0] = g->id;
	a[1] = ++g->traceseq;
	emit(p, EV_GO_START, a, 2);
}

void go__trace_go_syscall(go__p *p, go__g *g)
{
	uint64_t a[1] = { here(p, 3) };      /* from the call's wrapper (read, ...) */

	emit(p, EV_GO_SYS_CALL, a, 1);
	st_release(&g->trace_sys, 1);
}

/* On the monitor's thread, which holds p now. */
void go__trace_go_sysblock(go__p *p)
{
	emit(p, EV_GO_SYS_BLOCK, NULL, 0);
}

void go__trace_go_end(go__p *p)
{
	emit(p, EV_GO_END, NULL, 0);
}

void go__trace_go_block(go__p *p, const char *reason)
{
	uint64_t a[1] = { here(p, 3) };      /* from go__park's caller */
	int type = EV_GO_BLOCK;

	if (strncmp(reason, "chan send", 9) == 0)
		type = EV_GO_BLOCK_SEND;
	else if (strncmp(reason, "chan receive", 12) == 0)
		type = EV_GO_BLOCK_RECV;
	else if (strncmp(reason, "select", 6) == 0)
		type = EV_GO_BLOCK_SELECT;
	else if (strcmp(reason, "sync.Cond.Wait") == 0)
		type = EV_GO_BLOCK_COND;
	else if (strncmp(reason, "sync.", 5) == 0)
		type = EV_GO_BLOCK_SYNC;
	else if (strcmp(reason, "sleep") == 0)
		type = EV_GO_SLEEP;
	else if (strcmp(reason, "IO wait") == 0)
		type = EV_GO_BLOCK_NET;
	emit(p, type, a, 1);
}

void go__trace_go_unblock(go__p *p, go__g *g)
{
	uint64_t a[3] = { g->id, ++g->traceseq, here(p, 3) };

	emit(p, EV_GO_UNBLOCK, a, 3);
}

/* The network poller's thread readies g without a P: the event goes in
 * the global buffer, with no stack (as Go's own: the reader shows it as
 * the network's unblock, after g's EvGoBlockNet). */
void go__trace_go_unblock_outside(go__g *g)
{
	uint64_t a[3] = { g->id, ++g->traceseq, 0 };

	emit(NULL, EV_GO_UNBLOCK, a, 3);
}

void go__trace_go_sched(go__p *p, bool preempted)
{
	uint64_t a[1] = { here(p, 3) };

	emit(p, preempted ? EV_GO_PREEMPT : EV_GO_SCHED, a, 1);
}

void go__trace_proc_start(go__p *p)
{
	static __thread uint64_t tid;
	uint64_t a[1];

	if (!tid)
		tid = (uint64_t)syscall(SYS_gettid);
	a[0] = tid;
	emit(p, EV_PROC_START, a, 1);
}

void go__trace_proc_stop(go__p *p)
{
	emit(p, EV_PROC_STOP, NULL, 0);
}

/* --- writing -------------------------------------------------------------- */

struct out {
	int fd;
	bool failed;
	uint8_t buf[1 << 16];
	size_t pos;
};

static void out_flush(struct out *o)
{
	size_t off = 0;

	while (off < o->pos && !o->failed) {
		ssize_t w = write(o->fd, o->buf + off, o->pos - off);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			o->failed = true;
		else
			off += (size_t)w;
	}
	o->pos = 0;
}

static void out_bytes(struct out *o, const void *data, size_t n)
{
	const uint8_t *p = data;

	while (n) {
		size_t k = sizeof(o->buf) - o->pos < n ? sizeof(o->buf) - o->pos : n;

		memcpy(o->buf + o->pos, p, k);
		o->pos += k;
		p += k;
		n -= k;
		if (o->pos == sizeof(o->buf))
			out_flush(o);
	}
}

static void out_varint(struct out *o, uint64_t v)
{
	uint8_t b[10];
	size_t n = 0;

	while (v >= 0x80) {
		b[n++] = (uint8_t)(v | 0x80);
		v >>= 7;
	}
	b[n++] = (uint8_t)v;
	out_bytes(o, b, n);
}

static size_t varint_len(uint64_t v)
{
	size_t n = 1;

	while (v >= 0x80) {
		v >>= 7;
		n++;
	}
	return n;
}

/* The id of s in t, added if new (0: the empty string, or no memory). A
 * small linear table is enough for one program's names, functions and
 * files. */
static uint64_t intern(struct strs *t, const char *s)
{
	if (!*s)
		return 0;
	for (size_t i = 0; i < t->n; i++)
		if (strcmp(t->s[i], s) == 0)
			return i + 1;
	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 64;
		char **ns = realloc(t->s, cap * sizeof(*ns));

		if (!ns)
			return 0;
		t->s = ns;
		t->cap = cap;
	}
	if (!(t->s[t->n] = strdup(s)))
		return 0;
	return ++t->n;
}

/* Writes the strings of t not written yet. */
static void write_strings(struct out *o, struct strs *t)
{
	for (; t->written < t->n; t->written++) {
		size_t len = strlen(t->s[t->written]);

		out_bytes(o, &(uint8_t){ EV_STRING }, 1);
		out_varint(o, t->written + 1);
		out_varint(o, len);
		out_bytes(o, t->s[t->written], len);
	}
}

static uint64_t string_id(struct out *o, struct strs *t, const char *s)
{
	uint64_t id = intern(t, s);

	write_strings(o, t);
	return id;
}

static void write_stacks(struct out *o)
{
	go__sym *sym = go__sym_new();
	struct strs strs = tr.strs;     /* the program's names first, as numbered */

	tr.strs = (struct strs){ 0 };
	write_strings(o, &strs);

	for (size_t i = 0; sym && i < tr.cap_stacks; i++)
		for (struct stack *s = tr.stacks[i]; s; s = s->next) {
			uint64_t vals[2 + 4 * STACK_DEPTH * 2];
			size_t nv = 0, len = 0;
			uint64_t nframes = 0;

			vals[nv++] = s->id;
			vals[nv++] = 0;            /* the frame count, below */
			for (int k = 0; k < s->n && nframes < STACK_DEPTH * 2; k++) {
				const struct go__pp_line *lines;
				int nl = go__sym_frames(sym, s->pc[k], false, &lines);

				for (int l = 0; l < nl && nframes < STACK_DEPTH * 2; l++, nframes++) {
					vals[nv++] = s->pc[k];
					vals[nv++] = string_id(o, &strs, lines[l].function);
					vals[nv++] = string_id(o, &strs, lines[l].file);
					vals[nv++] = (uint64_t)lines[l].line;
				}
			}
			vals[1] = nframes;
			for (size_t k = 0; k < nv; k++)
				len += varint_len(vals[k]);
			out_bytes(o, &(uint8_t){ EV_STACK | 3 << 6 }, 1);
			out_varint(o, len);
			for (size_t k = 0; k < nv; k++)
				out_varint(o, vals[k]);
		}
	for (size_t i = 0; i < strs.n; i++)
		free(strs.s[i]);
	free(strs.s);
	go__sym_free(sym);
}

static void write_buf(struct out *o, struct tbuf *b)
{
	out_bytes(o, b->data, b->pos);
}

int go_trace_start(const char *path)
{
	int rc = -1;

	go__lock_acquire(&tr.lock);
	if (tr.path || ld_relaxed(&go__tracing)) {
		errno = EBUSY;
		goto out;
	}
	if (!(tr.path = strdup(path)))
		goto out;
	tr.t0 = now();
	tr.ns0 = mono_ns();
	st_release(&go__tracing, 1);
	if (!tr.atexit_set)
		tr.atexit_set = atexit((void (*)(void))go_trace_stop) == 0;
	rc = 0;
out:
	go__lock_release(&tr.lock);
	return rc;
}

int go_trace_stop(void)
{
	static const char header[16] = "go 1.19 trace\0\0\0";
	struct out *o;
	char *path;
	int rc = -1;
	int64_t ticks = now() - tr.t0, ns = mono_ns() - tr.ns0;

	go__lock_acquire(&tr.lock);
	path = tr.path;
	tr.path = NULL;
	st_release(&go__tracing, 0);
	go__lock_release(&tr.lock);
	if (!path) {
		errno = EINVAL;
		return -1;
	}
	for (int i = 0; i < MAX_PROCS; i++)
		while (tr.cur[i] && ld_acquire(&tr.cur[i]->inflight))
			go__cpu_relax();
	o = malloc(sizeof(*o));
	if (!o)
		goto out;
	o->fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	o->failed = o->fd < 0;
	o->pos = 0;
	out_bytes(o, header, sizeof(header));
	/* oldest first: a reader takes a P's batches in the file's order, and
	 * which goroutine runs on it from the batch before */
	for (struct tbuf *b = tr.full, *prev = NULL, *next; b; prev = b, b = next) {
		next = b->next;
		b->next = prev;
		tr.full = b;
	}
	for (struct tbuf *b = tr.full; b; b = b->next)
		write_buf(o, b);
	for (int i = 0; i < MAX_PROCS; i++)
		if (tr.cur[i])
			write_buf(o, tr.cur[i]);
	if (tr.global)
		write_buf(o, tr.global);
	write_stacks(o);        /* and the strings */
	out_bytes(o, &(uint8_t){ EV_FREQUENCY }, 1);
	out_varint(o, ns > 0 && ticks > 0 ? (uint64_t)((double)ticks * 1e9 / (double)ns) : 1000000000);
	out_flush(o);
	if (tr.overflow)
		fprintf(stderr, "chanlab runtime: the trace reached %u MiB and stopped recording\n", MAX_BYTES >> 20);
	rc = o->failed || (o->fd >= 0 && close(o->fd) < 0) ? -1 : 0;
	free(o);
out:
	free(path);
	return rc;
}

void go__trace_init(void)
{
	const char *env = getenv("CHANLAB_TRACE");

	if (!env || !*env)
		return;
#if defined(GO__ASAN) || defined(GO__TSAN)
	fprintf(stderr, "chanlab runtime: tracing is off in sanitized builds\n");
	return;
#endif
	if (go_trace_start(env) < 0)
		fprintf(stderr, "chanlab runtime: cannot trace into %s: %s\n", env, strerror(errno));
}

void go__trace_gomaxprocs(go__p *p, int n)
{
	uint64_t a[2] = { (uint64_t)n, 0 };

	emit(p, EV_GOMAXPROCS, a, 2);
}

/* --- the program's own tasks, regions and logs (runtime/trace's) ---------- */

static uint64_t task_next;      /* atomic: the last task id handed out */

/* The P of the calling thread, or NULL (the global buffer). */
static go__p *cur_p(void)
{
	go__m *m = go__getm();

	return m ? m->p : NULL;
}

static uint64_t user_string(const char *s)
{
	uint64_t id;

	go__lock_acquire(&tr.lock);
	id = intern(&tr.strs, s ? s : "");
	go__lock_release(&tr.lock);
	return id;
}

uint64_t go_trace_task(uint64_t parent, const char *name)
{
	uint64_t id = xadd(&task_next, 1);

	if (ld_relaxed(&go__tracing)) {
		go__p *p = cur_p();
		uint64_t a[4] = { id, parent, user_string(name), here(p, 2) };

		emit(p, EV_USER_TASK_CREATE, a, 4);
	}
	return id;
}

void go_trace_task_end(uint64_t task)
{
	if (ld_relaxed(&go__tracing)) {
		go__p *p = cur_p();
		uint64_t a[2] = { task, here(p, 2) };

		emit(p, EV_USER_TASK_END, a, 2);
	}
}

static void region(uint64_t task, const char *name, uint64_t mode)
{
	go__p *p = cur_p();
	uint64_t a[4] = { task, mode, user_string(name), here(p, 3) };

	emit(p, EV_USER_REGION, a, 4);
}

void go_trace_region_start(uint64_t task, const char *name)
{
	if (ld_relaxed(&go__tracing))
		region(task, name, 0);
}

void go_trace_region_end(uint64_t task, const char *name)
{
	if (ld_relaxed(&go__tracing))
		region(task, name, 1);
}

void go_trace_region(uint64_t task, const char *name, void (*fn)(void *), void *arg)
{
	go_trace_region_start(task, name);
	fn(arg);
	go_trace_region_end(task, name);
}

void go_trace_log(uint64_t task, const char *category, const char *message)
{
	if (ld_relaxed(&go__tracing)) {
		go__p *p = cur_p();
		size_t len = message ? strnlen(message, MAX_LOG) : 0;
		uint64_t a[3] = { task, user_string(category), here(p, 2) };

		emit_text(p, EV_USER_LOG, a, 3, message ? message : "", len);
	}
}
