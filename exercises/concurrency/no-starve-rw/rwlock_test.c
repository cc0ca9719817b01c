/* rwlock_test.c: instructor tests for no-starve-rw, one process per case.
 *
 * Inside each read or write section the harness counts who is in (C11
 * atomics, which TSan sees) and checks the rule: no writer beside anyone.
 * go_sched_point() inside the sections lets many deterministic schedules
 * (c:run_tests{ schedules = N }) interleave the goroutines there. */
#include <chanlab_test.h>
#include <stdlib.h>

#include "rwlock.h"

static struct rwlock lock = RWLOCK_INIT(lock);
static atomic_int readers_in, writers_in, most_readers, broken;
static go_waitgroup wg = GO_WAITGROUP_INIT;

static void enter_read(void)
{
	int r = atomic_fetch_add(&readers_in, 1) + 1, most = atomic_load(&most_readers);

	while (r > most && !atomic_compare_exchange_weak(&most_readers, &most, r))
		;
	if (atomic_load(&writers_in) != 0)
		atomic_store(&broken, 1);
}

static void enter_write(void)
{
	if (atomic_fetch_add(&writers_in, 1) != 0 || atomic_load(&readers_in) != 0)
		atomic_store(&broken, 2);
}

static void reader(void *arg)
{
	for (int i = 0; i < (int)(long)arg; i++) {
		rw_rlock(&lock);
		enter_read();
		go_sched_point();
		go_sched_point();
		atomic_fetch_sub(&readers_in, 1);
		rw_runlock(&lock);
	}
	go_waitgroup_done(&wg);
}

static void writer(void *arg)
{
	for (int i = 0; i < (int)(long)arg; i++) {
		rw_lock(&lock);
		enter_write();
		go_sched_point();
		atomic_fetch_sub(&writers_in, 1);
		rw_unlock(&lock);
	}
	go_waitgroup_done(&wg);
}

/* Rounds: on real threads twenty times more than under a deterministic
 * schedule (CHANLAB_SCHED), where each round takes many steps; TSan sees a
 * racing access only when two threads make it close together. */
static long rounds(long n)
{
	const char *sched = getenv("CHANLAB_SCHED");

	return sched && *sched ? n : 20 * n;
}

CL_TEST(a_writer_is_alone_inside) {
	go_waitgroup_add(&wg, 7);
	for (int i = 0; i < 4; i++)
		go_spawn(reader, (void *)rounds(200));
	for (int i = 0; i < 3; i++)
		go_spawn(writer, (void *)rounds(100));
	go_waitgroup_wait(&wg);
	CL_EXPECT_MSG(atomic_load(&broken) == 0, "a writer was inside %s",
		      atomic_load(&broken) == 1 ? "while a reader entered" : "beside readers or another writer");
}

static go_chan *in, *leave;

static void reader_that_waits(void *arg)
{
	int one = 1;

	(void)arg;
	rw_rlock(&lock);
	go_send(in, &one);              /* "I am in" */
	go_recv(leave, NULL);           /* ... and stay until both readers are in */
	rw_runlock(&lock);
	go_waitgroup_done(&wg);
}

CL_TEST(readers_share_the_lock) {
	int x = 0;

	in = go_chan_make(sizeof(int), 0);
	leave = go_chan_make(sizeof(int), 0);
	go_waitgroup_add(&wg, 2);
	go_spawn(reader_that_waits, NULL);
	go_spawn(reader_that_waits, NULL);
	go_recv(in, &x);                /* both readers are in at once ... */
	go_recv(in, &x);
	go_send(leave, &x);             /* ... then both may leave */
	go_send(leave, &x);
	go_waitgroup_wait(&wg);
	go_chan_free(in);
	go_chan_free(leave);
	CL_EXPECT(atomic_load(&broken) == 0);
}

/* Four readers, each reading for 10 ms and coming straight back, started
 * 2.5 ms apart: a reader is always inside. A writer comes at 5 ms. */
static go_atomic_bool stop;
static int64_t writer_waited;

static void busy_reader(void *arg)
{
	go_sleep((int64_t)(long)arg * 2500 * GO_MICROSECOND);
	while (!go_atomic_bool_load(&stop)) {
		rw_rlock(&lock);
		enter_read();
		go_sleep(10 * GO_MILLISECOND);
		atomic_fetch_sub(&readers_in, 1);
		rw_runlock(&lock);
	}
	go_waitgroup_done(&wg);
}

static void late_writer(void *arg)
{
	int64_t start;

	(void)arg;
	go_sleep(5 * GO_MILLISECOND);
	start = go_now();
	rw_lock(&lock);
	writer_waited = go_now() - start;
	enter_write();
	go_sleep(GO_MILLISECOND);
	atomic_fetch_sub(&writers_in, 1);
	rw_unlock(&lock);
	go_atomic_bool_store(&stop, true);
	go_waitgroup_done(&wg);
}

static void give_up(void *arg)
{
	(void)arg;
	go_sleep(500 * GO_MILLISECOND);       /* the readers stop after 0.5 s whatever happens */
	go_atomic_bool_store(&stop, true);
	go_waitgroup_done(&wg);
}

CL_TEST(a_writer_waits_for_the_readers_inside_not_for_every_reader) {
	go_waitgroup_add(&wg, 6);
	for (long i = 0; i < 4; i++)
		go_spawn(busy_reader, (void *)i);
	go_spawn(late_writer, NULL);
	go_spawn(give_up, NULL);
	go_waitgroup_wait(&wg);
	CL_EXPECT_MSG(writer_waited <= cl_scaled(100 * GO_MILLISECOND),
		      "the writer waited %.0f ms while new readers kept coming in: a waiting writer must hold off "
		      "new readers (it should wait for the readers inside, about 10 ms)",
		      (double)writer_waited / 1e6);
	CL_EXPECT(atomic_load(&broken) == 0);
}
