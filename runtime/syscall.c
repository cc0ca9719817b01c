/*
 * syscall.c — the system calls a goroutine may block in, wrapped so that
 * its P is not lost meanwhile (Go's syscall package calls entersyscall and
 * exitsyscall around every call; proc.go).
 *
 * The runtime defines read, write, sleep, poll, accept, connect, recv,
 * send, waitpid and their relatives (in the normal and debug flavours;
 * the sanitizers intercept these themselves). Each makes the system call
 * directly, between go__entersyscall and go__exitsyscall: if the call
 * stays in the kernel past the monitor's next look, the monitor gives the
 * P to another M, so at GOMAXPROCS=1 a goroutine blocked on a pipe no
 * longer stops every other goroutine; on return the goroutine takes a P
 * back (its own if still free) and goes on. errno is kept across the
 * return, which may resume the goroutine on another thread.
 *
 * Calls made by the runtime itself (a signal handler writing a report,
 * the monitor sleeping) and by libc internally (printf's write) do not
 * come here or are passed straight to the kernel: the wrappers look at
 * their return address and hand off only for the program's own calls.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <sys/select.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "internal.h"

#if !defined(GO__ASAN) && !defined(GO__TSAN)

extern const char __start_chanlab_rt_text[] __attribute__((weak));
extern const char __stop_chanlab_rt_text[] __attribute__((weak));

/* True if the call came from the program, not from the runtime. */
static inline bool from_program(const void *ret)
{
	return !((const char *)ret >= __start_chanlab_rt_text && (const char *)ret < __stop_chanlab_rt_text);
}

/* A blocking system call: entersyscall, the call, exitsyscall, errno kept. */
#define BLOCKING(type, call)                                            \
	do {                                                            \
		bool handoff = from_program(__builtin_return_address(0)); \
		long r_;                                                \
		int e_;                                                 \
		if (handoff)                                            \
			go__entersyscall();                             \
		r_ = (call);                                            \
		e_ = errno;                                             \
		if (handoff)                                            \
			go__exitsyscall();                              \
		errno = e_;                                             \
		return (type)r_;                                        \
	} while (0)

/* The socket calls, declared without <sys/socket.h>: glibc declares their
 * address arguments as a transparent union, which a definition cannot
 * match; the ABI is a pointer either way. */
typedef unsigned int go__socklen;
int accept(int fd, void *addr, go__socklen *len);
int accept4(int fd, void *addr, go__socklen *len, int flags);
int connect(int fd, const void *addr, go__socklen len);
ssize_t recv(int fd, void *buf, size_t n, int flags);
ssize_t recvfrom(int fd, void *buf, size_t n, int flags, void *addr, go__socklen *len);
ssize_t recvmsg(int fd, void *msg, int flags);
ssize_t send(int fd, const void *buf, size_t n, int flags);
ssize_t sendto(int fd, const void *buf, size_t n, int flags, const void *addr, go__socklen len);
ssize_t sendmsg(int fd, const void *msg, int flags);

ssize_t read(int fd, void *buf, size_t n)
{
	BLOCKING(ssize_t, syscall(SYS_read, fd, buf, n));
}

ssize_t write(int fd, const void *buf, size_t n)
{
	BLOCKING(ssize_t, syscall(SYS_write, fd, buf, n));
}

ssize_t pread(int fd, void *buf, size_t n, off_t off)
{
	BLOCKING(ssize_t, syscall(SYS_pread64, fd, buf, n, off));
}

ssize_t pwrite(int fd, const void *buf, size_t n, off_t off)
{
	BLOCKING(ssize_t, syscall(SYS_pwrite64, fd, buf, n, off));
}

ssize_t readv(int fd, const struct iovec *iov, int n)
{
	BLOCKING(ssize_t, syscall(SYS_readv, fd, iov, n));
}

ssize_t writev(int fd, const struct iovec *iov, int n)
{
	BLOCKING(ssize_t, syscall(SYS_writev, fd, iov, n));
}

/* nanosleep(2), which the runtime's own preemption signal must not cut
 * short: the monitor may signal a thread just as its goroutine goes to
 * sleep (it looked while the goroutine still ran), and the learner's
 * sleep would end early with EINTR. Interrupted by that signal, it sleeps
 * the rest; by any other, it returns as the call does. */
