/* Wrong: never looks at ok, so once an input is closed its zero values are
 * forwarded as if they were data, forever. */
#include <go.h>

#include "merge.h"

void merge(go_chan *a, go_chan *b, go_chan *out)
{
	int v;

	while (a || b) {
		go_case cs[] = { GO_RECV(a, &v), GO_RECV(b, &v) };

		go_select(cs, 2);
		go_send(out, &v);       /* wrong: leak */
	}
	go_close(out);
}
