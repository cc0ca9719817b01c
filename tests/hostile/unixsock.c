/* Reaches for a unix socket of the host, as a learner program once reached
 * its user's tmux server: the socket file argv[1] and the abstract name
 * argv[2]. Exits 0 if either answered, 1 if neither did. */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include <go.h>

static int reach(const char *name, int abstract)
{
	struct sockaddr_un a;
	size_t len = strlen(name);
	int fd, rc;

	memset(&a, 0, sizeof(a));
	a.sun_family = AF_UNIX;
	if (len + 2 > sizeof(a.sun_path))
		return 0;
	memcpy(a.sun_path + (abstract != 0), name, len);
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	if (fd < 0) {
		printf("socket: %s\n", strerror(errno));
		return 0;
	}
	rc = connect(fd, (struct sockaddr *)&a, (socklen_t)(offsetof(struct sockaddr_un, sun_path) + len + (abstract != 0)));
	printf("%s%s: %s\n", abstract ? "@" : "", name, rc < 0 ? strerror(errno) : "connected");
	if (rc == 0 && write(fd, "reached\n", 8) < 0)
		rc = -1;
	close(fd);
	return rc == 0;
}

int go_main(int argc, char **argv)
{
	int reached = 0;

	if (argc > 1)
		reached += reach(argv[1], 0);
	if (argc > 2)
		reached += reach(argv[2], 1);
	return reached ? 0 : 1;
}
