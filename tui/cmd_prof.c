/*
 * cmd_prof — `chanlab profile`: where an exercise's time (or memory, or
 * waiting) goes, from the profiles of the learner's own runs.
 *
 * A profile is taken the way the check runs the learner's code: the check
 * runs as `chanlab check` would (and is recorded as a check), with every
 * run of the learner's own program in the normal or debug flavour taking a
 * profile of the kind asked; the runs' profiles (a harness runs each case
 * in a process of its own) are merged into one call tree (checker/flame)
 * and printed as pprof's top table, or as folded stacks for flame graph
 * tools. The files stay in <home>/profiles/<key>/last/ (tui/profiles.h),
 * and the command that opens them in Go's own tools is printed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/buf.h"
#include "base/err.h"
#include "base/fs.h"
#include "base/str.h"
#include "checker/flame.h"
#include "checker/trace.h"
#include "tui/cmd.h"
#include "tui/profiles.h"
#include "tui/timeline.h"

/* Folded stacks of f ("main;work;hash 30"), one line per node with a value of its own. */
static void print_folded(FILE *out, const struct flame *f)
{
	struct buf path = BUF_INIT;

	for (size_t i = 1; i < f->nnodes; i++) {
		size_t chain[512], n = 0;

		if (!f->nodes[i].self)
			continue;
		for (size_t k = i; k && n < 512; k = f->nodes[k].parent)
			chain[n++] = k;
		path.len = 0;
		while (n-- > 0)
			buf_printf(&path, "%s%s", path.len ? ";" : "", f->fns[f->nodes[chain[n]].fn].name);
		fprintf(out, "%s %lld\n", path.s ? path.s : "", (long long)f->nodes[i].self);
	}
	buf_release(&path);
}

static const char *kind_flag(const struct cmd_args *a)
{
	static const char *const flags[] = { "--cpu", "--alloc", "--block", "--mutex" };

	for (size_t i = 0; i < 4; i++)
		if (cmd_flag(a, flags[i], NULL))
			return profiles_kinds[i];
	return NULL;
}

static int cmd_profile(struct app *app, const struct cmd_args *a)
{
	const struct pack_exercise *ex = pack_find(app->pack, a->argv[0]);
	const char *kind = kind_flag(a), *which = cmd_flag(a, "--prev", NULL) ? "prev" : "last";
	const char *top_s = NULL;
	struct flame f = FLAME_INIT;
	char files[8192];
	long top = 20;
	int n, rc = EXIT_PASS;

	if (!ex)
		return cmd_no_exercise(app->pack, a->argv[0]);
	if (cmd_flag(a, "--top=", &top_s) && ((top = strtol(top_s, NULL, 10)) < 0 || top > 100000)) {
		fprintf(stderr, "chanlab: --top wants a number of rows (0: all)\n");
		return EXIT_USAGE;
	}
	if (!cmd_flag(a, "--last", NULL) && !cmd_flag(a, "--prev", NULL)) {
		struct check_verdict v;
		char commit[41];

		app->profile_all = kind ? kind : "cpu";
		if (app_check(app, ex, &v, commit) < 0) {
			check_verdict_release(&v);
			return cmd_error();
		}
		if (!cmd_flag(a, "--folded", NULL))
			fprintf(stdout, "%s: %s (%zu tests, %.2f s; recorded as a check)\n", ex->id,
				v.status == CHECK_PASS ? "passed" : "not passed", v.ntests, v.seconds);
		check_verdict_release(&v);
	}
	/* without a kind: CPU if the last check kept one, else the first kind it kept */
	n = 0;
	for (size_t i = 0; !kind && i < 4; i++)
		if ((n = profiles_load(app->home, ex->key, which, profiles_kinds[i], &f, files, sizeof(files))) != 0)
			kind = profiles_kinds[i];
	if (!kind)
		kind = "cpu";
	else if (!n)
		n = profiles_load(app->home, ex->key, which, kind, &f, files, sizeof(files));
	if (n < 0) {
		flame_release(&f);
		return cmd_error();
	}
	if (n == 0 || !f.total) {
		fprintf(stderr, "chanlab: no %s profile of %s is kept%s\n", kind, ex->id,
			n == 0 ? ": its programs did not run to the end, or the check runs none of your code"
			       : ": the runs took no samples (too short to measure?)");
		flame_release(&f);
		return EXIT_NOTPASS;
	}
	if (cmd_flag(a, "--folded", NULL)) {
		print_folded(stdout, &f);
	} else {
		char total[32];

		profiles_value(total, sizeof(total), f.total, profiles_unit(kind));
		printf("%s profile, %d run%s merged, %s in all\n", kind, n, n == 1 ? "" : "s", total);
		profiles_print_top(stdout, &f, profiles_unit(kind), (size_t)top);
		printf("\nopen it in Go's tools (one file per run):\n  go tool pprof -top %s\n"
		       "  go tool pprof -http=localhost:8080 %s\n", files, files);
	}
	flame_release(&f);
	return rc;
}

