/* A use-after-free: ASan must point at the read on line 11. */
#include <stdio.h>
#include <stdlib.h>
#include <go.h>

int go_main(int argc, char **argv)
{
	int *p = malloc(4 * sizeof(*p));
	(void)argv;
	free(p);
	printf("%d\n", p[argc]);
	return 0;
}
