/*
 * trace — the facts of an execution trace; see trace.h.
 *
 * Data model. The file is a 16-byte header, then events: a byte (type |
 * count << 6), then varints — the time since the previous event of the
 * same batch and the arguments, or, for a count of 3, a length in bytes
 * and as many values as fit in it. Batch events start a P's run of events
 * with an absolute time; String and Stack events are dictionaries the
 * facts do not need; a Frequency event says how many ticks make a second.
 * The reader decodes every event with its absolute time and P into one
 * array, sorts it by time (each P's batches are in order already; the
 * ticks are one clock across CPUs), and replays it: a goroutine is
 * created runnable, starts running on a P, stops running when it blocks,
 * yields or ends, and becomes runnable again when unblocked. Per
 * goroutine it keeps when it became runnable and when and why it blocked,
 * in an array indexed by goroutine id.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "base/varint.h"
#include "checker/trace.h"

#define MAX_EVENTS 4000000
#define MAX_GOID (1u << 22)
#define MAX_LATENCIES 1000000

enum {
	EV_BATCH = 1, EV_FREQUENCY = 2, EV_STACK = 3, EV_GOMAXPROCS = 4, EV_PROC_START = 5,
	EV_PROC_STOP = 6, EV_GO_CREATE = 13, EV_GO_START = 14, EV_GO_END = 15, EV_GO_STOP = 16,
	EV_GO_SCHED = 17, EV_GO_PREEMPT = 18, EV_GO_SLEEP = 19, EV_GO_BLOCK = 20, EV_GO_UNBLOCK = 21,
	EV_GO_BLOCK_SEND = 22, EV_GO_BLOCK_RECV = 23, EV_GO_BLOCK_SELECT = 24, EV_GO_BLOCK_SYNC = 25,
	EV_GO_BLOCK_COND = 26, EV_GO_BLOCK_NET = 27, EV_GO_SYS_EXIT = 29, EV_GO_SYS_BLOCK = 30,
	EV_STRING = 37, EV_USER_LOG = 48, EV_COUNT = 50,
};

struct ev {
	int64_t ts;
	int type, p;
	uint64_t arg0;              /* the goroutine, for create, start, unblock; procs for gomaxprocs */
	long seq;                   /* order in the file: ties keep it */
};

struct gstate {
	int64_t runnable_since;     /* -1: not runnable */
	int64_t blocked_since;      /* -1: not blocked */
	int8_t why;
	bool alive;
};

static const char *const wait_names[TW_COUNT] = { "send", "recv", "select", "sync", "cond", "sleep", "net", "syscall", "other" };

const char *trace_wait_name(enum trace_wait w)
{
	return (unsigned)w < TW_COUNT ? wait_names[w] : "?";
}

/* The state of goroutine g, growing the table (NULL past MAX_GOID or out
 * of memory: such a goroutine is left out of the facts). */
static struct gstate *gstate_of(struct gstate **gs, size_t *cap, uint64_t g)
{
	if (g >= MAX_GOID)
		return NULL;
	if (g >= *cap) {
		size_t ncap = *cap ? *cap : 1024;
		struct gstate *n;

		while (ncap <= g)
			ncap *= 2;
		n = realloc(*gs, ncap * sizeof(*n));
		if (!n)
			return NULL;
		for (size_t i = *cap; i < ncap; i++)
			n[i] = (struct gstate){ -1, -1, 0, false };
		*gs = n;
		*cap = ncap;
	}
	return &(*gs)[g];
}

