/* Four processes hold 100 MiB each: no one of them passes a 256 MiB
 * limit, the four together do. Every process renames itself so the test
 * can look for leftovers. */
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>
#include <go.h>
int go_main(int argc, char **argv)
{
	(void)argc, (void)argv;
	prctl(PR_SET_NAME, "chl-memforks");
	for (int i = 0; i < 4; i++)
		if (fork() == 0) {
			char *volatile p = malloc(100u << 20);
			memset(p, 1, 100u << 20);
			sleep(3);
			_exit(p[4096]);
		}
	while (wait(NULL) > 0)
		;
	return 0;
}
