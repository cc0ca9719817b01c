/*
 * chanlab_test.h — the C test API for instructor harnesses.
 *
 * A harness is one C file in the exercise folder (never in the learner's
 * workspace) that includes this header once and declares test cases and
 * benchmarks against the learner's code:
 *
 *     #include <chanlab_test.h>
 *     #include "queue.h"
 *
 *     CL_TEST(push_then_pop) {
 *         struct queue *q = queue_new(2);
 *         CL_ASSERT(q != NULL);                  // stops this test case
 *         CL_EXPECT_INT(queue_push(q, 7), 0);    // records and goes on
 *         CL_EXPECT_INT(queue_pop(q), 7);
 *         queue_free(q);
 *     }
 *
 *     CL_BENCH(push_pop) {                       // Go's testing.B
 *         struct queue *q = queue_new(64);
 *         cl_reset_timer(b);
 *         for (long i = 0; i < b->n; i++) { queue_push(q, 1); queue_pop(q); }
 *         queue_free(q);
 *     }
 *
 * The header defines go_main: a harness program runs one test case or one
 * benchmark per process, as chanlab asks (`--list`, `--run NAME`, `--bench
 * NAME N`), so a crash loses no other result. Results go to chanlab over
 * file descriptor 3, each line prefixed with a token: chanlab writes the
 * token into that socket before the program starts and the harness reads
 * it first thing in go_main, so it is in no environment, no file and no
 * argument, and anything the learner's code prints to stdout or stderr
 * cannot pass for a result. (chanlab refuses learner code that would run
 * before go_main: constructors, or functions that replace the C library's.)
 * Test bodies run on goroutine 1, so they may use the whole runtime.
 * After each test case the harness checks for goroutine leaks
 * (go_leakcheck, when CHANLAB_LEAKCHECK=1, as chanlab sets it): a case
 * that leaves goroutines alive fails with the runtime's report. A harness
 * may call go_leakcheck_ignore_function / _created before its cases run.
 *
 * Many schedules: with CHANLAB_SCHED_RUNS=N (c:run_tests{ schedules = N })
 * a case runs under N deterministic schedules in one process, a fork each.
 *
 * Notes, metrics and time: CL_LOG's notes go with the case's result, passed
 * or failed; CL_METRIC("name", n) hands the check script a number
 * (r.metrics.name); cl_time_scale() says how much slower than a quiet
 * machine's normal build this run may be (the flavour, compiled in as
 * CHANLAB_FLAVOUR, times the load chanlab measured, CHANLAB_LOAD, times
 * verify's own allowance, CHANLAB_TIME_SCALE), for timing bounds that hold
 * on a loaded machine: cl_scaled(80 * GO_MILLISECOND).
 *
 * Allocation counting: chanlab links harness programs with
 * -Wl,--wrap=malloc (and calloc, realloc, free, strdup, strndup); the
 * wrappers defined here count calls and bytes for B/op and allocs/op.
 */
#ifndef CHANLAB_TEST_H
#define CHANLAB_TEST_H

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <pthread.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include <go.h>

typedef struct cl_b {
	long n;             /* run the measured operation this many times */
	int64_t start_ns, start_cpu;   /* internal */
	int64_t ns, cpu_ns;            /* wall and CPU time while the timer ran */
	long allocs0, bytes0, allocs, bytes;
	int timer_on;
} cl_b;

struct cl_case {
	const char *name;
	void (*test)(void);
	void (*bench)(cl_b *);
	const char *file;
	int line;
};

#define CL_MAX_CASES 256
static struct cl_case cl_cases[CL_MAX_CASES];
static int cl_ncases;
static int cl_failed, cl_stop;
static int cl_nlogs;            /* notes of this case so far */
static char cl_token[80];
static FILE *cl_out;

static void cl_register(const char *name, void (*t)(void), void (*b)(cl_b *), const char *file, int line)
{
	if (cl_ncases < CL_MAX_CASES)
		cl_cases[cl_ncases++] = (struct cl_case){ name, t, b, file, line };
}

