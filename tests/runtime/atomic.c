/*
 * atomic.c — the sync/atomic types hammered by many goroutines at once,
 * with results that are exact only if every operation is atomic; prints
 * what Go's twin (tests/runtime/go/atomic/main.go) prints, and
 * tests/runtime-ctx.t compares the two, in the normal and TSan builds.
 */
#define _GNU_SOURCE
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "go.h"

#define NG 8            /* goroutines */
#define K 20000         /* operations of each kind per goroutine */

static go_waitgroup wg;

static const char *tf(bool b)
{
	return b ? "true" : "false";
}

/* Each integer type: add up and down, increment by CAS loops, swap values
 * in (every value swapped in comes out once: by a later swap or at the
 * end), and store. */
#define HAMMER(name, T)							\
static struct {								\
	go_atomic_##name add, cas, swap, store;				\
	uint64_t swapped[NG];						\
} s_##name;								\
									\
static void work_##name(void *arg)					\
{									\
	int id = (int)(intptr_t)arg;					\
	uint64_t got = 0;						\
									\
	for (int i = 0; i < K; i++)					\
		go_atomic_##name##_add(&s_##name.add, 3);		\
	for (int i = 0; i < K; i++)					\
		go_atomic_##name##_add(&s_##name.add, (T)-1);		\
	for (int i = 0; i < K; i++) {					\
		T old;							\
		do							\
			old = go_atomic_##name##_load(&s_##name.cas);	\
		while (!go_atomic_##name##_cas(&s_##name.cas, old,	\
			(T)(old + 1)));					\
	}								\
	for (int i = 0; i < K; i++)					\
		got += (uint64_t)go_atomic_##name##_swap(&s_##name.swap, \
			(T)(id * K + i + 1));				\
	s_##name.swapped[id] = got;					\
	for (int i = 0; i < K; i++)					\
		go_atomic_##name##_store(&s_##name.store, (T)(id + 1));	\
	go_waitgroup_done(&wg);						\
}									\
									\
static void hammer_##name(void)						\
{									\
	uint64_t out = 0, in = 0;					\
									\
	go_waitgroup_add(&wg, NG);					\
	for (int g = 0; g < NG; g++)					\
		go_spawn(work_##name, (void *)(intptr_t)g);		\
	go_waitgroup_wait(&wg);						\
	for (int g = 0; g < NG; g++)					\
		out += s_##name.swapped[g];				\
	out += (uint64_t)go_atomic_##name##_load(&s_##name.swap);	\
	for (uint64_t v = 1; v <= (uint64_t)NG * K; v++)		\
		in += v;						\
	T last = go_atomic_##name##_load(&s_##name.store);		\
	printf("%s: add %" PRId64 ", cas %" PRId64 ", swap conserved %s, "\
		"store one of ours %s\n", #name,			\
		(int64_t)go_atomic_##name##_load(&s_##name.add),	\
		(int64_t)go_atomic_##name##_load(&s_##name.cas),	\
		tf(out == in), tf(last >= 1 && last <= NG));		\
}

HAMMER(int32, int32_t)
HAMMER(int64, int64_t)
HAMMER(uint32, uint32_t)
HAMMER(uint64, uint64_t)
HAMMER(uintptr, uintptr_t)

/* add wraps as Go's does (no undefined overflow under UBSan) */
static void wrap(void)
{
	go_atomic_int32 i = GO_ATOMIC_INIT(INT32_MAX);
	go_atomic_uint32 u = GO_ATOMIC_INIT(0);
	go_atomic_int64 l = GO_ATOMIC_INIT(INT64_MIN);

	printf("wrap: %" PRId32 " %" PRIu32 " %" PRId64 "\n",
		go_atomic_int32_add(&i, 1), go_atomic_uint32_add(&u, (uint32_t)-5),
		go_atomic_int64_add(&l, -1));
}

/* bool: in each round exactly one goroutine wins the CAS and one the swap */
#define ROUNDS 2000
static go_atomic_bool flags[ROUNDS], swaps[ROUNDS];
static go_atomic_int64 cas_wins, swap_wins;

static void work_bool(void *arg)
{
	(void)arg;
	for (int r = 0; r < ROUNDS; r++) {
		if (go_atomic_bool_cas(&flags[r], false, true))
			go_atomic_int64_add(&cas_wins, 1);
		if (!go_atomic_bool_swap(&swaps[r], true))
			go_atomic_int64_add(&swap_wins, 1);
		go_atomic_bool_store(&flags[r], go_atomic_bool_load(&flags[r]));
	}
	go_waitgroup_done(&wg);
}

static void hammer_bool(void)
{
	go_waitgroup_add(&wg, NG);
	for (int g = 0; g < NG; g++)
		go_spawn(work_bool, NULL);
	go_waitgroup_wait(&wg);
	printf("bool: cas winners %" PRId64 ", swap winners %" PRId64 " in %d rounds\n",
		go_atomic_int64_load(&cas_wins), go_atomic_int64_load(&swap_wins),
		ROUNDS);
}

/* pointer: data written before a store is seen by whoever loads the
 * pointer (TSan: no race); one CAS from NULL wins */
struct item {
	int a, b;
};
static go_atomic_pointer published, owner;
static struct item items[NG];
static go_atomic_int64 seen_ok, owners;

static void work_pointer(void *arg)
{
	int id = (int)(intptr_t)arg;
	struct item *it;

	if (id == 0) {
		items[0].a = 40;
		items[0].b = 2;
		go_atomic_pointer_store(&published, &items[0]);
	} else {
		while ((it = go_atomic_pointer_load(&published)) == NULL)
			go_yield();
		if (it->a + it->b == 42)
			go_atomic_int64_add(&seen_ok, 1);
	}
	if (go_atomic_pointer_cas(&owner, NULL, &items[id]))
		go_atomic_int64_add(&owners, 1);
	go_waitgroup_done(&wg);
}

static void hammer_pointer(void)
{
	go_waitgroup_add(&wg, NG);
	for (int g = 0; g < NG; g++)
		go_spawn(work_pointer, (void *)(intptr_t)g);
	go_waitgroup_wait(&wg);
	struct item *old = go_atomic_pointer_swap(&owner, NULL);
	printf("pointer: readers saw the data %" PRId64 "/%d, cas owners %" PRId64
		", swap returned the owner %s, now nil %s\n",
		go_atomic_int64_load(&seen_ok), NG - 1,
		go_atomic_int64_load(&owners), tf(old >= items && old < items + NG),
		tf(go_atomic_pointer_load(&owner) == NULL));
}

int go_main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	hammer_int32();
	hammer_int64();
	hammer_uint32();
	hammer_uint64();
	hammer_uintptr();
	wrap();
	hammer_bool();
	hammer_pointer();
	return 0;
}
