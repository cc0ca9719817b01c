/* limit.h: what the learner implements (read-only beside limit.c). */
#ifndef LIMIT_H
#define LIMIT_H

/* Runs job(i, arg) for every i from 0 to njobs - 1, each in a goroutine
 * of its own, at most limit of them at once; returns when all are done. */
void run_limited(int njobs, int limit, void (*job)(int i, void *arg), void *arg);

/* x * x. */
int square(int x);

#endif
