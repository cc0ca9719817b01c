/*
 * netpoll.c — the network poller (Go's netpoll.go and netpoll_epoll.go):
 * a goroutine that reads, writes, accepts or connects on a file descriptor
 * that is not ready parks, and epoll readies it when the descriptor is, so
 * ten thousand idle connections cost ten thousand parked goroutines, not
 * ten thousand threads blocked in read(2).
 *
 * Each descriptor has a poll descriptor (Go's pollDesc), made on first
 * use and never freed, so a late event never touches freed memory. The
 * descriptor is put in non-blocking mode and registered with epoll once,
 * edge-triggered for reading and writing, as Go registers it. Each
 * direction has a word, rg or wg (Go's names), that is
 *     0          nothing happened, nobody waits
 *     PD_READY   an event came that nobody has taken yet
 *     PD_WAIT    a goroutine is about to park
 *     a G        that goroutine is parked, waiting
 * A goroutine tries the call first; on EAGAIN it waits (netpollblock) and
 * tries again. An event (netpollunblock) makes the word PD_READY and
 * readies the G it found there; a deadline's timer makes it 0 and readies
 * the G, which then sees it was not an event. Either way the goroutine
 * tries the call again, so an event from an earlier use of the number
 * costs one more EAGAIN, never a wrong answer.
 *
 * Where Go's idle Ms wait in epoll_wait themselves (findrunnable), here a
 * poller thread of the runtime's own waits in it, like the monitor, and
 * puts the goroutines it readies on the global run queue; the scheduler's
 * idle path is left as it was. A goroutine parked here is "IO wait" in
 * dumps and leak reports, and keeps the deadlock check from firing: the
 * world is not asleep while the network may still answer.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "internal.h"
#include "san.h"

_Static_assert(sizeof(go__socklen) == sizeof(socklen_t), "go.h's socklen_t");

#define PD_READY ((uintptr_t)1)
#define PD_WAIT ((uintptr_t)2)
#define PD_CHUNK 1024
#define PD_CHUNKS 1024               /* descriptors below 1M */

struct pd {
	uintptr_t rg, wg;               /* atomic: see above */
	go__lock lock;                  /* deadlines: seq against a late timer */
	uint32_t rseq, wseq;
	uint32_t fdgen;                 /* registered is for this open of fd */
	bool registered;
};

static struct {
	pthread_once_t once;
	int epfd;
	go__lock lock;                  /* making chunks */
	struct pd *chunk[PD_CHUNKS];
} np = { .once = PTHREAD_ONCE_INIT, .epfd = -1 };

uint32_t go__netpoll_waiters;        /* parked here, atomic (checkdead) */

static void unblock(uintptr_t *gpp, bool ioready, bool outside);

static void *poller(void *arg)
{
	struct epoll_event ev[128];

	(void)arg;
	go__san_runtime_thread();
	for (;;) {
		int n = epoll_wait(np.epfd, ev, 128, -1);

		for (int i = 0; i < n; i++) {
			struct pd *pd = ev[i].data.ptr;
			uint32_t e = ev[i].events;

			if (e & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR))
				unblock(&pd->rg, true, true);
			if (e & (EPOLLOUT | EPOLLHUP | EPOLLERR))
				unblock(&pd->wg, true, true);
		}
	}
	return NULL;
}

static void start(void)
{
	sigset_t all, old;

	np.epfd = epoll_create1(EPOLL_CLOEXEC);
	if (np.epfd < 0)
		go__fatal("cannot make the network poller (epoll_create1)");
	/* the thread takes no signal: they are the Ms' */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	go__start_thread(NULL, poller, NULL, 64 * 1024, "cannot start the network poller thread");
	pthread_sigmask(SIG_SETMASK, &old, NULL);
}

/* fd's poll descriptor, registered with epoll and non-blocking; NULL
 * with errno set when fd is no descriptor to poll (EBADF, or EPERM for a
 * regular file, which is always ready: the caller then just calls). */
static struct pd *pd_of(int fd)
{
	struct pd *c, *pd;
	struct epoll_event ev = { .events = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET };
	int fl;

	if (fd < 0 || fd >= PD_CHUNK * PD_CHUNKS) {
		errno = EBADF;
		return NULL;
	}
	pthread_once(&np.once, start);
	c = __atomic_load_n(&np.chunk[fd / PD_CHUNK], __ATOMIC_ACQUIRE);
	if (!c) {
		go__lock_acquire(&np.lock);
		c = np.chunk[fd / PD_CHUNK];
		if (!c) {
			c = calloc(PD_CHUNK, sizeof(*c));
			if (!c)
				go__fatal("out of memory for the network poller");
			__atomic_store_n(&np.chunk[fd / PD_CHUNK], c, __ATOMIC_RELEASE);
		}
		go__lock_release(&np.lock);
	}
	pd = &c[fd % PD_CHUNK];
	/* Every call registers again: the number may be a new open of an
	 * old one, which epoll forgot at close. EEXIST is the usual answer. */
	fl = fcntl(fd, F_GETFL);
	if (fl < 0)
		return NULL;
	if (!(fl & O_NONBLOCK) && fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0)
		return NULL;
	ev.data.ptr = pd;
	if (epoll_ctl(np.epfd, EPOLL_CTL_ADD, fd, &ev) < 0 && errno != EEXIST)
		return NULL;
	return pd;
}

/* An event (ioready) or a deadline for the waiter on *gpp; outside: from
 * the poller thread, which is no M. */
