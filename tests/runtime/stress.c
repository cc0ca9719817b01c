/*
 * stress.c — hammer the scheduler, channels, select and sync from many
 * goroutines at once and check that nothing is lost or duplicated.
 * tests/runtime.t runs it many times at 1..8 Ps.  Prints "ok" or why not.
 */
#include <stdio.h>
#include <stdlib.h>

#include "go.h"

#define NCHAN 6
#define NPROD 12
#define PER 3000

static go_chan *chans[NCHAN];
static go_chan *quit;
static go_waitgroup prod_wg, cons_wg;
static long consumed_sum, consumed_n;   /* under mu */
static go_mutex mu;
static go_rwmutex rw;
static long rw_value;

/* Producers send 1..PER, each value to a channel picked by select. */
static void producer(void *arg)
{
	long base = (long)arg * PER;
	for (long i = 1; i <= PER; i++) {
		long v = base + i;
		go_case cs[NCHAN];
		for (int j = 0; j < NCHAN; j++)
			cs[j] = GO_SEND(chans[j], &v);
		go_select(cs, NCHAN);
		if (i % 512 == 0)
			go_yield();
	}
	go_waitgroup_done(&prod_wg);
}

/* Consumers take from any channel until quit closes. */
static void consumer(void *arg)
{
	long v, sum = 0, n = 0;
	(void)arg;
	for (;;) {
		go_case cs[NCHAN + 1];
		for (int j = 0; j < NCHAN; j++)
			cs[j] = GO_RECV(chans[j], &v);
		cs[NCHAN] = GO_RECV(quit, NULL);
		int i = go_select(cs, NCHAN + 1);
		if (i == NCHAN)
			break;
		sum += v;
		n++;
		if (n % 64 == 0) {
			go_rwmutex_rlock(&rw);
			(void)rw_value;
			go_rwmutex_runlock(&rw);
		}
	}
	/* drain what is left without blocking */
	for (int j = 0; j < NCHAN; j++)
		while (go_try_recv(chans[j], &v, NULL)) {
			sum += v;
			n++;
		}
	go_mutex_lock(&mu);
	consumed_sum += sum;
	consumed_n += n;
	go_mutex_unlock(&mu);
	go_waitgroup_done(&cons_wg);
}

static void writer(void *arg)
{
	(void)arg;
	for (int i = 0; i < 200; i++) {
		go_rwmutex_lock(&rw);
		rw_value++;
		go_rwmutex_unlock(&rw);
		go_yield();
	}
}

static void timed(void *arg)
{
	go_waitgroup *wg = arg;
	go_chan *never = go_chan_make(sizeof(int), 0);
	int v;
	for (int i = 0; i < 20; i++)
		go_recv_until(never, &v, NULL, go_now() + 100 * GO_MICROSECOND);
	go_chan_free(never);
	go_waitgroup_done(wg);
}

int go_main(int argc, char **argv)
{
	go_waitgroup timers = GO_WAITGROUP_INIT;
	(void)argc;
	(void)argv;

	for (int j = 0; j < NCHAN; j++)
		chans[j] = go_chan_make(sizeof(long), (size_t)(j % 3) * 4);
	quit = go_chan_make(0, 0);
	go_waitgroup_add(&prod_wg, NPROD);
	go_waitgroup_add(&cons_wg, 7);
	go_waitgroup_add(&timers, 10);
	for (int i = 0; i < 7; i++)
		go_spawn(consumer, NULL);
	for (long i = 0; i < NPROD; i++)
		go_spawn(producer, (void *)i);
	go_spawn(writer, NULL);
	for (int i = 0; i < 10; i++)
		go_spawn(timed, &timers);
	go_waitgroup_wait(&prod_wg);
	go_close(quit);
	go_waitgroup_wait(&cons_wg);
	go_waitgroup_wait(&timers);

	long n = (long)NPROD * PER;
	long want = n * (n + 1) / 2;
	if (consumed_n != n || consumed_sum != want) {
		printf("lost or duplicated: got %ld values sum %ld, want %ld sum %ld\n",
			consumed_n, consumed_sum, n, want);
		return 1;
	}
	printf("ok\n");
	return 0;
}
