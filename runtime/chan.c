/*
 * chan.c — channels and select, after Go's runtime/chan.go and select.go.
 *
 * Data model
 *   struct go_chan: a lock, a ring buffer buf[cap] of elem_size bytes with
 *   count elements from recvx, and two queues of waiting goroutines:
 *   recvq (receivers, only when the buffer is empty) and sendq (senders,
 *   only when it is full).  A waiter is a sudog that lives on the waiting
 *   goroutine's own stack: which G, where its element is, and whether the
 *   operation succeeded (false: woken by close).
 *
 *   Handoff is direct: a sender that finds a waiting receiver copies the
 *   element straight into the receiver's variable and readies it; a
 *   receiver that finds a waiting sender on a full buffer takes the head of
 *   the buffer and moves the sender's element into the freed slot.
 *
 *   The four moves are written once and shared by chansend, chanrecv and
 *   selectgo, as Go's select.go shares chan.go's: send_direct and
 *   recv_direct (Go's send and recv) hand over to a waiting goroutine and
 *   then call the caller's unlock function (one channel's lock, or all of
 *   select's); bufsend and bufrecv (select.go's bufsend: and bufrecv:) put
 *   into and take from the ring buffer.
 *
 *   select locks every channel involved in address order (so two selects
 *   over the same channels cannot deadlock), polls the cases in a random
 *   order, and otherwise queues one sudog per case and parks.  Whoever
 *   wakes it must first win g->select_done (a CAS), so exactly one case
 *   fires even though each channel is locked separately.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "det.h"
#include "internal.h"
#include "san.h"

typedef struct sudog sudog;
struct sudog {
	go__g *g;
	sudog *next, *prev;
	void *elem;
	go_chan *c;
	bool is_select;
	bool success;
};

typedef struct waitq {
	sudog *first, *last;
} waitq;

struct go_chan {
	go__lock lock;
	uint32_t closed;
	size_t elem_size;
	size_t cap;
	size_t count;           /* atomic for go_chan_len and fast paths */
	size_t sendx, recvx;
	waitq recvq, sendq;
	go__timer *timer;       /* go_after: stop it when the channel goes */
	uintptr_t made;         /* go_chan_make's caller, when the schedule log is written */
	char *buf;
};

static const char reason_recv[] = "chan receive";
static const char reason_send[] = "chan send";

/* --- helpers ------------------------------------------------------------ */

static inline void copy_elem(void *dst, const void *src, size_t n)
{
	if (dst == NULL)
		return;
	if (n == 8)
		memcpy(dst, src, 8);
	else if (n == 4)
		memcpy(dst, src, 4);
	else
		memcpy(dst, src, n);
}

static inline void zero_elem(void *dst, size_t n)
{
	if (dst)
		memset(dst, 0, n);
}

static void enqueue(waitq *q, sudog *s)
{
	s->next = NULL;
	s->prev = q->last;
	if (q->last)
		q->last->next = s;
	else
		st_relaxed(&q->first, s);   /* atomic: read without the lock */
	q->last = s;
}

static void unlink_sudog(waitq *q, sudog *s)
{
	if (s->prev)
		s->prev->next = s->next;
	else if (q->first == s)
		st_relaxed(&q->first, s->next);
	else
		return;         /* not queued */
	if (s->next)
		s->next->prev = s->prev;
	else
		q->last = s->prev;
	s->next = s->prev = NULL;
}

/* The first waiter we may wake; a select that another case already won is
 * dropped from the queue. */
static sudog *dequeue(waitq *q)
{
	for (;;) {
		sudog *s = q->first;
		if (s == NULL)
			return NULL;
		st_relaxed(&q->first, s->next);
		if (q->first)
			q->first->prev = NULL;
		else
			q->last = NULL;
		s->next = s->prev = NULL;
		if (s->is_select) {
			uint32_t zero = 0;
			if (!cas(&s->g->select_done, &zero, 1))
				continue;
		}
		return s;
	}
}

static inline char *slot(go_chan *c, size_t i)
{
	return c->buf + i * c->elem_size;
}

/* How a handoff lets go of the locks it was called under: chanunlock for
 * one channel, selunlockf for a select's. */
typedef void unlockfn(void *arg);

