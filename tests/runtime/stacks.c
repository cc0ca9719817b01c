/*
 * stacks.c — goroutine stacks in numbers (tests/runtime.t).
 *
 *   stacks guards N   N goroutines park, then one more recurses without
 *                     end: its overflow is reported at its creation line
 *                     however many stacks came before it (a guard page
 *                     each, past vm.max_map_count's share where the
 *                     kernel has guard markers).
 *   stacks idle N     N goroutines park; prints the memory each holds,
 *                     "B bytes each" (the budget is 4.5 KB; under
 *                     ASan a fresh stack's shadow is not written).
 *   stacks scavenge   1000 goroutines each use 32 KiB of their stack,
 *                     wait together, then end; within 400 ms their pages
 *                     are back with the kernel (but for a few cached
 *                     stacks'). Prints "returned" or "kept N KiB of M".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "go.h"

static go_chan *block;
static go_waitgroup wg = GO_WAITGROUP_INIT;

static void parker(void *arg)
{
	(void)arg;
	go_recv(block, NULL);
	go_waitgroup_done(&wg);
}

static __attribute__((noinline)) int forever(int n)
{
	volatile char pad[256];

	pad[0] = (char)n;
	return n < 0 ? 0 : forever(n + 1) + pad[0];   /* n never wraps first */
}

static void overflow(void *arg)
{
	(void)arg;
	printf("%d\n", forever(0));
}

static __attribute__((noinline)) void use_stack(void *arg)
{
	char buf[32 * 1024];

	(void)arg;
	memset(buf, 1, sizeof(buf));
	__asm__ volatile("" : : "r"(buf) : "memory");   /* the writes happen */
	go_recv(block, NULL);      /* all at once: a stack each */
	go_waitgroup_done(&wg);
}

static long resident_kib(void)
{
	long pages = 0, res = 0;
	FILE *f = fopen("/proc/self/statm", "r");

	if (!f || fscanf(f, "%ld %ld", &pages, &res) != 2)
		res = -1;
	if (f)
		fclose(f);
	return res * (sysconf(_SC_PAGESIZE) / 1024);
}

int go_main(int argc, char **argv)
{
	if (argc > 2 && strcmp(argv[1], "guards") == 0) {
		int n = atoi(argv[2]);

		block = go_chan_make(sizeof(int), 0);
		go_waitgroup_add(&wg, n);
		for (int i = 0; i < n; i++)
			go_spawn(parker, NULL);
		go_sleep(50 * GO_MILLISECOND);   /* every one parked, on a stack */
		go_spawn(overflow, NULL);        /* @spawn_overflow */
		go_sleep(10 * GO_SECOND);
		return 1;
	}
	if (argc > 2 && strcmp(argv[1], "idle") == 0) {
		int n = atoi(argv[2]);
		long before = resident_kib(), after;

		block = go_chan_make(sizeof(int), 0);
		go_waitgroup_add(&wg, n);
		for (int i = 0; i < n; i++)
			go_spawn(parker, NULL);
		go_sleep(100 * GO_MILLISECOND);
		after = resident_kib();
		printf("%ld bytes each\n", (after - before) * 1024 / (n > 0 ? n : 1));
		go_close(block);
		go_waitgroup_wait(&wg);
		return 0;
	}
	if (argc > 1 && strcmp(argv[1], "scavenge") == 0) {
		long before = resident_kib(), peak, after = 0;

		block = go_chan_make(sizeof(int), 0);
		go_waitgroup_add(&wg, 1000);
		for (int i = 0; i < 1000; i++)
			go_spawn(use_stack, NULL);
		go_sleep(50 * GO_MILLISECOND);
		peak = resident_kib();
		go_close(block);
		go_waitgroup_wait(&wg);
		for (int i = 0; i < 40; i++) {
			go_sleep(10 * GO_MILLISECOND);
			after = resident_kib();
			if (after - before < (peak - before) / 4)
				break;
		}
		if (after - before < (peak - before) / 4)
			printf("returned\n");
		else
			printf("kept %ld KiB of %ld\n", after - before, peak - before);
		return 0;
	}
	fprintf(stderr, "usage: stacks guards N | stacks idle N | stacks scavenge\n");
	return 2;
}
