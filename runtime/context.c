/*
 * context.c — Go's context package: cancellation, deadlines and values
 * carried down a tree of contexts (Go's context/context.go).
 *
 * Data model
 *   A go_ctx is one of four kinds: the two static roots (background, TODO),
 *   a cancel context (go_ctx_with_cancel, _deadline, _timeout: Go's
 *   cancelCtx and timerCtx in one struct) or a value context (Go's
 *   valueCtx, allocated without the cancel part).  Each points to its
 *   parent, to canc (the nearest cancel context at or above it, NULL under
 *   a root: Go's parentCancelCtx, found once at creation) and holds its
 *   effective deadline (the earlier of its own and its parent's, 0: none).
 *   parent, canc, deadline, key and val never change after creation, so
 *   Value and Deadline read them without a lock.
 *
 *   A cancel context's mu guards its children (the cancel contexts
 *   registered with it: a list through sib_next/sib_prev, each child's
 *   in_parent flag guarded by the parent's mu) and the first cancel: err
 *   goes from 0 to GO_ECANCELED or GO_EDEADLINE once, then done (made
 *   lazily by go_ctx_done, or the shared closed channel if cancel came
 *   first) is closed, the children are cancelled with the same err (mu
 *   nests parent before child, never the other way), and the timer is
 *   stopped.  err is stored before done is closed and read with acquire, so
 *   whoever sees either sees everything the canceller wrote before.
 *
 *   Memory: refs counts the owner (until go_ctx_free) and each child (a
 *   child keeps its parent for Value, Deadline and removal from the
 *   parent's list).  The last unref frees the context and unrefs its
 *   parent.  The owner's free cancels first, which takes the context out of
 *   its parent's list, so a listed child is always alive.  go_ctx_cancel
 *   holds a reference while it runs: the owner may free the context as soon
 *   as it sees it cancelled, while the canceller is still finishing.  The deadline
 *   timer is the runtime's own go__timer: its function runs on g0, cancels,
 *   and takes no reference; the free waits out a run in flight.
 *
 *   lostcancel: cancel contexts whose go_ctx_cancel or go_ctx_free was
 *   never called are on a global list (lost), reported at exit with the
 *   line that made them.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "san.h"

enum ctx_kind { CTX_BACKGROUND, CTX_TODO, CTX_VALUE, CTX_CANCEL };

struct go_ctx {
	int kind;
	uint32_t refs;              /* atomic: owner + children */
	uint32_t freed;             /* go_ctx_free was called, atomic */
	go_ctx *parent;
	go_ctx *canc;               /* nearest cancel context, NULL under a root */
	int64_t deadline;           /* 0: none */
	const void *key;            /* CTX_VALUE */
	const void *val;
};

/* A cancel context: a go_ctx and what only cancel contexts have. */
typedef struct cancel_ctx {
	go_ctx ctx;
	go__lock mu;
	int32_t err;                /* atomic: 0, then GO_ECANCELED/GO_EDEADLINE */
	go_chan *done;              /* atomic, made lazily */
	go_ctx *children;           /* registered with this one (mu) */
	go_ctx *sib_next, *sib_prev;    /* in canc of parent's list */
	bool in_parent;             /* guarded by the parent's mu */
	bool has_timer;
	uint32_t owner_done;        /* go_ctx_cancel or _free called, atomic */
	go__timer timer;
	const char *what, *file;    /* who made it, for lostcancel */
	int line;
	go_ctx *lost_next, *lost_prev;  /* on the lost list until owner_done */
} cancel_ctx;

/* x->kind == CTX_CANCEL */
#define CC(x) ((cancel_ctx *)(x))

static go_ctx background = { .kind = CTX_BACKGROUND };
static go_ctx todo = { .kind = CTX_TODO };

static go_chan *closedchan;     /* atomic: done of contexts cancelled unseen */

static go__lock lost_lock;
static go_ctx *lost_head, *lost_tail;
static pthread_once_t lost_once = PTHREAD_ONCE_INIT;

