/* Prints a line (into a pipe: fully buffered), then spins forever. */
#include <stdio.h>
#include <go.h>
int go_main(int argc, char **argv)
{
	volatile unsigned long n = 0;
	(void)argc, (void)argv;
	printf("before the loop\n");
	for (;;)
		n++;
}
