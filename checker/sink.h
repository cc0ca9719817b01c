/*
 * sink — what a run keeps of one output stream: the first `limit` bytes,
 * and a count of the bytes past them, which are read and dropped so the
 * program never blocks on a full pipe. Private to checker/ (proc.c).
 */
#ifndef CHECKER_SINK_H
#define CHECKER_SINK_H

#include <stdbool.h>
#include <stddef.h>

struct sink {
	char *buf;
	size_t len, cap, limit, dropped;
	bool truncated;
};

/* Keeps what fits of the n bytes at data; counts the rest as dropped (as
 * it does what memory ran out for). */
void sink_take(struct sink *s, const char *data, size_t n);

/* NUL-terminates what was kept and hands it over with its length in *len
 * (NULL only if memory ran out); the caller frees it. */
char *sink_finish(struct sink *s, size_t *len);

#endif