static long sleep_for(const struct timespec *req, struct timespec *rem)
{
	struct timespec left = *req, r = { 0, 0 };
	int e = errno;
	long rc;

	for (;;) {
		unsigned seen = go__urg_count;

		rc = syscall(SYS_nanosleep, &left, &r);
		if (rc == 0 || errno != EINTR || go__urg_count == seen)
			break;
		left = r;
		errno = e;      /* a sleep that ends well leaves errno as it was */
	}
	if (rem)
		*rem = r;
	return rc;
}

int nanosleep(const struct timespec *req, struct timespec *rem)
{
	BLOCKING(int, sleep_for(req, rem));
}

int clock_nanosleep(clockid_t clock, int flags, const struct timespec *req, struct timespec *rem)
{
	bool handoff = from_program(__builtin_return_address(0));
	struct timespec left = *req, r2 = { 0, 0 };
	int e = errno;
	long r;

	if (handoff)
		go__entersyscall();
	for (;;) {      /* as sleep_for: not cut short by the runtime's signal */
		unsigned seen = go__urg_count;

		r = syscall(SYS_clock_nanosleep, clock, flags, &left, &r2);
		if (r == 0 || errno != EINTR || go__urg_count == seen)
			break;
		if (!(flags & TIMER_ABSTIME))
			left = r2;
	}
	if (r < 0 && errno == EINTR && rem && !(flags & TIMER_ABSTIME))
		*rem = r2;
	r = r < 0 ? errno : 0;      /* clock_nanosleep returns the error, not -1 */
	if (handoff)
		go__exitsyscall();
	errno = e;
	return (int)r;
}

unsigned int sleep(unsigned int seconds)
{
	struct timespec req = { seconds, 0 }, rem = { 0, 0 };
	bool handoff = from_program(__builtin_return_address(0));
	int e = errno;

	if (handoff)
		go__entersyscall();
	if (sleep_for(&req, &rem) == 0)
		rem.tv_sec = 0;
	if (handoff)
		go__exitsyscall();
	errno = e;
	return (unsigned int)rem.tv_sec + (rem.tv_nsec > 0);
}

int usleep(useconds_t usec)
{
	struct timespec req = { usec / 1000000, (long)(usec % 1000000) * 1000 };

	BLOCKING(int, sleep_for(&req, NULL));
}

int poll(struct pollfd *fds, nfds_t n, int timeout)
{
	BLOCKING(int, syscall(SYS_poll, fds, n, timeout));
}

int select(int n, fd_set *r, fd_set *w, fd_set *x, struct timeval *timeout)
{
	BLOCKING(int, syscall(SYS_select, n, r, w, x, timeout));
}

int accept(int fd, void *addr, go__socklen *len)
{
	BLOCKING(int, syscall(SYS_accept, fd, addr, len));
}

int accept4(int fd, void *addr, go__socklen *len, int flags)
{
	BLOCKING(int, syscall(SYS_accept4, fd, addr, len, flags));
}

int connect(int fd, const void *addr, go__socklen len)
{
	BLOCKING(int, syscall(SYS_connect, fd, addr, len));
}

ssize_t recv(int fd, void *buf, size_t n, int flags)
{
	BLOCKING(ssize_t, syscall(SYS_recvfrom, fd, buf, n, flags, NULL, NULL));
}

ssize_t recvfrom(int fd, void *buf, size_t n, int flags, void *addr, go__socklen *len)
{
	BLOCKING(ssize_t, syscall(SYS_recvfrom, fd, buf, n, flags, addr, len));
}

ssize_t recvmsg(int fd, void *msg, int flags)
{
	BLOCKING(ssize_t, syscall(SYS_recvmsg, fd, msg, flags));
}

ssize_t send(int fd, const void *buf, size_t n, int flags)
{
	BLOCKING(ssize_t, syscall(SYS_sendto, fd, buf, n, flags, NULL, 0));
}

ssize_t sendto(int fd, const void *buf, size_t n, int flags, const void *addr, go__socklen len)
{
	BLOCKING(ssize_t, syscall(SYS_sendto, fd, buf, n, flags, addr, len));
}

ssize_t sendmsg(int fd, const void *msg, int flags)
{
	BLOCKING(ssize_t, syscall(SYS_sendmsg, fd, msg, flags));
}

pid_t waitpid(pid_t pid, int *status, int options)
{
	BLOCKING(pid_t, syscall(SYS_wait4, pid, status, options, NULL));
}

pid_t wait(int *status)
{
	BLOCKING(pid_t, syscall(SYS_wait4, -1, status, 0, NULL));
}

#endif
