/* config.h: load a configuration once (the harness includes it too). */
#ifndef CONFIG_H
#define CONFIG_H

struct config {
	char name[32];
	int workers;            /* as configured: may be 0 or too many */
	long version;
};

/* Reads the configuration into *c. Slow (it waits for a disk), and it must
 * run only once per program. Provided by the tests. */
void load_config(struct config *c);

/* The configuration, loaded by load_config the first time any goroutine
 * asks. Every caller, from any goroutine and at any time, gets the same
 * fully loaded configuration, and load_config runs exactly once. */
const struct config *get_config(void);

/* The number of workers to start: the configuration's, but at least 1 and
 * at most 16. Computed once, the first time any goroutine asks. */
int get_workers(void);

#endif
