/* text.h: the test texts (instructor file). */
#ifndef TEXT_H
#define TEXT_H

/* A text of n words drawn from a fixed vocabulary (seeded, the same every
 * run): about half of them stop words. Returns a static buffer; *content
 * gets how many are not stop words. */
const char *text_make(int n, long *content);

#endif
