/* Says something, then takes memory until there is none and uses it
 * without checking. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <go.h>
int go_main(int argc, char **argv)
{
	(void)argc, (void)argv;
	printf("printed before the hog\n");
	for (;;) {
		char *p = malloc(64u << 20);
		memset(p, 1, 64u << 20);
	}
}
