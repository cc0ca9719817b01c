/* crawl.h: a crawler with a limit (the harness includes it too). */
#ifndef CRAWL_H
#define CRAWL_H

#define CRAWL_MAX_PAGES 1024    /* a crawl never meets more pages than this */
#define CRAWL_MAX_LINKS 16      /* a page never has more links than this */

/* Fetches the page url and stores its links (at most max) in links;
 * returns how many. Slow (it waits for the network); safe to call from
 * many goroutines at once. The link strings live as long as the program.
 * Provided by the tests. */
int fetch(const char *url, const char **links, int max);

/* Fetches start and every page reachable from it by following links,
 * each page exactly once, with at most `limit` fetches running at any
 * moment (limit >= 1). Returns how many pages it fetched, once every fetch
 * is done and no goroutine of the crawl is left. */
int crawl(const char *start, int limit);

#endif
