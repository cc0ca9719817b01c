/* Prints a NUL, bytes that are not UTF-8 (0xff, 0xfe, an overlong '/') and a C1 CSI. */
#include <stdio.h>
#include <go.h>
int go_main(int argc, char **argv)
{
	(void)argc, (void)argv;
	fwrite("a\0b\xff\xfe\xc0\xaf\xc2\x9b" "2J\n", 1, 12, stdout);
	return 0;
}
