/* Reads what it has no business reading: the user's keys, the chanlab home,
 * the pack's solution; prints the first line of each it could open. */
#include <stdio.h>
#include <string.h>
#include <go.h>

static const char *const paths[] = { @READS@ NULL };

int go_main(int argc, char **argv)
{
	int got = 0;

	(void)argc, (void)argv;
	for (int i = 0; paths[i]; i++) {
		char line[128] = "";
		FILE *f = fopen(paths[i], "r");

		if (!f)
			continue;
		if (!fgets(line, sizeof(line), f))
			line[0] = '\0';
		fclose(f);
		printf("READ %.40s\n", line);   /* short: the verdict keeps the end */
		fprintf(stderr, "read %s\n", paths[i]);
		got++;
	}
	return got ? 2 : 1;
}