/* The facts of one trace, in a few lines. */
static void print_facts(const struct trace_facts *f)
{
	printf("%.3f s, %ld events, %ld goroutines (at most %ld alive, %d running at once), GOMAXPROCS %d\n",
	       f->seconds, f->events, f->goroutines, f->max_alive, f->max_running, f->procs);
	for (int p = 0; p < f->nprocs && p < TRACE_MAX_PROCS; p++)
		printf("  P%d ran goroutines %.3f s (%.0f%%)\n", p, f->busy[p], f->seconds > 0 ? 100 * f->busy[p] / f->seconds : 0);
	printf("  blocked:");
	for (int w = 0; w < TW_COUNT; w++)
		if (f->blocks[w])
			printf(" %s %.3f s (%ld times)", trace_wait_name((enum trace_wait)w), f->blocked[w], f->blocks[w]);
	printf("\n  waiting for a P (scheduler latency): median %.0f us, 99th percentile %.0f us, most %.0f us\n",
	       f->latency_p50 * 1e6, f->latency_p99 * 1e6, f->latency_max * 1e6);
}

/* The timeline in the Trace Event Format (Chrome's about:tracing, Perfetto,
 * speedscope read it): a thread per P, a complete event ("X") per stretch
 * a goroutine ran, named by it and saying how it stopped, and a counter of
 * the goroutines waiting for a P. Times in microseconds. 0 or -1. */
static int write_chrome(const char *path, const struct trace_timeline *tl, int procs)
{
	static const char *const stops[] = { "blocked", "yielded", "preempted", "ended" };
	FILE *out = fopen(path, "w");

	if (!out)
		return err_sys("cannot write '%s'", path);
	fprintf(out, "{\"displayTimeUnit\":\"ms\",\"traceEvents\":[\n");
	fprintf(out, "{\"ph\":\"M\",\"pid\":1,\"name\":\"process_name\",\"args\":{\"name\":\"goroutines on Ps\"}}");
	for (int p = 0; p < procs; p++)
		fprintf(out, ",\n{\"ph\":\"M\",\"pid\":1,\"tid\":%d,\"name\":\"thread_name\",\"args\":{\"name\":\"P%d\"}}", p, p);
	for (size_t i = 0; i < tl->nspans; i++) {
		const struct trace_span *s = &tl->spans[i];

		fprintf(out, ",\n{\"ph\":\"X\",\"pid\":1,\"tid\":%d,\"name\":\"G%llu\",\"cat\":\"goroutine\","
			"\"ts\":%.3f,\"dur\":%.3f,\"args\":{\"stopped\":\"%s%s%s\"}}",
			s->p, (unsigned long long)s->g, (double)s->start / 1e3, (double)(s->end - s->start) / 1e3,
			s->stop < 4 ? stops[s->stop] : "?", s->stop == TS_BLOCK ? " on " : "",
			s->stop == TS_BLOCK ? trace_wait_name((enum trace_wait)s->why) : "");
	}
	for (size_t i = 0; i < tl->nrunnable; i++)
		fprintf(out, ",\n{\"ph\":\"C\",\"pid\":1,\"name\":\"waiting for a P\",\"ts\":%.3f,"
			"\"args\":{\"goroutines\":%d}}", (double)tl->runnable[i].t / 1e3, tl->runnable[i].n);
	fprintf(out, "\n]}\n");
	if (fclose(out) != 0)
		return err_sys("cannot write '%s'", path);
	return 0;
}

