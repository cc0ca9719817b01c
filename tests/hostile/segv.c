/* Writes through a NULL pointer (computed at run time, so the compiler keeps it). */
#include <stdint.h>
#include <go.h>
int go_main(int argc, char **argv)
{
	(void)argv;
	*(volatile int *)(uintptr_t)(argc - 1) = 1;
	return 0;
}
