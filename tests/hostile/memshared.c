/* Shared anonymous memory is memory too: 400 MiB of it, touched. */
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <go.h>
int go_main(int argc, char **argv)
{
	(void)argc, (void)argv;
	char *volatile p = mmap(NULL, 400u << 20, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return 3;
	memset(p, 1, 400u << 20);
	sleep(3);
	return p[4096] - 1;
}
