/* checker/trace: the facts of a trace the runtime wrote of a program with
 * known waits (tests/runtime/contend.c: about 100 ms on a channel, 50 ms
 * on a WaitGroup, 45 ms on a mutex, with a task, a region and a log; and
 * tests/runtime/syscall.c: 100 ms in read(2), 200 ms in usleep), and
 * damaged traces refused. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/err.h"
#include "base/fs.h"
#include "checker/trace.h"
#include "tests/tap.h"

/* Whether the trace is refused with a message containing want (or, when
 * given, want2). */
static bool refused2(const char *data, size_t len, const char *want, const char *want2)
{
	struct trace_facts f;
	int rc = trace_facts(&f, data, len);
	bool ok = rc < 0 && (strstr(err_msg(), want) || (want2 && strstr(err_msg(), want2)));

	if (!ok)
		printf("# rc %d, message '%s', wanted '%s'%s%s\n", rc, err_msg(), want, want2 ? " or " : "",
		       want2 ? want2 : "");
	return ok;
}

static bool refused(const char *data, size_t len, const char *want)
{
	return refused2(data, len, want, NULL);
}

static bool near(double got, double want, double lo, double hi)
{
	return got >= want * lo && got <= want * hi;
}

int main(void)
{
	const char *b = getenv("B") ? getenv("B") : "build";
	char dir[256], path[512], *raw;
	size_t len;
	struct trace_facts f;

	plan(12);
	snprintf(dir, sizeof(dir), "%s/chanlab-trace-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(dir))
		return 1;
	snprintf(path, sizeof(path), "%s/trace.out", dir);
	sh("GOMAXPROCS=2 CHANLAB_TRACE='%s' %s/tests/runtime/contend", path, b);
	raw = fs_read(path, &len);
	ok(raw && trace_facts(&f, raw, len) == 0, "the runtime's trace reads (%s)", err_msg());
	ok(f.goroutines == 4 && f.procs == 2, "it counts the four goroutines and GOMAXPROCS (%ld, %d)", f.goroutines, f.procs);
	ok(f.max_running >= 1 && f.max_running <= 2, "at most two ran at once, on two Ps (%d)", f.max_running);
	ok(near(f.blocked[TW_RECV], 0.100, 0.95, 3) && f.blocks[TW_RECV] >= 1,
	   "about 100 ms waiting on a channel (%.3f s)", f.blocked[TW_RECV]);
	ok(near(f.blocked[TW_SYNC], 0.095, 0.9, 3), "about 95 ms waiting on the WaitGroup and the mutex (%.3f s)",
	   f.blocked[TW_SYNC]);
	ok(near(f.blocked[TW_SLEEP], 0.155, 0.9, 3), "about 155 ms asleep (%.3f s)", f.blocked[TW_SLEEP]);
	ok(f.seconds >= 0.15 && f.busy[0] + f.busy[1] < f.seconds, "the Ps were mostly idle (%.4f + %.4f of %.3f s)",
	   f.busy[0], f.busy[1], f.seconds);

	{
		char sys_path[512], *sys;
		size_t sys_len;
		struct trace_facts fs = { 0 };

		snprintf(sys_path, sizeof(sys_path), "%s/sys.out", dir);
		sh("GOMAXPROCS=1 CHANLAB_TRACE='%s' %s/tests/runtime/syscall >/dev/null", sys_path, b);
		sys = fs_read(sys_path, &sys_len);
		if (!sys || trace_facts(&fs, sys, sys_len) < 0)
			fs.blocks[TW_SYSCALL] = -1;
		ok(fs.blocks[TW_SYSCALL] >= 2 && near(fs.blocked[TW_SYSCALL], 0.29, 0.8, 3),
		   "system calls whose P was taken are waits in system calls (%ld, %.3f s)", fs.blocks[TW_SYSCALL],
		   fs.blocked[TW_SYSCALL]);
		free(sys);
	}

	/* cut inside an event it is damaged; cut between two, it lacks the
	 * Frequency event a finished trace ends with */
	ok(raw && refused2(raw, len / 2, "damaged", "did not finish writing it"), "a truncated trace is refused");
	ok(refused("not a trace at all......", 24, "not a trace"), "a file of another kind is refused");
	ok(raw && refused(raw, len - 1, "damaged") , "a trace cut by one byte is refused");
	{
		char bad[32] = "go 1.19 trace\0\0\0";

		bad[16] = 63;           /* an event type that does not exist */
		ok(refused(bad, 17, "unknown event"), "an unknown event is refused");
	}
	free(raw);
	sh("rm -rf '%s'", dir);
	return done();
}
