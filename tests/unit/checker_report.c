/* checker/report: real sanitizer and runtime reports from real programs
 * (the programs in tests/hostile, built with checker/build), parsed into kind and the
 * learner's file:line. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "checker/build.h"
#include "checker/proc.h"
#include "checker/report.h"
#include "tests/tap.h"

static char rtlib[512], out[512];

/* Builds tests/hostile/<name>.c in flavour, runs it, parses its stderr. */
static int run(struct report_list *l, const char *name, const char *flavour, const char *const *env)
{
	char src[256];
	const char *sources[] = { src, NULL };
	const char *own[] = { src, NULL };
	struct build_opts bo = BUILD_OPTS_INIT;
	struct build_result br;
	struct proc_opts po = PROC_OPTS_INIT;
	struct proc_result pr;
	const char *argv[] = { out, NULL };

	snprintf(src, sizeof(src), "%s.c", name);
	bo.flavour = flavour;
	bo.sources = sources;
	bo.rt_include = "../../runtime";
	bo.rt_libdir = rtlib;
	bo.output = out;
	bo.cwd = "tests/hostile";
	if (build_run(&br, &bo) < 0 || !br.ok) {
		printf("# build of %s failed: %s\n", name, br.log ? br.log : "");
		build_result_release(&br);
		return -1;
	}
	build_result_release(&br);
	po.argv = argv;
	po.env = env;
	po.sandbox = true;
	po.leak_check = strcmp(flavour, "asan") == 0;   /* LeakSanitizer stops its threads */
	po.timeout = 20;
	proc_run(&pr, &po);
	report_parse(l, pr.err, own);
	if (l->n == 0)
		printf("# no report in:\n# %.400s\n", pr.err);
	proc_result_release(&pr);
	return 0;
}

