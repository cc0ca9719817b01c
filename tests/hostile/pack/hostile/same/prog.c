#include <stdio.h>
#include <go.h>
int go_main(int argc, char **argv) { (void)argc, (void)argv; printf("ok\n"); return 0; }
