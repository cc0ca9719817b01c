/* A sandboxed run of a trivial program, start to exit (issue 10's budget:
 * the walls cost little). Runs /bin/true through proc_run with the
 * sandbox N times (argv[1], default 200) and prints the median and p90 in
 * ms as `name value unit` lines; compile it against another revision's
 * checker to compare the two side by side. */
#include <stdio.h>
#include <stdlib.h>

#include "checker/bench.h"
#include "checker/proc.h"

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 200;
	const char *args[] = { "/bin/true", NULL };
	double *t = calloc((size_t)(n > 0 ? n : 1), sizeof(*t));

	if (!t || n < 1)
		return 1;
	for (int i = 0; i < n; i++) {
		struct proc_opts o = PROC_OPTS_INIT;
		struct proc_result r;

		o.argv = args;
		o.sandbox = true;
		if (proc_run(&r, &o) < 0 || r.status != 0) {
			fprintf(stderr, "sandbox: /bin/true did not run cleanly\n");
			return 1;
		}
		t[i] = r.seconds * 1e3;
		proc_result_release(&r);
	}
	printf("sandbox_true_median %.2f ms\n", bench_median(t, (size_t)n));
	printf("sandbox_true_p90 %.2f ms\n", t[n * 9 / 10]);
	free(t);
	return 0;
}
