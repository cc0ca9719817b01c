/* Leaves a daemon behind: fork, setsid, fork again; the program itself exits 0. */
#include <sys/prctl.h>
#include <unistd.h>
#include <go.h>
int go_main(int argc, char **argv)
{
	(void)argc, (void)argv;
	if (fork() == 0) {
		setsid();
		if (fork() == 0) {
			prctl(PR_SET_NAME, "chl-daemon");
			close(0), close(1), close(2);
			for (;;)
				sleep(100);
		}
		_exit(0);
	}
	return 0;
}
