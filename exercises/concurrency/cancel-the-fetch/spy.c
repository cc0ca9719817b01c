/* spy.c: the tests' store (spy.h): store_fetch and store_cancel of
 * store.h, with a record of what the fetch asked of it. */
#include <stdlib.h>
#include <string.h>

#include "spy.h"

int store_fetch(struct store *s, char *out, size_t n)
{
	size_t i = 0, len = strlen(s->record);
	int rc = 0;

	go_atomic_int32_add(&s->fetching, 1);
	for (; i < len && i + 1 < n; i++) {
		if (go_recv_until(s->stop, NULL, NULL, go_now() + s->piece) != GO_ETIMEDOUT) {
			rc = GO_ECANCELED;      /* told to stop */
			break;
		}
		out[i] = s->record[i];
		go_atomic_int32_add(&s->pieces, 1);
	}
	if (n > 0)
		out[i] = '\0';
	go_atomic_int32_add(&s->fetching, -1);
	return rc;
}

void store_cancel(struct store *s)
{
	if (!go_atomic_bool_swap(&s->cancelled, true)) {
		go_atomic_int64_store(&s->cancelled_at, go_now());
		go_close(s->stop);
	}
}

struct store *spy_new(const char *record, int64_t piece)
{
	struct store *s = calloc(1, sizeof *s);

	s->record = record;
	s->piece = piece;
	s->stop = go_chan_make(1, 0);
	return s;
}

void spy_free(struct store *s)
{
	int64_t give_up = go_now() + GO_SECOND;

	/* A fetch that returned without waiting for the store leaves
	 * store_fetch running on s: let it end first (the case fails on it
	 * anyway), and rather keep s than free it under a running fetch. */
	while (go_atomic_int32_load(&s->fetching) != 0 && go_now() < give_up)
		go_sleep(GO_MILLISECOND);
	if (go_atomic_int32_load(&s->fetching) != 0)
		return;
	go_chan_free(s->stop);
	free(s);
}