int main(void)
{
	const char *b = getenv("B") ? getenv("B") : "build";
	const char *asan_env[] = { "ASAN_OPTIONS=detect_leaks=0", NULL };
	struct report_list l = REPORT_LIST_INIT;
	char *d, *cwd = getcwd(NULL, 0);

	plan(38);
	if (b[0] == '/' || !cwd)
		snprintf(rtlib, sizeof(rtlib), "%s/rt", b);
	else
		snprintf(rtlib, sizeof(rtlib), "%s/%s/rt", cwd, b);
	free(cwd);
	snprintf(out, sizeof(out), "/tmp/chanlab-report-%d", (int)getpid());

	run(&l, "uaf", "asan", asan_env);
	ok(l.n >= 1, "ASan's use-after-free report is found");
	is_str(l.n ? l.r[0].kind : "", "heap-use-after-free", "its kind");
	is_str(l.n && l.r[0].file ? l.r[0].file : "", "uaf.c", "the learner's file");
	is_int(l.n ? l.r[0].line : 0, 11, "the line of the bad read");
	is_str(l.n && l.r[0].function ? l.r[0].function : "", "go_main", "and the function");
	ok(l.n && strstr(l.r[0].explain, "freed"), "with a plain explanation");
	d = l.n ? report_describe(&l.r[0]) : NULL;
	ok(d && strstr(d, "heap-use-after-free at uaf.c:11"), "described: %.80s", d ? d : "");
	free(d);
	report_list_release(&l);

	run(&l, "lostcancel", "normal", NULL);
	is_str(l.n ? l.r[0].kind : "", "context-leak", "the runtime's lostcancel line is a report");
	is_int(l.n ? l.r[0].line : 0, 10, "at the line that made the context");
	is_str(l.n && l.r[0].file ? l.r[0].file : "", "lostcancel.c", "in the learner's file");
	report_list_release(&l);

	run(&l, "pinned", "normal", NULL);
	is_str(l.n ? l.r[0].kind : "", "pinned-block", "a goroutine that blocks while pinned is a report");
	is_int(l.n ? l.r[0].line : 0, 9, "at the pin never undone");
	ok(l.n && strstr(l.r[0].explain, "early return"), "with a plain explanation");
	report_list_release(&l);

	run(&l, "poison", "asan", asan_env);
	is_str(l.n ? l.r[0].kind : "", "use-after-poison", "ASan's use-after-poison report is found");
	is_int(l.n ? l.r[0].line : 0, 15, "at the learner's read");
	ok(l.n && strstr(l.r[0].explain, "poisoned"), "with a plain explanation");
	report_list_release(&l);

	run(&l, "leak", "asan", NULL);
	ok(l.n >= 1, "LeakSanitizer's report is found");
	is_str(l.n ? l.r[0].kind : "", "memory-leak", "as a memory leak");
	is_int(l.n ? l.r[0].line : 0, 9, "at the malloc in the learner's file");
	is_str(l.n && l.r[0].function ? l.r[0].function : "", "copy", "in copy()");
	report_list_release(&l);

	run(&l, "race", "tsan", NULL);
	ok(l.n >= 1, "ThreadSanitizer's report is found");
	is_str(l.n ? l.r[0].kind : "", "data-race", "as a data race");
	is_int(l.n ? l.r[0].line : 0, 10, "at the unprotected counter++");
	ok(l.n && strcmp(l.r[0].tool, "ThreadSanitizer") == 0, "named after its tool");
	report_list_release(&l);

	run(&l, "deadlock", "normal", NULL);
	ok(l.n == 1, "the runtime's deadlock report is found");
	is_str(l.n ? l.r[0].kind : "", "deadlock", "as a deadlock");
	is_int(l.n ? l.r[0].line : 0, 18, "at the receive nobody sends to");
	report_list_release(&l);

	report_parse(&l, "x.c:7:12: runtime error: signed integer overflow: 2147483647 + 1\n", (const char *[]){ "x.c", NULL });
	ok(l.n == 1 && strcmp(l.r[0].kind, "undefined-behaviour") == 0 && l.r[0].line == 7,
	   "a UBSan line gives its own location");
	report_list_release(&l);

	report_parse(&l, "==42== Invalid read of size 4\n==42==    at 0x10914D: main (v.c:6)\n"
		     "==42==  Address 0x4a4b044 is 4 bytes inside a block of size 16 free'd\n"
		     "==42==    at 0x48431EF: free (vg_replace_malloc.c:872)\n",
		     (const char *[]){ "v.c", NULL });
	ok(l.n == 1 && strcmp(l.r[0].kind, "invalid-read") == 0 && l.r[0].line == 6 &&
	   l.r[0].function && strcmp(l.r[0].function, "main") == 0, "valgrind's invalid read is read");
	report_list_release(&l);

	report_parse(&l, "panic: queue is closed\n\ngoroutine 7 [running]:\n\tat q.c:31\n\tcreated at main.c:9\n",
		     (const char *[]){ "q.c", "main.c", NULL });
	ok(l.n == 1 && strcmp(l.r[0].kind, "panic") == 0 && l.r[0].line == 31, "a runtime panic points at its line");
	report_list_release(&l);

	report_parse(&l, "==7== Invalid write of size 1\n==7==    at 0x10A426: ??? (in /tmp/x/prog1)\n"
		     "==7==    by 0x10C9F3: fill (w.c:4)\n", (const char *[]){ "w.c", NULL });
	ok(l.n == 1 && l.r[0].line == 4, "a frame without debug information is passed over (and does not hang)");
	report_list_release(&l);

	report_parse(&l, "fatal error: goroutine 5 overflowed its 64 KiB stack; created at rec.c:12\n"
		     "(set GOSTACKSIZE for bigger stacks, e.g. GOSTACKSIZE=1m)\n", (const char *[]){ "rec.c", NULL });
	ok(l.n == 1 && strcmp(l.r[0].kind, "stack-overflow") == 0 && l.r[0].line == 12,
	   "a goroutine's stack overflow points at where it was started");
	report_list_release(&l);

	report_parse(&l, "found unexpected goroutines:\n\ngoroutine 2 [chan send]:\n"
		     "\tblocked at /w/pipe.c:19\n\t#0 sender /w/pipe.c:19\n\t#1 helper /h/harness.c:7\n"
		     "\tcreated at /w/pipe.c:40\n\ngoroutine 3 [chan receive]:\n\tblocked at /w/pipe.c:25\n"
		     "\t#0 ranger /w/pipe.c:25\n\tcreated at /h/harness.c:12\n",
		     (const char *[]){ "pipe.c", NULL });
	ok(l.n == 1 && strcmp(l.r[0].kind, "goroutine-leak") == 0 && l.r[0].line == 40 &&
	   strcmp(l.r[0].file, "pipe.c") == 0, "a goroutine leak points at where the goroutine was created");
	ok(l.n == 1 && l.r[0].goroutines &&
	   strcmp(l.r[0].goroutines, "[{\"id\":2,\"state\":\"chan send\",\"blocked_at\":{\"file\":\"pipe.c\",\"line\":19}"
		  ",\"frames\":[{\"function\":\"sender\",\"file\":\"pipe.c\",\"line\":19},"
		  "{\"function\":\"helper\",\"file\":\"/h/harness.c\",\"line\":7}],"
		  "\"created_at\":{\"file\":\"pipe.c\",\"line\":40}},"
		  "{\"id\":3,\"state\":\"chan receive\",\"blocked_at\":{\"file\":\"pipe.c\",\"line\":25}"
		  ",\"frames\":[{\"function\":\"ranger\",\"file\":\"pipe.c\",\"line\":25}],"
		  "\"created_at\":{\"file\":\"/h/harness.c\",\"line\":12}}]") == 0,
	   "and carries the goroutines with their frames as JSON: %s", l.n ? l.r[0].goroutines : "");
	report_list_release(&l);

	report_parse(&l, "found unexpected goroutines:\n\ngoroutine 4 [chan receive]:\n"
		     "\tblocked at /w/pipe.c:25\n\t#0 ranger /w/pipe.c:25\n\tcreated at /h/harness.c:12\n",
		     (const char *[]){ "pipe.c", NULL });
	ok(l.n == 1 && l.r[0].line == 25 && l.r[0].function && strcmp(l.r[0].function, "ranger") == 0,
	   "created outside the learner's files: at its first learner frame");
	report_list_release(&l);

	report_parse(&l, "SIGQUIT: quit (stopped from outside)\n\ngoroutine 2 [running]:\n\t#0 spin /w/s.c:9\n"
		     "\tcreated at /w/s.c:20\n\ngoroutine 1 [chan receive]:\n\tblocked at /w/s.c:21\n",
		     (const char *[]){ "s.c", NULL });
	ok(l.n == 1 && strcmp(l.r[0].kind, "timeout") == 0 && l.r[0].line == 9,
	   "the time limit's dump points at the running loop");
	report_list_release(&l);

	report_parse(&l, "panic: runtime error: invalid memory address or nil pointer dereference\n"
		     "[signal SIGSEGV: segmentation violation code=0x1 addr=0x0 pc=0x55]\n\n"
		     "goroutine 1 [running]:\n\t#0 deref /w/n.c:5\n\t#1 go_main /w/n.c:9\n"
		     "\tcreated by the runtime to run go_main\n", (const char *[]){ "n.c", NULL });
	ok(l.n == 1 && strcmp(l.r[0].kind, "nil-dereference") == 0 && l.r[0].line == 5 &&
	   strcmp(l.r[0].function, "deref") == 0, "a NULL dereference in a normal build points at its line");
	report_list_release(&l);

	report_parse(&l, "all fine\n", NULL);
	is_int(l.n, 0, "ordinary stderr holds no report");
	unlink(out);
	return done();
}
