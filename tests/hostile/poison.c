/* A read of memory an allocator poisoned (the way an arena marks what it
 * has not handed out): ASan must point at the read on line 15. */
#include <stdio.h>
#include <sanitizer/asan_interface.h>
#include <go.h>

static char pool[64];

int go_main(int argc, char **argv)
{
	char *p = pool;
	(void)argv;
	ASAN_POISON_MEMORY_REGION(pool + 32, 32);   /* only the first 32 bytes are handed out */
	p[0] = 'x';
	printf("%d\n", p[32 + argc]);
	return 0;
}