go_ctx *go_ctx_background(void)
{
	return &background;
}

go_ctx *go_ctx_todo(void)
{
	return &todo;
}

const char *go_strerror(int err)
{
	switch (err) {
	case GO_OK:
		return "<nil>";
	case GO_ECANCELED:
		return "context canceled";
	case GO_EDEADLINE:
		return "context deadline exceeded";
	case GO_ETIMEDOUT:
		return "i/o timeout";
	default:
		return "unknown error";
	}
}

/* --- lostcancel ----------------------------------------------------------- */

/* At exit: one line per site that made lost contexts (the first
 * LOST_SITES of them; a loop may have made thousands), with a count. */
#define LOST_SITES 10

static void lost_report(void)
{
	struct { cancel_ctx *x; long n; } site[LOST_SITES];
	int nsite = 0;
	long more = 0;

	go__lock_acquire(&lost_lock);
	for (go_ctx *x = lost_head; x; x = CC(x)->lost_next) {
		int i = 0;
		while (i < nsite && (site[i].x->line != CC(x)->line ||
		       strcmp(site[i].x->file, CC(x)->file) != 0))
			i++;
		if (i < nsite) {
			site[i].n++;
		} else if (nsite < LOST_SITES) {
			site[nsite].x = CC(x);
			site[nsite++].n = 1;
		} else {
			more++;
		}
	}
	go__lock_release(&lost_lock);
	for (int i = 0; i < nsite; i++) {
		if (site[i].n == 1)
			fprintf(stderr, "%s:%d: the context made by %s here was "
				"never cancelled: call go_ctx_free(ctx) when done "
				"with it (Go's defer cancel()) to avoid a context "
				"leak (lostcancel)\n", site[i].x->file,
				site[i].x->line, site[i].x->what);
		else
			fprintf(stderr, "%s:%d: %ld contexts made by %s here were "
				"never cancelled: call go_ctx_free(ctx) when done "
				"with each (Go's defer cancel()) to avoid a context "
				"leak (lostcancel)\n", site[i].x->file,
				site[i].x->line, site[i].n, site[i].x->what);
	}
	if (more)
		fprintf(stderr, "and %ld more contexts never cancelled, made "
			"elsewhere (lostcancel)\n", more);
}

static void lost_init(void)
{
	atexit(lost_report);
}

static void lost_add(go_ctx *x)
{
	pthread_once(&lost_once, lost_init);
	go__lock_acquire(&lost_lock);
	CC(x)->lost_prev = lost_tail;
	if (lost_tail)
		CC(lost_tail)->lost_next = x;
	else
		lost_head = x;
	lost_tail = x;
	go__lock_release(&lost_lock);
}

/* The owner called cancel or free: not lost. */
static void owner_done(go_ctx *x)
{
	if (xchg(&CC(x)->owner_done, 1))
		return;
	go__lock_acquire(&lost_lock);
	if (CC(x)->lost_prev)
		CC(CC(x)->lost_prev)->lost_next = CC(x)->lost_next;
	else
		lost_head = CC(x)->lost_next;
	if (CC(x)->lost_next)
		CC(CC(x)->lost_next)->lost_prev = CC(x)->lost_prev;
	else
		lost_tail = CC(x)->lost_prev;
	go__lock_release(&lost_lock);
}

/* --- cancel (Go's cancelCtx.cancel, propagateCancel, removeChild) -------- */

static go_chan *closed_chan(void)
{
	go_chan *c = ld_acquire(&closedchan), *none = NULL;

	if (c)
		return c;
	c = go_chan_make(0, 0);
	if (c == NULL)
		go__fatal("out of memory making a context's done channel");
	go_close_at(c, __FILE__, __LINE__);
	if (!cas(&closedchan, &none, c)) {
		go_chan_free(c);
		c = none;
	}
	return c;
}

