/* Wrong: turns off closed cases, but loops forever: once both inputs are
 * NULL, the select has no case that can ever fire, and out is never closed. */
#include <go.h>

#include "merge.h"

void merge(go_chan *a, go_chan *b, go_chan *out)
{
	int v;

	for (;;) {
		go_case cs[] = { GO_RECV(a, &v), GO_RECV(b, &v) };
		int i = go_select(cs, 2);       /* wrong: deadlock */

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
