/* Wrong: merges correctly but never closes out, so whoever ranges over out
 * waits forever after the last value. */
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
	/* wrong: deadlock anywhere */
}
