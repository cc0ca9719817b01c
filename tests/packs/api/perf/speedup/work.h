/* work.h: what the learner implements (read-only beside work.c). */
#ifndef WORK_H
#define WORK_H

/* 0 + 1 + ... + n. */
unsigned long triangle(unsigned long n);

#endif
