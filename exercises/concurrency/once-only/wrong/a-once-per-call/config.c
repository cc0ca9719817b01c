/* Wrong: the go_once is a local variable, so every call gets a fresh one
 * that has never run, and every call loads again. */
#include <go.h>

#include "config.h"

static struct config cfg;

static void load(void *arg)
{
	(void)arg;
	load_config(&cfg);
}

const struct config *get_config(void)
{
	go_once cfg_once = GO_ONCE_INIT;

	go_once_do(&cfg_once, load, NULL);      /* wrong: test anywhere */
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
