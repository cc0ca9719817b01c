/* trans.h: what trans.c provides (the tests include it too). */
#ifndef TRANS_H
#define TRANS_H

/* Writes the transpose of the rows x cols matrix a (row-major) into b,
 * which is cols x rows: b[j][i] = a[i][j]. a and b do not overlap. */
void transpose(const int *a, int *b, int rows, int cols);

#endif
