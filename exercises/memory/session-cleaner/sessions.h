/* sessions.h: a session store whose cleaner evicts idle sessions (the
 * harness includes it too). */
#ifndef SESSIONS_H
#define SESSIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SESSION_DATA 4096       /* bytes each session keeps: its cart, its form state */

struct sessions;

/* A new store whose sessions live ttl ns after their last use; its cleaner
 * looks for idle ones every `every` ns (both > 0). Never NULL. */
struct sessions *sessions_new(int64_t ttl, int64_t every);

/* A new session for user, used now; returns its id (never 0). */
uint64_t sessions_create(struct sessions *s, const char *user);

/* Uses session id now: true if it is still there, false if it never was
 * or has been evicted. Never blocks for long (a lock held briefly). */
bool sessions_touch(struct sessions *s, uint64_t id);

/* How many sessions the store holds. */
size_t sessions_len(struct sessions *s);

/* Stops the cleaner, frees every session and the store. Blocks until the
 * cleaner has returned: afterwards no goroutine of the store is left. */
void sessions_close(struct sessions *s);

#endif
