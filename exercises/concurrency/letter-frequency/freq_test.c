/* freq_test.c: instructor tests and the benchmark for letter-frequency.
 * Texts are made from a fixed pseudo-random sequence; the expected counts
 * are computed here, one letter at a time, in one goroutine. */
#include <chanlab_test.h>

#include "freq.h"

#define TEXTS 64
#define LEN 4096

static char store[TEXTS][LEN + 1];
static const char *texts[TEXTS];

/* Fills n texts of len bytes: letters of both cases, spaces, punctuation,
 * digits and a few bytes over 127. */
static void make_texts(int n, int len, unsigned seed)
{
	static const char alphabet[] =
		"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ eeettaaoo ,.;!?0123456789\xc3\xa9";

	for (int t = 0; t < n; t++) {
		for (int i = 0; i < len; i++) {
			seed = seed * 1103515245u + 12345u;
			store[t][i] = alphabet[(seed >> 16) % (sizeof(alphabet) - 1)];
		}
		store[t][len] = '\0';
		texts[t] = store[t];
	}
}

static void expect_counts(const char *const *ts, int n, int workers)
{
	long want[FREQ_LETTERS] = { 0 }, got[FREQ_LETTERS];
	int wrong = 0;

	for (int t = 0; t < n; t++)
		for (const char *p = ts[t]; *p; p++)
			if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z'))
				want[(*p | 0x20) - 'a']++;
	for (int i = 0; i < FREQ_LETTERS; i++)
		got[i] = -1;
	letter_frequency(ts, n, workers, got);
	for (int i = 0; i < FREQ_LETTERS && wrong < 3; i++) {
		if (got[i] != want[i]) {
			CL_EXPECT_MSG(got[i] == want[i], "'%c' was counted %ld times, expected %ld (%d texts, %d workers)",
				      'a' + i, got[i], want[i], n, workers);
			wrong++;
		}
	}
}

CL_TEST(no_texts_count_nothing) {
	expect_counts(texts, 0, 4);
}

CL_TEST(upper_and_lower_case_count_alike) {
	const char *one[] = { "Hello, World! Go gophers go." };

	expect_counts(one, 1, 4);
}

CL_TEST(sixty_four_texts_with_four_workers_count_exactly) {
	make_texts(TEXTS, LEN, 1);
	expect_counts(texts, TEXTS, 4);
}

CL_TEST(one_worker_counts_everything) {
	make_texts(8, 1000, 2);
	expect_counts(texts, 8, 1);
}

CL_TEST(more_workers_than_texts_is_fine) {
	make_texts(3, 500, 3);
	expect_counts(texts, 3, 16);
}

/* One op: count 64 texts of 4 KiB with 4 workers on 2 threads. */
CL_BENCH(freq_64texts) {
	long got[FREQ_LETTERS];

	go_gomaxprocs(2);
	make_texts(TEXTS, LEN, 7);
	cl_reset_timer(b);
	for (long i = 0; i < b->n; i++)
		letter_frequency(texts, TEXTS, 4, got);
}
