/* crash — deliberate crash points; see crash.h. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "data/crash.h"

void crash_point(const char *where)
{
	static int at = -2, delay_ms, count;

	if (at == -2) {
		const char *e = getenv("CHANLAB_CRASH_AT"), *d = getenv("CHANLAB_CRASH_DELAY_MS");

		at = e ? atoi(e) : -1;
		delay_ms = d ? atoi(d) : 0;
	}
	if (at < 0 && delay_ms <= 0)
		return;
	if (++count == at) {
		if (getenv("CHANLAB_CRASH_LOG"))
			fprintf(stderr, "chanlab: crash point %d: %s\n", count, where);
		kill(getpid(), SIGKILL);
	}
	if (delay_ms > 0) {
		struct timespec ts = { delay_ms / 1000, (long)(delay_ms % 1000) * 1000000L };

		nanosleep(&ts, NULL);
	}
}
