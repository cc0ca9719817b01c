/* sink — a capped copy of one output stream; see sink.h. */
#include <stdlib.h>
#include <string.h>

#include "checker/sink.h"

void sink_take(struct sink *s, const char *data, size_t n)
{
	size_t room = s->limit - s->len;

	if (n > room) {
		s->truncated = true;
		s->dropped += n - room;
		n = room;
	}
	if (n == 0)
		return;
	if (s->len + n + 1 > s->cap) {
		size_t cap = s->cap ? s->cap : 4096;
		char *p;

		while (cap < s->len + n + 1)
			cap *= 2;
		p = realloc(s->buf, cap);
		if (!p) {
			s->truncated = true;
			s->dropped += n;
			return;
		}
		s->buf = p;
		s->cap = cap;
	}
	memcpy(s->buf + s->len, data, n);
	s->len += n;
}

char *sink_finish(struct sink *s, size_t *len)
{
	if (!s->buf)
		s->buf = malloc(1);
	if (s->buf)
		s->buf[s->len] = '\0';
	*len = s->len;
	return s->buf;
}
