/* A server and its client in one program, over 127.0.0.1: the sandbox's
 * network namespace has its loopback up (and nothing else), and both
 * sides wait in the network poller. Prints "echoed hello". */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <go.h>

static int lfd;

static void serve(void *arg)
{
	char buf[16];
	long n;
	int c = go_accept(lfd, NULL, NULL);

	(void)arg;
	if (c < 0) {
		printf("accept: %s\n", strerror(errno));
		return;
	}
	if ((n = go_read(c, buf, sizeof(buf))) > 0)
		go_write(c, buf, (size_t)n);
	close(c);
}

int go_main(int argc, char **argv)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof(a);
	char buf[16] = "";
	int fd;

	(void)argc, (void)argv;
	lfd = socket(AF_INET, SOCK_STREAM, 0);
	if (lfd < 0 || bind(lfd, (struct sockaddr *)&a, sizeof(a)) < 0 || listen(lfd, 4) < 0 ||
	    getsockname(lfd, (struct sockaddr *)&a, &len) < 0) {
		printf("listen on 127.0.0.1: %s\n", strerror(errno));
		return 1;
	}
	go_spawn(serve, NULL);
	fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0 || go_connect(fd, (struct sockaddr *)&a, sizeof(a)) < 0) {
		printf("connect to 127.0.0.1: %s\n", strerror(errno));
		return 1;
	}
	if (go_write(fd, "hello", 5) != 5 || go_read(fd, buf, sizeof(buf) - 1) != 5) {
		printf("no echo: %s\n", strerror(errno));
		return 1;
	}
	printf("echoed %s\n", buf);
	return 0;
}
