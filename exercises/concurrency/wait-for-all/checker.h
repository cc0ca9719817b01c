/* checker.h: check many sites at once (the harness includes it too). */
#ifndef CHECKER_H
#define CHECKER_H

#include <stdbool.h>

/* Checks one site: true when it is up. May take a while (it waits for
 * the network); safe to call from many goroutines at once. */
typedef bool (*site_check)(const char *url);

/* Calls check(urls[i]) for every i < n, each in a goroutine of its own so
 * the checks run at the same time, and stores the answer in up[i].
 * Returns once every check has finished and every up[i] is stored. */
void check_sites(site_check check, const char *const *urls, int n, bool *up);

#endif
