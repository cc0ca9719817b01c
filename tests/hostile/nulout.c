/* Prints the expected "ok\n" and then a NUL byte: equal as C strings, not as output. */
#include <stdio.h>
#include <go.h>
int go_main(int argc, char **argv)
{
	(void)argc, (void)argv;
	fwrite("ok\n\0", 1, 4, stdout);
	return 0;
}