static void chanunlock(void *arg)
{
	go__lock_release(&((go_chan *)arg)->lock);
}

/* The park commit of a blocked send or receive (Go's chanparkcommit). */
static bool chanparkcommit(go__g *g, void *arg)
{
	(void)g;
	chanunlock(arg);
	return true;
}

/* Park on channels, queued in their waitqs: what this goroutine did so far
 * happens before the send or receive that takes its sudog, and that one's
 * past before what this one does next.  A macro: a dump's first runtime
 * frame is the channel call, with no helper's frame (an inline function
 * has one in the debug information) above it. */
#define park_on(commit, arg, reason, file, line) do {			\
		go__g *g_ = go__getg();					\
		go__race_release(g_);					\
		go__park((commit), (arg), (reason), (file), (line));	\
		go__race_acquire(g_);					\
	} while (0)

/* Ready s's G: what this goroutine did happens before what s's does once
 * it runs again (park_on's acquire). */
static void wake(sudog *s, bool success)
{
	go__race_release(s->g);
	s->success = success;
	s->g->param = s;
	go__ready(s->g);
}

/* --- the four moves (Go's send, recv, bufsend:, bufrecv:) --------------- */

/* Hand ep to the waiting receiver s, then unlockf(arg) and ready s's G
 * (Go's send).  Locked; s already dequeued. */
static inline void send_direct(go_chan *c, sudog *s, const void *ep,
	unlockfn *unlockf, void *arg)
{
	go__race_acquire(s->g);         /* the receive happens before the send completes */
	copy_elem(s->elem, ep, c->elem_size);
	unlockf(arg);
	wake(s, true);
}

/* Take from the waiting sender s into ep, then unlockf(arg) and ready s's
 * G (Go's recv).  Unbuffered: straight from s's variable.  Buffered (so the
 * buffer is full): take its head, put s's element at the tail, the same
 * slot since the ring is full.  Locked; s already dequeued. */
static inline void recv_direct(go_chan *c, sudog *s, void *ep,
	unlockfn *unlockf, void *arg)
{
	go__race_acquire(s->g);         /* the send happens before the receive */
	if (c->cap == 0) {
		copy_elem(ep, s->elem, c->elem_size);
	} else {
		char *q = slot(c, c->recvx);
		go__race_acquire(q);
		copy_elem(ep, q, c->elem_size);
		copy_elem(q, s->elem, c->elem_size);
		go__race_release(q);
		if (++c->recvx == c->cap)
			c->recvx = 0;
		c->sendx = c->recvx;
	}
	unlockf(arg);
	wake(s, true);
}

/* Put ep at the tail of the buffer.  Locked; count < cap. */
static inline void bufsend(go_chan *c, const void *ep)
{
	char *q = slot(c, c->sendx);

	go__race_acquire(q);            /* the receive of cap sends ago, Go's racenotify */
	copy_elem(q, ep, c->elem_size);
	go__race_release(q);
	if (++c->sendx == c->cap)
		c->sendx = 0;
	st_relaxed(&c->count, c->count + 1);
}

/* Take the head of the buffer into ep.  Locked; count > 0. */
static inline void bufrecv(go_chan *c, void *ep)
{
	char *q = slot(c, c->recvx);

	go__race_acquire(q);
	copy_elem(ep, q, c->elem_size);
	go__race_release(q);
	if (++c->recvx == c->cap)
		c->recvx = 0;
	st_relaxed(&c->count, c->count - 1);
}

/* --- make and free ------------------------------------------------------ */

go_chan *go_chan_make(size_t elem_size, size_t cap)
{
	if (elem_size > 0 && cap > (SIZE_MAX - sizeof(go_chan)) / elem_size)
		return NULL;
	go_chan *c = calloc(1, sizeof *c + elem_size * cap);
	if (c == NULL)
		return NULL;
	c->elem_size = elem_size;
	c->cap = cap;
	c->buf = (char *)(c + 1);
	if (go__det_log)
		c->made = (uintptr_t)__builtin_return_address(0);
	return c;
}

void go_chan_free(go_chan *c)
{
	if (c == NULL)
		return;
	if (c->timer)
		go__timer_chan_freed(c->timer);
	free(c);
}

