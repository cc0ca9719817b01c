/*
 * det.h — the deterministic scheduler's hooks (see det.c).
 */
#ifndef GO_DET_H
#define GO_DET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct go__g go__g;

extern int go__det;             /* 1 in a deterministic run (set once, at start) */
extern int go__det_log;         /* 1 when it writes the schedule log (a replay) */
extern int64_t go__det_now;     /* its virtual clock, in nanoseconds */

/* Reads CHANLAB_SCHED; true if this run is deterministic. Before any M. */
bool go__det_init(void);

/* Seeds the choices once the first M exists. */
void go__det_start(void);

/* The next goroutine to run among the n runnable gs (n >= 1). */
go__g *go__det_choose(go__g **gs, int n);

/* "pct:1234:3", or NULL in a normal run. */
const char *go__det_spec(void);

/* On a fatal error: names the schedule on stderr, writes the log. */
void go__det_fatal(void);

/* For the schedule log: the channel obj a goroutine waits on as reason
 * ("chan send", "chan receive") says, as the learner knows it ("the
 * channel made at pipe.c:12 holds 1 of 1; 2 senders wait"), into buf;
 * false when reason is not a wait on a channel. (chan.c) */
bool go__chan_describe(const char *reason, const void *obj, char *buf, size_t size);

/* The same for a goroutine g waiting on a semaphore queue obj: a
 * Mutex's, with who holds it. (sync.c) */
bool go__sema_describe(const char *reason, const void *obj, const go__g *g, char *buf, size_t size);

/* In a replay: the current goroutine took mu at file:line (file NULL:
 * by go_mutex_trylock). */
void go__det_locked(const void *mu, const char *file, int line);

/* Who took mu last, and where: false if no one has. */
bool go__det_holder(const void *mu, uint32_t *g, const char **file, int *line);

#endif
