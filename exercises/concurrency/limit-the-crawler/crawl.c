/* A crawler with a limit: see the exercise text (chanlab shows it). */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <go.h>

#include "crawl.h"

struct crawler {
	go_mutex mu;            /* guards seen and nseen */
	const char *seen[CRAWL_MAX_PAGES];
	int nseen;
	go_waitgroup wg;        /* one per page being visited */
	int limit;              /* TODO: at most this many fetches at once */
};

struct job {
	struct crawler *c;
	const char *url;
};

/* True the first time it is called for url: the caller then visits it. */
static bool first_visit(struct crawler *c, const char *url)
{
	bool first = true;

	go_mutex_lock(&c->mu);
	for (int i = 0; i < c->nseen && first; i++)
		if (strcmp(c->seen[i], url) == 0)
			first = false;
	if (first && c->nseen < CRAWL_MAX_PAGES)
		c->seen[c->nseen++] = url;
	go_mutex_unlock(&c->mu);
	return first;
}

static void spawn_visit(struct crawler *c, const char *url);

static void visit(void *arg)
{
	struct job *j = arg;
	struct crawler *c = j->c;
	const char *links[CRAWL_MAX_LINKS];
	int n = fetch(j->url, links, CRAWL_MAX_LINKS);

	for (int i = 0; i < n; i++)
		if (first_visit(c, links[i]))
			spawn_visit(c, links[i]);
	free(j);
	go_waitgroup_done(&c->wg);
}

/* Visits url in a goroutine of its own. */
static void spawn_visit(struct crawler *c, const char *url)
{
	struct job *j = malloc(sizeof(*j));

	if (!j)
		return;
	*j = (struct job){ c, url };
	go_waitgroup_add(&c->wg, 1);    /* before the goroutine can be done */
	go_spawn(visit, j);
}

int crawl(const char *start, int limit)
{
	struct crawler *c = calloc(1, sizeof(*c));
	int n;

	if (!c) {
		free(c);
		return 0;
	}
	c->limit = limit;
	first_visit(c, start);
	spawn_visit(c, start);
	go_waitgroup_wait(&c->wg);
	n = c->nseen;
	free(c);
	return n;
}
