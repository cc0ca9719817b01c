/* Tries to print 10 GB. */
#include <stdio.h>
#include <string.h>
#include <go.h>
int go_main(int argc, char **argv)
{
	static char chunk[1 << 20];
	(void)argc, (void)argv;
	memset(chunk, 'x', sizeof(chunk));
	for (int i = 0; i < 10240; i++)
		fwrite(chunk, 1, sizeof(chunk), stdout);
	return 0;
}
