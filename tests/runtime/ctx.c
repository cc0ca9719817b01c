/*
 * ctx.c — context semantics, case by case, printing what Go's twin
 * (tests/runtime/go/ctx/main.go) prints; tests/runtime-ctx.t compares the
 * two.  Run: ctx CASE (all cases with none).  What Go cannot print (no
 * timer left in the runtime) is checked here and fails the exit status.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "go.h"

/* internal (time.c): the earliest armed timer over all Ps, 0: none */
int64_t go__timers_next(void);

static int status;

static const char *e(go_ctx *ctx)
{
	return go_strerror(go_ctx_err(ctx));
}

/* Is ctx's done channel closed (without blocking)? */
static bool done(go_ctx *ctx)
{
	go_case cs = GO_RECV(go_ctx_done(ctx), NULL);
	return go_select_default(&cs, 1) == 0;
}

static const char *tf(bool b)
{
	return b ? "true" : "false";
}

static void check(bool cond, const char *what)
{
	if (!cond) {
		fprintf(stderr, "ctx: %s\n", what);
		status = 1;
	}
}

static int key_a, key_b, key_c;

/* parent cancellation reaches children and grandchildren, through value
 * contexts; a child's cancel never reaches its parent or siblings */
static void propagate(void)
{
	go_ctx *parent = go_ctx_with_cancel(go_ctx_background());
	go_ctx *child = go_ctx_with_cancel(parent);
	go_ctx *sibling = go_ctx_with_cancel(parent);
	go_ctx *val = go_ctx_with_value(child, &key_a, "a");
	go_ctx *grandchild = go_ctx_with_timeout(val, GO_SECOND * 3600);

	go_ctx_cancel(child);
	printf("cancel(child): parent %s, sibling %s, child %s, grandchild %s\n",
		e(parent), e(sibling), e(child), e(grandchild));
	go_ctx *child2 = go_ctx_with_cancel(parent);
	go_ctx_cancel(parent);
	go_recv(go_ctx_done(sibling), NULL);
	go_recv(go_ctx_done(child2), NULL);
	printf("cancel(parent): parent %s, sibling %s, child2 %s\n",
		e(parent), e(sibling), e(child2));
	go_ctx *late = go_ctx_with_cancel(parent);
	printf("made after: %s, done %s\n", e(late), tf(done(late)));
	go_ctx_free(late);
	go_ctx_free(grandchild);
	go_ctx_free(val);
	go_ctx_free(child2);
	go_ctx_free(sibling);
	go_ctx_free(child);
	go_ctx_free(parent);
}

/* a parent freed first: its children are cancelled and still usable */
static void parentfirst(void)
{
	go_ctx *parent = go_ctx_with_value(go_ctx_background(), &key_a, "a");
	go_ctx *mid = go_ctx_with_cancel(parent);
	go_ctx *child = go_ctx_with_cancel(mid);

	go_ctx_cancel(mid);
	go_ctx_free(mid);
	go_ctx_free(parent);
	printf("child %s, value %s\n", e(child),
		(const char *)go_ctx_value(child, &key_a));
	go_ctx_free(child);
}

struct canceller {
	go_ctx *ctx;
	go_waitgroup *wg;
};

static void cancel_it(void *arg)
{
	struct canceller *c = arg;
	go_ctx_cancel(c->ctx);
	go_waitgroup_done(c->wg);
}

/* cancel twice, and from 8 goroutines at once: the first one counts */
static void idempotent(void)
{
	go_ctx *ctx = go_ctx_with_cancel(go_ctx_background());
	go_waitgroup wg = GO_WAITGROUP_INIT;
	struct canceller c = { ctx, &wg };

	go_waitgroup_add(&wg, 8);
	for (int i = 0; i < 8; i++)
		go_spawn(cancel_it, &c);
	go_waitgroup_wait(&wg);
	go_ctx_cancel(ctx);
	go_ctx_cancel(ctx);
	printf("after 10 cancels: %s\n", e(ctx));
	go_ctx_free(ctx);

	ctx = go_ctx_with_timeout(go_ctx_background(), GO_MILLISECOND);
	go_recv(go_ctx_done(ctx), NULL);
	go_ctx_cancel(ctx);
	printf("cancel after the deadline: %s\n", e(ctx));
	go_ctx_free(ctx);
}

