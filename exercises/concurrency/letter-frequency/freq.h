/* freq.h: count letters in parallel (the harness includes it too). */
#ifndef FREQ_H
#define FREQ_H

#define FREQ_LETTERS 26

/* Counts the letters a to z in texts[0..n-1], upper and lower case alike
 * (ASCII; anything else is not counted), using `workers` goroutines that
 * share the texts between them, and stores the count of 'a' + i in
 * out[i]. Returns when out holds every count. */
void letter_frequency(const char *const *texts, int n, int workers, long out[FREQ_LETTERS]);

#endif
