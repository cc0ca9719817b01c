/* Calls abort(), as a failed assert does. */
#include <stdlib.h>
#include <go.h>
int go_main(int argc, char **argv)
{
	(void)argc, (void)argv;
	abort();
}
