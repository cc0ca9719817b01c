/* Count letters in parallel: the reference solution. Each worker counts
 * into its own array and sends it once; the caller adds them up. */
#include <go.h>

#include "freq.h"

struct counts {
	long c[FREQ_LETTERS];
};

struct shared {
	const char *const *texts;
	int n, workers;
	go_chan *results;       /* of struct counts: one per worker */
};

struct worker {
	struct shared *s;
	int first;              /* this worker counts texts first, first+workers, ... */
};

static void count(void *arg)
{
	struct worker *w = arg;
	struct shared *s = w->s;
	struct counts mine = { { 0 } };  /* this goroutine's alone: no lock */

	for (int t = w->first; t < s->n; t += s->workers) {
		for (const char *p = s->texts[t]; *p; p++) {
			int c = *p | 0x20;      /* ASCII lower case */

			if (c >= 'a' && c <= 'z')
				mine.c[c - 'a']++;
		}
	}
	go_send(s->results, &mine);     /* merged once, by the caller */
}

void letter_frequency(const char *const *texts, int n, int workers, long out[FREQ_LETTERS])
{
	struct shared s = { texts, n, workers, NULL };
	struct worker ws[64];
	struct counts got;

	if (workers < 1)
		workers = 1;
	if (workers > 64)
		workers = 64;
	s.workers = workers;
	s.results = go_chan_make(sizeof(struct counts), 0);
	for (int i = 0; i < FREQ_LETTERS; i++)
		out[i] = 0;
	for (int i = 0; i < workers; i++) {
		ws[i] = (struct worker){ &s, i };
		go_spawn(count, &ws[i]);
	}
	for (int i = 0; i < workers; i++) {   /* one result per worker */
		go_recv(s.results, &got);
		for (int k = 0; k < FREQ_LETTERS; k++)
			out[k] += got.c[k];
	}
	go_chan_free(s.results);
}
