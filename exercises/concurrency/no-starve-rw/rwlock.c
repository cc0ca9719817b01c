/* rwlock.c: a readers-writer lock. See the exercise text (chanlab shows it). */
#include "rwlock.h"

void rw_rlock(struct rwlock *l)
{
	go_mutex_lock(&l->mu);
	while (l->writing)
		go_cond_wait(&l->readers_ok);
	l->readers++;
	go_mutex_unlock(&l->mu);
}

void rw_runlock(struct rwlock *l)
{
	go_mutex_lock(&l->mu);
	if (--l->readers == 0)
		go_cond_signal(&l->writer_ok);
	go_mutex_unlock(&l->mu);
}

void rw_lock(struct rwlock *l)
{
	go_mutex_lock(&l->mu);
	l->writers_waiting++;
	while (l->writing || l->readers > 0)
		go_cond_wait(&l->writer_ok);
	l->writers_waiting--;
	l->writing = true;
	go_mutex_unlock(&l->mu);
}

void rw_unlock(struct rwlock *l)
{
	go_mutex_lock(&l->mu);
	l->writing = false;
	go_cond_signal(&l->writer_ok);
	go_cond_broadcast(&l->readers_ok);
	go_mutex_unlock(&l->mu);
}
