/*
 * err — the one "last error" slot shared by chanlab's modules.
 *
 * A function that fails returns a negative code and leaves a human-readable
 * message here (lowercase, no trailing period, naming what failed on what).
 * The caller decides whether and where to show it. One slot per thread.
 */
#ifndef BASE_ERR_H
#define BASE_ERR_H

/* Sets the message and returns -1, so `return err_set(...)` reads well. */
int err_set(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Like err_set, with ": strerror(errno)" appended. */
int err_sys(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The last message set on this thread, or "" if none. Valid until the next err_set. */
const char *err_msg(void);

#endif