/* Take x out of its parent's list, if it is still there. */
static void remove_child(go_ctx *x)
{
	go_ctx *p = x->parent->canc;

	if (p == NULL)
		return;
	go__lock_acquire(&CC(p)->mu);
	if (CC(x)->in_parent) {
		if (CC(x)->sib_prev)
			CC(CC(x)->sib_prev)->sib_next = CC(x)->sib_next;
		else
			CC(p)->children = CC(x)->sib_next;
		if (CC(x)->sib_next)
			CC(CC(x)->sib_next)->sib_prev = CC(x)->sib_prev;
		CC(x)->in_parent = false;
	}
	go__lock_release(&CC(p)->mu);
}

/* The first cancel of x sets err, closes done, cancels the children and
 * stops the timer; later ones do nothing.  remove: also leave the parent's
 * list (not when the parent is the one cancelling). */
static void ctx_cancel(go_ctx *x, bool remove, int err)
{
	cancel_ctx *c = CC(x);

	go__lock_acquire(&c->mu);
	if (c->err != 0) {
		go__lock_release(&c->mu);
		return;
	}
	go__race_release(x);    /* before whoever sees it cancelled */
	st_release(&c->err, err);
	if (c->done)
		go_close_at(c->done, __FILE__, __LINE__);
	else
		st_release(&c->done, closed_chan());
	for (go_ctx *child = c->children, *next; child; child = next) {
		next = CC(child)->sib_next;   /* child may go once cancelled */
		CC(child)->in_parent = false;
		ctx_cancel(child, false, err);
	}
	c->children = NULL;
	if (c->has_timer)
		go__timer_stop(&c->timer);
	go__lock_release(&c->mu);
	if (remove)
		remove_child(x);
}

/* Register x with the nearest cancel context above it, or cancel it now if
 * that one is cancelled already (Go's propagateCancel). */
static void propagate_cancel(go_ctx *x)
{
	go_ctx *p = x->parent->canc;
	int err;

	if (p == NULL)
		return;     /* under a root: only its own cancel */
	go__lock_acquire(&CC(p)->mu);
	err = CC(p)->err;
	if (err == 0) {
		CC(x)->sib_prev = NULL;
		CC(x)->sib_next = CC(p)->children;
		if (CC(p)->children)
			CC(CC(p)->children)->sib_prev = x;
		CC(p)->children = x;
		CC(x)->in_parent = true;
	}
	go__lock_release(&CC(p)->mu);
	if (err != 0)
		ctx_cancel(x, false, err);
}

/* The deadline timer's function, on g0: cancel, and nothing else. */
static void deadline_fired(void *arg, int64_t now)
{
	(void)now;
	ctx_cancel(arg, true, GO_EDEADLINE);
}

/* --- make and free ------------------------------------------------------- */

static go_ctx *ctx_new(go_ctx *parent, int kind, const char *file, int line)
{
	size_t size = kind == CTX_CANCEL ? sizeof(cancel_ctx) : sizeof(go_ctx);
	go_ctx *x;

	if (parent == NULL)
		go__throw("panic", "cannot create context from nil parent",
			file, line);
	x = calloc(1, size);
	if (x == NULL)
		return NULL;
	x->kind = kind;
	x->refs = 1;
	x->parent = parent;
	x->canc = kind == CTX_CANCEL ? x : parent->canc;
	x->deadline = parent->deadline;
	if (parent->kind != CTX_BACKGROUND && parent->kind != CTX_TODO)
		xadd(&parent->refs, 1);
	return x;
}

static go_ctx *cancel_new(go_ctx *parent, const char *what,
	const char *file, int line)
{
	go_ctx *x = ctx_new(parent, CTX_CANCEL, file, line);

	if (x == NULL)
		return NULL;
	CC(x)->what = what;
	CC(x)->file = file;
	CC(x)->line = line;
	lost_add(x);
	return x;
}

static go_ctx *with_cancel(go_ctx *parent, const char *what,
	const char *file, int line)
{
	go_ctx *x = cancel_new(parent, what, file, line);

	if (x)
		propagate_cancel(x);
	return x;
}

