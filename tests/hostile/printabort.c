/* Prints a line (into a pipe: fully buffered), then calls abort(). */
#include <stdio.h>
#include <stdlib.h>
#include <go.h>
int go_main(int argc, char **argv)
{
	(void)argc, (void)argv;
	printf("before the abort\n");
	abort();
}
