/* A leak: LeakSanitizer must point at the malloc on line 9. */
#include <stdlib.h>
#include <string.h>
#include <go.h>

static char *copy(const char *s)
{
	size_t n = strlen(s) + 1;
	char *d = malloc(n);
	return memcpy(d, s, n);
}

int go_main(int argc, char **argv)
{
	(void)argc;
	return copy(argv[0])[0] == 0;
}
