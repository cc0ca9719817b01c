/* Wrong: the cleaner walks and unlinks without s->mu ("it only removes
 * what nobody uses"), while sessions_create inserts into the same chains.
 *
 * The map is a hash table of NBUCKETS chains keyed by id, under s->mu.
 * The cleaner goroutine wakes on a ticker and unlinks and frees every
 * session idle for longer than the TTL; sessions_close tells it to stop,
 * waits until it has, and only then frees what is left. */
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
	go_chan *done;                  /* closed by sessions_close: stop */
	go_chan *stopped;               /* closed by the cleaner as it returns */
};

static struct session **bucket(struct sessions *s, uint64_t id)
{
	return &s->buckets[id % NBUCKETS];
}

/* Unlinks and frees every session of the chain at pp last used more than
 * ttl before now; returns how many. */
static size_t evict_chain(struct session **pp, int64_t now, int64_t ttl)
{
	struct session *p;
	size_t n = 0;

	while ((p = *pp)) {
		if (now - p->last_used > ttl) {
			*pp = p->next;
			free(p);
			n++;
		} else {
			pp = &p->next;
		}
	}
	return n;
}

static void evict(struct sessions *s, int64_t now)
{
	for (size_t b = 0; b < NBUCKETS; b++)
		s->n -= evict_chain(&s->buckets[b], now, s->ttl);      /* wrong: sanitizer */
}

static void cleaner(void *arg)
{
	struct sessions *s = arg;
	go_timer *t = go_ticker_new(s->every);
	int64_t now;

	for (;;) {
		go_case cases[] = {
			GO_RECV(go_timer_chan(t), &now),
			GO_RECV(s->done, NULL),
		};

		if (go_select(cases, 2) == 1)
			break;
		evict(s, now);
	}
	go_timer_free(t);
	go_close(s->stopped);
}

struct sessions *sessions_new(int64_t ttl, int64_t every)
{
	struct sessions *s = calloc(1, sizeof(*s));

	if (!s)
		abort();
	s->ttl = ttl;
	s->every = every;
	s->done = go_chan_make(1, 0);
	s->stopped = go_chan_make(1, 0);
	go_spawn(cleaner, s);
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
	return id;      /* not p->id: once unlocked, the cleaner may free p */
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
	go_close(s->done);
	go_recv(s->stopped, NULL);      /* the cleaner has returned: s is ours */
	for (size_t b = 0; b < NBUCKETS; b++) {
		struct session *p, *next;

		for (p = s->buckets[b]; p; p = next) {
			next = p->next;
			free(p);
		}
	}
	go_chan_free(s->done);
	go_chan_free(s->stopped);
	free(s);
}