static int where_made(void *data, const char *file, int line, const char *func)
{
	(void)func;
	snprintf(data, 256, "%s:%d", go__tb_relative(file), line);
	return 1;
}

static size_t waiting(const waitq *q)
{
	size_t n = 0;

	for (const sudog *s = q->first; s; s = s->next)
		n++;
	return n;
}

/* Only in a deterministic run, on its one thread: nothing changes c
 * meanwhile. */
bool go__chan_describe(const char *reason, const void *obj, char *buf, size_t size)
{
	const go_chan *c = obj;
	char made[256] = "", held[64];
	size_t senders, receivers;

	if (!c || (reason != reason_send && reason != reason_recv))
		return false;
	if (c->made)
		go__tb_frames(&c->made, 1, false, where_made, made);
	senders = waiting(&c->sendq);
	receivers = waiting(&c->recvq);
	if (c->cap)
		snprintf(held, sizeof(held), "holds %zu of %zu", c->count, c->cap);
	else
		snprintf(held, sizeof(held), "is unbuffered");
	snprintf(buf, size, "%s%s %s; %zu sender%s and %zu receiver%s wait%s", *made ? "the channel made at " : "a channel",
		 made, held, senders, senders == 1 ? "" : "s", receivers, receivers == 1 ? "" : "s",
		 c->closed ? "; closed" : "");
	return true;
}

void go__chan_set_timer(go_chan *c, go__timer *t)
{
	c->timer = t;
}

/* len and cap never block, but a goroutine may poll them in a loop: they
 * are preemption points like every other runtime call. */
size_t go_chan_len(go_chan *c)
{
	go__checkpreempt();
	return c ? ld_relaxed(&c->count) : 0;
}

size_t go_chan_cap(go_chan *c)
{
	go__checkpreempt();
	return c ? c->cap : 0;
}

/* --- send --------------------------------------------------------------- */

static void panic_closed_send(const char *file, int line)
{
	go__throw("panic", "send on closed channel", file, line);
}

static bool chansend(go_chan *c, const void *ep, bool block,
	const char *file, int line)
{
	if (c == NULL) {
		if (!block)
			return false;
		go__park(NULL, NULL, "chan send (nil chan)", file, line);
		go__fatal("unreachable: woke from a nil channel send");
	}
	go__checkpreempt();
	/* Fast fail for a non-blocking send on a full channel (Go does the same
	 * without the lock: reading closed first makes it linearizable). */
	if (!block && ld_relaxed(&c->closed) == 0 &&
	    ((c->cap == 0 && ld_relaxed(&c->recvq.first) == NULL) ||
	     (c->cap > 0 && ld_relaxed(&c->count) == c->cap)))
		return false;

	go__lock_acquire(&c->lock);
	if (c->closed) {
		go__lock_release(&c->lock);
		panic_closed_send(file, line);
	}
	sudog *s = dequeue(&c->recvq);
	if (s) {
		send_direct(c, s, ep, chanunlock, c);
		return true;
	}
	if (c->count < c->cap) {
		bufsend(c, ep);
		go__lock_release(&c->lock);
		return true;
	}
	if (!block) {
		go__lock_release(&c->lock);
		return false;
	}
	sudog me = { .g = go__getg(), .elem = (void *)(uintptr_t)ep, .c = c };
	enqueue(&c->sendq, &me);
	park_on(chanparkcommit, c, reason_send, file, line);
	if (!me.success)
		panic_closed_send(file, line);
	return true;
}

void go_send_at(go_chan *c, const void *elem, const char *file, int line)
{
	chansend(c, elem, true, file, line);
}

bool go_try_send(go_chan *c, const void *elem)
{
	return chansend(c, elem, false, NULL, 0);
}

bool go__chan_send_nb(go_chan *c, const void *elem)
{
	go__lock_acquire(&c->lock);
	if (c->closed) {
		go__lock_release(&c->lock);
		return false;
	}
	sudog *s = dequeue(&c->recvq);
	if (s) {
		send_direct(c, s, elem, chanunlock, c);
		return true;
	}
	bool ok = c->count < c->cap;
	if (ok)
		bufsend(c, elem);
	go__lock_release(&c->lock);
	return ok;
}