/* Err is nil before Done, non-nil once Done has fired; Done is one channel */
static void errdone(void)
{
	go_ctx *ctx = go_ctx_with_cancel(go_ctx_background());
	go_ctx *bg = go_ctx_background();

	printf("before: err %s, done %s\n", e(ctx), tf(done(ctx)));
	printf("same done: %s\n", tf(go_ctx_done(ctx) == go_ctx_done(ctx)));
	printf("background: err %s, done nil %s, todo done nil %s\n", e(bg),
		tf(go_ctx_done(bg) == NULL), tf(go_ctx_done(go_ctx_todo()) == NULL));
	go_ctx_cancel(ctx);
	printf("after: err %s, done %s\n", e(ctx), tf(done(ctx)));
	go_ctx_free(ctx);

	/* Done asked for only after cancel: closed all the same */
	ctx = go_ctx_with_cancel(go_ctx_background());
	go_ctx_cancel(ctx);
	printf("done first asked after cancel: %s\n", tf(done(ctx)));
	go_ctx_free(ctx);
}

/* deadline = min(parent's, own); a deadline fires as DeadlineExceeded */
static void deadline(void)
{
	int64_t d = 0, pd = 0, now = go_now();
	go_ctx *bg = go_ctx_background();
	bool has;

	printf("background has deadline: %s\n", tf(go_ctx_deadline(bg, &d)));
	go_ctx *parent = go_ctx_with_deadline(bg, now + 150 * GO_MILLISECOND);
	go_ctx *later = go_ctx_with_timeout(parent, GO_SECOND * 3600);
	go_ctx *sooner = go_ctx_with_timeout(parent, 5 * GO_MILLISECOND);
	go_ctx *plain = go_ctx_with_cancel(parent);
	go_ctx *val = go_ctx_with_value(parent, &key_b, NULL);

	go_ctx_deadline(parent, &pd);
	printf("parent deadline as asked: %s\n", tf(pd == now + 150 * GO_MILLISECOND));
	has = go_ctx_deadline(later, &d);
	printf("later child: has %s, parent's %s\n", tf(has), tf(d == pd));
	has = go_ctx_deadline(sooner, &d);
	printf("sooner child: has %s, before parent's %s\n", tf(has), tf(d < pd));
	has = go_ctx_deadline(plain, &d);
	printf("cancel child: has %s, parent's %s\n", tf(has), tf(d == pd));
	has = go_ctx_deadline(val, &d);
	printf("value child: has %s, parent's %s\n", tf(has), tf(d == pd));
	go_recv(go_ctx_done(sooner), NULL);
	printf("sooner fired: %s; parent %s, later %s\n", e(sooner), e(parent),
		e(later));
	go_recv(go_ctx_done(later), NULL);
	printf("parent fired: parent %s, later %s, cancel child %s, value child %s\n",
		e(parent), e(later), e(plain), e(val));
	printf("not before the deadline: %s\n", tf(go_now() >= pd));
	go_ctx *past = go_ctx_with_deadline(bg, now - GO_SECOND);
	printf("past deadline: %s, done %s\n", e(past), tf(done(past)));
	go_ctx_free(past);
	go_ctx_free(val);
	go_ctx_free(plain);
	go_ctx_free(sooner);
	go_ctx_free(later);
	go_ctx_free(parent);
}

/* cancelling stops the timer: no timer or goroutine is left behind */
static void timers(void)
{
	int before = go_num_goroutine();
	go_ctx *ctx = go_ctx_with_timeout(go_ctx_background(), 100 * GO_MILLISECOND);
	go_ctx *child = go_ctx_with_timeout(ctx, 150 * GO_MILLISECOND);

	check(go__timers_next() != 0, "no timer armed by go_ctx_with_timeout");
	go_ctx_cancel(ctx);
	check(go__timers_next() == 0, "a timer is left after cancel");
	go_sleep(200 * GO_MILLISECOND);
	printf("after the deadline passed: %s, child %s\n", e(ctx), e(child));
	printf("goroutines as before: %s\n", tf(go_num_goroutine() == before));
	go_ctx_free(child);
	go_ctx_free(ctx);

	ctx = go_ctx_with_timeout(go_ctx_background(), GO_SECOND * 3600);
	go_ctx_free(ctx);
	check(go__timers_next() == 0, "a timer is left after free");
}

static const char *V(go_ctx *ctx, const void *key)
{
	const char *v = go_ctx_value(ctx, key);
	return v ? v : "<nil>";
}

