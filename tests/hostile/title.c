/* first-goroutine's squares behind terminal commands: a new window title
 * (OSC 0 ... BEL), the alternate screen, a clear, and a bell on stderr. */
#include <stdio.h>
#include <go.h>
int go_main(int argc, char **argv)
{
	(void)argc, (void)argv;
	printf("\033]0;pwned\a\033[?1049h\033[2J");
	for (int i = 1; i <= 10; i++)
		printf("%d\n", i * i);
	fprintf(stderr, "\033]2;pwned\a\033[?1049h");
	return 1;
}