#define CL_TEST(name) \
	static void cl_test_##name(void); \
	__attribute__((constructor)) static void cl_reg_##name(void) \
	{ cl_register(#name, cl_test_##name, NULL, __FILE__, __LINE__); } \
	static void cl_test_##name(void)

#define CL_BENCH(name) \
	static void cl_bench_##name(cl_b *b); \
	__attribute__((constructor)) static void cl_reg_##name(void) \
	{ cl_register(#name, NULL, cl_bench_##name, __FILE__, __LINE__); } \
	static void cl_bench_##name(cl_b *b)

#define CL_MAX_LINES 100    /* failures, and notes, a case sends at most */

/* One result line: "<token> <kind> <text with \n escaped>". */
static void cl_emit(const char *kind, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void cl_emit(const char *kind, const char *fmt, ...)
{
	char msg[2048];
	va_list ap;

	if (!cl_out)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	for (char *p = msg; *p; p++)
		if (*p == '\n')
			*p = ' ';
	fprintf(cl_out, "%s %s %s\n", cl_token, kind, msg);
	fflush(cl_out);
}

/* Records a failure at file:line; the test case goes on. */
static void cl_fail(const char *file, int line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void cl_fail(const char *file, int line, const char *fmt, ...)
{
	char msg[1800];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	/* A loop of failures sends the first CL_MAX_LINES: the rest are counted
	 * (in the case's "dropped" line), never queued on the results socket. */
	if (++cl_failed <= CL_MAX_LINES)
		cl_emit("fail", "%s:%d: %s", file, line, msg);
}

/* Expectations: record a failure and go on. */
#define CL_EXPECT(cond) \
	((cond) ? (void)0 : cl_fail(__FILE__, __LINE__, "expected %s", #cond))
#define CL_EXPECT_MSG(cond, ...) \
	((cond) ? (void)0 : cl_fail(__FILE__, __LINE__, __VA_ARGS__))
#define CL_EXPECT_INT(got, want) do { \
	long long cl_g_ = (long long)(got), cl_w_ = (long long)(want); \
	if (cl_g_ != cl_w_) \
		cl_fail(__FILE__, __LINE__, "%s is %lld, expected %lld", #got, cl_g_, cl_w_); \
} while (0)
#define CL_EXPECT_STR(got, want) do { \
	const char *cl_g_ = (got), *cl_w_ = (want); \
	if (!cl_g_ || strcmp(cl_g_, cl_w_) != 0) \
		cl_fail(__FILE__, __LINE__, "%s is \"%s\", expected \"%s\"", #got, cl_g_ ? cl_g_ : "(null)", cl_w_); \
} while (0)
/* Assertions: record a failure and end this test case at once. */
#define CL_ASSERT(cond) do { \
	if (!(cond)) { cl_fail(__FILE__, __LINE__, "expected %s", #cond); return; } \
} while (0)
#define CL_ASSERT_MSG(cond, ...) do { \
	if (!(cond)) { cl_fail(__FILE__, __LINE__, __VA_ARGS__); return; } \
} while (0)
/* A note that goes with the case's result, passed or failed. */
#define CL_LOG(...) (++cl_nlogs <= CL_MAX_LINES ? cl_emit("log", __VA_ARGS__) : (void)0)

/* A number for the check script: r.metrics.NAME (the last value a case
 * reports for a name counts). The name is one word: letters, digits, '_'. */
#define CL_METRIC(name, value) cl_emit("metric", "%s %.17g", (name), (double)(value))

/* --- the flavour and time on a loaded machine ------------------------- */

#ifndef CHANLAB_FLAVOUR
#define CHANLAB_FLAVOUR "normal"   /* chanlab's builds define it: normal, debug, asan, tsan */
#endif

/* The build flavour this program was compiled in. */
static inline const char *cl_flavour(void)
{
	return CHANLAB_FLAVOUR;
}

/* A positive number from the environment variable name, or 0. */
static inline double cl_env_number(const char *name)
{
	const char *s = getenv(name);
	char *end;
	double d;

	if (!s || !*s)
		return 0;
	d = strtod(s, &end);
	return *end || d != d ? 0 : d;
}

/* Whether time is virtual: the case runs under a deterministic schedule
 * (c:run_tests{ schedules = N }), where an hour of go_sleep takes no time.
 * A verify's ASan and TSan passes run the same cases on real threads and
 * the real clock: a case that simulates minutes asks this first. */
static inline int cl_virtual_time(void)
{
	const char *sched = getenv("CHANLAB_SCHED");

	return sched && *sched;
}

/* How much longer than on a quiet machine, in the normal build, anything
 * may take in this run: the flavour's slowdown (debug 2, asan 2, tsan 5),
 * times the load per CPU chanlab measured before the run (CHANLAB_LOAD)
 * when it is over 1, times verify's own allowance (CHANLAB_TIME_SCALE).
 * At least 1, at most 100. Multiply time bounds by it, not the work.
 * Under a deterministic schedule (CHANLAB_SCHED) it is 1: time is virtual
 * there, and neither the load nor the flavour stretches it. */
static inline double cl_time_scale(void)
{
	static const struct { const char *flavour; double slowdown; } f[] = {
		{ "normal", 1 }, { "debug", 2 }, { "asan", 2 }, { "tsan", 5 },
	};
	double s = 1, load = cl_env_number("CHANLAB_LOAD"), extra = cl_env_number("CHANLAB_TIME_SCALE");

	if (cl_virtual_time())
		return 1;
	for (size_t i = 0; i < sizeof(f) / sizeof(f[0]); i++)
		if (strcmp(cl_flavour(), f[i].flavour) == 0)
			s = f[i].slowdown;
	if (load > 1)
		s *= load;
	if (extra > 1)
		s *= extra;
	return s > 100 ? 100 : s;
}

/* A duration d (nanoseconds, as go_now and go_sleep count) scaled by
 * cl_time_scale(): a bound that holds on a loaded machine. */
static inline int64_t cl_scaled(int64_t d)
{
	return (int64_t)((double)d * cl_time_scale());
}

/* --- allocation counting (-Wl,--wrap=...) ----------------------------- */

static atomic_long cl_nallocs, cl_nbytes;
static atomic_long cl_ninuse, cl_ninuse_peak;   /* bytes live, and the most */

void *__real_malloc(size_t n);
void *__real_calloc(size_t k, size_t n);
void *__real_realloc(void *p, size_t n);
void __real_free(void *p);
char *__real_strdup(const char *s);
char *__real_strndup(const char *s, size_t n);
void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t k, size_t n);
void *__wrap_realloc(void *p, size_t n);
void __wrap_free(void *p);
char *__wrap_strdup(const char *s);
char *__wrap_strndup(const char *s, size_t n);
void *__real_aligned_alloc(size_t a, size_t n);
int __real_posix_memalign(void **p, size_t a, size_t n);
void *__real_memalign(size_t a, size_t n);
void *__wrap_aligned_alloc(size_t a, size_t n);
int __wrap_posix_memalign(void **p, size_t a, size_t n);
void *__wrap_memalign(size_t a, size_t n);

/* A block the allocator owns: asked before a free is counted, so that a
 * double free reaches the sanitizer as one (malloc_usable_size of a freed
 * block is an error of its own to ASan). */
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
int __sanitizer_get_ownership(const volatile void *p);   /* sanitizer/allocator_interface.h */
#define cl_owned(p) __sanitizer_get_ownership(p)
#else
#define cl_owned(p) 1
#endif

/* p was allocated (n calls, bytes asked) or is about to be freed (-1);
 * live bytes are the allocator's own size of each block */
static inline void *cl_counted(void *p, long calls, long bytes)
{
	long live, peak;

	if (!p)
		return p;
	if (calls) {
		atomic_fetch_add_explicit(&cl_nallocs, calls, memory_order_relaxed);
		atomic_fetch_add_explicit(&cl_nbytes, bytes, memory_order_relaxed);
	}
	live = (long)malloc_usable_size(p) * (calls < 0 ? -1 : 1);
	live += atomic_fetch_add_explicit(&cl_ninuse, live, memory_order_relaxed);
	peak = atomic_load_explicit(&cl_ninuse_peak, memory_order_relaxed);
	while (live > peak && !atomic_compare_exchange_weak_explicit(&cl_ninuse_peak, &peak, live,
								      memory_order_relaxed, memory_order_relaxed))
		;
	return p;
}

/* The allocator called from one of these wrappers: the heap profile is
 * told to charge the wrapper's caller (the statement expression sets the
 * mark, calls, clears it).  The mark is the thread's, and goroutines that
 * take turns on a thread each set it: relaxed atomics, which ThreadSanitizer
 * does not take for a race between them. */
#define cl_alloc_mark(v) __atomic_store_n(&go__alloc_frames, (v), __ATOMIC_RELAXED)
#define cl_wrapped(call) ({ cl_alloc_mark(1); __typeof__(call) r_ = (call); cl_alloc_mark(0); r_; })

void *__wrap_malloc(size_t n)
{
	return cl_counted(cl_wrapped(__real_malloc(n)), 1, (long)n);
}
void *__wrap_calloc(size_t k, size_t n)
{
	return cl_counted(cl_wrapped(__real_calloc(k, n)), 1, (long)(k * n));
}
void *__wrap_realloc(void *p, size_t n)
{
	void *q;

	if (p && !cl_owned(p))
		return __real_realloc(p, n);   /* the sanitizer's to report */
	if (p)   /* its old size leaves first: a failed realloc puts it back */
		atomic_fetch_sub_explicit(&cl_ninuse, (long)malloc_usable_size(p), memory_order_relaxed);
	q = cl_wrapped(__real_realloc(p, n));
	if (!q && p && n)
		return cl_counted(p, 0, 0);
	return cl_counted(q, 1, (long)n);
}
void __wrap_free(void *p)
{
	if (p && cl_owned(p))
		atomic_fetch_sub_explicit(&cl_ninuse, (long)malloc_usable_size(p), memory_order_relaxed);
	__real_free(p);
}
char *__wrap_strdup(const char *s)
{
	return cl_counted(cl_wrapped(__real_strdup(s)), 1, (long)strlen(s) + 1);
}
char *__wrap_strndup(const char *s, size_t n)
{
	return cl_counted(cl_wrapped(__real_strndup(s, n)), 1, (long)strnlen(s, n) + 1);
}
void *__wrap_aligned_alloc(size_t a, size_t n)
{
	return cl_counted(cl_wrapped(__real_aligned_alloc(a, n)), 1, (long)n);
}
int __wrap_posix_memalign(void **p, size_t a, size_t n)
{
	int r = cl_wrapped(__real_posix_memalign(p, a, n));

	if (r == 0)
		cl_counted(*p, 1, (long)n);
	return r;
}
void *__wrap_memalign(size_t a, size_t n)
{
	return cl_counted(cl_wrapped(__real_memalign(a, n)), 1, (long)n);
}

/* Allocations made so far in this process (calls to malloc, calloc,
 * realloc, strdup and strndup): a test can count what a call allocates,
 * an exact figure on any machine. */
static inline long cl_allocs(void)
{
	return atomic_load(&cl_nallocs);
}

/* Bytes allocated through those calls and not yet freed (as the allocator
 * sizes each block), and the most there have been at once: "memory you
 * still point to" is a bound on cl_inuse() after a long run, and
 * cl_inuse_peak() says how high it went meanwhile. Blocks the C library
 * allocates for itself (stdio's buffers) are not counted; a test measures
 * a difference, from before to after. */
static inline long cl_inuse(void)
{
	return atomic_load(&cl_ninuse);
}
static inline long cl_inuse_peak(void)
{
	return atomic_load(&cl_ninuse_peak);
}

/* Starts cl_inuse_peak() again from the bytes live now. */
static inline void cl_inuse_reset_peak(void)
{
	atomic_store(&cl_ninuse_peak, atomic_load(&cl_ninuse));
}

/* --- benchmark timer (testing.B's ResetTimer, StopTimer, StartTimer) --- */

/* The process's CPU time, every thread, user and system, in ns. From
 * getrusage, which the kernel keeps to the ns: CLOCK_PROCESS_CPUTIME_ID
 * advances by whole ticks once RLIMIT_CPU is set, as the sandbox sets it. */
static inline int64_t cl_cpu_now(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ((int64_t)ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000000 +
	       ((int64_t)ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1000;
}

/* The CPU time this process's threads have wanted, in ns: what each ran
 * plus what it waited for a CPU while runnable (/proc/self/task/<tid>/
 * schedstat). On a loaded machine a goroutine that spins gets a share of
 * a CPU but wants all of it, and one that blocks wants none, so "waiting
 * costs no CPU" is a bound on this that no load can flip: two goroutines
 * spinning for 200 ms want about 400 ms on any machine. Threads that have
 * exited are not counted; where the kernel keeps no schedstat, it is
 * cl_cpu_now(). */
static inline int64_t cl_cpu_wanted(void)
{
	DIR *d = opendir("/proc/self/task");
	struct dirent *e;
	int64_t sum = 0;
	int found = 0;

	if (!d)
		return cl_cpu_now();
	while ((e = readdir(d)) != NULL) {
		char path[64], buf[96];
		long long run, wait;
		ssize_t n;
		int fd;

		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/proc/self/task/%.20s/schedstat", e->d_name);
		if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
			continue;
		n = read(fd, buf, sizeof(buf) - 1);
		close(fd);
		if (n <= 0)
			continue;
		buf[n] = 0;
		if (sscanf(buf, "%lld %lld", &run, &wait) == 2) {
			sum += run + wait;
			found = 1;
		}
	}
	closedir(d);
	return found ? sum : cl_cpu_now();
}

static inline void cl_stop_timer(cl_b *b)
{
	if (b->timer_on) {
		b->ns += go_now() - b->start_ns;
		b->cpu_ns += cl_cpu_now() - b->start_cpu;
		b->allocs += atomic_load(&cl_nallocs) - b->allocs0;
		b->bytes += atomic_load(&cl_nbytes) - b->bytes0;
		b->timer_on = 0;
	}
}
static inline void cl_start_timer(cl_b *b)
{
	if (!b->timer_on) {
		b->allocs0 = atomic_load(&cl_nallocs);
		b->bytes0 = atomic_load(&cl_nbytes);
		b->start_ns = go_now();
		b->start_cpu = cl_cpu_now();
		b->timer_on = 1;
	}
}
static inline void cl_reset_timer(cl_b *b)
{
	b->ns = b->cpu_ns = b->allocs = b->bytes = 0;
	if (b->timer_on) {
		b->timer_on = 0;
		cl_start_timer(b);
	}
}

/* --- the runner ------------------------------------------------------- */

static struct cl_case *cl_find(const char *name)
{
	for (int i = 0; i < cl_ncases; i++)
		if (strcmp(cl_cases[i].name, name) == 0)
			return &cl_cases[i];
	return NULL;
}

/* The token: the first line chanlab wrote into fd 3. */
static int cl_read_token(void)
{
	size_t n = 0;

	while (n < sizeof(cl_token) - 1) {
		ssize_t r = read(3, cl_token + n, 1);

		if (r <= 0)
			return -1;
		if (cl_token[n] == '\n')
			break;
		n++;
	}
	cl_token[n] = '\0';
	return n > 0 ? 0 : -1;
}

/* Runs test case c once: its result lines, a leak check after it. 0 if it
 * passed. quiet: no start/passed lines (a schedule of a batch). */
static int cl_run_case(struct cl_case *c, int quiet)
{
	int leaked = 0;

	if (!quiet)
		cl_emit("start", "%s", c->name);
	c->test();
	fflush(stdout);
	if (cl_failed > CL_MAX_LINES || cl_nlogs > CL_MAX_LINES)
		cl_emit("dropped", "%d %d", cl_failed > CL_MAX_LINES ? cl_failed - CL_MAX_LINES : 0,
			cl_nlogs > CL_MAX_LINES ? cl_nlogs - CL_MAX_LINES : 0);
	/* Goroutines the case left alive are a leak (goleak's VerifyNone):
	 * the report on stderr fails the case, at the creation line. */
	if (go_leakcheck_enabled())
		leaked = go_leakcheck() > 0;
	if (cl_failed || !quiet)
		cl_emit(cl_failed ? "failed" : "passed", "%s", c->name);
	return cl_failed || leaked;
}

/* A schedule's child: what it writes to standard output, standard error
 * and the results goes to memory files (emptied for each schedule) until
 * we know whether it is the schedule to tell. */
struct cl_sched_child {
	pid_t pid;
	long seed;
	int out[3];         /* in place of descriptors 1, 2 and 3 */
	uint64_t *steps;    /* shared: how many decisions its run took */
	uint64_t length;    /* PCT's k it ran with (0: the runtime's own) */
	uint64_t longest;   /* the longest run so far: the next one's k */
};

static int cl_sched_start(struct cl_case *c, struct cl_sched_child *k, long seed, const struct sigaction *quit,
			  const sigset_t *mask)
{
	k->length = k->longest;
	k->seed = seed;
	for (int i = 0; i < 3; i++)
		if (ftruncate(k->out[i], 0) < 0 || lseek(k->out[i], 0, SEEK_SET) < 0)
			return -1;
	fflush(stdout);
	fflush(stderr);
	k->pid = fork();
	if (k->pid < 0)
		return -1;
	if (k->pid == 0) {
		/* more than chanlab keeps of a program's output is of no use:
		 * a schedule that prints without end stops at 4 MiB, and the
		 * copy we pass on is over chanlab's limit, which says so */
		struct rlimit fs = { 4 << 20, 4 << 20 }, cur;
		int rc;

		if (getrlimit(RLIMIT_FSIZE, &cur) == 0 && cur.rlim_cur > fs.rlim_cur)
			setrlimit(RLIMIT_FSIZE, &fs);
		for (int i = 0; i < 3; i++)
			dup2(k->out[i], i + 1);
		sigaction(SIGQUIT, quit, NULL);   /* the runtime's, as it was */
		pthread_sigmask(SIG_SETMASK, mask, NULL);
		go_sched_length(k->length);
		go_sched_seed((uint64_t)seed);
		rc = cl_run_case(c, 1);
		*k->steps = go_sched_steps();
		fflush(stdout);
		fflush(stderr);
		_exit(rc);
	}
	return 0;
}

/* Passes on what schedule k wrote, after its "schedule-run". */
static void cl_sched_tell(struct cl_sched_child *k)
{
	char chunk[16384];

	cl_emit("schedule-run", "%ld", k->seed);
	for (int i = 0; i < 3; i++) {
		ssize_t n;

		if (lseek(k->out[i], 0, SEEK_SET) < 0)
			continue;
		while ((n = read(k->out[i], chunk, sizeof(chunk))) > 0)
			for (ssize_t w, off = 0; off < n; off += w)
				if ((w = write(i + 1, chunk + off, (size_t)(n - off))) <= 0)
					break;
	}
}

/* SIGQUIT, chanlab's "time is up": on whichever thread it lands, it ends
 * up on the one waiting for the child, whose wait it interrupts. */
static volatile sig_atomic_t cl_quit;
static pthread_t cl_waiter;

static void cl_on_quit(int sig)
{
	cl_quit = 1;
	if (!pthread_equal(pthread_self(), cl_waiter))
		pthread_kill(cl_waiter, sig);
}

/* The schedule k ran, as the runtime reads it: "pct:7:3:212" (strategy,
 * seed, depth, and the PCT length it ran with), "random:7". */
static void cl_sched_name(const struct cl_sched_child *k, const char *spec, char *buf, size_t size)
{
	const char *colon = strchr(spec, ':'), *depth = strchr(colon + 1, ':');
	int n = snprintf(buf, size, "%.*s:%ld%s", (int)(colon - spec), spec, k->seed, depth ? depth : "");

	if (k->length && strncmp(spec, "pct:", 4) == 0 && n > 0 && (size_t)n < size)
		snprintf(buf + n, size - (size_t)n, "%s:%llu", depth ? "" : ":3", (unsigned long long)k->length);
}

/* Many deterministic schedules of c in one process (chanlab sets
 * CHANLAB_SCHED=<strategy>:1[:depth] and CHANLAB_SCHED_RUNS=N): one fork
 * per schedule, each child reseeding the scheduler (go_sched_seed) and
 * running the case, until one fails. The program is a single thread in a
 * deterministic run, so the children start from the same state. A failing
 * schedule is named ("schedule pct:7:3:212") and its child's status is
 * ours. PCT draws its change points among a run's decisions: each child
 * runs with the longest run seen so far as its length (the first with
 * the runtime's own), and the name says which it had.
 * What the case says (its output and its results) is the told schedule's
 * only: the first that failed, or the last; "schedule-run N" comes before
 * it, and chanlab keeps only what follows the last of those. */
/* A file of no name in $TMPDIR (the run's private folder, whose size the
 * sandbox caps and counts; memfd_create is refused there), or -1. */
static int cl_tmpfile(void)
{
#ifndef O_TMPFILE
#define O_TMPFILE (020000000 | O_DIRECTORY)
#endif
	const char *dir = getenv("TMPDIR");
	char path[4096];
	int fd;

	if (!dir || !*dir)
		dir = "/tmp";
	if ((fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600)) >= 0)
		return fd;
	snprintf(path, sizeof(path), "%s/chanlab-schedule-XXXXXX", dir);
	if ((fd = mkstemp(path)) >= 0) {
		unlink(path);
		fcntl(fd, F_SETFD, FD_CLOEXEC);
	}
	return fd;
}

static int cl_run_schedules(struct cl_case *c, long runs)
{
	const char *spec = getenv("CHANLAB_SCHED");
	struct cl_sched_child k = { .out = { -1, -1, -1 } };
	char name[96];
	struct sigaction quit, on_quit = { .sa_handler = cl_on_quit };   /* no SA_RESTART */
	sigset_t quitset, mask;
	int rc = 0, sig = 0;

	cl_emit("start", "%s", c->name);
	for (int i = 0; i < 3; i++)
		k.out[i] = cl_tmpfile();
	k.steps = mmap(NULL, sizeof(*k.steps), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (k.out[0] < 0 || k.out[1] < 0 || k.out[2] < 0 || k.steps == MAP_FAILED) {
		for (int i = 0; i < 3; i++)
			if (k.out[i] >= 0)
				close(k.out[i]);
		if (k.steps != MAP_FAILED)
			munmap(k.steps, sizeof(*k.steps));
		return cl_fail(c->file, c->line, "cannot make files for the schedules' output"), 2;
	}
	/* at the time limit chanlab sends the process group SIGQUIT: we tell
	 * the schedule that was running (what it said so far, and its seed to
	 * replay it), and end */
	cl_waiter = pthread_self();
	sigemptyset(&on_quit.sa_mask);
	sigaction(SIGQUIT, &on_quit, &quit);
	sigemptyset(&quitset);
	sigaddset(&quitset, SIGQUIT);
	pthread_sigmask(SIG_UNBLOCK, &quitset, &mask);
	for (long seed = 1; seed <= runs; seed++) {
		int st, failed;
		pid_t w;

		if (cl_sched_start(c, &k, seed, &quit, &mask) < 0) {
			cl_fail(c->file, c->line, "cannot fork for schedule %ld", seed);
			rc = 2;
			break;
		}
		while ((w = waitpid(k.pid, &st, 0)) < 0 && errno == EINTR && !cl_quit)
			;
		if (w < 0) {    /* the time is up: this schedule never ended */
			kill(k.pid, SIGKILL);
			while (waitpid(k.pid, NULL, 0) < 0 && errno == EINTR)
				;
			cl_sched_tell(&k);
			cl_sched_name(&k, spec, name, sizeof(name));
			cl_emit("schedule", "%s", name);
			rc = 2;
			break;
		}
		failed = !WIFEXITED(st) || WEXITSTATUS(st) != 0;
		if (!failed && *k.steps > k.longest)
			k.longest = *k.steps;
		if (failed || seed == runs) {
			cl_sched_tell(&k);
			if (failed) {
				cl_sched_name(&k, spec, name, sizeof(name));
				cl_emit("schedule", "%s", name);
				rc = WIFEXITED(st) ? WEXITSTATUS(st) : 2;
				sig = WIFSIGNALED(st) ? WTERMSIG(st) : 0;
			} else {
				cl_emit("passed", "%s", c->name);
			}
			break;
		}
	}
	for (int i = 0; i < 3; i++)
		close(k.out[i]);
	munmap(k.steps, sizeof(*k.steps));
	sigaction(SIGQUIT, &quit, NULL);
	pthread_sigmask(SIG_SETMASK, &mask, NULL);
	if (sig)
		raise(sig);     /* as the schedule ended, so do we */
	return rc;
}

int go_main(int argc, char **argv)
{
	struct cl_case *c;

	if (argc < 2 || cl_read_token() < 0) {
		fprintf(stderr, "this is a chanlab test harness: chanlab runs it\n");
		return 2;
	}
	cl_out = fdopen(3, "w");
	if (!cl_out)
		return 2;
	if (strcmp(argv[1], "--list") == 0) {
		for (int i = 0; i < cl_ncases; i++)
			cl_emit(cl_cases[i].test ? "test" : "bench", "%s", cl_cases[i].name);
		cl_emit("end", "list");
		return 0;
	}
	if (argc < 3 || !(c = cl_find(argv[2]))) {
		cl_emit("error", "no test case '%s'", argc > 2 ? argv[2] : "");
		return 2;
	}
	if (strcmp(argv[1], "--run") == 0 && c->test) {
		const char *runs = getenv("CHANLAB_SCHED_RUNS"), *spec = getenv("CHANLAB_SCHED");
		const char *colon = spec ? strchr(spec, ':') : NULL;

		if (runs && atol(runs) > 0 && colon)
			return cl_run_schedules(c, atol(runs));
		/* one schedule, a replay: seeded where a search's child seeds
		 * it, just before the case, so that it is the run that failed */
		if (colon)
			go_sched_seed(strtoull(colon + 1, NULL, 10));
		cl_run_case(c, 0);
		return 0;
	}
	if (strcmp(argv[1], "--bench") == 0 && c->bench && argc > 3) {
		cl_b b = { .n = atol(argv[3]) };

		if (b.n < 1)
			b.n = 1;
		cl_start_timer(&b);
		c->bench(&b);
		cl_stop_timer(&b);
		cl_emit("bench", "%s %ld %lld %ld %ld %lld", c->name, b.n, (long long)b.ns, b.allocs, b.bytes,
			(long long)b.cpu_ns);
		return 0;
	}
	cl_emit("error", "'%s' cannot run that way", c->name);
	return 2;
}

#endif
