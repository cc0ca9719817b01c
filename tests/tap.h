/*
 * tap.h — a tiny TAP producer for chanlab's unit tests (run by prove).
 *
 *   int main(void) { plan(2); ok(1 + 1 == 2, "adds"); is_str(s, "x", "names"); return done(); }
 */
#ifndef TESTS_TAP_H
#define TESTS_TAP_H

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int tap_n, tap_failed;

static inline void plan(int n)
{
	printf("1..%d\n", n);
}

static inline int ok(int cond, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static inline int ok(int cond, const char *fmt, ...)
{
	va_list ap;

	printf("%sok %d - ", cond ? "" : "not ", ++tap_n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	if (!cond)
		tap_failed++;
	fflush(stdout);
	return cond;
}

#define is_str(got, want, ...) \
	(ok((got) && strcmp((got), (want)) == 0, __VA_ARGS__) || \
	 (printf("#   got:  '%s'\n#   want: '%s'\n", (got) ? (got) : "(null)", (want)), 0))

#define is_int(got, want, ...) \
	(ok((long long)(got) == (long long)(want), __VA_ARGS__) || \
	 (printf("#   got:  %lld\n#   want: %lld\n", (long long)(got), (long long)(want)), 0))

static inline void diag(const char *msg)
{
	printf("# %s\n", msg);
}

/* Runs a shell command made like printf and returns what it printed (the
 * first 8 KiB; a static buffer, valid until the next call). */
static inline char *sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static inline char *sh(const char *fmt, ...)
{
	static char out[8192];
	char cmd[2048];
	va_list ap;
	size_t n = 0;
	FILE *p;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	p = popen(cmd, "r");
	if (p) {
		n = fread(out, 1, sizeof(out) - 1, p);
		pclose(p);
	}
	out[n] = '\0';
	return out;
}

static inline int done(void)
{
	return tap_failed ? 1 : 0;
}

#endif
