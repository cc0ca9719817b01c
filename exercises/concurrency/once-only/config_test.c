/* config_test.c: instructor tests for once-only, one process each. The
 * loader counts its calls and takes 2 ms, so goroutines that ask at the
 * same time really do overlap. */
#include <chanlab_test.h>

#include "config.h"

static atomic_int loads;

void load_config(struct config *c)
{
	atomic_fetch_add(&loads, 1);
	go_sleep(2 * GO_MILLISECOND);
	snprintf(c->name, sizeof(c->name), "%s", "chanlab");
	c->workers = 40;
	c->version = 42;
}

#define ASKERS 64

static atomic_int wrong_config, wrong_workers;

static void ask_config(void *arg)
{
	go_waitgroup *wg = arg;
	const struct config *c = get_config();

	if (c->version != 42 || strcmp(c->name, "chanlab") != 0 || c->workers != 40)
		atomic_fetch_add(&wrong_config, 1);
	go_waitgroup_done(wg);
}

static void ask_workers(void *arg)
{
	go_waitgroup *wg = arg;

	if (get_workers() != 16)
		atomic_fetch_add(&wrong_workers, 1);
	go_waitgroup_done(wg);
}

/* Starts ASKERS goroutines running fn and waits for them. */
static void ask_many(void (*fn)(void *))
{
	go_waitgroup wg = GO_WAITGROUP_INIT;

	go_waitgroup_add(&wg, ASKERS);
	for (int i = 0; i < ASKERS; i++)
		go_spawn(fn, &wg);
	go_waitgroup_wait(&wg);
}

CL_TEST(one_caller_gets_the_loaded_config) {
	const struct config *c = get_config();

	CL_EXPECT_STR(c->name, "chanlab");
	CL_EXPECT_INT(c->version, 42);
	CL_EXPECT_INT(atomic_load(&loads), 1);
	CL_EXPECT(get_config() == c);
	CL_EXPECT_INT(atomic_load(&loads), 1);
}

CL_TEST(sixty_four_goroutines_at_once_load_it_exactly_once) {
	ask_many(ask_config);
	CL_EXPECT_MSG(atomic_load(&loads) == 1, "load_config ran %d times for %d goroutines, expected once",
		      atomic_load(&loads), ASKERS);
}

CL_TEST(every_goroutine_sees_the_whole_config) {
	ask_many(ask_config);
	CL_EXPECT_MSG(atomic_load(&wrong_config) == 0,
		      "%d of %d goroutines got a config that was not loaded yet (or half loaded)",
		      atomic_load(&wrong_config), ASKERS);
}

/* Spins for about ms milliseconds without any synchronisation. */
static void spin_ms(int ms)
{
	struct timespec t0, t;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	do
		clock_gettime(CLOCK_MONOTONIC, &t);
	while ((t.tv_sec - t0.tv_sec) * 1000 + (t.tv_nsec - t0.tv_nsec) / 1000000 < ms);
}

static void ask_late(void *arg)
{
	spin_ms(20);
	ask_config(arg);
}

/* A goroutine that started before the load asks for the config well after
 * it, with nothing in between that synchronises it with the loader: a
 * check of a flag outside any lock or once then races with the write that
 * set it, and ThreadSanitizer reports the read (not the write) each run. */
CL_TEST(a_goroutine_started_before_the_load_asks_after_it) {
	go_waitgroup wg = GO_WAITGROUP_INIT;
	const struct config *c;

	go_waitgroup_add(&wg, 1);
	go_spawn(ask_late, &wg);
	c = get_config();
	CL_EXPECT_INT(c->version, 42);
	go_waitgroup_wait(&wg);
	CL_EXPECT_MSG(atomic_load(&wrong_config) == 0, "the late goroutine got a config that was not loaded");
	CL_EXPECT_INT(atomic_load(&loads), 1);
}

/* One goroutine alone: a once that waits for itself is then the only
 * goroutine blocked, and the deadlock report names its line. */
CL_TEST(one_caller_asks_for_the_workers_first) {
	CL_EXPECT_INT(get_workers(), 16);
	CL_EXPECT_INT(atomic_load(&loads), 1);
	CL_EXPECT_INT(get_config()->version, 42);
	CL_EXPECT_INT(atomic_load(&loads), 1);
}

CL_TEST(workers_asked_first_loads_the_config_once_and_clamps_it) {
	ask_many(ask_workers);
	CL_EXPECT_MSG(atomic_load(&wrong_workers) == 0, "%d of %d goroutines got a worker count other than 16",
		      atomic_load(&wrong_workers), ASKERS);
	CL_EXPECT_MSG(atomic_load(&loads) == 1, "load_config ran %d times, expected once", atomic_load(&loads));
}
