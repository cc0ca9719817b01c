/* wc_main.c: the program the check profiles (instructor file): the words
 * of 32 MiB counted once by 4 workers, at GOMAXPROCS=2. */
#include <stdio.h>
#include <stdlib.h>

#include <go.h>

#include "table_more.h"

int go_main(int argc, char **argv)
{
	char *text = corpus_make(32 << 20, 3);
	struct wc_table *t = table_new();
	long words;

	(void)argc, (void)argv;
	if (!text || !t)
		return 1;
	wordcount(text, 4, t);
	words = table_total(t);
	printf("%ld words, %zu distinct\n", words, table_len(t));
	table_free(t);
	free(text);
	return 0;
}
