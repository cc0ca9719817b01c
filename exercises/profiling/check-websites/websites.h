/* websites.h: check many web sites (the tests include it too). */
#ifndef WEBSITES_H
#define WEBSITES_H

#include <stdbool.h>

#include "results.h"

/* Checks one site: true when it is up. Takes a while (it waits for the
 * network, off the CPU); safe to call from many goroutines at once. */
typedef bool (*website_checker)(const char *url);

/* Calls check(urls[i]) once for every i < n and returns a map of each url
 * to its answer: the same map a loop calling check on each url in turn
 * builds. The checks may run at the same time; it returns once every one
 * has answered, and no goroutine of it is left. The urls must outlive the
 * map. Returns NULL when out of memory; the caller frees the map with
 * results_free. Blocks. */
struct results *check_websites(website_checker check, const char *const *urls, int n);

#endif
