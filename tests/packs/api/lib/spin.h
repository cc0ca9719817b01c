/* spin: burn a known amount of CPU (a single-file pack library: lib/spin.c
 * and lib/spin.h, `uses = { "spin" }`). */
#ifndef SPIN_H
#define SPIN_H

/* Some arithmetic, n rounds of it; the result keeps the compiler honest. */
unsigned long spin(unsigned long n);

#endif
