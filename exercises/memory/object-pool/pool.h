/* pool.h: a pool of reusable objects, Go's sync.Pool (the harness includes
 * it too). Safe for any number of goroutines at once. */
#ifndef POOL_H
#define POOL_H

struct pool;

/* A new, empty pool for go_gomaxprocs(0) Ps (GOMAXPROCS does not change
 * while it lives). new_fn makes an object when the pool has none to give
 * (Go's Pool.New); free_fn gives one back to the system at pool_free.
 * Never NULL (aborts when out of memory). */
struct pool *pool_new(void *(*new_fn)(void), void (*free_fn)(void *));

/* An object nobody else holds: one put earlier, or new_fn's. Never blocks
 * for long: no goroutine waits for another's get or put but to steal. */
void *pool_get(struct pool *pl);

/* Gives x (not NULL) to the pool for a later get; the caller no longer
 * holds it. */
void pool_put(struct pool *pl, void *x);

/* Frees with free_fn every object the pool holds, then the pool. No get or
 * put may run meanwhile; objects out of the pool are their holder's. */
void pool_free(struct pool *pl);

#endif
