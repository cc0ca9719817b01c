/* Wrong: remembers which input closed but keeps its case in the select, so
 * the closed channel is ready every time and the loop burns a core while
 * the other input is quiet. */
#include <go.h>

#include "merge.h"

void merge(go_chan *a, go_chan *b, go_chan *out)
{
	int v, open = 2, a_closed = 0, b_closed = 0;

	while (open > 0) {
		go_case cs[] = { GO_RECV(a, &v), GO_RECV(b, &v) };
		int i = go_select(cs, 2);

		if (!cs[i].ok) {
			if (i == 0 && a_closed++ == 0)
				open--;
			if (i == 1 && b_closed++ == 0)
				open--;
			continue;       /* wrong: test anywhere */
		}
		go_send(out, &v);
	}
	go_close(out);
}
