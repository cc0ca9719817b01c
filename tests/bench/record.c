/*
 * record benchmark: recording an attempt (commit + row) for a typical
 * exercise, listing an exercise's history and opening the record, with no
 * attempts stored and with 10,000.
 *
 *   build/bench/record DIR     prints `name value unit [note]` lines
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/clock.h"
#include "base/err.h"
#include "base/fs.h"
#include "checker/bench.h"
#include "data/record.h"
#include "data/store.h"

static double now_ms(void)
{
	return clock_now() * 1e3;
}

static double median(double *v, int n)
{
	return bench_median(v, (size_t)n);
}

static double p90(double *v, int n)
{
	bench_median(v, (size_t)n);   /* sorts */
	return v[(n * 9) / 10];
}

static void die(const char *what)
{
	fprintf(stderr, "record bench: %s: %s\n", what, err_msg());
	exit(1);
}

/* A typical exercise: three C files of a few kilobytes. */
static void write_files(const char *dir, int round)
{
	for (int f = 0; f < 3; f++) {
		char path[1024];
		FILE *fp;

		snprintf(path, sizeof(path), "%s/file%d.c", dir, f);
		fp = fopen(path, "w");
		for (int line = 0; line < 120; line++)
			fprintf(fp, "int value_%d_%d = %d; /* some learner code, round %d */\n", f, line, line,
				f == 0 && line == 7 ? round : 0);
		fclose(fp);
	}
}

/* Opens a and b in turn, reps times each, so both see the same noise. */
static void open_ms(const char *a, const char *b, int reps, double *ma, double *mb)
{
	double ta[64], tb[64];

	for (int i = 0; i < reps; i++)
		for (int k = 0; k < 2; k++) {
			struct record *r;
			double t0 = now_ms();

			if (record_open(&r, k ? b : a) < 0)
				die("open");
			(k ? tb : ta)[i] = now_ms() - t0;
			record_free(r);
		}
	*ma = median(ta, reps);
	*mb = median(tb, reps);
}

static double history_ms(const char *home, const char *ex, size_t *count, int reps)
{
	struct record *r;
	double t[64];

	if (record_open(&r, home) < 0)
		die("open");
	for (int i = 0; i < reps; i++) {
		struct record_entry *h;
		double t0 = now_ms();

		if (record_history(r, ex, &h, count) < 0)
			die("history");
		t[i] = now_ms() - t0;
		free(h);
	}
	record_free(r);
	return median(t, reps);
}

int main(int argc, char **argv)
{
	enum { N = 100, STORED = 10000 };
	char home[512], empty[512], dir[600];
	double t[N], open_empty, open_full;
	struct record *r;
	size_t count;

	if (argc != 2) {
		fprintf(stderr, "usage: record DIR\n");
		return 2;
	}
	snprintf(home, sizeof(home), "%s/home", argv[1]);
	snprintf(empty, sizeof(empty), "%s/empty", argv[1]);
	snprintf(dir, sizeof(dir), "%s/work/ex", home);
	if (fs_mkdirs(dir) < 0)
		die("mkdir");
	write_files(dir, 0);

	/* A home with a record and nothing stored, to compare opening with. */
	if (record_open(&r, empty) < 0)
		die("open");
	record_free(r);

	/* Recording: files change between attempts, as a learner's do. */
	if (record_open(&r, home) < 0)
		die("open");
	for (int i = 0; i < N; i++) {
		struct record_verdict v = { "ex", i % 3 ? "fail" : "pass", 2, 3, 0.3, "{\"version\":1}", NULL, 0, NULL };
		double t0;

		write_files(dir, i + 1);
		t0 = now_ms();
		if (record_attempt(r, &v, NULL) < 0)
			die("attempt");
		t[i] = now_ms() - t0;
	}
	record_free(r);
	printf("record_attempt_median %.2f ms (commit + row, 3 files of 7 KB; budget 20)\n", median(t, N));
	printf("record_attempt_p90 %.2f ms\n", p90(t, N));

	/* 10,000 stored attempts: rows for one exercise (the worst case for its
	 * history), recorded as chanlab records them but without their commits
	 * (HEAD's commit keeps its row, so opening needs no repair). */
	{
		struct store *s;
		char path[700];
		double t0 = now_ms();

		snprintf(path, sizeof(path), "%s/progress.db", home);
		if (store_open(&s, path) < 0)
			die("store");
		for (int i = 0; i < STORED - N; i++) {
			char fake[41];
			struct store_attempt a = { .exercise = "ex", .status = i % 3 ? "fail" : "pass", .passed = 2,
						   .total = 3, .seconds = 0.3, .result = "{\"version\":1,\"tests\":[]}",
						   .commit_id = fake, .at = 1700000000 + i * 60 };

			snprintf(fake, sizeof(fake), "%040x", i);
			if (store_add_attempt(s, &a, NULL) < 0)
				die("row");
		}
		store_free(s);
		printf("row_only_mean %.3f ms (the SQLite half of recording, over %d rows)\n",
		       (now_ms() - t0) / (STORED - N), STORED - N);
	}
	printf("history_10000_median %.2f ms (", history_ms(home, "ex", &count, 21));
	printf("%zu entries; budget 50)\n", count);
	{
		struct record_progress pr;
		double tp[21];

		if (record_open(&r, home) < 0)
			die("open");
		for (int i = 0; i < 21; i++) {
			double t0 = now_ms();

			if (record_progress(r, "ex", &pr) < 0)
				die("progress");
			tp[i] = now_ms() - t0;
		}
		record_free(r);
		printf("progress_10000_median %.2f ms (one exercise's status, hints, time spent)\n", median(tp, 21));
	}
	open_ms(empty, home, 31, &open_empty, &open_full);
	printf("open_empty_median %.2f ms\n", open_empty);
	printf("open_10000_median %.2f ms (budget: no slower than empty)\n", open_full);
	{       /* as after a kill or a change behind chanlab's back: the integrity check runs */
		char note[700];
		double tc[11];

		snprintf(note, sizeof(note), "%s/progress.db-checked", home);
		for (int i = 0; i < 11; i++) {
			double t0;

			unlink(note);
			t0 = now_ms();
			if (record_open(&r, home) < 0)
				die("open");
			tc[i] = now_ms() - t0;
			record_free(r);
		}
		printf("open_10000_checked_median %.2f ms (PRAGMA quick_check at open, run only when the "
		       "file changed behind chanlab's back)\n", median(tc, 11));
	}
	return 0;
}
