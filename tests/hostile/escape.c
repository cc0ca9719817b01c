/* Writes outside its temporary folder: next to chanlab's test files, in /tmp and in its cwd's parent. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <go.h>
int go_main(int argc, char **argv)
{
	const char *paths[] = { "/tmp/chanlab-escaped", "../chanlab-escaped", "/var/tmp/chanlab-escaped" };
	int escaped = 0;
	(void)argc, (void)argv;
	for (int i = 0; i < 3; i++) {
		FILE *f = fopen(paths[i], "w");
		if (f) {
			fputs("escaped\n", f);
			fclose(f);
			escaped++;
		} else {
			fprintf(stderr, "cannot write %s: %s\n", paths[i], strerror(errno));
		}
	}
	FILE *t = fopen("inside.txt", "w");   /* its own folder is fine */
	if (!t)
		return 9;
	fclose(t);
	return escaped ? 2 : 1;   /* 1: every write outside was refused */
}
