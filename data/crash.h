/*
 * crash — deliberate crash points for the crash-consistency tests.
 *
 * The record's write paths call crash_point between their steps. With
 * CHANLAB_CRASH_AT=N in the environment the N-th point a process reaches
 * kills it with SIGKILL (as a power cut or kill -9 would); with
 * CHANLAB_CRASH_DELAY_MS=M each point sleeps M ms, which widens the windows
 * for tests that kill from outside. Without them a point costs nothing.
 */
#ifndef DATA_CRASH_H
#define DATA_CRASH_H

/* where names the point, for CHANLAB_CRASH_LOG=1 (stderr). */
void crash_point(const char *where);

#endif
