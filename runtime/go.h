/*
 * go.h — chanlab's Go-style runtime: goroutines scheduled M:N over threads,
 * channels, select, sync and timers.  One header, one prefix: go_.
 *
 * A program defines go_main() instead of main(); the runtime's main() starts
 * the scheduler and runs go_main as goroutine 1.  When go_main returns, the
 * program exits with its return value, whatever other goroutines are doing.
 *
 *     int go_main(int argc, char **argv) {
 *         go_chan *c = go_chan_make(sizeof(int), 0);
 *         go_spawn(worker, c);
 *         int v;
 *         go_recv(c, &v);
 *         go_chan_free(c);
 *         return 0;
 *     }
 *
 * Blocking: every call marked "Blocks" may park the calling goroutine (never
 * the thread).  Calls that may block have a deadline form (_until, taking an
 * absolute go_now() time) that returns GO_ETIMEDOUT when the deadline passes;
 * the channel calls also a context form (_ctx, see "context" below).
 *
 * Errors Go calls panics or fatal errors (send on a closed channel, unlock of
 * an unlocked mutex, ...) print Go's message and the goroutine's call stack
 * (file:line frames), and exit with status 2; so does a crash (a NULL
 * dereference is "panic: runtime error: invalid memory address or nil
 * pointer dereference"), except under a sanitizer, which reports it.
 *
 * Several calls are macros that record the caller's file and line, so the
 * deadlock report can say where each goroutine blocked and was created.
 */
#ifndef GO_H
#define GO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Result codes of the _until forms. */
#define GO_OK 0
#define GO_ETIMEDOUT (-110)

/* Durations and times are int64_t nanoseconds, like Go's time.Duration. */
#define GO_NANOSECOND ((int64_t)1)
#define GO_MICROSECOND ((int64_t)1000)
#define GO_MILLISECOND ((int64_t)1000000)
#define GO_SECOND ((int64_t)1000000000)

/* --- the program -------------------------------------------------------- */

/* Defined by the program; runs as goroutine 1.  Its return value is the exit
 * status.  Leave main() to the runtime (or call go_run from your own). */
int go_main(int argc, char **argv);

/* Start the runtime from a main() of your own: runs entry(argc, argv) as
 * goroutine 1 and exits the process with its result.  Never returns. */
void go_run(int (*entry)(int, char **), int argc, char **argv)
	__attribute__((noreturn));

/* Start fn(arg) as a new goroutine (Go's `go fn(arg)`).  Never blocks. */
void go_spawn_at(void (*fn)(void *), void *arg, const char *file, int line);
#define go_spawn(fn, arg) go_spawn_at((fn), (arg), __FILE__, __LINE__)

/* Let other goroutines run (runtime.Gosched).  The caller stays runnable. */
void go_yield(void);

/* Set the number of Ps (threads running goroutines at once) and return the
 * previous value; n < 1 only queries.  The start value comes from the
 * GOMAXPROCS environment variable, else the number of online CPUs. */
int go_gomaxprocs(int n);

/* Pin the calling goroutine to its P (Go's runtime_procPin, as sync.Pool
 * uses it) and return the P's id, 0 to go_gomaxprocs(0) - 1: until the
 * matching go_proc_unpin nothing preempts the goroutine, so no other
 * goroutine runs on this P meanwhile, and data kept per P needs no lock
 * against the goroutines of the same P. Pins nest. Between the two calls
 * the goroutine must not block (channels, locks, sleeps, system calls):
 * keep it to a few loads and stores. */
int go_proc_pin_at(const char *file, int line);
void go_proc_unpin(void);
#define go_proc_pin() go_proc_pin_at(__FILE__, __LINE__)

/* The calling goroutine's id (1 for go_main) and the number of goroutines
 * that exist (runtime.NumGoroutine). */
uint64_t go_id(void);
int go_num_goroutine(void);

/* Exit the whole program now with status (os.Exit).  Never returns. */
void go_exit(int status) __attribute__((noreturn));

/* Print "panic: <msg>", the calling goroutine at the caller's line with its
 * frames, and exit with status 2. */
void go_panic_at(const char *msg, const char *file, int line)
	__attribute__((noreturn));
void go_panic(const char *msg) __attribute__((noreturn));
#define go_panic(msg) go_panic_at((msg), __FILE__, __LINE__)