static int cmd_trace(struct app *app, const struct cmd_args *a)
{
	const struct pack_exercise *ex = pack_find(app->pack, a->argv[0]);
	const char *run_s = NULL, *cols = getenv("COLUMNS"), *chrome = NULL;
	struct trace_timeline tl = { 0 };
	struct trace_facts f;
	struct timeline_grid g;
	char **files, *data;
	size_t n = 0, len, pick = 0;
	long want = 0, width = cols ? strtol(cols, NULL, 10) - 8 : 72;
	int rc = EXIT_PASS;

	if (!ex)
		return cmd_no_exercise(app->pack, a->argv[0]);
	if (cmd_flag(a, "--run=", &run_s) && (want = strtol(run_s, NULL, 10)) < 1) {
		fprintf(stderr, "chanlab: --run wants the number of a traced run (1, 2, ...)\n");
		return EXIT_USAGE;
	}
	if (!cmd_flag(a, "--last", NULL)) {
		struct check_verdict v;
		char commit[41];

		app->profile_all = "trace";
		if (app_check(app, ex, &v, commit) < 0) {
			check_verdict_release(&v);
			return cmd_error();
		}
		printf("%s: %s (%zu tests, %.2f s; recorded as a check)\n", ex->id,
		       v.status == CHECK_PASS ? "passed" : "not passed", v.ntests, v.seconds);
		check_verdict_release(&v);
	}
	if (!(files = profiles_traces(app->home, ex->key, "last")))
		return err_set("out of memory"), cmd_error();
	while (files[n])
		n++;
	if (!n) {
		fprintf(stderr, "chanlab: no trace of %s is kept: its programs did not run to the end, or the check "
			"runs none of your code\n", ex->id);
		str_list_free(files);
		return EXIT_NOTPASS;
	}
	/* the run asked for, else the longest: the one with the most to see */
	for (size_t i = 0; i < n && !want; i++) {
		struct stat st, best;

		if (stat(files[i], &st) == 0 && (i == 0 || (stat(files[pick], &best) == 0 && st.st_size > best.st_size)))
			pick = i;
	}
	if (want)
		pick = (size_t)want - 1 < n ? (size_t)want - 1 : n - 1;
	if (!(data = fs_read(files[pick], &len)) || trace_read(&f, &tl, data, len) < 0) {
		fprintf(stderr, "chanlab: %s: %s\n", files[pick], err_msg());
		free(data);
		str_list_free(files);
		return EXIT_ERROR;
	}
	printf("trace of run %zu of %zu: ", pick + 1, n);
	print_facts(&f);
	if (width < 20)
		width = 20;
	if (width > 200)
		width = 200;
	if (tl.duration > 0 && timeline_layout(&g, &tl, f.nprocs > f.procs ? f.nprocs : f.procs, 0, tl.duration,
					       (int)width) == 0) {
		timeline_print(stdout, &g);
		timeline_grid_release(&g);
	}
	printf("\nopen it in Go's tool:\n  go tool trace %s\n", files[pick]);
	if (cmd_flag(a, "--chrome=", &chrome)) {
		if (write_chrome(chrome, &tl, f.nprocs > f.procs ? f.nprocs : f.procs) < 0) {
			fprintf(stderr, "chanlab: %s\n", err_msg());
			rc = EXIT_ERROR;
		} else {
			printf("the timeline as Chrome's trace events (about:tracing, ui.perfetto.dev):\n  %s\n", chrome);
		}
	}
	trace_timeline_release(&tl);
	free(data);
	str_list_free(files);
	return rc;
}

const struct cmd cmd_prof[] = {
	{ "profile", "chanlab profile [--cpu|--alloc|--block|--mutex] [--last|--prev] [--folded] [--top=N] ID",
	  "profile your code as exercise ID's check runs it: where the time goes",
	  "Checks exercise ID as 'chanlab check' does (the check is recorded), with\n"
	  "every run of your own code taking a profile, merges the profiles of the\n"
	  "runs (a test harness runs each case in a process of its own) and prints\n"
	  "pprof's top table: for each function, the time it ran itself (flat) and\n"
	  "with what it called (cum), heaviest first, at its hottest line.\n\n"
	  "  --cpu        where the CPU time goes (the default)\n"
	  "  --alloc      where memory is allocated (bytes)\n"
	  "  --block      where goroutines wait on channels, select and sync\n"
	  "  --mutex      which unlocks kept other goroutines waiting\n"
	  "  --last       show the profiles the last check kept, without a new check\n"
	  "  --prev       the ones kept before those, to compare\n"
	  "  --folded     folded stacks (\"main;work;hash 30\") for flame graph tools\n"
	  "  --top=N      print N rows (default 20; 0: all)\n\n"
	  "The files stay in <home>/profiles/ID/last/, in pprof's format; the command\n"
	  "that opens them in 'go tool pprof' is printed after the table.\n",
	  (const char *const[]){ "--cpu", "--alloc", "--block", "--mutex", "--last", "--prev", "--folded", "--top=",
				 NULL },
	  1, 1, false, cmd_profile },
	{ "trace", "chanlab trace [--last] [--run=N] [--chrome=FILE] ID", "trace your code as exercise ID's check runs it: the scheduler's timeline",
	  "Checks exercise ID as 'chanlab check' does (the check is recorded), with\n"
	  "every run of your own code writing an execution trace, and prints what the\n"
	  "longest run's trace says: how many goroutines, how busy each P was, what\n"
	  "goroutines waited on and for how long, how long runnable goroutines waited\n"
	  "for a P, and the scheduler timeline: a row per P, time across, a letter\n"
	  "per goroutine.\n\n"
	  "  --last       show the traces the last check kept, without a new check\n"
	  "  --run=N      the N-th traced run rather than the longest\n"
	  "  --chrome=F   also write its timeline to F in Chrome's trace event format\n"
	  "               (about:tracing and ui.perfetto.dev open it): a row per P, a\n"
	  "               slice per stretch a goroutine ran\n\n"
	  "The files are Go 1.19's trace format: 'go tool trace FILE' opens them.\n",
	  (const char *const[]){ "--last", "--run=", "--chrome=", NULL }, 1, 1, false, cmd_trace },
	{ .name = NULL },
};
