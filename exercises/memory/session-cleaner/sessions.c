/* A session store: see the exercise text (chanlab shows it).
 *
 * The map is a hash table of NBUCKETS chains keyed by id, under s->mu.
 * For now nothing ever leaves it: a session nobody will use again stays
 * until sessions_close. TODO: a cleaner goroutine that wakes on a ticker
 * and unlinks and frees every session idle for longer than the TTL, and
 * that sessions_close stops (and waits for) before it frees the rest. */
#include <go.h>
#include <stdlib.h>
#include <string.h>

#include "sessions.h"

#define NBUCKETS 1024

struct session {
	uint64_t id;
	int64_t last_used;              /* go_now() of the last use */
	struct session *next;           /* in its bucket */
	char user[32];
	unsigned char data[SESSION_DATA];
};

struct sessions {
	go_mutex mu;                    /* guards everything below */
	struct session *buckets[NBUCKETS];
	size_t n;
	uint64_t next_id;
	int64_t ttl, every;
};

static struct session **bucket(struct sessions *s, uint64_t id)
{
	return &s->buckets[id % NBUCKETS];
}

struct sessions *sessions_new(int64_t ttl, int64_t every)
{
	struct sessions *s = calloc(1, sizeof(*s));

	if (!s)
		abort();
	s->ttl = ttl;
	s->every = every;
	/* TODO: start the cleaner */
	return s;
}

uint64_t sessions_create(struct sessions *s, const char *user)
{
	struct session *p = calloc(1, sizeof(*p));
	struct session **b;
	uint64_t id;

	if (!p)
		abort();
	strncpy(p->user, user, sizeof(p->user) - 1);
	go_mutex_lock(&s->mu);
	id = p->id = ++s->next_id;
	p->last_used = go_now();
	b = bucket(s, id);
	p->next = *b;
	*b = p;
	s->n++;
	go_mutex_unlock(&s->mu);
	return id;      /* not p->id: once unlocked, a cleaner may free p */
}

bool sessions_touch(struct sessions *s, uint64_t id)
{
	struct session *p;

	go_mutex_lock(&s->mu);
	for (p = *bucket(s, id); p; p = p->next)
		if (p->id == id) {
			p->last_used = go_now();
			break;
		}
	go_mutex_unlock(&s->mu);
	return p != NULL;
}

size_t sessions_len(struct sessions *s)
{
	size_t n;

	go_mutex_lock(&s->mu);
	n = s->n;
	go_mutex_unlock(&s->mu);
	return n;
}

void sessions_close(struct sessions *s)
{
	/* TODO: stop the cleaner, and wait until it has returned */
	for (size_t b = 0; b < NBUCKETS; b++) {
		struct session *p, *next;

		for (p = s->buckets[b]; p; p = next) {
			next = p->next;
			free(p);
		}
	}
	free(s);
}
