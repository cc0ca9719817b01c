/* logw.h: a log writer (the tests include it too). */
#ifndef LOGW_H
#define LOGW_H

#include "sink.h"

/* The most bytes a log writer may hold before it writes them out. */
#define LOGW_BUFSIZE 4096

struct logw;

/* A log writer that writes to out (which stays the caller's), or NULL
 * when out of memory. Close it with logw_close. */
struct logw *logw_new(struct sink *out);

/* Logs msg as one line: its bytes with '\\', '"' and control characters
 * escaped (\\ \" \n \t \r, else \xHH), between double quotes, then '\n'.
 * The bytes may stay in the writer until it holds LOGW_BUFSIZE of them,
 * logw_flush or logw_close. Returns 0, or -1 once a write to out has
 * failed (every later call fails too, and writes nothing). */
int logw_line(struct logw *w, const char *msg);

/* Writes out whatever the writer holds. Returns 0 or -1, as logw_line. */
int logw_flush(struct logw *w);

/* Flushes, then frees w (NULL is fine). Returns what the flush returned. */
int logw_close(struct logw *w);

#endif
