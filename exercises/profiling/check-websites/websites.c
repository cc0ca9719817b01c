/* Check many web sites: see the exercise text (chanlab shows it). */
#include <stdlib.h>

#include <go.h>

#include "websites.h"

struct results *check_websites(website_checker check, const char *const *urls, int n)
{
	struct results *map = results_new();

	if (!map)
		return NULL;
	/* TODO: each check waits for the network, and this loop waits for
	 * them one after another. Start them all, each in a goroutine of its
	 * own, and let only this goroutine write the map. */
	for (int i = 0; i < n; i++)
		if (results_set(map, urls[i], check(urls[i])) < 0)
			goto out_free_map;
	return map;

out_free_map:
	results_free(map);
	return NULL;
}
