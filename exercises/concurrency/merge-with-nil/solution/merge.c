/* Merge two streams: the reference solution. A closed input's case is
 * turned off by setting its channel to NULL: a NULL channel is never
 * ready, so the select waits only for the input still open. */
#include <go.h>

#include "merge.h"

void merge(go_chan *a, go_chan *b, go_chan *out)
{
	int v;

	while (a || b) {
		go_case cs[] = { GO_RECV(a, &v), GO_RECV(b, &v) };
		int i = go_select(cs, 2);

		if (!cs[i].ok) {
			if (i == 0)
				a = NULL;       /* this case never fires again */
			else
				b = NULL;
			continue;
		}
		go_send(out, &v);
	}
	go_close(out);
}
