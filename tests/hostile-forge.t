#!/usr/bin/env bash
# Harness verdicts cannot be forged by learner code that does not do the
# work: not by a constructor that steals the token, not by reading it from
# /proc/self/environ, not by replacing a C library function the harness
# calls, not by a --list that names no cases; chanlab's next check works.
# Run as the caller and, where the suite runs as root, as an ordinary user
# (nobody) who owns the chanlab home and a copy of the pack, as a learner does.
. tests/lib.sh
. tests/hostile.sh
plan $((8 * $(echo $users | wc -w)))

forge() {  # forge WHO DESCRIPTION: $H/work/pipeline-close/pipeline.c is set
	json=$(as "$1" "$CHANLAB" --home "$H" check --json --pack="$EX" pipeline-close 2>&1)
	local st=$(printf '%s' "$json" | python3 -c 'import json,sys; print(json.load(sys.stdin)["status"])' 2>&1)
	if [ "$st" != fail ]; then ok 1 "$1: $2"; printf '%s\n' "$json" | head -c 1500 | sed 's/^/#   /'; echo; else ok 0 "$1: $2"; fi
}

for who in $users; do
	U=$TMP/$who && mkdir -p "$U/userhome"
	PACK=$U/pack && cp -R tests/hostile/pack "$PACK"
	[ "$who" = nobody ] && chown -R 65534:65534 "$U"
	fresh "$who" 4 "a sound program passes"
	EX=$U/exercises && cp -R exercises "$EX" && mkdir -p "$H/work/pipeline-close"
	[ "$who" = nobody ] && chown -R 65534:65534 "$EX" "$H/work/pipeline-close"
	cat >"$H/work/pipeline-close/pipeline.c" <<'C'
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "pipeline.h"
static char token[128];
__attribute__((constructor)) static void steal(void)
{
	const char *t = getenv("CHANLAB_TOKEN");
	char b[64];
	ssize_t n = read(3, b, sizeof(b));   /* or the token from fd 3 */
	if (t)
		snprintf(token, sizeof(token), "%s", t);
	else if (n > 0)
		snprintf(token, sizeof(token), "%.*s", (int)strcspn(b, "\n"), b);
}
long pipeline_sum_squares(const int *xs, int n)
{
	const char *names[] = { "no_numbers", "one_number", "one_to_ten", "negative_numbers", "many_numbers", "twice_in_a_row" };
	(void)xs, (void)n;
	for (int i = 0; i < 6; i++)
		dprintf(3, "%s passed %s\n", token, names[i]);
	exit(0);
}
C
	forge "$who" "a constructor that steals the token cannot pass the harness"
	like "$json" 'constructor|before go_main' "$who: and the learner is told why"
	cat >"$H/work/pipeline-close/pipeline.c" <<'C'
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "pipeline.h"
long pipeline_sum_squares(const int *xs, int n)
{
	const char *names[] = { "no_numbers", "one_number", "one_to_ten", "negative_numbers", "many_numbers", "twice_in_a_row" };
	char env[8192] = "", token[128] = "";
	FILE *f = fopen("/proc/self/environ", "r");
	size_t len = f ? fread(env, 1, sizeof(env) - 1, f) : 0;
	(void)xs, (void)n;
	for (size_t i = 0; i < len; i += strlen(env + i) + 1)
		if (strncmp(env + i, "CHANLAB_TOKEN=", 14) == 0)
			snprintf(token, sizeof(token), "%s", env + i + 14);
	for (int i = 0; i < 6; i++)
		dprintf(3, "%s passed %s\n", token, names[i]);
	exit(0);
}
C
	forge "$who" "the token is not in /proc/self/environ"
	cat >"$H/work/pipeline-close/pipeline.c" <<'C'
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "pipeline.h"
long pipeline_sum_squares(const int *xs, int n) { (void)xs, (void)n; return 0; }
int fdopen_calls;
FILE *fdopen(int fd, const char *mode)   /* the harness's results, redirected */
{
	(void)fd, (void)mode;
	fdopen_calls++;
	return fopen("/dev/null", "w");
}
C
	forge "$who" "replacing a C library function the harness uses does not pass"
	like "$json" "fdopen" "$who: and the learner is told which function"
	cat >"$H/work/pipeline-close/pipeline.c" <<'C'
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "pipeline.h"
long pipeline_sum_squares(const int *xs, int n) { (void)xs, (void)n; return 0; }
__attribute__((constructor)) static void no_cases(void)
{
	char cmd[256] = "";
	FILE *f = fopen("/proc/self/cmdline", "r");
	size_t len = f ? fread(cmd, 1, sizeof(cmd) - 1, f) : 0;
	for (size_t i = 0; i < len; i++)
		if (cmd[i] == '\0') cmd[i] = ' ';
	if (strstr(cmd, "--list"))
		_exit(0);   /* a list with no cases */
}
C
	forge "$who" "a --list answer with no cases does not pass on the build alone"
	sound "$who"
done
finish