/* Print every goroutine on stderr: id, state, where it blocked, its frames
 * (file:line, innermost first) and where it was created, as the deadlock
 * report and SIGQUIT do.  Blocks briefly (asks running goroutines where
 * they are). */
void go_dump(void);

/* --- goroutine leaks (uber-go/goleak, built in) --------------------------
 * go_leakcheck: are goroutines other than the caller still alive?  It
 * retries with backoff (1 us doubling to 100 ms, 20 tries, about 0.6 s at
 * most) so goroutines about to exit are not reported; if some remain it
 * prints "found unexpected goroutines:" and each one's dump on stderr and
 * returns how many.  Blocks (sleeps between tries).  When nothing leaked
 * it returns 0 at once.  One goroutine at a time may call it.
 *
 * The harness calls it after every test case and the runtime when go_main
 * returns (a leak then makes exit status 0 into 2), when the environment
 * variable CHANLAB_LEAKCHECK is 1; chanlab sets it for every graded run
 * and an exercise may set it to 0 (the last CHANLAB_LEAKCHECK= in the
 * environment wins).
 *
 * Ignoring goroutines (goleak's IgnoreTopFunction and IgnoreCreatedBy):
 * by function (a function name: a goroutine any of whose frames, or whose
 * start function, is that function) or by creation site ("file.c" or
 * "file.c:42", matched on the file's base name).  The environment variable
 * CHANLAB_LEAKCHECK_IGNORE adds a comma-separated list of both (an entry
 * with a '.' is a site).  Neither blocks. */
int go_leakcheck(void);
bool go_leakcheck_enabled(void);
void go_leakcheck_ignore_function(const char *name);
void go_leakcheck_ignore_created(const char *site);

/* --- channels ----------------------------------------------------------- */

typedef struct go_chan go_chan;

/* A channel of elements of elem_size bytes with room for cap of them
 * (cap 0: unbuffered, every send waits for its receiver).  Owned by the
 * caller; returns NULL only if memory is exhausted. */
go_chan *go_chan_make(size_t elem_size, size_t cap);

/* Free a channel no goroutine uses any more (NULL is fine).  If the channel
 * came from a timer (go_after), the timer is stopped first. */
void go_chan_free(go_chan *c);

/* Send *elem (Go's c <- v).  Blocks until a receiver takes it or there is
 * room in the buffer; blocks forever on a NULL channel.  Sending on a closed
 * channel is a fatal error. */
void go_send_at(go_chan *c, const void *elem, const char *file, int line);
#define go_send(c, elem) go_send_at((c), (elem), __FILE__, __LINE__)

/* Receive into *elem (NULL discards it) (Go's v := <-c).  Blocks until a
 * value is there; blocks forever on a NULL channel.  From a closed and
 * drained channel it receives a zeroed element at once. */
void go_recv_at(go_chan *c, void *elem, const char *file, int line);
#define go_recv(c, elem) go_recv_at((c), (elem), __FILE__, __LINE__)

/* As go_recv; returns false when the channel is closed and drained
 * (Go's v, ok := <-c).  Blocks. */
bool go_recv2_at(go_chan *c, void *elem, const char *file, int line);
#define go_recv2(c, elem) go_recv2_at((c), (elem), __FILE__, __LINE__)

/* Deadline forms: block at most until go_now() >= deadline.  Return GO_OK,
 * or GO_ETIMEDOUT with nothing sent or received.  go_recv_until stores the
 * ok flag in *ok when ok is not NULL. */
int go_send_until(go_chan *c, const void *elem, int64_t deadline);
int go_recv_until(go_chan *c, void *elem, bool *ok, int64_t deadline);

/* Non-blocking forms (a select with one case and a default): true if the
 * element was sent / a value (or the closed state) was received.  Never
 * block. */
bool go_try_send(go_chan *c, const void *elem);
bool go_try_recv(go_chan *c, void *elem, bool *ok);

/* Close the channel: receivers drain the buffer, then get zero values.
 * Closing a closed or NULL channel is a fatal error.  Never blocks. */
void go_close_at(go_chan *c, const char *file, int line);
#define go_close(c) go_close_at((c), __FILE__, __LINE__)

/* Number of buffered elements and the capacity (len(c), cap(c)). */
size_t go_chan_len(go_chan *c);
size_t go_chan_cap(go_chan *c);

