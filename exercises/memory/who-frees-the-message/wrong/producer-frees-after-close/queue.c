/* Wrong: the producer made the messages, so it keeps them and frees them
 * all once it has closed the channel, when "everything is sent". Sent is
 * not received: the consumer may not have read them yet. */
#include <stdlib.h>
#include <string.h>

#include <go.h>

#include "queue.h"

static struct msg *msg_new(int seq, const char *text)
{
	struct msg *m = malloc(sizeof(*m));

	if (!m)
		abort();
	m->seq = seq;
	m->text = strdup(text);
	if (!m->text)
		abort();
	return m;
}

static void msg_free(struct msg *m)
{
	free(m->text);
	free(m);
}

void produce(go_chan *out, const char *const *lines, int n)
{
	struct msg **sent = calloc((size_t)n + 1, sizeof(*sent));

	if (!sent)
		abort();
	for (int i = 0; i < n; i++) {
		struct msg *m = msg_new(i, lines[i]);

		sent[i] = m;
		go_send(out, &m);
	}
	go_close(out);
	for (int i = 0; i < n; i++)
		msg_free(sent[i]);
	free(sent);
}

int consume(go_chan *in)
{
	struct msg *m;
	int count = 0;

	while (go_recv2(in, &m)) {
		deliver(m);              /* wrong: sanitizer */
		count++;
	}
	return count;
}

struct producer {
	go_chan *out;
	const char *const *lines;
	int n;
	go_waitgroup *done;
};

static void run_producer(void *arg)
{
	struct producer *p = arg;

	produce(p->out, p->lines, p->n);
	go_waitgroup_done(p->done);
}

int relay(const char *const *lines, int n, int capacity)
{
	go_chan *c = go_chan_make(sizeof(struct msg *), (size_t)capacity);
	go_waitgroup done = GO_WAITGROUP_INIT;
	struct producer p = { c, lines, n, &done };
	int got;

	go_waitgroup_add(&done, 1);
	go_spawn(run_producer, &p);
	got = consume(c);
	/* p lives on this stack: wait for the producer before returning */
	go_waitgroup_wait(&done);
	go_chan_free(c);
	return got;
}
