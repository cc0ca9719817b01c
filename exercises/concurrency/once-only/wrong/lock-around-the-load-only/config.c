/* Wrong: a mutex around the load, but the flag is checked before taking
 * it, so every goroutine that saw false loads again, one after another. */
#include <stdbool.h>

#include <go.h>

#include "config.h"

static struct config cfg;
static bool cfg_loaded;
static go_mutex cfg_mu = GO_MUTEX_INIT;

const struct config *get_config(void)
{
	if (!cfg_loaded) {
		go_mutex_lock(&cfg_mu);
		load_config(&cfg);      /* wrong: test anywhere */
		cfg_loaded = true;
		go_mutex_unlock(&cfg_mu);
	}
	return &cfg;
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