/* --- select ------------------------------------------------------------- */

enum { GO_CASE_RECV = 1, GO_CASE_SEND = 2 };

/* One case of a select.  A case with a NULL chan is never ready (Go's nil
 * channel).  After a receive case fires, ok tells if it got a value. */
typedef struct go_case {
	go_chan *chan;
	void *elem;   /* where a receive stores (may be NULL), what a send sends */
	int dir;      /* GO_CASE_RECV or GO_CASE_SEND */
	bool ok;
} go_case;

#define GO_RECV(c, elemp) ((go_case){ (c), (elemp), GO_CASE_RECV, false })
#define GO_SEND(c, elemp) \
	((go_case){ (c), (void *)(uintptr_t)(const void *)(elemp), GO_CASE_SEND, false })

/* Wait until one of the n cases can proceed, perform it and return its
 * index; among several ready cases one is chosen uniformly at random.
 * Blocks (forever if n is 0 or every channel is NULL).  n <= 65536. */
int go_select_at(go_case *cases, size_t n, const char *file, int line);
#define go_select(cases, n) go_select_at((cases), (n), __FILE__, __LINE__)

/* Select with a default: performs a ready case and returns its index, or
 * returns -1 at once when none is ready.  Never blocks. */
int go_select_default(go_case *cases, size_t n);

/* Select with a deadline: the index, or GO_ETIMEDOUT (negative) once
 * go_now() >= deadline with no case ready.  Blocks until then. */
int go_select_until(go_case *cases, size_t n, int64_t deadline);

/* --- sync ----------------------------------------------------------------
 * All of these are plain structs whose zero value is ready to use (like
 * Go's); GO_*_INIT is that zero value.  Do not copy one after first use. */

typedef struct go_mutex {
	int32_t state;
	uint32_t sema;
} go_mutex;
#define GO_MUTEX_INIT { 0, 0 }

/* Lock (sync.Mutex.Lock).  Blocks while another goroutine holds it. */
void go_mutex_lock_at(go_mutex *mu, const char *file, int line);
#define go_mutex_lock(mu) go__mutex_lock((mu), __FILE__, __LINE__)
/* Lock without blocking: true if acquired. */
bool go_mutex_trylock(go_mutex *mu);
/* Unlock; unlocking an unlocked mutex is a fatal error (reported at the
 * caller's line: go_mutex_unlock is a macro).  Never blocks. */
static inline void go_mutex_unlock(go_mutex *mu);
#define go_mutex_unlock(mu) go__mutex_unlock((mu), __FILE__, __LINE__)

/* The uncontended Lock and Unlock are inline, as Go inlines them: one
 * preemption check and one atomic each.  Everything else is in sync.c. */
extern __thread uint32_t *go__tls_preempt;
void go__preempt_yield(void);
void go__mutex_lock_slow(go_mutex *mu, const char *file, int line);
void go__mutex_lock_preempted(go_mutex *mu, const char *file, int line);
void go__mutex_unlock_slow(go_mutex *mu, int32_t state, const char *file, int line);

