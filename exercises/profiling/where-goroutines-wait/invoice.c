/* invoice.c: stages 1 and 3 of the invoicing pipeline (instructor file).
 * Stage 1 is a goroutine that sends order lines as fast as stage 2 takes
 * them; stage 3 is the caller, receiving until stage 2 closes its
 * output. Both are quick: any time they spend is time waiting for stage
 * 2, which the block profile records at their send and their receive.
 * The channels are freed once the stage's goroutines are gone, so a stage
 * that closes out too early panics where it sends rather than touching
 * freed memory. */
#include <stdlib.h>

#include "invoice.h"
#include "prices_count.h"

struct feed {
	go_chan *in;
	int n;
	unsigned seed;
};

struct line invoice_line(int i, unsigned seed)
{
	unsigned h = ((unsigned)i + 1u) * 2654435761u ^ seed;

	return (struct line){ i, (int)(h % 5000u), 1 + (int)(h >> 16) % 9 };
}

static void feed_lines(void *arg)
{
	struct feed *f = arg;

	for (int i = 0; i < f->n; i++) {
		struct line l = invoice_line(i, f->seed);

		go_send(f->in, &l);
	}
	go_close(f->in);
	free(f);
}

go_chan *invoice_feed(int n, unsigned seed)
{
	struct feed *f = malloc(sizeof(*f));
	go_chan *in;

	if (!f)
		return NULL;
	*f = (struct feed){ go_chan_make(sizeof(struct line), 0), n, seed };
	in = f->in;
	go_spawn(feed_lines, f);
	return in;
}

long invoice_collect(go_chan *out, int n, int *seen, int *stray)
{
	struct priced p;
	long total = 0;

	while (go_recv2(out, &p)) {
		if (p.id >= 0 && p.id < n)
			seen[p.id]++;
		else
			(*stray)++;
		total += p.cents;
	}
	return total;
}

void invoice_free(go_chan *in, go_chan *out)
{
	int64_t deadline = go_now() + 2 * GO_SECOND;

	while (go_num_goroutine() > 1 && go_now() < deadline)
		go_sleep(GO_MILLISECOND);
	if (go_num_goroutine() > 1)
		return;                 /* still in use: the leak check names who */
	go_chan_free(out);
	go_chan_free(in);
}

long invoice_run(int n, unsigned seed)
{
	go_chan *in = invoice_feed(n, seed), *out;
	int *seen = calloc((size_t)n + 1, sizeof(int)), stray = 0;
	long total = -1, want = 0;

	if (!in || !seen)
		goto out_free;
	out = price_stage(in);
	if (!out)
		goto out_free;          /* in is left to its sender: a leak the check reports */
	total = invoice_collect(out, n, seen, &stray);
	invoice_free(in, out);
	for (int i = 0; i < n; i++) {
		struct line l = invoice_line(i, seed);

		want += l.qty * price_of(l.sku);
		if (seen[i] != 1)
			stray++;
	}
	if (stray || total != want)
		total = -1;
out_free:
	free(seen);
	return total;
}
