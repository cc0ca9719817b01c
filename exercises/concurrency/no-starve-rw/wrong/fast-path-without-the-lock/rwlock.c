/* "Most of the time there is no writer: skip the mutex then." The fast
 * path reads and bumps the reader count with no lock held, racing with
 * every other reader and writer. */
#include "rwlock.h"

void rw_rlock(struct rwlock *l)
{
	if (!l->writing && l->writers_waiting == 0 && ++l->readers > 0)     /* wrong: sanitizer */
		return;
	go_mutex_lock(&l->mu);
	while (l->writing || l->writers_waiting > 0)
		go_cond_wait(&l->readers_ok);
	l->readers++;
	go_mutex_unlock(&l->mu);
}

void rw_runlock(struct rwlock *l)
{
	go_mutex_lock(&l->mu);
	if (--l->readers == 0 && l->writers_waiting > 0)
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
	if (l->writers_waiting > 0)
		go_cond_signal(&l->writer_ok);
	else
		go_cond_broadcast(&l->readers_ok);
	go_mutex_unlock(&l->mu);
}