/* --- receive ------------------------------------------------------------ */

/* Returns whether it received (always, if block); *ok: got a value. */
static bool chanrecv(go_chan *c, void *ep, bool block, bool *ok,
	const char *file, int line)
{
	*ok = false;
	if (c == NULL) {
		if (!block)
			return false;
		go__park(NULL, NULL, "chan receive (nil chan)", file, line);
		go__fatal("unreachable: woke from a nil channel receive");
	}
	go__checkpreempt();
	if (!block && ((c->cap == 0 && ld_relaxed(&c->sendq.first) == NULL) ||
	    (c->cap > 0 && ld_relaxed(&c->count) == 0))) {
		if (ld_acquire(&c->closed) == 0)
			return false;
	}

	go__lock_acquire(&c->lock);
	if (c->closed && c->count == 0) {
		go__lock_release(&c->lock);
		go__race_acquire(c);    /* the close happens before */
		zero_elem(ep, c->elem_size);
		return true;
	}
	sudog *s = dequeue(&c->sendq);
	if (s) {
		recv_direct(c, s, ep, chanunlock, c);
		*ok = true;
		return true;
	}
	if (c->count > 0) {
		bufrecv(c, ep);
		go__lock_release(&c->lock);
		*ok = true;
		return true;
	}
	if (!block) {
		go__lock_release(&c->lock);
		return false;
	}
	sudog me = { .g = go__getg(), .elem = ep, .c = c };
	enqueue(&c->recvq, &me);
	park_on(chanparkcommit, c, reason_recv, file, line);
	*ok = me.success;
	if (!me.success)
		zero_elem(ep, c->elem_size);    /* closed: ep is its own to clear */
	return true;
}

void go_recv_at(go_chan *c, void *elem, const char *file, int line)
{
	bool ok;
	chanrecv(c, elem, true, &ok, file, line);
}

bool go_recv2_at(go_chan *c, void *elem, const char *file, int line)
{
	bool ok;
	chanrecv(c, elem, true, &ok, file, line);
	return ok;
}

bool go_try_recv(go_chan *c, void *elem, bool *ok)
{
	bool okv;
	bool r = chanrecv(c, elem, false, &okv, NULL, 0);
	if (ok)
		*ok = okv;
	return r;
}

/* --- close -------------------------------------------------------------- */

void go_close_at(go_chan *c, const char *file, int line)
{
	sudog *wake_list = NULL, *s;

	if (c == NULL)
		go__throw("panic", "close of nil channel", file, line);
	go__lock_acquire(&c->lock);
	if (c->closed) {
		go__lock_release(&c->lock);
		go__throw("panic", "close of closed channel", file, line);
	}
	go__race_release(c);    /* before every receive that sees it closed */
	st_release(&c->closed, 1);
	while ((s = dequeue(&c->recvq)) != NULL) {
		s->next = wake_list;
		wake_list = s;
	}
	while ((s = dequeue(&c->sendq)) != NULL) {
		s->next = wake_list;
		wake_list = s;
	}
	go__lock_release(&c->lock);
	while (wake_list) {
		s = wake_list;
		wake_list = s->next;
		wake(s, false);
	}
}

/* --- select ------------------------------------------------------------- */

typedef struct selstate {
	go_case *cases;
	uint16_t *lockorder;    /* case indexes sorted by channel address */
	int nlock;              /* entries in lockorder (non-nil cases) */
	bool timed;             /* arm the G's deadline timer when parking */
} selstate;

static void sellock(selstate *st)
{
	go_chan *last = NULL;
	for (int i = 0; i < st->nlock; i++) {
		go_chan *c = st->cases[st->lockorder[i]].chan;
		if (c != last)
			go__lock_acquire(&c->lock);
		last = c;
	}
}

static void selunlock(selstate *st)
{
	for (int i = st->nlock - 1; i >= 0; i--) {
		go_chan *c = st->cases[st->lockorder[i]].chan;
		if (i > 0 && c == st->cases[st->lockorder[i - 1]].chan)
			continue;   /* the same lock, released at its first entry */
		go__lock_release(&c->lock);
	}
}

static void selunlockf(void *arg)
{
	selunlock(arg);
}

