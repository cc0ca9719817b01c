/*
 * deepstack.c — deep goroutine stacks (tests/runtime.t, runtime-san.t).
 *
 *   deepstack N       a goroutine recurses N frames deep (64 bytes of
 *                     locals each: 100,000 is about 10 MiB at -O2), then
 *                     20 more do so one after another, on the stacks the
 *                     first left; once they are done the pages of their
 *                     excursions are back with the kernel (all but each
 *                     stack's first 64 KiB, which stays with the cached
 *                     stack). Prints "N deep, peak +P KiB, given back" or
 *                     "... kept K KiB". Under TSan, N is at most 65,535
 *                     (its record of calls), and TSan keeps its own
 *                     state of deep calls: only the depth is tested.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "go.h"

static __attribute__((noinline)) int deep(int n)
{
	volatile char pad[64];

	pad[0] = (char)n;
	return n == 0 ? 0 : deep(n - 1) + 1 + pad[0] * 0;
}

/* From /proc/self/FILE, FIELD's KiB: smaps_rollup's Anonymous (counted
 * page by page, where status's RssAnon lags by per-CPU batches), status's
 * VmHWM (the peak) */
static long status_kb(const char *file, const char *field)
{
	char line[256], path[64];
	long kb = -1;
	FILE *f;

	snprintf(path, sizeof path, "/proc/self/%s", file);
	f = fopen(path, "r");

	while (f && fgets(line, sizeof line, f))
		if (strncmp(line, field, strlen(field)) == 0)
			kb = atol(line + strlen(field));
	if (f)
		fclose(f);
	return kb;
}

static go_chan *done;
static int depth;

static void recurse(void *arg)
{
	int n = deep(depth);

	(void)arg;
	go_send(done, &n);
}

int go_main(int argc, char **argv)
{
	long before, peak, after;
	int n = 0;

	if (argc < 2 || (depth = atoi(argv[1])) <= 0) {
		fprintf(stderr, "usage: deepstack N\n");
		return 2;
	}
	done = go_chan_make(sizeof(int), 0);
	go_sleep(20 * 1000 * 1000);   /* the runtime's own threads settle */
	before = status_kb("smaps_rollup", "Anonymous:");
	for (int i = 0; i < 21; i++) {
		go_spawn(recurse, NULL);
		go_recv(done, &n);
	}
	go_sleep(20 * 1000 * 1000);   /* the last one has ended */
	peak = status_kb("status", "VmHWM:");
	after = status_kb("smaps_rollup", "Anonymous:");
	printf("%d deep, peak +%ld KiB, ", n, peak - before);
	if (after - before < 4096)   /* the top 64 KiB of each stack stays: cached */
		printf("given back\n");
	else
		printf("kept %ld KiB\n", after - before);
	return 0;
}
