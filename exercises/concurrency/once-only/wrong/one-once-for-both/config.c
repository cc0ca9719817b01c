/* Wrong: one go_once for the whole file. get_workers runs compute_workers
 * inside the once, compute_workers calls get_config, and get_config waits
 * for the same once to finish: it waits for itself. */
#include <go.h>

#include "config.h"

static struct config cfg;
static go_once cfg_once = GO_ONCE_INIT;

static void load(void *arg)
{
	(void)arg;
	load_config(&cfg);
}

const struct config *get_config(void)
{
	go_once_do(&cfg_once, load, NULL);      /* wrong: deadlock */
	return &cfg;
}

static int workers;

static void compute_workers(void *arg)
{
	int w = get_config()->workers;  /* another once inside this one: fine */

	(void)arg;
	workers = w < 1 ? 1 : w > 16 ? 16 : w;
}

int get_workers(void)
{
	go_once_do(&cfg_once, compute_workers, NULL);
	return workers;
}
