/* join.h: joining strings with a separator (the harness includes it too). */
#ifndef JOIN_H
#define JOIN_H

/* The n strings parts[0..n-1] joined into one, with sep between each two
 * (none before the first or after the last), as Go's strings.Join does:
 * a malloc'd, NUL-terminated string the caller frees. n == 0 gives "". */
char *join(const char **parts, int n, const char *sep);

#endif
