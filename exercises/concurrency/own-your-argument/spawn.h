/* spawn.h: start numbered workers (the harness includes it too). */
#ifndef SPAWN_H
#define SPAWN_H

/* Starts n goroutines; the k-th of them calls handle(k), so every id from
 * 0 to n-1 is handled exactly once, whatever order they run in. Returns
 * once every handle call has returned. */
void start_workers(int n, void (*handle)(int id));

#endif
