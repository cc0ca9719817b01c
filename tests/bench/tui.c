/*
 * tui — how the shell feels, measured on the real binary through a
 * pseudo-terminal: time from exec to the first full frame, from a key
 * press to its redraw, CPU used while idle (home and exercise screens,
 * the watcher active), and resident memory.
 *
 *   build/bench/tui CHANLAB HOME [RUNS]
 *
 * Wall-clock figures grow with the machine's load; startup_cpu (the CPU
 * time of a whole start-first-frame-quit run) does not.
 *
 * Prints `name value unit [note]` lines (tests/bench/run).
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

struct term {
	pid_t pid;
	int fd;
	char out[1 << 20];
	size_t len;
};

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int start(struct term *t, const char *exe, const char *home)
{
	struct winsize ws = { .ws_row = 30, .ws_col = 100 };

	t->len = 0;
	t->pid = forkpty(&t->fd, NULL, NULL, &ws);
	if (t->pid < 0)
		return -1;
	if (t->pid == 0) {
		setenv("TERM", "xterm-256color", 1);
		setenv("LANG", "C.UTF-8", 1);
		setenv("LC_ALL", "C.UTF-8", 1);
		unsetenv("NO_COLOR");
		execl(exe, exe, "--home", home, (char *)NULL);
		_exit(127);
	}
	return 0;
}

static bool contains(const char *s, size_t n, const char *want)
{
	size_t w = strlen(want);

	for (size_t i = 0; i + w <= n; i++)
		if (memcmp(s + i, want, w) == 0)
			return true;
	return false;
}

/* Reads until the output since `from` holds want, or timeout_ms passes.
 * The time it was seen, or -1. */
static double wait_for(struct term *t, size_t from, const char *want, double timeout_ms)
{
	double deadline = now_ms() + timeout_ms;

	for (;;) {
		struct pollfd p = { .fd = t->fd, .events = POLLIN };
		double left = deadline - now_ms();
		ssize_t n;

		t->out[t->len] = '\0';
		if (t->len > from && contains(t->out + from, t->len - from, want))
			return now_ms();
		if (left <= 0 || poll(&p, 1, (int)left + 1) <= 0)
			return -1;
		n = read(t->fd, t->out + t->len, sizeof(t->out) - 1 - t->len);
		if (n <= 0)
			return -1;
		t->len += (size_t)n;
		if (t->len > sizeof(t->out) / 2) {   /* keep the tail */
			memmove(t->out, t->out + t->len - 4096, 4096);
			from = from > t->len - 4096 ? from - (t->len - 4096) : 0;
			t->len = 4096;
		}
	}
}

/* Reads whatever is there for ms milliseconds (keeps the pty drained). */
static void drain(struct term *t, double ms)
{
	wait_for(t, t->len, "\x01never\x01", ms);
}

/* Ends chanlab (SIGTERM: it quits cleanly) and returns the CPU time it
 * used in all, in ms: a figure a loaded machine does not inflate. */
static double stop(struct term *t)
{
	struct rusage ru;

	kill(t->pid, SIGTERM);
	drain(t, 50);
	if (wait4(t->pid, NULL, 0, &ru) < 0)
		return -1;
	close(t->fd);
	return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 +
	       (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3;
}

static long cpu_ticks(pid_t pid)
{
	char path[64], buf[1024], *p;
	unsigned long ut = 0, st = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	if (!(f = fopen(path, "r")))
		return -1;
	if (!fgets(buf, sizeof(buf), f) || !(p = strrchr(buf, ')')) ||
	    sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &ut, &st) != 2)
		ut = st = 0;
	fclose(f);
	return (long)(ut + st);
}

static long status_field(pid_t pid, const char *name)
{
	char path[64], line[256];
	long v = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	if (!(f = fopen(path, "r")))
		return -1;
	while (fgets(line, sizeof(line), f))
		if (strncmp(line, name, strlen(name)) == 0)
			v = atol(line + strlen(name) + 1);
	fclose(f);
	return v;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static void report(const char *name, double *v, int n, const char *unit)
{
	qsort(v, (size_t)n, sizeof(*v), cmp_double);
	printf("%s_median %.2f %s\n", name, v[n / 2], unit);
	printf("%s_p90 %.2f %s\n", name, v[n * 9 / 10], unit);
	printf("%s_max %.2f %s (of %d)\n", name, v[n - 1], unit, n);
}

/* Idle CPU over ms milliseconds, in percent, and the wake-ups (context
 * switches) in that time. */
static void idle(struct term *t, const char *where, double ms)
{
	long c0 = cpu_ticks(t->pid), s0 = status_field(t->pid, "voluntary_ctxt_switches");
	long c1, s1;

	drain(t, ms);
	c1 = cpu_ticks(t->pid);
	s1 = status_field(t->pid, "voluntary_ctxt_switches");
	printf("idle_cpu_%s %.2f %% (%ld ticks of 1/%ld s in %.0f ms)\n", where,
	       100.0 * (double)(c1 - c0) / (double)sysconf(_SC_CLK_TCK) / (ms / 1000.0), c1 - c0,
	       sysconf(_SC_CLK_TCK), ms);
	printf("idle_wakeups_%s %ld count (in %.0f ms)\n", where, s1 - s0, ms);
}

int main(int argc, char **argv)
{
	static struct term t;
	int runs = argc > 3 ? atoi(argv[3]) : 20, nkeys = 40;
	double startup[200], cpu[200], keys[200];

	if (argc < 3 || runs < 1 || runs > 200) {
		fprintf(stderr, "usage: tui CHANLAB HOME [RUNS]\n");
		return 2;
	}
	signal(SIGPIPE, SIG_IGN);
	/* start to the first full frame: the footer is the last thing drawn */
	for (int i = 0; i < runs; i++) {
		double t0 = now_ms(), t1;

		if (start(&t, argv[1], argv[2]) < 0)
			return perror("forkpty"), 1;
		t1 = wait_for(&t, 0, "quit", 5000);
		if (t1 < 0) {
			fprintf(stderr, "tui: no first frame within 5 s\n");
			return 1;
		}
		startup[i] = t1 - t0;
		if (i < runs - 1)
			cpu[i] = stop(&t);
	}
	report("startup_to_first_frame", startup, runs, "ms");
	if (runs > 1)
		report("startup_cpu", cpu, runs - 1, "ms");

	/* a key press to its redraw: ? opens the help box, any key closes it;
	 * the redraw is done when the last byte of the response has come
	 * (ncurses writes a frame at once; 20 ms of quiet ends it) */
	drain(&t, 200);
	for (int i = 0; i < nkeys; i++) {
		double t0 = now_ms(), last = -1;

		if (write(t.fd, i % 2 ? "x" : "?", 1) != 1)
			return 1;
		for (;;) {
			size_t from = t.len;

			if (wait_for(&t, from, "", 20) < 0 && t.len == from && last >= 0)
				break;
			if (t.len > from)
				last = now_ms();
			if (now_ms() - t0 > 2000)
				break;
		}
		keys[i] = last < 0 ? 2000 : last - t0;
	}
	report("key_to_redraw", keys, nkeys, "ms");

	idle(&t, "home", 3000);
	if (write(t.fd, "\r", 1) != 1)
		return 1;
	wait_for(&t, t.len, "watching your files", 2000);
	drain(&t, 300);
	idle(&t, "exercise", 3000);
	printf("rss %.1f MB\n", (double)status_field(t.pid, "VmRSS") / 1024.0);
	printf("rss_peak %.1f MB\n", (double)status_field(t.pid, "VmHWM") / 1024.0);
	stop(&t);
	return 0;
}
