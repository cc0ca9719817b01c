/* pipeline_main.c: the program the check profiles (instructor file): an
 * invoice of 160 lines through the pipeline, at GOMAXPROCS=2. */
#include <stdio.h>

#include <go.h>

#include "invoice.h"

int go_main(int argc, char **argv)
{
	long total;

	(void)argc, (void)argv;
	total = invoice_run(160, 7);
	printf("invoice total %ld cents\n", total);
	return total < 0;
}
