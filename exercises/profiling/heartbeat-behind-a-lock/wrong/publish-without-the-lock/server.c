/* "The lock only slowed things down": the checksum moved out of it, and
 * the stores too, so the heartbeat's locked read races with them. */
#include "server.h"

uint64_t server_handle(struct server *s, const uint8_t *buf, size_t n)
{
	uint64_t h = 1469598103934665603ull;

	for (size_t i = 0; i < n; i++)
		h = (h ^ buf[i]) * 1099511628211ull;
	s->last_sum = h;
	s->requests++;                  /* wrong: sanitizer anywhere */
	return h;
}

uint64_t server_requests(struct server *s)
{
	uint64_t n;

	go_mutex_lock(&s->mu);
	n = s->requests;
	go_mutex_unlock(&s->mu);
	return n;
}
