/* A table of its own, flushed into the shared one every 256 words "to
 * keep it small": the lock is still taken hundreds of times per worker,
 * each time for a whole merge. */
#include <stdlib.h>
#include <string.h>

#include <go.h>

#include "wordcount.h"

struct shared {
	go_mutex mu;            /* guards counts */
	struct wc_table *counts;
	go_waitgroup wg;
};

struct part {
	struct shared *s;
	const char *p, *end;
};

static bool is_letter(char c)
{
	return c >= 'a' && c <= 'z';
}

static void count_part(void *arg)
{
	struct part *pt = arg;
	struct wc_table *mine = table_new();
	const char *p = pt->p;

	if (!mine)
		abort();
	while (p < pt->end) {
		const char *w;

		while (p < pt->end && !is_letter(*p))
			p++;
		w = p;
		while (p < pt->end && is_letter(*p))
			p++;
		if (p > w)
			table_inc(mine, w, (size_t)(p - w), 1);
		if (table_total(mine) == 256) {
			go_mutex_lock(&pt->s->mu);
			table_merge(pt->s->counts, mine);
			go_mutex_unlock(&pt->s->mu);    /* wrong: test anywhere */
			table_free(mine);
			mine = table_new();
			if (!mine)
				abort();
		}
	}
	go_mutex_lock(&pt->s->mu);
	table_merge(pt->s->counts, mine);
	go_mutex_unlock(&pt->s->mu);
	table_free(mine);
	go_waitgroup_done(&pt->s->wg);
}

void wordcount(const char *text, int workers, struct wc_table *counts)
{
	size_t len = strlen(text);
	struct shared s = { GO_MUTEX_INIT, counts, GO_WAITGROUP_INIT };
	struct part *parts = calloc((size_t)workers, sizeof(*parts));
	const char *at = text;

	if (!parts)
		abort();
	for (int i = 0; i < workers; i++) {
		const char *end = text + len * (size_t)(i + 1) / (size_t)workers;

		while (end > at && end < text + len && is_letter(*end))
			end++;          /* never cut a word */
		if (end < at)
			end = at;
		parts[i] = (struct part){ &s, at, end };
		at = end;
	}
	go_waitgroup_add(&s.wg, workers);
	for (int i = 0; i < workers; i++)
		go_spawn(count_part, &parts[i]);
	go_waitgroup_wait(&s.wg);
	free(parts);
}
