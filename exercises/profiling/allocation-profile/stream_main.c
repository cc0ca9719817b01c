/* stream_main.c: the program the check profiles (instructor file): a log
 * of 50 000 lines summarised twice, every allocation recorded. The log is
 * static, so the only allocations are stream_summarize's. */
#include <stdio.h>

#include <go.h>

#include "logmake.h"

static char text[50000 * 64];

int go_main(int argc, char **argv)
{
	struct stream_stats want, got = { 0 };
	size_t n = logmake(text, sizeof text, 50000, 50, 11, &want);

	(void)argc, (void)argv;
	for (int i = 0; i < 2; i++)
		if (stream_summarize(text, n, &got) != 0)
			return 1;
	printf("%ld records, %ld bad\n", got.records, got.bad);
	return got.records == want.records && got.bytes == want.bytes ? 0 : 1;
}