/* Value looks up the chain; WithValue cancels nothing */
static void values(void)
{
	go_ctx *bg = go_ctx_background();
	go_ctx *a = go_ctx_with_value(bg, &key_a, "a1");
	go_ctx *c = go_ctx_with_cancel(a);
	go_ctx *b = go_ctx_with_value(c, &key_b, "b1");
	go_ctx *a2 = go_ctx_with_value(b, &key_a, "a2");
	printf("a2: a=%s b=%s c=%s\n", V(a2, &key_a), V(a2, &key_b), V(a2, &key_c));
	printf("b: a=%s b=%s\n", V(b, &key_a), V(b, &key_b));
	printf("c: a=%s b=%s\n", V(c, &key_a), V(c, &key_b));
	printf("value under background: done nil %s, err %s\n",
		tf(go_ctx_done(a) == NULL), e(a));
	printf("value's done is its parent's: %s, err %s\n",
		tf(go_ctx_done(b) == go_ctx_done(c)), e(b));
	go_ctx_free(a2);
	printf("after freeing a value child: parent %s\n", e(c));
	go_ctx_cancel(c);
	printf("parent cancelled: value child %s, done %s\n", e(b), tf(done(b)));
	go_ctx_free(b);
	go_ctx_free(c);
	go_ctx_free(a);
}

struct pub {
	go_ctx *ctx;
	int data;
};

static void publish(void *arg)
{
	struct pub *p = arg;
	p->data = 42;
	go_ctx_cancel(p->ctx);
}

/* what was written before cancel is seen after Done (TSan: no race) */
static void visible(void)
{
	struct pub p = { go_ctx_with_cancel(go_ctx_background()), 0 };
	go_chan *d = go_ctx_done(p.ctx);

	go_spawn(publish, &p);
	go_recv(d, NULL);
	printf("seen after done: %d\n", p.data);
	p.data = 0;
	go_ctx_free(p.ctx);

	p.ctx = go_ctx_with_cancel(go_ctx_background());
	go_spawn(publish, &p);
	while (go_ctx_err(p.ctx) == GO_OK)
		go_yield();
	printf("seen after err: %d\n", p.data);
	go_ctx_free(p.ctx);
}

/* the blocking calls with a ctx, and the select written out */
static void forms(void)
{
	go_ctx *ctx = go_ctx_with_timeout(go_ctx_background(), 100 * GO_MILLISECOND);
	go_chan *c = go_chan_make(sizeof(int), 1);
	int v = 7, r;
	bool ok;

	printf("send: %s\n", go_strerror(go_send_ctx(ctx, c, &v)));
	v = 0;
	r = go_recv_ctx(ctx, c, &v, &ok);
	printf("recv: %s %d %s\n", go_strerror(r), v, tf(ok));
	r = go_recv_ctx(ctx, c, &v, &ok);
	printf("recv when nothing comes: %s\n", go_strerror(r));
	go_ctx_free(ctx);

	ctx = go_ctx_with_cancel(go_ctx_background());
	go_ctx_cancel(ctx);
	go_case cs[] = { GO_RECV(c, &v), GO_RECV(NULL, NULL) };
	r = go_select_ctx(ctx, cs, 2);
	printf("select on a cancelled ctx: %s\n", go_strerror(r));
	go_ctx_free(ctx);

	ctx = go_ctx_with_timeout(go_ctx_background(), 5 * GO_MILLISECOND);
	int64_t t0 = go_now();
	r = go_sleep_ctx(ctx, GO_SECOND);
	printf("sleep cut short: %s %s\n", go_strerror(r),
		tf(go_now() - t0 < GO_SECOND / 2));
	go_ctx_free(ctx);
	ctx = go_ctx_with_cancel(go_ctx_background());
	printf("sleep in full: %s\n", go_strerror(go_sleep_ctx(ctx, GO_MILLISECOND)));
	go_ctx_free(ctx);

	/* the select a Go programmer writes */
	ctx = go_ctx_with_timeout(go_ctx_background(), 5 * GO_MILLISECOND);
	go_case sel[] = { GO_RECV(c, &v), GO_RECV(go_ctx_done(ctx), NULL) };
	if (go_select(sel, 2) == 1)
		printf("select: %s\n", e(ctx));
	go_ctx_free(ctx);
	go_chan_free(c);
}

/* many goroutines make, cancel and free subtrees of one parent while its
 * deadline fires: every one ends, each context with the right err */