static void unblock(uintptr_t *gpp, bool ioready, bool outside)
{
	uintptr_t old = ld_acquire(gpp);

	for (;;) {
		if (old == PD_READY || (old == 0 && !ioready))
			return;
		if (cas(gpp, &old, ioready ? PD_READY : 0))
			break;
	}
	if (old > PD_WAIT && outside)
		go__ready_outside((go__g *)old);
	else if (old > PD_WAIT)
		go__ready((go__g *)old);
}

/* go__park's commit, on g0 once the G is off its stack: PD_WAIT becomes
 * the G, unless an event came first (then the G does not park). */
static bool commit(go__g *g, void *arg)
{
	uintptr_t *gpp = arg, old = PD_WAIT;

	return cas(gpp, &old, (uintptr_t)g);
}

struct deadline {
	struct pd *pd;
	uintptr_t *gpp;
	uint32_t *seq, want;
};

static void expired(void *arg, int64_t now)
{
	struct deadline *d = arg;

	(void)now;
	go__lock_acquire(&d->pd->lock);
	if (*d->seq == d->want)          /* still the wait it was set for */
		unblock(d->gpp, false, false);
	go__lock_release(&d->pd->lock);
}

/* Wait until fd may be ready for mode ('r' or 'w'): true; false when the
 * deadline (a go_now time, 0: none) passed first. */
static bool wait_ready(struct pd *pd, int mode, int64_t deadline, const char *file, int line)
{
	uintptr_t *gpp = mode == 'r' ? &pd->rg : &pd->wg;
	uint32_t *seq = mode == 'r' ? &pd->rseq : &pd->wseq;
	uintptr_t old;
	go__timer t = { 0 };
	struct deadline d;

	for (old = ld_acquire(gpp);;) {
		if (old == PD_READY) {
			if (cas(gpp, &old, 0))
				return true;
			continue;
		}
		if (old != 0)
			go__throw("fatal error", mode == 'r' ? "two goroutines read one file descriptor at once"
							     : "two goroutines write one file descriptor at once",
				  file, line);
		if (cas(gpp, &old, PD_WAIT))
			break;
	}
	if (deadline && go_now() >= deadline) {
		old = PD_WAIT;
		cas(gpp, &old, 0);
		return false;
	}
	if (deadline) {
		d = (struct deadline){ pd, gpp, seq, ld_relaxed(seq) };
		t.f = expired;
		t.arg = &d;
		go__timer_start(&t, deadline);
	}
	xadd(&go__netpoll_waiters, 1);
	go__park(commit, gpp, "IO wait", file, line);
	xadd(&go__netpoll_waiters, -1u);
	if (deadline) {
		go__lock_acquire(&pd->lock);
		st_relaxed(seq, *seq + 1);      /* a timer that fires now finds it stale */
		go__lock_release(&pd->lock);
		go__timer_stop_wait(&t);   /* its callback uses d, on our stack */
	}
	return xchg(gpp, 0) == PD_READY;
}

/* The calls. Each tries first: a ready descriptor costs one system call. */

static bool timed_out(void)
{
	errno = ETIMEDOUT;
	return false;
}

long go_read_until_at(int fd, void *buf, size_t n, int64_t deadline, const char *file, int line)
{
	struct pd *pd = pd_of(fd);

	go__checkpreempt();
	for (;;) {
		long r = read(fd, buf, n);

		if (r >= 0 || errno != EAGAIN || !pd)
			return r;
		if (!wait_ready(pd, 'r', deadline, file, line) && deadline && go_now() >= deadline)
			return timed_out(), -1;
	}
}

/* Go's fd.Write: everything is written, or an error says how far it got
 * (the bytes written before it are not given back: -1 and errno). */
long go_write_until_at(int fd, const void *buf, size_t n, int64_t deadline, const char *file, int line)
{
	struct pd *pd = pd_of(fd);
	size_t done = 0;

	go__checkpreempt();
	while (done < n || n == 0) {
		long w = write(fd, (const char *)buf + done, n - done);

		if (w >= 0) {
			done += (size_t)w;
			if (n == 0)
				break;
			continue;
		}
		if (errno != EAGAIN || !pd)
			return -1;
		if (!wait_ready(pd, 'w', deadline, file, line) && deadline && go_now() >= deadline)
			return timed_out(), -1;
	}
	return (long)done;
}

int go_accept_until_at(int fd, struct sockaddr *addr, socklen_t *len, int64_t deadline, const char *file,
		       int line)
{
	struct pd *pd = pd_of(fd);

	go__checkpreempt();
	for (;;) {
		int c = accept4(fd, addr, len, SOCK_NONBLOCK | SOCK_CLOEXEC);

		if (c >= 0 || (errno != EAGAIN && errno != EINTR) || !pd)
			return c;
		if (errno == EINTR)
			continue;
		if (!wait_ready(pd, 'r', deadline, file, line) && deadline && go_now() >= deadline)
			return timed_out(), -1;
	}
}

int go_connect_until_at(int fd, const struct sockaddr *addr, socklen_t len, int64_t deadline, const char *file,
			int line)
{
	struct pd *pd = pd_of(fd);
	int err = 0;
	socklen_t el = sizeof(err);

	go__checkpreempt();
	if (connect(fd, addr, len) == 0)
		return 0;
	if ((errno != EINPROGRESS && errno != EINTR) || !pd)
		return -1;
	/* in progress: writable once it is done, either way */
	for (;;) {
		if (!wait_ready(pd, 'w', deadline, file, line) && deadline && go_now() >= deadline)
			return timed_out(), -1;
		if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &el) < 0)
			return -1;
		if (err == 0)
			return 0;
		if (err != EINPROGRESS && err != EALREADY) {
			errno = err;
			return -1;
		}
	}
}
