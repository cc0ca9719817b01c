/* rwlock.h: a readers-writer lock (rwlock.c implements it; the tests
 * include this too). */
#ifndef RWLOCK_H
#define RWLOCK_H

#include <go.h>

struct rwlock {
	go_mutex mu;            /* guards every field below */
	go_cond readers_ok;     /* signalled when readers may enter */
	go_cond writer_ok;      /* signalled when a writer may enter */
	int readers;            /* readers inside */
	bool writing;           /* a writer inside */
	int writers_waiting;    /* writers waiting to enter */
};

#define RWLOCK_INIT(l) { GO_MUTEX_INIT, GO_COND_INIT(&(l).mu), GO_COND_INIT(&(l).mu), 0, false, 0 }

void rw_rlock(struct rwlock *l);
void rw_runlock(struct rwlock *l);
void rw_lock(struct rwlock *l);
void rw_unlock(struct rwlock *l);

#endif
