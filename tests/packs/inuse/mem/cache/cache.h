#include <stddef.h>
/* Remembers a copy of s; only the last 8 are needed. */
void cache_put(const char *s);
void cache_clear(void);
