/* Load a configuration once: see the exercise text (chanlab shows it). */
#include <stdbool.h>

#include <go.h>

#include "config.h"

static struct config cfg;
static bool cfg_loaded;         /* TODO: a plain flag is not enough */

const struct config *get_config(void)
{
	if (!cfg_loaded) {
		load_config(&cfg);
		cfg_loaded = true;
	}
	return &cfg;
}

static int workers;
static bool workers_known;      /* TODO: a plain flag is not enough */

int get_workers(void)
{
	if (!workers_known) {
		int w = get_config()->workers;

		workers = w < 1 ? 1 : w > 16 ? 16 : w;
		workers_known = true;
	}
	return workers;
}