static int cmp_ev(const void *a, const void *b)
{
	const struct ev *x = a, *y = b;

	if (x->ts != y->ts)
		return x->ts < y->ts ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

static int why_of(int type)
{
	switch (type) {
	case EV_GO_BLOCK_SEND: return TW_SEND;
	case EV_GO_BLOCK_RECV: return TW_RECV;
	case EV_GO_BLOCK_SELECT: return TW_SELECT;
	case EV_GO_BLOCK_SYNC: return TW_SYNC;
	case EV_GO_BLOCK_COND: return TW_COND;
	case EV_GO_SLEEP: return TW_SLEEP;
	case EV_GO_BLOCK_NET: return TW_NET;
	case EV_GO_SYS_BLOCK: return TW_SYSCALL;
	default: return TW_OTHER;
	}
}

/* Decodes every event into *out (malloc'd). -1 and err_msg if damaged. */
static int decode(const uint8_t *data, size_t len, struct ev **out, long *nout, double *ticks_per_ns)
{
	struct varint_cur c = { data + 16, data + len, false };
	struct ev *evs = NULL;
	long n = 0, cap = 0;
	int64_t last = 0;
	int p = -1;
	uint64_t freq = 0;

	while (c.p < c.end && !c.bad) {
		uint8_t b = *c.p++;
		int type = b & 0x3f, narg = (b >> 6) + 1;
		uint64_t v[8];
		int nv = 0;

		if (type == 0 || type >= EV_COUNT)
			return err_set("the trace has an unknown event %d", type);
		if (type == EV_STRING) {
			uint64_t slen;

			varint_next(&c);
			slen = varint_next(&c);
			if (c.bad || slen > (uint64_t)(c.end - c.p))
				break;
			c.p += slen;
			continue;
		}
		if (narg == 4) {                /* a length, then values up to it */
			uint64_t elen = varint_next(&c);
			const uint8_t *stop;

			if (c.bad || elen > (uint64_t)(c.end - c.p))
				break;
			stop = c.p + elen;
			while (c.p < stop && !c.bad) {
				uint64_t x = varint_next(&c);

				if (nv < 8)
					v[nv++] = x;
			}
			if (c.p != stop)
				break;
		} else {
			for (int i = 0; i < narg; i++)
				v[nv++] = varint_next(&c);
		}
		if (type == EV_USER_LOG) {     /* its text follows */
			uint64_t slen = varint_next(&c);

			if (c.bad || slen > (uint64_t)(c.end - c.p))
				break;
			c.p += slen;
		}
		if (c.bad)
			break;
		if (type == EV_STACK)
			continue;
		if (type == EV_BATCH) {
			if (nv < 2)
				break;
			p = (int)(int64_t)v[0];
			last = (int64_t)v[1];
			continue;
		}
		if (type == EV_FREQUENCY) {
			freq = v[0];
			continue;
		}
		if (n == cap) {
			long ncap = cap ? cap * 2 : 4096;
			struct ev *ne;

			if (ncap > MAX_EVENTS) {
				free(evs);
				return err_set("the trace has more than %d events", MAX_EVENTS);
			}
			ne = realloc(evs, (size_t)ncap * sizeof(*ne));
			if (!ne) {
				free(evs);
				return err_set("out of memory reading a trace");
			}
			evs = ne;
			cap = ncap;
		}
		last += (int64_t)v[0];
		evs[n] = (struct ev){ last, type, p, nv > 1 ? v[1] : 0, n };
		n++;
	}
	if (c.bad || c.p != c.end) {
		free(evs);
		return err_set("the trace is damaged");
	}
	if (!freq) {
		free(evs);
		return err_set("the trace has no Frequency event: the program did not finish writing it");
	}
	*out = evs;
	*nout = n;
	*ticks_per_ns = (double)freq / 1e9;
	return 0;
}

static void add_span(struct trace_timeline *tl, int p, uint64_t g, int64_t start, int64_t end, int stop, int why)
{
	if (!tl || tl->nspans >= MAX_EVENTS)
		return;
	if (tl->nspans == tl->capspans) {
		size_t cap = tl->capspans ? tl->capspans * 2 : 1024;
		struct trace_span *s = realloc(tl->spans, cap * sizeof(*s));

		if (!s)
			return;
		tl->spans = s;
		tl->capspans = cap;
	}
	tl->spans[tl->nspans++] = (struct trace_span){ p, g, start, end, (uint8_t)stop, (uint8_t)why };
}

static void add_runnable(struct trace_timeline *tl, int64_t t, int n)
{
	if (!tl || tl->nrunnable >= MAX_EVENTS)
		return;
	if (tl->nrunnable && tl->runnable[tl->nrunnable - 1].t == t) {
		tl->runnable[tl->nrunnable - 1].n = n;
		return;
	}
	if (tl->nrunnable == tl->caprunnable) {
		size_t cap = tl->caprunnable ? tl->caprunnable * 2 : 1024;
		struct trace_runnable *r = realloc(tl->runnable, cap * sizeof(*r));

		if (!r)
			return;
		tl->runnable = r;
		tl->caprunnable = cap;
	}
	tl->runnable[tl->nrunnable++] = (struct trace_runnable){ t, n };
}

void trace_timeline_release(struct trace_timeline *tl)
{
	free(tl->spans);
	free(tl->runnable);
	memset(tl, 0, sizeof(*tl));
}

int trace_facts(struct trace_facts *f, const void *data, size_t len)
{
	return trace_read(f, NULL, data, len);
}

int trace_read(struct trace_facts *f, struct trace_timeline *tl, const void *data, size_t len)
{
	static const char header[16] = "go 1.19 trace\0\0\0";
	struct ev *evs = NULL;
	struct gstate *gs = NULL;
	size_t gcap = 0;
	int64_t *lat = NULL, running_since[TRACE_MAX_PROCS];
	uint64_t running[TRACE_MAX_PROCS] = { 0 };
	long n = 0, nlat = 0, alive = 0, nrunnable = 0;
	int nrunning = 0, rc = -1;
	double tpn = 1;
	int64_t t0 = 0;

	memset(f, 0, sizeof(*f));
	if (len < 16 || memcmp(data, header, 16) != 0)
		return err_set("not a trace in Go 1.19's format");
	if (decode(data, len, &evs, &n, &tpn) < 0)
		return -1;
	qsort(evs, (size_t)n, sizeof(*evs), cmp_ev);
	if (n > 0)
		t0 = evs[0].ts;
#define NS(ts) ((int64_t)((double)((ts) - t0) / tpn))
	lat = malloc(MAX_LATENCIES * sizeof(*lat));
	if (!lat) {
		err_set("out of memory reading a trace");
		goto out;
	}
	for (long i = 0; i < n; i++) {
		const struct ev *e = &evs[i];
		int p = e->p;
		uint64_t g = e->arg0;
		struct gstate *s;

		if (e->type == EV_GOMAXPROCS) {
			f->procs = (int)g;
			continue;
		}
		if (p < 0 || p >= TRACE_MAX_PROCS)
			continue;               /* events of Ms without a P */
		if (p + 1 > f->nprocs && e->type == EV_GO_START)
			f->nprocs = p + 1;
		switch (e->type) {
		case EV_GO_CREATE:
			if (!(s = gstate_of(&gs, &gcap, g)))
				break;
			*s = (struct gstate){ e->ts, -1, 0, true };
			add_runnable(tl, NS(e->ts), (int)++nrunnable);
			f->goroutines++;
			if (++alive > f->max_alive)
				f->max_alive = alive;
			break;
		case EV_GO_START:
			if ((s = gstate_of(&gs, &gcap, g))) {
				if (s->runnable_since >= 0 && nlat < MAX_LATENCIES)
					lat[nlat++] = e->ts - s->runnable_since;
				if (s->runnable_since >= 0 && nrunnable > 0)
					add_runnable(tl, NS(e->ts), (int)--nrunnable);
				s->runnable_since = -1;
			}
			if (!running[p])
				nrunning++;
			running[p] = g ? g : 1;
			running_since[p] = e->ts;
			if (nrunning > f->max_running)
				f->max_running = nrunning;
			break;
		case EV_GO_UNBLOCK: case EV_GO_SYS_EXIT:
			if (!(s = gstate_of(&gs, &gcap, g)))
				break;
			if (s->blocked_since >= 0) {
				f->blocked[s->why] += (double)(e->ts - s->blocked_since);
				s->blocked_since = -1;
			}
			s->runnable_since = e->ts;
			add_runnable(tl, NS(e->ts), (int)++nrunnable);
			break;
		case EV_GO_END: case EV_GO_STOP: case EV_GO_SCHED: case EV_GO_PREEMPT: case EV_GO_SLEEP:
		case EV_GO_BLOCK: case EV_GO_BLOCK_SEND: case EV_GO_BLOCK_RECV: case EV_GO_BLOCK_SELECT:
		case EV_GO_BLOCK_SYNC: case EV_GO_BLOCK_COND: case EV_GO_BLOCK_NET: case EV_GO_SYS_BLOCK:
			if (!running[p])
				break;
			g = running[p];
			f->busy[p] += (double)(e->ts - running_since[p]);
			add_span(tl, p, g, NS(running_since[p]), NS(e->ts),
				 e->type == EV_GO_END ? TS_END : e->type == EV_GO_SCHED ? TS_YIELD
				 : e->type == EV_GO_PREEMPT ? TS_PREEMPT : TS_BLOCK, why_of(e->type));
			running[p] = 0;
			nrunning--;
			if (!(s = gstate_of(&gs, &gcap, g)))
				break;
			if (e->type == EV_GO_END) {
				if (s->alive)
					alive--;
				s->alive = false;
			} else if (e->type == EV_GO_SCHED || e->type == EV_GO_PREEMPT) {
				s->runnable_since = e->ts;
				add_runnable(tl, NS(e->ts), (int)++nrunnable);
			} else {
				s->why = (int8_t)why_of(e->type);
				s->blocked_since = e->ts;
				f->blocks[s->why]++;
			}
			break;
		}
	}
	f->events = n;
	if (n > 0)
		f->seconds = (double)(evs[n - 1].ts - evs[0].ts) / tpn / 1e9;
	if (tl && n > 0)
		tl->duration = NS(evs[n - 1].ts);
#undef NS
	for (int p = 0; p < TRACE_MAX_PROCS; p++)
		f->busy[p] = f->busy[p] / tpn / 1e9;
	for (int w = 0; w < TW_COUNT; w++)
		f->blocked[w] = f->blocked[w] / tpn / 1e9;
	if (nlat > 0) {
		qsort(lat, (size_t)nlat, sizeof(*lat), cmp_i64);
		f->latency_p50 = (double)lat[(nlat - 1) / 2] / tpn / 1e9;
		f->latency_p99 = (double)lat[(nlat - 1) * 99 / 100] / tpn / 1e9;
		f->latency_max = (double)lat[nlat - 1] / tpn / 1e9;
	}
	rc = 0;
out:
	free(evs);
	free(gs);
	free(lat);
	return rc;
}
