/* text.c: deterministic test texts (instructor file). */
#include <stdlib.h>
#include <string.h>

#include "text.h"
#include "words.h"

static const char *const content_words[] = {
	"goroutine", "channel", "scheduler", "profile", "mutex", "select", "buffer", "stack", "heap",
	"sample", "latency", "throughput", "preemption", "allocation", "benchmark", "trace", "pointer",
	"cache", "lock", "queue", "timer", "context", "deadline", "worker", "pipeline", "semaphore",
	"zebra", "yak", "quartz", "abacus",
};

static char buf[8 << 20];

const char *text_make(int n, long *content)
{
	unsigned long x = 88172645463325252UL;
	size_t len = 0;
	long c = 0;

	for (int i = 0; i < n && len < sizeof(buf) - 64; i++) {
		const char *w;

		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		if (x % 2) {
			w = stopwords[(x >> 8) % NSTOPWORDS];
		} else {
			w = content_words[(x >> 8) % (sizeof(content_words) / sizeof(content_words[0]))];
			c++;
		}
		memcpy(buf + len, w, strlen(w));
		len += strlen(w);
		buf[len++] = (x >> 20) % 8 ? ' ' : '\n';
	}
	buf[len] = '\0';
	*content = c;
	return buf;
}
