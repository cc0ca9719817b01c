/* snap.h: a configuration snapshot shared by many goroutines and freed by
 * the last one to let go of it (the harness includes it too). */
#ifndef SNAP_H
#define SNAP_H

#include <go.h>

/* A snapshot: a version, a name and nlimits limits, never changed once
 * made. Opaque: its fields, the reference count among them, are snap.c's. */
struct snap;

/* A new snapshot with a count of one: the caller holds that reference.
 * limits[i] is copied. Never returns NULL. */
struct snap *snap_new(int version, const char *name, const int *limits, int nlimits);

/* Takes one more reference to s, which the caller must already hold (or
 * be handed by someone who does); returns s. Safe from any goroutine. */
struct snap *snap_retain(struct snap *s);

/* Gives back one reference. The call that gives back the last one frees
 * s, after calling snap_freed(s); s must not be touched after release. */
void snap_release(struct snap *s);

int snap_version(const struct snap *s);
const char *snap_name(const struct snap *s);
int snap_limit(const struct snap *s, int i);     /* 0 <= i < nlimits */
int snap_nlimits(const struct snap *s);

/* Runs read(s, arg) on n new goroutines and returns at once, without
 * waiting for them. Each reader holds a reference of its own for as long
 * as read runs and gives it back when read returns; the caller's
 * reference stays the caller's, to release when it likes (at once, say). */
void snap_share(struct snap *s, int n, void (*read)(struct snap *s, void *arg), void *arg);

/* Called by snap_release exactly once per snapshot, just before it is
 * freed. Provided by the tests. */
void snap_freed(const struct snap *s);

#endif
