/* Forks without end; every process renames itself so the test can look for leftovers. */
#include <sys/prctl.h>
#include <unistd.h>
#include <go.h>
int go_main(int argc, char **argv)
{
	(void)argc, (void)argv;
	prctl(PR_SET_NAME, "chl-forkbomb");
	for (;;)
		fork();
}
