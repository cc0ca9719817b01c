/* Wrong: sets the flag first "to shut the door" on the others; they return
 * at once with a config that is not loaded yet. */
#include <stdbool.h>

#include <go.h>

#include "config.h"

static struct config cfg;
static bool cfg_loaded;

const struct config *get_config(void)
{
	if (!cfg_loaded) {
		cfg_loaded = true;
		load_config(&cfg);
	}
	return &cfg;    /* wrong: test anywhere */
}

static int workers;
static go_once workers_once = GO_ONCE_INIT;     /* not cfg_once: see the text */

static void compute_workers(void *arg)
{
	int w = get_config()->workers;  /* another once inside this one: fine */

	(void)arg;
	workers = w < 1 ? 1 : w > 16 ? 16 : w;
}

int get_workers(void)
{
	go_once_do(&workers_once, compute_workers, NULL);
	return workers;
}
