/* Wrong: "first_visit only reads and appends", so it takes no lock; two
 * visits can both find a page new and both fetch it. */
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
	go_chan *tokens;        /* holds one element per fetch running: cap limit */
};

struct job {
	struct crawler *c;
	const char *url;
};

/* True the first time it is called for url: the caller then visits it. */
static bool first_visit(struct crawler *c, const char *url)
{
	bool first = true;

	for (int i = 0; i < c->nseen && first; i++)     /* wrong: sanitizer */
		if (strcmp(c->seen[i], url) == 0)
			first = false;
	if (first && c->nseen < CRAWL_MAX_PAGES)
		c->seen[c->nseen++] = url;       /* wrong: sanitizer */
	return first;
}

static void spawn_visit(struct crawler *c, const char *url);

static void visit(void *arg)
{
	struct job *j = arg;
	struct crawler *c = j->c;
	const char *links[CRAWL_MAX_LINKS];
	int n, token = 0;

	go_send(c->tokens, &token);     /* acquire: waits while limit fetches run */
	n = fetch(j->url, links, CRAWL_MAX_LINKS);
	go_recv(c->tokens, NULL);       /* release, before anything else */

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
	c->tokens = go_chan_make(sizeof(int), (size_t)(limit < 1 ? 1 : limit));
	if (!c->tokens) {
		free(c);
		return 0;
	}
	first_visit(c, start);
	spawn_visit(c, start);
	go_waitgroup_wait(&c->wg);
	n = c->nseen;
	go_chan_free(c->tokens);        /* every visit has returned its token */
	free(c);
	return n;
}
