/* stream_test.c: instructor tests for allocation-profile, one process per
 * case: stream_summarize against hand-counted logs and generated ones. */
#include <chanlab_test.h>
#include <stdlib.h>
#include <string.h>

#include "logmake.h"

static void expect_stats(const struct stream_stats *got, const struct stream_stats *want)
{
	CL_EXPECT_MSG(got->records == want->records, "%ld records counted, expected %ld", got->records,
		      want->records);
	CL_EXPECT_MSG(got->bad == want->bad, "%ld bad lines counted, expected %ld", got->bad, want->bad);
	CL_EXPECT_MSG(got->errors == want->errors, "%ld errors (status >= 500) counted, expected %ld", got->errors,
		      want->errors);
	CL_EXPECT_MSG(got->bytes == want->bytes, "%llu bytes summed, expected %llu", (unsigned long long)got->bytes,
		      (unsigned long long)want->bytes);
}

static void summarize(const char *text, const struct stream_stats *want)
{
	struct stream_stats got;

	CL_ASSERT_MSG(stream_summarize(text, strlen(text), &got) == 0, "stream_summarize returned -1");
	expect_stats(&got, want);
}

CL_TEST(three_lines_are_summed) {
	struct stream_stats want = { .records = 3, .bad = 0, .errors = 1, .bytes = 1234 + 0 + 66 };

	summarize("ana,200,1234,/\nbo,503,0,/api\nchidi,404,66,/missing\n", &want);
}

CL_TEST(malformed_lines_are_counted_as_bad) {
	struct stream_stats want = { .records = 1, .bad = 6, .errors = 0, .bytes = 7 };

	summarize("ana,200,12\n"                       /* three fields */
		  "bo,2x0,5,/\n"                       /* not a number */
		  "\n"                                 /* empty */
		  "chidi,200,,/x\n"                    /* an empty number */
		  "dmitri,200,7,/\n"                   /* the good one */
		  "eleanor,200,7,/,extra\n"            /* five fields */
		  "gus,200,1234567890123456789,/\n",   /* 19 digits */
		  &want);
}

CL_TEST(the_last_line_may_lack_its_newline) {
	struct stream_stats want = { .records = 2, .bad = 0, .errors = 1, .bytes = 10 + 20 };

	summarize("ana,200,10,/\nbo,500,20,/last", &want);
}

CL_TEST(an_empty_log_has_no_records) {
	struct stream_stats want = { 0 };

	summarize("", &want);
}

CL_TEST(a_line_of_ten_thousand_bytes_is_read_whole) {
	size_t n = 10000;
	char *text = malloc(n + 64);
	struct stream_stats want = { .records = 3, .bad = 0, .errors = 1, .bytes = 5 + 999 + 6 };
	int k;

	CL_ASSERT(text);
	k = snprintf(text, 64, "ana,200,5,/\nbo,500,999,/");
	memset(text + k, 'a', n);
	strcpy(text + k + n, "\nchidi,200,6,/\n");
	summarize(text, &want);
	free(text);
}

CL_TEST(a_generated_log_of_ten_thousand_lines) {
	size_t cap = 10000 * 64;
	char *text = malloc(cap);
	struct stream_stats want;

	CL_ASSERT(text);
	logmake(text, cap, 10000, 7, 42, &want);
	summarize(text, &want);
	free(text);
}

/* One op: summarise a log of 1000 lines. */
CL_BENCH(summarize_1000_lines) {
	static char text[1000 * 64];
	struct stream_stats want, got;
	size_t n = logmake(text, sizeof text, 1000, 50, 7, &want);

	cl_reset_timer(b);
	for (long i = 0; i < b->n; i++)
		if (stream_summarize(text, n, &got) != 0 || got.bytes != want.bytes)
			abort();
}
