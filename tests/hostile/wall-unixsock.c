/* Connects to a Unix socket of the user's on the host (a tmux server, an
 * agent) and sends a command. */
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include <go.h>

int go_main(int argc, char **argv)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);

	(void)argc, (void)argv;
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", "@SOCK@");
	if (fd >= 0 && connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0) {
		write(fd, "escaped\n", 8);
		puts("CONNECTED");
		return 2;
	}
	perror("connect");
	return 1;
}
