/* queue.h: messages from a producer to a consumer over a channel (the
 * harness includes it too). */
#ifndef QUEUE_H
#define QUEUE_H

#include <go.h>

/* A message. Both of its blocks, the struct and its text, come from
 * malloc: whoever holds the message last gives both back, once. */
struct msg {
	int seq;                /* 0, 1, 2, ... in the order produced */
	char *text;             /* a malloc'd copy of the line */
};

/* Handles one message: reads m->seq and m->text and keeps no pointer into
 * m once it returns. Provided by the tests. */
void deliver(const struct msg *m);

/* Sends one new message per line on out (a channel of struct msg *), in
 * order, then closes out. Blocks while out is full. */
void produce(go_chan *out, const char *const *lines, int n);

/* Receives messages from in until it is closed and delivers each one;
 * returns how many it delivered. Blocks while in is empty. Several
 * consumers may share one channel. */
int consume(go_chan *in);

/* Runs produce on a new goroutine and consume on the caller's, over a
 * channel of `capacity` places. Returns what consume returned, once the
 * producer has finished too. */
int relay(const char *const *lines, int n, int capacity);

#endif
