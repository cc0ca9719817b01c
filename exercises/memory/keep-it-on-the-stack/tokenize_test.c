/* tokenize_test.c: instructor tests for keep-it-on-the-stack, one process
 * each.
 *
 * The callback copies each word into a fixed table (it allocates nothing
 * itself), so cl_allocs() before and after a call counts exactly what
 * tokenize allocated. One case runs tokenize on four goroutines at once,
 * for ThreadSanitizer: callers must share no buffer. */
#include <chanlab_test.h>

#include "tokenize.h"

#define MAXWORDS 64

struct words {
	int n;
	char w[MAXWORDS][TOKEN_MAX + 2];
};

static void collect(const char *word, void *payload)
{
	struct words *ws = payload;

	if (ws->n < MAXWORDS)
		snprintf(ws->w[ws->n], sizeof(ws->w[0]), "%s", word);
	ws->n++;
}

static void count_bytes(const char *word, void *payload)
{
	long *sum = payload;

	*sum += (long)strlen(word);
}

/* Expects line to split into the n words of want. */
static void expect_words(const char *line, const char *const *want, int n)
{
	struct words ws = { 0 };
	int got = tokenize(line, collect, &ws);

	CL_EXPECT_MSG(got == n, "tokenize(\"%s\") returned %d, expected %d words", line, got, n);
	CL_EXPECT_MSG(ws.n == got, "tokenize(\"%s\") returned %d but called fn %d times", line, got, ws.n);
	for (int i = 0; i < n && i < ws.n && i < MAXWORDS; i++)
		CL_EXPECT_MSG(strcmp(ws.w[i], want[i]) == 0, "tokenize(\"%s\"): word %d was \"%s\", expected \"%s\"",
			      line, i, ws.w[i], want[i]);
}

CL_TEST(words_of_a_line) {
	static const char *const want[] = { "hello", "world", "go_1", "x", "42" };

	expect_words("Hello, World! go_1 x -- 42.", want, 5);
}

CL_TEST(no_words) {
	expect_words("", NULL, 0);
	expect_words("  ,.;-- !? ", NULL, 0);
}

static const char long_line[] =
	"A Supercalifragilisticexpialidocious_Pneumonoultramicroscopic word, "
	"THIRTY_TWO_BYTES_EXACTLY_1234567 and then ThirtyThreeBytesLongWordOfText123 end";

CL_TEST(a_long_word_is_cut) {
	static const char *const want[] = {
		"a", "supercalifragilisticexpialidocio", "word",
		"thirty_two_bytes_exactly_1234567", "and", "then",
		"thirtythreebyteslongwordoftext12", "end",
	};

	expect_words(long_line, want, 8);
}

static const char paragraph[] =
	"It was the best of times, it was the worst of times, it was the age of "
	"wisdom, it was the age of foolishness, it was the epoch of belief, it was "
	"the epoch of incredulity, it was the season of Light, it was the season of "
	"Darkness, it was the spring of hope, it was the winter of despair; "
	"Internationalisation_and_localisation_of_everything_we_had_before_us.";

/* Counts are exact: a tokenize that calls malloc for its scratch word,
 * once per call or once per word, fails here on any machine. */
CL_TEST(no_allocation_per_call) {
	long sum = 0, before = cl_allocs(), made;
	int words = 0;

	for (int i = 0; i < 1000; i++)
		words += tokenize(i % 2 ? paragraph : long_line, count_bytes, &sum);
	made = cl_allocs() - before;
	CL_EXPECT_MSG(made == 0,
		      "1000 calls of tokenize (%d words) made %ld allocations (malloc, calloc, realloc, strdup "
		      "calls): the word never outlives the call, so it needs none",
		      words, made);
	if (made == 0)
		CL_LOG("1000 calls, %d words: no allocations", words);
}

struct side {
	const char *line;
	int nwant;
	const char *const *want;
	go_waitgroup *wg;
	atomic_int *bad;
};

static void run_side(void *arg)
{
	struct side *s = arg;

	for (int k = 0; k < 2000; k++) {
		struct words ws = { 0 };

		tokenize(s->line, collect, &ws);
		for (int i = 0; i < s->nwant; i++)
			if (ws.n != s->nwant || strcmp(ws.w[i], s->want[i]) != 0) {
				atomic_fetch_add(s->bad, 1);
				break;
			}
		if (k % 16 == 0)
			go_yield();
	}
	go_waitgroup_done(s->wg);
}

CL_TEST(four_goroutines_tokenize_at_once) {
	static const char *const a[] = { "alpha", "beta", "gamma", "delta" };
	static const char *const b[] = { "one", "two", "three", "four", "five", "six" };
	static const char *const c[] = { "the_quick_brown_fox", "jumps" };
	static const char *const d[] = { "x", "y", "z" };
	go_waitgroup wg = GO_WAITGROUP_INIT;
	atomic_int bad = 0;
	struct side sides[4] = {
		{ "Alpha beta, GAMMA delta", 4, a, &wg, &bad },
		{ "one two three four five six", 6, b, &wg, &bad },
		{ "The_Quick_Brown_Fox JUMPS", 2, c, &wg, &bad },
		{ "x;y;z", 3, d, &wg, &bad },
	};

	go_waitgroup_add(&wg, 4);
	for (int i = 0; i < 4; i++)
		go_spawn(run_side, &sides[i]);
	go_waitgroup_wait(&wg);
	CL_EXPECT_MSG(atomic_load(&bad) == 0, "%d of 8000 calls on four goroutines gave the wrong words",
		      atomic_load(&bad));
}

/* One op: tokenize the paragraph. */
CL_BENCH(tokenize_a_paragraph) {
	long sum = 0;

	for (long i = 0; i < b->n; i++)
		tokenize(paragraph, count_bytes, &sum);
	if (sum < 0)
		CL_LOG("impossible: %ld", sum);
}
