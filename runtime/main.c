/*
 * main.c — the program's main(): run go_main as goroutine 1.
 * In its own object file, so a program with a main() of its own still links
 * (and may start the runtime with go_run).
 */
#include "go.h"

int main(int argc, char **argv)
{
	go_run(go_main, argc, argv);
}
