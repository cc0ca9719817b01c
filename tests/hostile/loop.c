/* Spins forever. */
#include <go.h>
int go_main(int argc, char **argv)
{
	volatile unsigned long n = 0;
	(void)argc, (void)argv;
	for (;;)
		n++;
}
