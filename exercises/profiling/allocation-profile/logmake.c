/* logmake.c: access logs for the tests (instructor file). Each line is
 * drawn from a small generator; the expected summary is counted as the
 * lines are written, so it never depends on the code under test. */
#include <stdio.h>
#include <string.h>

#include "logmake.h"

static const char *const users[] = { "ana", "bo", "chidi", "dmitri", "eleanor", "fatima", "gus", "hiro" };
static const char *const paths[] = { "/", "/login", "/api/v1/orders", "/static/app.js", "/img/logo.png",
				      "/api/v1/users/42/settings", "/search?q=gopher", "/healthz" };
static const int statuses[] = { 200, 200, 200, 204, 301, 304, 404, 500, 503 };

static uint64_t next(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

size_t logmake(char *buf, size_t cap, long lines, long bad_every, uint64_t seed, struct stream_stats *want)
{
	static const char *const bad[] = { "ana,200,12", "bo,2x0,5,/", "chidi,200,,/x", "dmitri,200,7,/,extra", "" };
	uint64_t s = seed | 1;
	size_t len = 0;

	memset(want, 0, sizeof *want);
	for (long i = 0; i < lines && len + 200 < cap; i++) {
		int k;

		if (bad_every > 0 && i % bad_every == bad_every - 1) {
			k = snprintf(buf + len, cap - len, "%s\n", bad[next(&s) % 5]);
			want->bad++;
		} else {
			int st = statuses[next(&s) % 9];
			unsigned long long by = next(&s) % 100000;

			k = snprintf(buf + len, cap - len, "%s,%d,%llu,%s\n", users[next(&s) % 8], st, by,
				     paths[next(&s) % 8]);
			want->records++;
			want->errors += st >= 500;
			want->bytes += by;
		}
		len += (size_t)k;
	}
	buf[len] = '\0';
	return len;
}