go_ctx *go_ctx_with_cancel_at(go_ctx *parent, const char *file, int line)
{
	return with_cancel(parent, "go_ctx_with_cancel", file, line);
}

/* Go's WithDeadline. */
static go_ctx *with_deadline(go_ctx *parent, int64_t deadline,
	const char *what, const char *file, int line)
{
	go_ctx *x;

	if (parent && parent->deadline != 0 && parent->deadline < deadline)
		return with_cancel(parent, what, file, line);   /* sooner */
	x = cancel_new(parent, what, file, line);
	if (x == NULL)
		return NULL;
	x->deadline = deadline;
	propagate_cancel(x);
	if (deadline <= go_now()) {
		ctx_cancel(x, true, GO_EDEADLINE);
		return x;
	}
	go__lock_acquire(&CC(x)->mu);
	if (CC(x)->err == 0) {
		CC(x)->timer.f = deadline_fired;
		CC(x)->timer.arg = x;
		CC(x)->has_timer = true;
		go__timer_start(&CC(x)->timer, deadline);
	}
	go__lock_release(&CC(x)->mu);
	return x;
}

go_ctx *go_ctx_with_deadline_at(go_ctx *parent, int64_t deadline,
	const char *file, int line)
{
	return with_deadline(parent, deadline, "go_ctx_with_deadline",
		file, line);
}

go_ctx *go_ctx_with_timeout_at(go_ctx *parent, int64_t timeout,
	const char *file, int line)
{
	return with_deadline(parent, go_now() + timeout, "go_ctx_with_timeout",
		file, line);
}

go_ctx *go_ctx_with_value_at(go_ctx *parent, const void *key, const void *val,
	const char *file, int line)
{
	go_ctx *x;

	if (key == NULL)
		go__throw("panic", "nil key", file, line);
	x = ctx_new(parent, CTX_VALUE, file, line);
	if (x == NULL)
		return NULL;
	x->key = key;
	x->val = val;
	return x;
}

/* Drop a reference; the last one frees x and drops x's on its parent. */
static void ctx_unref(go_ctx *x)
{
	while (x->kind != CTX_BACKGROUND && x->kind != CTX_TODO &&
	       xadd(&x->refs, -1u) == 0) {
		go_ctx *parent = x->parent;
		if (x->kind == CTX_CANCEL) {
			if (CC(x)->has_timer) {
				go__timer_stop(&CC(x)->timer);
				while (ld_acquire(&CC(x)->timer.running))
					go__cpu_relax();
			}
			if (CC(x)->done != ld_acquire(&closedchan))
				go_chan_free(CC(x)->done);
		}
		free(x);
		x = parent;
	}
}

void go_ctx_cancel_at(go_ctx *ctx, const char *file, int line)
{
	if (ctx == NULL || ctx->kind != CTX_CANCEL)
		go__throw("panic", ctx == NULL ? "go_ctx_cancel of a nil context"
			: "go_ctx_cancel of a context that has no cancel "
			  "(background, TODO or go_ctx_with_value)", file, line);
	xadd(&ctx->refs, 1);    /* the owner may free it once err is set */
	owner_done(ctx);
	ctx_cancel(ctx, true, GO_ECANCELED);
	ctx_unref(ctx);
}

void go_ctx_free_at(go_ctx *ctx, const char *file, int line)
{
	if (ctx == NULL || ctx->kind == CTX_BACKGROUND || ctx->kind == CTX_TODO)
		return;
	if (xchg(&ctx->freed, 1))
		go__throw("panic", "go_ctx_free of a context freed already",
			file, line);
	if (ctx->kind == CTX_CANCEL) {
		owner_done(ctx);
		ctx_cancel(ctx, true, GO_ECANCELED);
	}
	ctx_unref(ctx);
}

/* --- Done, Err, Deadline, Value ------------------------------------------ */

