/* Fills the disk: 100 files of 10 MiB in its temporary folder, carrying on
 * past every error; says how much it wrote, whether in memory, and where. */
#include <stdio.h>
#include <string.h>
#include <sys/vfs.h>
#include <unistd.h>
#include <go.h>
int go_main(int argc, char **argv)
{
	static char block[1 << 16];
	struct statfs fs;
	char cwd[4096];
	long written = 0;
	(void)argc, (void)argv;
	memset(block, 'x', sizeof(block));
	for (int i = 0; i < 100; i++) {
		char name[32];
		FILE *f;
		snprintf(name, sizeof(name), "fill-%03d", i);
		if (!(f = fopen(name, "w")))
			continue;
		for (int k = 0; k < 160; k++)   /* 160 x 64 KiB = 10 MiB */
			if (fwrite(block, 1, sizeof(block), f) == sizeof(block) && fflush(f) == 0)
				written += (long)sizeof(block);
		fclose(f);
	}
	printf("wrote %ld MiB; tmpfs: %s; in %s\n", written >> 20,
	       statfs(".", &fs) == 0 && fs.f_type == 0x01021994 ? "yes" : "no", getcwd(cwd, sizeof(cwd)));
	return 0;
}
