/* logmake.h: access logs for the tests (instructor file). */
#ifndef LOGMAKE_H
#define LOGMAKE_H

#include <stddef.h>
#include <stdint.h>

#include "stream.h"

/* Writes `lines` lines of a made-up access log into buf (at most cap
 * bytes), one in every `bad_every` malformed (0: none), seeded by seed;
 * fills *want with the summary they must give. Returns the length. */
size_t logmake(char *buf, size_t cap, long lines, long bad_every, uint64_t seed, struct stream_stats *want);

#endif
