/* clock — the one monotonic clock every layer times things with. */
#ifndef BASE_CLOCK_H
#define BASE_CLOCK_H

/* Seconds since an arbitrary fixed point (CLOCK_MONOTONIC): differences
 * only. Never fails, never goes back. */
double clock_now(void);

#endif
