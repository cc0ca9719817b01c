/* words_main.c: the program the check profiles (instructor file): the
 * content words of a 200 000-word text, counted ten times. */
#include <stdio.h>

#include <go.h>

#include "text.h"
#include "words.h"

int go_main(int argc, char **argv)
{
	long want, got = 0;
	const char *text = text_make(200000, &want);

	(void)argc, (void)argv;
	for (int i = 0; i < 10; i++)
		got = count_content_words(text);
	printf("%ld content words of 200000\n", got);
	return got == want ? 0 : 1;
}
