/* stats.h: a summary of response times (the harness includes it too). */
#ifndef STATS_H
#define STATS_H

struct stats {
	int count;      /* readings */
	long total;     /* their sum, in ms */
	int slowest;    /* the largest reading; 0 when there is none */
	int slow;       /* readings over the limit */
};

/* The summary of the n readings ms[0..n-1] (each >= 0, in ms) against
 * limit: like Go's `var st Stats` filled in a loop, every field starts
 * from zero. n == 0 gives all zeros. */
struct stats stats_of(const int *ms, int n, int limit);

#endif
