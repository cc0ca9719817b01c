/* queue_test.c: instructor tests for who-frees-the-message, one process each.
 *
 * The lines are "message 0", "message 1~", ... of varying length. deliver()
 * checks each message against its line and counts deliveries per seq, with
 * atomics since several consumers may call it at once. Between reading the
 * seq and the text it yields, as a handler waiting for I/O would: a message
 * freed behind the consumer's back is then freed before it is read, and
 * AddressSanitizer sees the read. LeakSanitizer, at the end of each case's
 * process, sees any message nobody freed. */
#include <chanlab_test.h>

#include "queue.h"

#define MAXLINES 2000

static char text[MAXLINES][40];
static const char *lines[MAXLINES];
static int nlines;
static atomic_int delivered[MAXLINES], bad_seq, bad_text, out_of_order, next_seq;
static atomic_bool in_order = true;     /* false while several consumers run */

static void make_lines(int n)
{
	nlines = n;
	for (int i = 0; i < n; i++) {
		snprintf(text[i], sizeof(text[i]), "message %d %.*s", i, i % 23,
			 "~~~~~~~~~~~~~~~~~~~~~~~");
		lines[i] = text[i];
	}
}

void deliver(const struct msg *m)
{
	int seq = m->seq;

	go_yield();
	if (seq < 0 || seq >= nlines) {
		atomic_fetch_add(&bad_seq, 1);
		return;
	}
	if (strcmp(m->text, lines[seq]) != 0)
		atomic_fetch_add(&bad_text, 1);
	if (atomic_load(&in_order) && seq != atomic_load(&next_seq))
		atomic_fetch_add(&out_of_order, 1);
	atomic_store(&next_seq, seq + 1);
	atomic_fetch_add(&delivered[seq], 1);
}

/* got messages were delivered: expects each of the n exactly once, intact. */
static void expect_each_once(int got, int n)
{
	int wrong = 0;

	CL_EXPECT_MSG(got == n, "consume returned %d, expected %d messages", got, n);
	CL_EXPECT_MSG(atomic_load(&bad_seq) == 0, "%d messages had a seq that was never sent",
		      atomic_load(&bad_seq));
	CL_EXPECT_MSG(atomic_load(&bad_text) == 0, "%d messages arrived with the wrong text",
		      atomic_load(&bad_text));
	CL_EXPECT_MSG(atomic_load(&out_of_order) == 0, "%d messages arrived out of order",
		      atomic_load(&out_of_order));
	for (int i = 0; i < n && wrong < 3; i++) {
		int k = atomic_load(&delivered[i]);

		if (k != 1) {
			CL_EXPECT_MSG(false, "message %d was delivered %d times, expected once", i, k);
			wrong++;
		}
	}
}

CL_TEST(no_messages) {
	make_lines(0);
	expect_each_once(relay(lines, 0, 0), 0);
}

CL_TEST(one_message) {
	make_lines(1);
	expect_each_once(relay(lines, 1, 0), 1);
}

CL_TEST(two_hundred_messages_unbuffered) {
	make_lines(200);
	expect_each_once(relay(lines, 200, 0), 200);
}

CL_TEST(two_thousand_messages_buffered) {
	make_lines(2000);
	expect_each_once(relay(lines, 2000, 16), 2000);
}

/* Every message waits in the channel's buffer until the producer is gone:
 * whatever the producer did to a message after sending it is done by then. */
CL_TEST(the_producer_can_finish_before_the_consumer_starts) {
	go_chan *c;
	int got;

	make_lines(50);
	c = go_chan_make(sizeof(struct msg *), 50);
	produce(c, lines, 50);
	got = consume(c);
	go_chan_free(c);
	expect_each_once(got, 50);
}

struct side {
	go_chan *c;
	go_waitgroup *wg;
	atomic_int *total;
};

static void run_producer(void *arg)
{
	struct side *s = arg;

	produce(s->c, lines, nlines);
	go_waitgroup_done(s->wg);
}

static void run_consumer(void *arg)
{
	struct side *s = arg;

	atomic_fetch_add(s->total, consume(s->c));
	go_waitgroup_done(s->wg);
}

CL_TEST(three_consumers_share_one_channel) {
	go_waitgroup wg = GO_WAITGROUP_INIT;
	atomic_int total = 0;
	struct side s;

	make_lines(600);
	atomic_store(&in_order, false);
	s = (struct side){ go_chan_make(sizeof(struct msg *), 4), &wg, &total };
	go_waitgroup_add(&wg, 4);
	go_spawn(run_producer, &s);
	for (int i = 0; i < 3; i++)
		go_spawn(run_consumer, &s);
	go_waitgroup_wait(&wg);
	go_chan_free(s.c);
	expect_each_once(atomic_load(&total), 600);
}
