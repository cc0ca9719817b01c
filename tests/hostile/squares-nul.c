/* first-goroutine's ten squares, then a NUL byte. */
#include <stdio.h>
#include <go.h>
int go_main(int argc, char **argv)
{
	(void)argc, (void)argv;
	for (int i = 1; i <= 10; i++)
		printf("%d\n", i * i);
	putchar('\0');
	return 0;
}