static inline void go__mutex_lock(go_mutex *mu, const char *file, int line)
{
	int32_t unlocked = 0;

	if (__builtin_expect(__atomic_load_n(go__tls_preempt, __ATOMIC_RELAXED) != 0, 0))
		go__mutex_lock_preempted(mu, file, line);
	else if (!__atomic_compare_exchange_n(&mu->state, &unlocked, 1, false,
			__ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
		go__mutex_lock_slow(mu, file, line);
}

static inline void go__mutex_unlock(go_mutex *mu, const char *file, int line)
{
	int32_t state = __atomic_add_fetch(&mu->state, -1, __ATOMIC_SEQ_CST);

	if (state != 0)
		go__mutex_unlock_slow(mu, state, file, line);
}

/* The function, for code that takes its address. */
static inline void (go_mutex_unlock)(go_mutex *mu)
{
	go__mutex_unlock(mu, NULL, 0);
}

typedef struct go_rwmutex {
	go_mutex w;
	uint32_t writer_sem, reader_sem;
	int32_t reader_count, reader_wait;
} go_rwmutex;
#define GO_RWMUTEX_INIT { GO_MUTEX_INIT, 0, 0, 0, 0 }

/* Shared and exclusive locking (sync.RWMutex).  The lock calls block;
 * unlock calls never do.  A waiting writer holds off new readers. */
void go_rwmutex_rlock_at(go_rwmutex *rw, const char *file, int line);
#define go_rwmutex_rlock(rw) go_rwmutex_rlock_at((rw), __FILE__, __LINE__)
void go_rwmutex_runlock(go_rwmutex *rw);
void go_rwmutex_runlock_at(go_rwmutex *rw, const char *file, int line);
#define go_rwmutex_runlock(rw) go_rwmutex_runlock_at((rw), __FILE__, __LINE__)
void go_rwmutex_lock_at(go_rwmutex *rw, const char *file, int line);
#define go_rwmutex_lock(rw) go_rwmutex_lock_at((rw), __FILE__, __LINE__)
void go_rwmutex_unlock(go_rwmutex *rw);
void go_rwmutex_unlock_at(go_rwmutex *rw, const char *file, int line);
#define go_rwmutex_unlock(rw) go_rwmutex_unlock_at((rw), __FILE__, __LINE__)

typedef struct go_waitgroup {
	uint64_t state;  /* counter << 32 | waiters */
	uint32_t sema;
} go_waitgroup;
#define GO_WAITGROUP_INIT { 0, 0 }

/* sync.WaitGroup: add delta (may be negative) to the counter; a negative
 * counter is a fatal error.  Never blocks. */
void go_waitgroup_add(go_waitgroup *wg, int delta);
void go_waitgroup_done(go_waitgroup *wg);
/* The macros pass the caller's line for the panic's report; the functions
 * above remain for code that takes their address. */
void go_waitgroup_add_at(go_waitgroup *wg, int delta, const char *file, int line);
void go_waitgroup_done_at(go_waitgroup *wg, const char *file, int line);
#define go_waitgroup_add(wg, delta) go_waitgroup_add_at((wg), (delta), __FILE__, __LINE__)
#define go_waitgroup_done(wg) go_waitgroup_done_at((wg), __FILE__, __LINE__)
/* Blocks until the counter is zero. */
void go_waitgroup_wait_at(go_waitgroup *wg, const char *file, int line);
#define go_waitgroup_wait(wg) go_waitgroup_wait_at((wg), __FILE__, __LINE__)

typedef struct go_once {
	uint32_t done;
	go_mutex m;
} go_once;
#define GO_ONCE_INIT { 0, GO_MUTEX_INIT }

/* Run fn(arg) if no call on this once has run it yet (sync.Once.Do).
 * Blocks while another goroutine is inside fn. */
void go_once_do_at(go_once *once, void (*fn)(void *), void *arg, const char *file, int line);
#define go_once_do(once, fn, arg) go_once_do_at((once), (fn), (arg), __FILE__, __LINE__)
void (go_once_do)(go_once *once, void (*fn)(void *), void *arg);

typedef struct go_cond {
	go_mutex *l;      /* the lock held around go_cond_wait */
	uint32_t lock;    /* internal: guards the waiter list */
	uint32_t wait, notify;
	void *head, *tail;
} go_cond;
#define GO_COND_INIT(mu) { (mu), 0, 0, 0, NULL, NULL }

/* sync.Cond.  Wait atomically unlocks c->l, parks until signalled, and locks
 * c->l again before returning: blocks.  Signal wakes one waiter, broadcast
 * all; neither blocks. */
void go_cond_wait_at(go_cond *c, const char *file, int line);
#define go_cond_wait(c) go_cond_wait_at((c), __FILE__, __LINE__)
void go_cond_signal(go_cond *c);
void go_cond_broadcast(go_cond *c);

/* --- time --------------------------------------------------------------- */

/* Monotonic time in nanoseconds (time.Now for measuring). */
int64_t go_now(void);

/* Park the calling goroutine for d nanoseconds (time.Sleep).  Blocks. */
void go_sleep_at(int64_t d, const char *file, int line);
#define go_sleep(d) go_sleep_at((d), __FILE__, __LINE__)

/* A channel (element int64_t: the go_now() time it fired) that receives
 * once after d nanoseconds (time.After).  Owned by the caller: free it with
 * go_chan_free, which also stops the timer if it has not fired. */
go_chan *go_after(int64_t d);

typedef struct go_timer go_timer;

/* A timer that sends go_now() on its channel (capacity 1) once after d
 * (time.NewTimer).  Free it with go_timer_free, not the channel. */
go_timer *go_timer_new(int64_t d);
/* A timer that calls fn(arg) in a new goroutine after d (time.AfterFunc). */
go_timer *go_timer_func(int64_t d, void (*fn)(void *), void *arg);
/* A ticker that sends go_now() every period; ticks the receiver is too slow
 * for are dropped (time.NewTicker).  period > 0. */
go_timer *go_ticker_new(int64_t period);
/* The timer's channel (NULL for go_timer_func timers). */
go_chan *go_timer_chan(go_timer *t);
/* Stop the timer; true if that prevented it from firing.  Never blocks. */
bool go_timer_stop(go_timer *t);
/* Re-arm the timer to fire after d (tickers: every d); true if it had been
 * active.  Never blocks. */
bool go_timer_reset(go_timer *t, int64_t d);
/* Stop and free the timer and its channel (NULL is fine). */
void go_timer_free(go_timer *t);

/* --- files and sockets: the network poller (netpoll.c) ------------------
 *
 * Go's net.Conn and os.File reads and writes: a goroutine whose
 * descriptor is not ready parks ("IO wait") until epoll says it is, and
 * its thread and P run other goroutines meanwhile. Pipes, socketpairs,
 * TCP and Unix sockets; the descriptor is switched to non-blocking mode
 * on first use, so use these calls on it from then on. Regular files are
 * always ready and are simply read or written.
 *
 *   go_read(fd, buf, n)      as read(2): some bytes, 0 at end of file
 *   go_write(fd, buf, n)     all n bytes (Go's Write), or -1 and errno
 *   go_accept(fd, addr, len) a connection, itself non-blocking
 *   go_connect(fd, addr, len) 0 once connected, or -1 and errno
 *
 * The _until forms take a deadline (a go_now() time, 0: none, Go's
 * SetDeadline) and fail with errno ETIMEDOUT once it passes. One
 * goroutine reads a descriptor at a time and one writes (a second waiter
 * is a fatal error, as it is a bug in Go too). */
struct sockaddr;
typedef unsigned int go__socklen;
long go_read_until_at(int fd, void *buf, size_t n, int64_t deadline, const char *file, int line);
long go_write_until_at(int fd, const void *buf, size_t n, int64_t deadline, const char *file, int line);
int go_accept_until_at(int fd, struct sockaddr *addr, go__socklen *len, int64_t deadline, const char *file,
		       int line);
int go_connect_until_at(int fd, const struct sockaddr *addr, go__socklen len, int64_t deadline,
			const char *file, int line);
#define go_read_until(fd, buf, n, dl) go_read_until_at((fd), (buf), (n), (dl), __FILE__, __LINE__)
#define go_write_until(fd, buf, n, dl) go_write_until_at((fd), (buf), (n), (dl), __FILE__, __LINE__)
#define go_accept_until(fd, a, l, dl) go_accept_until_at((fd), (a), (l), (dl), __FILE__, __LINE__)
#define go_connect_until(fd, a, l, dl) go_connect_until_at((fd), (a), (l), (dl), __FILE__, __LINE__)
#define go_read(fd, buf, n) go_read_until((fd), (buf), (n), 0)
#define go_write(fd, buf, n) go_write_until((fd), (buf), (n), 0)
#define go_accept(fd, a, l) go_accept_until((fd), (a), (l), 0)
#define go_connect(fd, a, l) go_connect_until((fd), (a), (l), 0)

/* --- context (Go's context package) --------------------------------------
 * A go_ctx carries a cancellation signal, maybe a deadline, and values
 * across goroutines, as Go's context.Context:
 *
 *     go_ctx *ctx = go_ctx_with_timeout(go_ctx_background(), 50 * GO_MILLISECOND);
 *     go_spawn(worker, ctx);              // worker selects on go_ctx_done(ctx)
 *     ...
 *     go_ctx_cancel(ctx);                 // cancel() — any goroutine, any number of times
 *     go_waitgroup_wait(&wg);             // the workers are done with ctx
 *     go_ctx_free(ctx);                   // Go's defer cancel(), and the memory
 *
 * Ownership: each go_ctx_with_* returns a context the caller owns and frees
 * once with go_ctx_free, after no goroutine uses it any more (as a
 * channel).  Freeing cancels it first if it was not cancelled, so a lone
 * go_ctx_free at the end is Go's `defer cancel()`.  Children keep what they
 * need of their parent: a parent may be freed before its children (that
 * cancels them, as Go's cancel does), and values stay reachable through
 * them.  Background and TODO are never freed (go_ctx_free ignores them).
 *
 * A context made by go_ctx_with_cancel, _deadline or _timeout on which
 * neither go_ctx_cancel nor go_ctx_free was called when the program exits
 * (its deadline or its parent cancelling it does not count) is reported on
 * stderr at exit with the line that made it, as `go vet`'s lostcancel
 * check reports a cancel function never called.
 *
 * None of these calls blocks except the _ctx forms at the end, which are
 * selects with one more case, <-go_ctx_done(ctx).  Every one may be called
 * from any goroutine; cancellation is synchronisation: whatever a goroutine
 * wrote before it cancelled is visible to one that saw go_ctx_done fire or
 * go_ctx_err return non-zero (also under ThreadSanitizer).
 */

/* go_ctx_err results, negative errno values as GO_ETIMEDOUT: context.Canceled
 * (-ECANCELED) and context.DeadlineExceeded (-ETIME, "timer expired"). */
#define GO_ECANCELED (-125)
#define GO_EDEADLINE (-62)

typedef struct go_ctx go_ctx;

/* context.Background() and context.TODO(): never cancelled, no deadline,
 * no values.  Static: nothing to free. */
go_ctx *go_ctx_background(void);
go_ctx *go_ctx_todo(void);

/* context.WithCancel(parent): a child cancelled by go_ctx_cancel or
 * go_ctx_free on it, or when its parent is cancelled.  Returns NULL only if
 * memory is exhausted; a NULL parent is a panic, as in Go.  Call from a
 * goroutine. */
go_ctx *go_ctx_with_cancel_at(go_ctx *parent, const char *file, int line);
#define go_ctx_with_cancel(parent) \
	go_ctx_with_cancel_at((parent), __FILE__, __LINE__)

/* context.WithDeadline(parent, d): as with_cancel, and cancelled with
 * GO_EDEADLINE once go_now() >= deadline.  Its deadline is the earlier of
 * deadline and the parent's; a deadline already past gives a context that
 * is cancelled already.  Cancelling it early stops its timer. */
go_ctx *go_ctx_with_deadline_at(go_ctx *parent, int64_t deadline,
	const char *file, int line);
#define go_ctx_with_deadline(parent, deadline) \
	go_ctx_with_deadline_at((parent), (deadline), __FILE__, __LINE__)

/* context.WithTimeout(parent, d): go_ctx_with_deadline(parent, go_now() + d). */
go_ctx *go_ctx_with_timeout_at(go_ctx *parent, int64_t timeout,
	const char *file, int line);
#define go_ctx_with_timeout(parent, timeout) \
	go_ctx_with_timeout_at((parent), (timeout), __FILE__, __LINE__)

/* context.WithValue(parent, key, val): a child that carries val under key
 * and is cancelled exactly when its parent is; it has no cancel of its own
 * and making it cancels nothing.  Keys compare by address: use the address
 * of a static variable of yours (a NULL key is a panic).  val stays the
 * caller's. */
go_ctx *go_ctx_with_value_at(go_ctx *parent, const void *key, const void *val,
	const char *file, int line);
#define go_ctx_with_value(parent, key, val) \
	go_ctx_with_value_at((parent), (key), (val), __FILE__, __LINE__)

/* Go's cancel(): cancel ctx (GO_ECANCELED) and its children, close its done
 * channel, stop its timer.  Idempotent: only the first cancel of a context
 * (by anyone, or its parent, or its deadline) counts.  A context that has
 * no cancel (background, TODO, a value context) is a panic.  Never blocks;
 * never frees. */
void go_ctx_cancel_at(go_ctx *ctx, const char *file, int line);
#define go_ctx_cancel(ctx) go_ctx_cancel_at((ctx), __FILE__, __LINE__)

/* Cancel ctx if it is not (as go_ctx_cancel; a value context is only
 * released) and free it as soon as none of its children needs it.  Call
 * once, after no goroutine uses ctx.  NULL, background and TODO are
 * ignored; freeing one twice is a panic.  Never blocks. */
void go_ctx_free_at(go_ctx *ctx, const char *file, int line);
#define go_ctx_free(ctx) go_ctx_free_at((ctx), __FILE__, __LINE__)

/* ctx.Done(): a channel closed when ctx is cancelled, to receive from in a
 * go_select (GO_RECV(go_ctx_done(ctx), NULL)); NULL (never ready, Go's nil
 * channel) for a context that is never cancelled.  Owned by ctx; the same
 * channel every call. */
go_chan *go_ctx_done(go_ctx *ctx);

/* ctx.Err(): 0 (GO_OK) while ctx is not cancelled, then GO_ECANCELED or
 * GO_EDEADLINE for good; non-zero by the time go_ctx_done is closed. */
int go_ctx_err(go_ctx *ctx);

/* ctx.Deadline(): true and *deadline (a go_now() time) if ctx has one. */
bool go_ctx_deadline(go_ctx *ctx, int64_t *deadline);

/* ctx.Value(key): the val of the nearest go_ctx_with_value up the chain
 * with this key, or NULL.  (const is the caller's to keep, as strchr's.) */
void *go_ctx_value(go_ctx *ctx, const void *key);

/* Go's error strings: "context canceled", "context deadline exceeded",
 * "i/o timeout" (GO_ETIMEDOUT), "<nil>" (GO_OK), else "unknown error". */
const char *go_strerror(int err);

/* The context forms of the blocking calls: what a Go program writes as
 *     select { case c <- v: ...  case <-ctx.Done(): return ctx.Err() }
 * Each returns GO_OK (go_select_ctx: the index of the case) when the
 * operation happened, or go_ctx_err(ctx) when ctx was cancelled first.
 * If both are ready, one is chosen at random, as by Go's select.  Block. */
int go_send_ctx_at(go_ctx *ctx, go_chan *c, const void *elem,
	const char *file, int line);
#define go_send_ctx(ctx, c, elem) \
	go_send_ctx_at((ctx), (c), (elem), __FILE__, __LINE__)
/* *ok (if not NULL): a value was received, false when c is closed. */
int go_recv_ctx_at(go_ctx *ctx, go_chan *c, void *elem, bool *ok,
	const char *file, int line);
#define go_recv_ctx(ctx, c, elem, ok) \
	go_recv_ctx_at((ctx), (c), (elem), (ok), __FILE__, __LINE__)
int go_select_ctx_at(go_ctx *ctx, go_case *cases, size_t n,
	const char *file, int line);
#define go_select_ctx(ctx, cases, n) \
	go_select_ctx_at((ctx), (cases), (n), __FILE__, __LINE__)
/* Sleep d, or less if ctx is cancelled first (GO_OK after the full d;
 * d <= 0 only yields, and returns go_ctx_err(ctx)). */
int go_sleep_ctx_at(go_ctx *ctx, int64_t d, const char *file, int line);
#define go_sleep_ctx(ctx, d) go_sleep_ctx_at((ctx), (d), __FILE__, __LINE__)

/* --- deterministic schedules (det.c) ------------------------------------ */

/* In a deterministic run (CHANLAB_SCHED=random:SEED or pct:SEED[:DEPTH...]),
 * a scheduling point: the seeded scheduler may run another goroutine
 * here. Tests place it around shared accesses to explore interleavings
 * the runtime's own calls do not reach. Does nothing in a normal run. */
void go_sched_point(void);

/* Restarts the deterministic scheduler's choices from seed (a test
 * harness runs one case under many seeds this way). */
void go_sched_seed(uint64_t seed);

/* The decisions the deterministic scheduler has made since it was last
 * seeded: the length of the run so far. */
uint64_t go_sched_steps(void);

/* PCT's k for the runs seeded from now on: the length of a run, among
 * whose first k decisions the priority change points are drawn. A
 * harness passes the longest run it has seen; the schedule then names it
 * ("pct:7:3:212"), so that a replay draws the same points. 0: no change. */
void go_sched_length(uint64_t k);

/* --- profiling (prof.c) ------------------------------------------------- */

/* Starts a CPU profile (Go's pprof.StartCPUProfile): every thread running
 * goroutines is sampled hz times per CPU-second (0: 100); the samples are
 * written to path as a pprof profile (`go tool pprof path`) by
 * go_cpuprofile_stop, or when the program exits. The environment variable
 * CHANLAB_CPUPROFILE=path[,hz] does the same for a whole run. 0, or -1 and
 * errno (EBUSY: already profiling, or the program has its own SIGPROF
 * handler). Off in the asan and tsan flavours. */
int go_cpuprofile_start(const char *path, int hz);
int go_cpuprofile_stop(void);

/* Runs fn(arg) with profiler labels (Go's pprof.Do): labels is
 * "key=value" pairs separated by commas ("phase=parse,tenant=7"), kept by
 * its pointer, so it must outlive fn and every goroutine fn spawns, which
 * inherit the labels. The CPU profile's samples carry them
 * (`go tool pprof -tags`, `-tagfocus=phase=parse`); the labels around
 * this call come back when fn returns. go_pprof_labels() is the running
 * goroutine's, or NULL. */
void go_pprof_do(const char *labels, void (*fn)(void *), void *arg);
const char *go_pprof_labels(void);

/* The block profile (Go's runtime.SetBlockProfileRate): time goroutines
 * spend parked on channels, select and sync, not sleeping. rate is in
 * nanoseconds: an event that long or longer is always recorded, a shorter
 * one with probability delay/rate (and counted rate/delay times); 1
 * records every event, 0 none. */
void go_set_block_profile_rate(int64_t rate);

/* The mutex profile (runtime.SetMutexProfileFraction): contention on
 * go_mutex and go_rwmutex, charged to the goroutine that unlocks. One
 * event in fraction is kept (1: all, 0: off); returns the previous
 * fraction (a negative fraction only reads it). */
int go_set_mutex_profile_fraction(int fraction);

/* Write the profiles so far, as pprof profiles. CHANLAB_BLOCKPROFILE=
 * FILE[,rate] and CHANLAB_MUTEXPROFILE=FILE[,fraction] turn them on
 * (default 1) for a whole run and write them when the program exits.
 * 0, or -1 and errno. */
int go_write_block_profile(const char *path);
int go_write_mutex_profile(const char *path);

/* The heap profile (Go's runtime.MemProfileRate, pprof.WriteHeapProfile):
 * about one allocation per rate bytes is recorded with its stack (rate 1:
 * every one; 0: none), and whether it was freed. Written with Go's sample
 * types (alloc_objects, alloc_space, inuse_objects, inuse_space), scaled
 * back as Go scales them. CHANLAB_MEMPROFILE=FILE[,rate] (default 512 KiB)
 * profiles a whole run. Off in the asan and tsan flavours, whose malloc is
 * the sanitizer's. 0, or -1 and errno. */
void go_set_mem_profile_rate(int64_t rate);
int go_write_heap_profile(const char *path);

/* The execution trace (Go's runtime/trace.Start/Stop), in Go 1.19's format:
 * `go tool trace FILE` opens it. Records goroutines created, started,
 * blocked on what, unblocked, yielding and ending, and Ps started and
 * stopped. CHANLAB_TRACE=FILE traces a whole run. 0, or -1 and errno. */
int go_trace_start(const char *path);
int go_trace_stop(void);

/* The program's own annotations of the trace, as runtime/trace's (they
 * cost one load when not tracing). A task is a piece of work that may
 * span goroutines (trace.NewTask): go_trace_task returns its id (parent
 * 0: none), go_trace_task_end ends it. A region is a stretch of one
 * goroutine's time within a task (trace.WithRegion, StartRegion): start
 * and end it on the same goroutine, nested properly. A log is a message
 * in a category, at this moment, in a task (trace.Log). Task 0 is no
 * task. `go tool trace` lists them under "User-defined tasks" and
 * "User-defined regions". */
uint64_t go_trace_task(uint64_t parent, const char *name);
void go_trace_task_end(uint64_t task);
void go_trace_region(uint64_t task, const char *name, void (*fn)(void *), void *arg);
void go_trace_region_start(uint64_t task, const char *name);
void go_trace_region_end(uint64_t task, const char *name);
void go_trace_log(uint64_t task, const char *category, const char *message);

#ifdef __cplusplus
}
#endif

/* Frames of an allocation wrapper between the program and malloc (the
 * test harness's counting wrappers set it to 1 around their call): the
 * heap profile charges the program's line, not the wrapper's. */
extern __thread int go__alloc_frames;

/* --- atomics (Go's sync/atomic): go_atomic_int64 etc., in atomic.h ------ */
#ifndef __cplusplus
#include "atomic.h"
#endif
#endif
