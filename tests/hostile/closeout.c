/* Closes stdout and stderr, keeps printing, then exits 0. */
#include <stdio.h>
#include <unistd.h>
#include <go.h>
int go_main(int argc, char **argv)
{
	(void)argc, (void)argv;
	close(1);
	close(2);
	for (int i = 0; i < 1000; i++)
		printf("into the void %d\n", i);
	return 0;
}
