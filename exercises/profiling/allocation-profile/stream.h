/* stream.h: a summary of an access log, read one line at a time. */
#ifndef STREAM_H
#define STREAM_H

#include <stddef.h>
#include <stdint.h>

/* What stream_summarize found. */
struct stream_stats {
	long records;   /* well-formed lines */
	long bad;       /* lines that are not "user,status,bytes,path" */
	long errors;    /* records with a status of 500 or more */
	uint64_t bytes; /* the bytes fields of the records, summed */
};

/* Summarises the log at text[0..n): lines "user,status,bytes,path", each
 * ended by '\n' (the last one may lack it; an empty line is a bad one).
 * status and bytes are decimal digits, one to 18 of them. Fills *st and
 * returns 0, or returns -1 when out of memory. */
int stream_summarize(const char *text, size_t n, struct stream_stats *st);

#endif
