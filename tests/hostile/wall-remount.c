/* Makes the read-only file system writable again from inside (mount_setattr,
 * a remount), then writes each target: the record, the attempts repository,
 * the learner's file, the pack's harness, the host's /tmp and /dev/shm. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <go.h>

#ifndef MOUNT_ATTR_RDONLY
#define MOUNT_ATTR_RDONLY 0x1
#endif
struct attr { unsigned long long set, clr, propagation, userns; };

static const char *const targets[] = { @TARGETS@ NULL };

int go_main(int argc, char **argv)
{
	struct attr a = { .clr = MOUNT_ATTR_RDONLY };
	int wrote = 0;

	(void)argc, (void)argv;
	if (syscall(SYS_mount_setattr, AT_FDCWD, "/", 0x8000 /* AT_RECURSIVE */, &a, sizeof(a)) == 0)
		puts("mount_setattr worked");
	if (mount(NULL, "/", NULL, MS_REMOUNT | MS_BIND, NULL) == 0)
		puts("remount worked");
	for (int i = 0; targets[i]; i++)
		if (mount(NULL, targets[i], NULL, MS_REMOUNT | MS_BIND, NULL) == 0)
			printf("remounted %s\n", targets[i]);
	for (int i = 0; targets[i]; i++) {
		int fd = open(targets[i], O_WRONLY | O_CREAT | O_TRUNC, 0644);

		if (fd >= 0) {
			write(fd, "escaped\n", 8);
			close(fd);
			printf("WROTE %s\n", targets[i]);
			wrote++;
		}
	}
	return wrote ? 2 : 1;
}
