/* Wrong: treats the first closed input as "the end": closes out and
 * returns, and whatever the other input still had is lost. */
#include <go.h>

#include "merge.h"

void merge(go_chan *a, go_chan *b, go_chan *out)
{
	int v;

	while (a || b) {
		go_case cs[] = { GO_RECV(a, &v), GO_RECV(b, &v) };
		int i = go_select(cs, 2);

		if (!cs[i].ok)
			break;          /* wrong: leak anywhere */
		go_send(out, &v);
	}
	go_close(out);
}
