/* server.h: a server that stops on Ctrl-C (server.c, yours). The lab is
 * its world: it sends the requests, delivers the signals and does the
 * work of each request (request_handle). */
#ifndef SERVER_H
#define SERVER_H

#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>

#include <go.h>

/* One request. The lab fills it in; the server only passes it on. */
struct request {
	int64_t work;           /* how long handling it takes, in ns */
	atomic_int state;       /* the lab's: REQ_NEW, REQ_RUNNING, REQ_DONE, REQ_CANCELLED */
};

enum { REQ_NEW, REQ_RUNNING, REQ_DONE, REQ_CANCELLED };

/* Does the work of r (the lab's). Blocks for r->work, or until ctx is
 * cancelled: then it rolls back what it did (that takes 50 ms) and
 * returns. Safe from any number of goroutines at once. */
void request_handle(struct request *r, go_ctx *ctx);

struct server_cfg {
	go_chan *requests;      /* struct request *: receive one to accept it */
	go_chan *sigs;          /* int: the signals the program gets, as
	                         * signal.Notify(sigs, os.Interrupt) would send them */
	int64_t grace;          /* how long a drain may take, in ns */
};

/* Serves cfg->requests, each on a goroutine of its own, until a SIGINT
 * comes on cfg->sigs. Then it accepts no more requests and waits for
 * those in flight to finish, for at most cfg->grace; a second SIGINT, or
 * the end of the grace period, cancels the ones still running. Returns
 * once every request it accepted has returned: 0 when all finished, 1
 * when some had to be cancelled. Blocks. */
int server_run(const struct server_cfg *cfg);

#endif
