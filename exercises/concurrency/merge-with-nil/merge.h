/* merge.h: merge two streams (the harness includes it too). */
#ifndef MERGE_H
#define MERGE_H

#include <go.h>

/* Receives ints from a and from b, whichever has one ready, and sends each
 * on out, until both a and b are closed; then closes out and returns.
 * Every value arrives on out exactly once; a and b may close in either
 * order, and one may stay quiet for a long time while the other is closed. */
void merge(go_chan *a, go_chan *b, go_chan *out);

#endif