static bool selparkcommit(go__g *g, void *arg)
{
	selstate *st = arg;
	if (st->timed)
		go__select_timer_arm(g);
	selunlock(st);
	return true;
}

/* Sort lockorder by channel address: insertion sort for the usual few
 * cases, else a heap sort (as Go: no recursion, no allocation). */
static void sort_lockorder(go_case *cases, uint16_t *lo, int n)
{
#define KEY(i) ((uintptr_t)cases[lo[i]].chan)
	if (n <= 8) {
		for (int i = 1; i < n; i++) {
			uint16_t v = lo[i];
			uintptr_t k = (uintptr_t)cases[v].chan;
			int j = i;
			for (; j > 0 && KEY(j - 1) > k; j--)
				lo[j] = lo[j - 1];
			lo[j] = v;
		}
		return;
	}
	for (int i = 1; i < n; i++) {
		int j = i;
		uint16_t v = lo[j];
		uintptr_t k = (uintptr_t)cases[v].chan;
		while (j > 0 && KEY((j - 1) / 2) < k) {
			lo[j] = lo[(j - 1) / 2];
			j = (j - 1) / 2;
		}
		lo[j] = v;
	}
	for (int i = n - 1; i > 0; i--) {
		uint16_t v = lo[i];
		uintptr_t k = (uintptr_t)cases[v].chan;
		lo[i] = lo[0];
		int j = 0, child;
		while ((child = 2 * j + 1) < i) {
			if (child + 1 < i && KEY(child) < KEY(child + 1))
				child++;
			if (k >= KEY(child))
				break;
			lo[j] = lo[child];
			j = child;
		}
		lo[j] = v;
	}
#undef KEY
}

#define SEL_SMALL 8

