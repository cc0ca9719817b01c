/* Wrong: counts locally and merges under the lock, but letter_frequency no
 * longer waits for the workers, so it returns before they have merged:
 * the counts come out short, or a worker still reading the returned
 * frame's shared state crashes or is caught by ASan, by the timing. */
#include <go.h>

#include "freq.h"

struct shared {
	const char *const *texts;
	int n, workers;
	long *out;              /* the counts every worker adds to */
	go_mutex mu;            /* guards out */
	go_waitgroup wg;
};

struct worker {
	struct shared *s;
	int first;              /* this worker counts texts first, first+workers, ... */
};

static void count(void *arg)
{
	struct worker *w = arg;
	struct shared *s = w->s;
	long mine[FREQ_LETTERS] = { 0 };

	for (int t = w->first; t < s->n; t += s->workers) {
		for (const char *p = s->texts[t]; *p; p++) {
			int c = *p | 0x20;      /* ASCII lower case */

			if (c < 'a' || c > 'z')
				continue;
			mine[c - 'a']++;
		}
	}
	go_mutex_lock(&s->mu);
	for (int i = 0; i < FREQ_LETTERS; i++)
		s->out[i] += mine[i];
	go_mutex_unlock(&s->mu);
	go_waitgroup_done(&s->wg);
}

void letter_frequency(const char *const *texts, int n, int workers, long out[FREQ_LETTERS])
{
	struct shared s = { texts, n, workers, out, GO_MUTEX_INIT, GO_WAITGROUP_INIT };
	struct worker ws[64];

	if (workers < 1)
		workers = 1;
	if (workers > 64)
		workers = 64;
	s.workers = workers;
	for (int i = 0; i < FREQ_LETTERS; i++)
		out[i] = 0;
	go_waitgroup_add(&s.wg, workers);       /* wrong: test or crash or sanitizer anywhere */
	for (int i = 0; i < workers; i++) {
		ws[i] = (struct worker){ &s, i };
		go_spawn(count, &ws[i]);
	}
}