#define TREE_G 16
#define TREE_N 200

struct tree {
	go_ctx *root;
	go_waitgroup wg;
	go_atomic_int64 canceled, deadline;
};

static void tree_worker(void *arg)
{
	struct tree *t = arg;

	for (int i = 0; i < TREE_N; i++) {
		go_ctx *a = go_ctx_with_cancel(t->root);
		go_ctx *b = go_ctx_with_value(a, &key_a, NULL);
		go_ctx *c = go_ctx_with_timeout(b, (i % 7) * GO_MICROSECOND * 50);
		if (i % 3 == 0)
			go_ctx_cancel(a);
		go_recv(go_ctx_done(c), NULL);
		if (go_ctx_err(c) == GO_EDEADLINE)
			go_atomic_int64_add(&t->deadline, 1);
		else if (go_ctx_err(c) == GO_ECANCELED)
			go_atomic_int64_add(&t->canceled, 1);
		if (i % 2)
			go_ctx_free(a);     /* parents first, half the time */
		go_ctx_free(c);
		go_ctx_free(b);
		if (i % 2 == 0)
			go_ctx_free(a);
	}
	go_waitgroup_done(&t->wg);
}

static void tree(void)
{
	struct tree t = { .wg = GO_WAITGROUP_INIT };

	t.root = go_ctx_with_timeout(go_ctx_background(), 20 * GO_MILLISECOND);
	go_waitgroup_add(&t.wg, TREE_G);
	for (int g = 0; g < TREE_G; g++)
		go_spawn(tree_worker, &t);
	go_waitgroup_wait(&t.wg);
	printf("all ended: %d contexts, each canceled or deadline exceeded %s\n",
		TREE_G * TREE_N, tf(go_atomic_int64_load(&t.canceled) +
			go_atomic_int64_load(&t.deadline) == TREE_G * TREE_N));
	go_ctx_free(t.root);
	check(go__timers_next() == 0, "a timer is left after the tree");
}

/* lostcancel (C only): a context never cancelled is reported at exit */
static void lost(void)
{
	go_ctx *ctx = go_ctx_with_timeout(go_ctx_background(), GO_SECOND); /* @lost */
	go_ctx *ok = go_ctx_with_cancel(go_ctx_background());

	(void)ctx;
	go_ctx_free(ok);
	for (int i = 0; i < 1000; i++)
		go_ctx_with_cancel(go_ctx_background()); /* @lostloop */
	printf("exit without cancel\n");
}

/* cancelled but never freed (C only): a plain memory leak, which LSan and
 * valgrind report at the line that made it */
static void leakfree(void)
{
	go_ctx *ctx = go_ctx_with_cancel(go_ctx_background()); /* @leakfree */

	go_ctx_cancel(ctx);
	ctx = NULL;
}

/* misuse is a panic at the line (C only) */
static void cancelvalue(void)
{
	go_ctx *v = go_ctx_with_value(go_ctx_background(), &key_a, NULL);
	go_ctx_cancel(v); /* @cancelvalue */
}

static void nilparent(void)
{
	go_ctx_with_cancel(NULL); /* @nilparent */
}

static void doublefree(void)
{
	go_ctx *parent = go_ctx_with_cancel(go_ctx_background());
	go_ctx *child = go_ctx_with_cancel(parent);

	go_ctx_free(parent);
	go_ctx_free(parent); /* @doublefree */
	go_ctx_free(child);
}

/* all: the cases with a Go twin, run when no case is named */
static const struct {
	const char *name;
	void (*fn)(void);
	bool all;
} cases[] = {
	{ "propagate", propagate, true },
	{ "parentfirst", parentfirst, true },
	{ "idempotent", idempotent, true },
	{ "errdone", errdone, true },
	{ "deadline", deadline, true },
	{ "timers", timers, true },
	{ "values", values, true },
	{ "visible", visible, true },
	{ "forms", forms, true },
	{ "tree", tree, true },
	{ "lost", lost, false },
	{ "leakfree", leakfree, false },
	{ "cancelvalue", cancelvalue, false },
	{ "nilparent", nilparent, false },
	{ "doublefree", doublefree, false },
};

int go_main(int argc, char **argv)
{
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		if (argc > 1 ? strcmp(argv[1], cases[i].name) == 0 : cases[i].all) {
			if (argc == 1)
				printf("== %s\n", cases[i].name);
			cases[i].fn();
		}
	}
	return status;
}
