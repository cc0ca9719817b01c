/* Wrong: the classic double-checked locking. It loads once, but the first
 * check reads the flag without the lock while another goroutine writes it:
 * a data race, and nothing promises the reader sees the config behind it.
 * ThreadSanitizer reports the flag's race or, in a run where 64 readers
 * crowd the flag's write out of its shadow memory, the config's: both
 * lines are marked. */
#include <stdbool.h>

#include <go.h>

#include "config.h"

static struct config cfg;
static bool cfg_loaded;
static go_mutex cfg_mu = GO_MUTEX_INIT;

const struct config *get_config(void)
{
	if (!cfg_loaded) {              /* wrong: sanitizer */
		go_mutex_lock(&cfg_mu);
		if (!cfg_loaded) {
			load_config(&cfg);      /* wrong: sanitizer */
			cfg_loaded = true;
		}
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
