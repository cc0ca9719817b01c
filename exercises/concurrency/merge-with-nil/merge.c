/* Merge two streams: see the exercise text (chanlab shows it). */
#include <stdbool.h>

#include <go.h>

#include "merge.h"

void merge(go_chan *a, go_chan *b, go_chan *out)
{
	bool a_open = true, b_open = true;
	int v;

	while (a_open || b_open) {
		go_case cs[] = { GO_RECV(a, &v), GO_RECV(b, &v) };
		int i = go_select(cs, 2);

		if (!cs[i].ok) {
			/* TODO: a closed channel is always ready, so this select
			 * wakes again at once, and again, and again */
			if (i == 0)
				a_open = false;
			else
				b_open = false;
			continue;
		}
		go_send(out, &v);
	}
	go_close(out);
}