static int selectgo(go_case *cases, int n, bool block, int64_t deadline,
	const char *file, int line)
{
	uint16_t small_order[2 * SEL_SMALL];
	sudog small_sg[SEL_SMALL];
	uint16_t *pollorder = small_order, *lockorder = small_order + SEL_SMALL;
	sudog *sgs = small_sg;
	void *heap = NULL;
	int npoll = 0, ret = -1;
	go__timer *tm = NULL;

	go__checkpreempt();
	if (n > SEL_SMALL) {
		heap = malloc((size_t)n * (2 * sizeof(uint16_t) + sizeof(sudog)));
		if (heap == NULL)
			go__fatal("out of memory in select");
		sgs = heap;
		pollorder = (uint16_t *)(sgs + n);
		lockorder = pollorder + n;
	}

	/* pollorder: a random permutation of the non-nil cases */
	for (int i = 0; i < n; i++) {
		cases[i].ok = false;
		if (cases[i].chan == NULL)
			continue;
		int j = (int)go__fastrandn((uint32_t)npoll + 1);
		pollorder[npoll] = pollorder[j];
		pollorder[j] = (uint16_t)i;
		npoll++;
	}
	/* pass 0: each case alone, in poll order, as a non-blocking send or
	 * receive: one lock for the case that is ready, none for those that
	 * cannot be (a ctx's done channel, in the usual loop).  Only if none
	 * is ready, pass 1 decides again with every channel locked. */
	for (int k = 0; k < npoll; k++) {
		go_case *cs = &cases[pollorder[k]];
		if (cs->dir == GO_CASE_RECV ?
		    chanrecv(cs->chan, cs->elem, false, &cs->ok, file, line) :
		    chansend(cs->chan, cs->elem, false, file, line)) {
			ret = pollorder[k];
			goto out;
		}
	}
	memcpy(lockorder, pollorder, (size_t)npoll * sizeof *lockorder);
	sort_lockorder(cases, lockorder, npoll);
	selstate st = { cases, lockorder, npoll, false };

	if (npoll == 0) {
		if (!block)
			goto out;
		if (deadline == 0) {
			go__park(NULL, NULL, "select (no cases)", file, line);
			go__fatal("unreachable: woke from an empty select");
		}
	}

	sellock(&st);
	/* pass 1: is any case ready? */
	for (int k = 0; k < npoll; k++) {
		int i = pollorder[k];
		go_case *cs = &cases[i];
		go_chan *c = cs->chan;
		sudog *s;
		if (cs->dir == GO_CASE_RECV) {
			if ((s = dequeue(&c->sendq)) != NULL) {
				recv_direct(c, s, cs->elem, selunlockf, &st);
				cs->ok = true;
			} else if (c->count > 0) {
				bufrecv(c, cs->elem);
				selunlock(&st);
				cs->ok = true;
			} else if (c->closed) {
				selunlock(&st);
				go__race_acquire(c);
				zero_elem(cs->elem, c->elem_size);
			} else {
				continue;
			}
		} else {
			if (c->closed) {
				selunlock(&st);
				panic_closed_send(file, line);
			}
			if ((s = dequeue(&c->recvq)) != NULL) {
				send_direct(c, s, cs->elem, selunlockf, &st);
			} else if (c->count < c->cap) {
				bufsend(c, cs->elem);
				selunlock(&st);
			} else {
				continue;
			}
		}
		ret = i;
		goto out;
	}
	if (!block) {
		selunlock(&st);
		goto out;
	}

	/* pass 2: queue on every channel and park */
	go__g *g = go__getg();
	st_relaxed(&g->select_done, 0);
	g->param = NULL;
	for (int k = 0; k < npoll; k++) {
		int i = lockorder[k];
		go_case *cs = &cases[i];
		sudog *s = &sgs[i];
		*s = (sudog){ .g = g, .elem = cs->elem, .c = cs->chan,
			.is_select = true };
		enqueue(cs->dir == GO_CASE_RECV ? &cs->chan->recvq
			: &cs->chan->sendq, s);
	}
	if (deadline) {
		tm = go__select_timer(g, deadline);
		st.timed = true;
	}
	park_on(selparkcommit, &st, npoll ? "select" : "select (no cases)",
		file, line);

	/* pass 3: dequeue from the channels that did not fire */
	if (tm)
		go__timer_stop(tm);
	sellock(&st);
	sudog *won = g->param;
	for (int k = 0; k < npoll; k++) {
		int i = lockorder[k];
		go_case *cs = &cases[i];
		sudog *s = &sgs[i];
		if (s == won) {
			ret = i;
			continue;
		}
		unlink_sudog(cs->dir == GO_CASE_RECV ? &cs->chan->recvq
			: &cs->chan->sendq, s);
	}
	selunlock(&st);
	if (ret < 0) {
		ret = GO_ETIMEDOUT;     /* woken by the deadline */
		goto out;
	}
	if (cases[ret].dir == GO_CASE_SEND && !won->success)
		panic_closed_send(file, line);
	cases[ret].ok = won->success;
	if (!won->success)
		zero_elem(cases[ret].elem, cases[ret].chan->elem_size);
out:
	free(heap);
	return ret;
}

static int ncases(size_t n, const char *file, int line)
{
	if (n > 65536)
		go__throw("panic", "select: more than 65536 cases", file, line);
	return (int)n;
}

int go_select_at(go_case *cases, size_t n, const char *file, int line)
{
	return selectgo(cases, ncases(n, file, line), true, 0, file, line);
}

int go_select_default(go_case *cases, size_t n)
{
	return selectgo(cases, ncases(n, NULL, 0), false, 0, NULL, 0);
}

int go_select_until(go_case *cases, size_t n, int64_t deadline)
{
	int nc = ncases(n, NULL, 0);
	if (deadline <= go_now()) {
		int r = selectgo(cases, nc, false, 0, NULL, 0);
		return r < 0 ? GO_ETIMEDOUT : r;
	}
	return selectgo(cases, nc, true, deadline, NULL, 0);
}

int go_send_until(go_chan *c, const void *elem, int64_t deadline)
{
	go_case cs = GO_SEND(c, elem);
	return go_select_until(&cs, 1, deadline) == 0 ? GO_OK : GO_ETIMEDOUT;
}

int go_recv_until(go_chan *c, void *elem, bool *ok, int64_t deadline)
{
	go_case cs = GO_RECV(c, elem);
	int r = go_select_until(&cs, 1, deadline);
	if (ok)
		*ok = r == 0 && cs.ok;
	return r == 0 ? GO_OK : GO_ETIMEDOUT;
}
