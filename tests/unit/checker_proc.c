/* checker/proc: real child processes with limits, timeouts and output caps. */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/buf.h"
#include "checker/proc.h"
#include "tests/tap.h"

static int run_sh(struct proc_result *r, const char *script, double timeout, size_t cap)
{
	const char *argv[] = { "/bin/sh", "-c", script, NULL };
	struct proc_opts o = PROC_OPTS_INIT;

	o.argv = argv;
	o.timeout = timeout;
	if (cap)
		o.output_cap = cap;
	return proc_run(r, &o);
}

int main(void)
{
	struct proc_result r;
	const char *cat[] = { "/bin/cat", NULL };
	struct proc_opts o = PROC_OPTS_INIT;
	struct buf b = BUF_INIT;
	char how[128];

	plan(25);

	ok(run_sh(&r, "echo hello; echo oops >&2; exit 3", 5, 0) == 0, "a program runs");
	is_str(r.out, "hello\n", "stdout is captured");
	is_str(r.err, "oops\n", "stderr is captured apart");
	is_int(r.status, 3, "the exit status is kept");
	proc_result_release(&r);

	run_sh(&r, "kill -SEGV $$", 5, 0);
	is_int(r.signal, SIGSEGV, "a crash is reported as its signal");
	ok(strstr(proc_describe(&r, how, sizeof(how)), "SIGSEGV") != NULL, "and described: %s", how);
	proc_result_release(&r);

	run_sh(&r, "sleep 30", 0.3, 0);
	ok(r.timed_out, "a program that sleeps past its timeout is stopped");
	ok(r.seconds < 2.0, "promptly (%.2f s)", r.seconds);
	proc_result_release(&r);

	/* At the deadline SIGQUIT comes first (the runtime flushes stdout and
	 * exits), SIGKILL after a short grace; in a sandbox too, where the
	 * program is init's child. */
	for (int sandbox = 0; sandbox <= 1; sandbox++) {
		const char *argv[] = { "/bin/sh", "-c",
			"trap 'echo quit; exit 0' QUIT; echo before; while :; do :; done", NULL };
		struct proc_opts q = PROC_OPTS_INIT;
		const char *in = sandbox ? " (sandboxed)" : "";

		q.argv = argv;
		q.timeout = 0.3;
		q.sandbox = sandbox;
		proc_run(&r, &q);
		ok(r.timed_out && r.status == -1 && r.signal == 0,
		   "a program that answers SIGQUIT at its timeout is still timed out%s", in);
		is_str(r.out, "before\nquit\n", "and what it printed, then too, is kept%s", in);
		proc_result_release(&r);

		argv[2] = "trap '' QUIT; echo before; while :; do :; done";
		proc_run(&r, &q);
		ok(r.timed_out && r.seconds < 2.0, "one that ignores SIGQUIT is killed after the grace%s (%.2f s)",
		   in, r.seconds);
		proc_result_release(&r);
	}

	/* A grandchild in the background must not keep the run alive. */
	run_sh(&r, "sleep 30 & echo started", 5, 0);
	ok(!r.timed_out && r.seconds < 2.0, "a background grandchild is killed with its group (%.2f s)", r.seconds);
	is_str(r.out, "started\n", "and the output before it is kept");
	proc_result_release(&r);

	run_sh(&r, "yes chanlab | head -c 10000000", 10, 4096);
	is_int(r.out_len, 4096, "output past the cap is dropped");
	ok(r.out_truncated, "and the truncation is reported");
	proc_result_release(&r);

	o.argv = cat;
	o.stdin_data = "piped input\n";
	o.stdin_len = strlen(o.stdin_data);
	proc_run(&r, &o);
	is_str(r.out, "piped input\n", "stdin is fed from a buffer");
	proc_result_release(&r);

	/* 1 MiB of stdin while the child echoes it: no deadlock between the pipes. */
	for (int i = 0; i < 16384; i++)
		buf_puts(&b, "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde\n");
	o.stdin_data = b.s;
	o.stdin_len = b.len;
	o.output_cap = 2u << 20;
	proc_run(&r, &o);
	is_int(r.out_len, b.len, "a megabyte passes through stdin and stdout");
	proc_result_release(&r);
	buf_release(&b);

	run_sh(&r, "ulimit -c", 5, 0);
	is_str(r.out, "0\n", "core dumps are off");
	proc_result_release(&r);

	{
		const char *argv[] = { "/nonexistent/program", NULL };
		struct proc_opts n = PROC_OPTS_INIT;

		n.argv = argv;
		ok(proc_run(&r, &n) == 0 && r.status == 127, "a missing program exits 127");
		ok(strstr(proc_describe(&r, how, sizeof(how)), "could not be started") != NULL, "described: %s", how);
		proc_result_release(&r);
	}

	run_sh(&r, "test \"$(cut -d' ' -f6 /proc/$$/stat)\" = $$ && echo leader", 5, 0);
	is_str(r.out, "leader\n", "the child leads its own session");
	proc_result_release(&r);

	run_sh(&r, "exec sh -c 'exit 0'", 5, 0);
	is_int(r.status, 0, "exit 0 is success");
	proc_result_release(&r);
	return done();
}