go_chan *go_ctx_done(go_ctx *ctx)
{
	go_ctx *x = ctx->canc;
	go_chan *d;

	if (x == NULL)
		return NULL;
	d = ld_acquire(&CC(x)->done);
	if (d) {
		if (ld_acquire(&CC(x)->err) != 0)
			go__race_acquire(x);    /* maybe the shared closed channel */
		return d;
	}
	go__lock_acquire(&CC(x)->mu);
	d = CC(x)->done;
	if (d == NULL) {
		d = go_chan_make(0, 0);   /* not cancelled: else done is set */
		if (d == NULL)
			go__fatal("out of memory making a context's done channel");
		st_release(&CC(x)->done, d);
	}
	go__lock_release(&CC(x)->mu);
	return d;
}

int go_ctx_err(go_ctx *ctx)
{
	int err = ctx->canc ? ld_acquire(&CC(ctx->canc)->err) : GO_OK;

	if (err != GO_OK)
		go__race_acquire(ctx->canc);
	return err;
}

bool go_ctx_deadline(go_ctx *ctx, int64_t *deadline)
{
	if (ctx->deadline == 0)
		return false;
	if (deadline)
		*deadline = ctx->deadline;
	return true;
}

void *go_ctx_value(go_ctx *ctx, const void *key)
{
	for (go_ctx *x = ctx; x; x = x->parent)
		if (x->kind == CTX_VALUE && x->key == key)
			return (void *)(uintptr_t)x->val;
	return NULL;
}

/* --- the blocking calls, with a ctx -------------------------------------- */

#define SMALL 8

int go_select_ctx_at(go_ctx *ctx, go_case *cases, size_t n,
	const char *file, int line)
{
	go_case small[SMALL + 1], *cs = small;
	int r;

	if (n >= SMALL + 1) {
		if (n > 65535)
			go__throw("panic", "select: more than 65536 cases",
				file, line);
		cs = malloc((n + 1) * sizeof *cs);
		if (cs == NULL)
			go__fatal("out of memory in select");
	}
	if (n)
		memcpy(cs, cases, n * sizeof *cs);
	cs[n] = GO_RECV(go_ctx_done(ctx), NULL);
	r = go_select_at(cs, n + 1, file, line);
	for (size_t i = 0; i < n; i++)
		cases[i].ok = cs[i].ok;
	if (cs != small)
		free(cs);
	return r == (int)n ? go_ctx_err(ctx) : r;
}

int go_send_ctx_at(go_ctx *ctx, go_chan *c, const void *elem,
	const char *file, int line)
{
	go_case cs[2] = { GO_SEND(c, elem), GO_RECV(go_ctx_done(ctx), NULL) };

	return go_select_at(cs, 2, file, line) == 0 ? GO_OK : go_ctx_err(ctx);
}

int go_recv_ctx_at(go_ctx *ctx, go_chan *c, void *elem, bool *ok,
	const char *file, int line)
{
	go_case cs[2] = { GO_RECV(c, elem), GO_RECV(go_ctx_done(ctx), NULL) };
	int r = go_select_at(cs, 2, file, line);

	if (ok)
		*ok = r == 0 && cs[0].ok;
	return r == 0 ? GO_OK : go_ctx_err(ctx);
}

int go_sleep_ctx_at(go_ctx *ctx, int64_t d, const char *file, int line)
{
	go_chan *done = go_ctx_done(ctx), *t;
	int r;

	if (done == NULL || d <= 0) {
		go_sleep_at(d, file, line);
		return done ? go_ctx_err(ctx) : GO_OK;
	}
	t = go_after(d);
	if (t == NULL)
		go__fatal("out of memory making a timer");
	go_case cs[2] = { GO_RECV(t, NULL), GO_RECV(done, NULL) };
	r = go_select_at(cs, 2, file, line);
	go_chan_free(t);        /* stops the timer if it has not fired */
	return r == 0 ? GO_OK : go_ctx_err(ctx);
}
