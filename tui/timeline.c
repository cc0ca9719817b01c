/*
 * timeline — a trace's scheduler timeline as a character grid; see
 * timeline.h.
 *
 * Data model: per cell, how long each goroutine ran in it is not kept;
 * instead each span's overlap with the cell replaces the cell's letter
 * when it is the longest so far (spans of one P never overlap, so the
 * longest single stretch wins: close enough for a picture, exact when a
 * cell holds one goroutine). A cell whose P ran goroutines for less than
 * a quarter of it shows ':' (busy a little), one it never ran any in '.'.
 * The waiting row is the time-weighted mean of goroutines waiting for a
 * P over the column, rounded ('.' for none).
 */
#include <stdlib.h>
#include <string.h>

#include "tui/timeline.h"

static char letter_of(struct timeline_grid *g, uint64_t goroutine)
{
	for (int i = 0; i < g->nletters; i++)
		if (g->letters[i] == goroutine)
			return (char)(i < 26 ? 'A' + i : 'a' + i - 26);
	if (g->nletters == 52)
		return '+';
	g->letters[g->nletters] = goroutine;
	g->nletters++;
	return (char)(g->nletters <= 26 ? 'A' + g->nletters - 1 : 'a' + g->nletters - 27);
}

uint64_t timeline_goroutine(const struct timeline_grid *g, char c)
{
	int i = c >= 'A' && c <= 'Z' ? c - 'A' : c >= 'a' && c <= 'z' ? c - 'a' + 26 : -1;

	return i >= 0 && i < g->nletters ? g->letters[i] : 0;
}

int timeline_layout(struct timeline_grid *g, const struct trace_timeline *tl, int procs, int64_t from,
		    int64_t to, int width)
{
	int64_t *best, *busy;
	double per, *wait;

	memset(g, 0, sizeof(*g));
	if (procs < 1)
		procs = 1;
	if (procs > TRACE_MAX_PROCS)
		procs = TRACE_MAX_PROCS;
	if (width < 1 || to <= from)
		return -1;
	g->procs = procs, g->width = width, g->from = from, g->to = to;
	g->cells = malloc((size_t)procs * (size_t)width);
	g->runnable = malloc((size_t)width);
	best = calloc((size_t)procs * (size_t)width, sizeof(*best));
	busy = calloc((size_t)procs * (size_t)width, sizeof(*busy));
	wait = calloc((size_t)width, sizeof(*wait));
	if (!g->cells || !g->runnable || !best || !busy || !wait) {
		free(best), free(busy), free(wait);
		timeline_grid_release(g);
		return -1;
	}
	memset(g->cells, '.', (size_t)procs * (size_t)width);
	memset(g->runnable, '.', (size_t)width);
	per = (double)(to - from) / width;
	/* letters in the order goroutines first ran */
	for (size_t i = 0; i < tl->nspans; i++) {
		const struct trace_span *s = &tl->spans[i];
		int c0, c1;

		if (s->p < 0 || s->p >= procs || s->end <= from || s->start >= to)
			continue;
		c0 = (int)((double)((s->start > from ? s->start : from) - from) / per);
		c1 = (int)((double)((s->end < to ? s->end : to) - from - 1) / per);
		for (int c = c0 < 0 ? 0 : c0; c <= c1 && c < width; c++) {
			int64_t lo = from + (int64_t)(c * per), hi = from + (int64_t)((c + 1) * per);
			int64_t ov = (s->end < hi ? s->end : hi) - (s->start > lo ? s->start : lo);
			size_t k = (size_t)s->p * (size_t)width + (size_t)c;

			busy[k] += ov;
			if (ov > best[k]) {
				best[k] = ov;
				g->cells[k] = letter_of(g, s->g);
			}
		}
	}
	/* the most goroutines waiting for a P in each column */
	for (size_t i = 0; i < tl->nrunnable; i++) {
		const struct trace_runnable *r = &tl->runnable[i];
		int64_t until = i + 1 < tl->nrunnable ? tl->runnable[i + 1].t : tl->duration;
		int c0, c1;

		if (until <= from || r->t >= to || r->n <= 0)
			continue;
		c0 = (int)((double)((r->t > from ? r->t : from) - from) / per);
		c1 = (int)((double)((until < to ? until : to) - from - 1) / per);
		for (int c = c0 < 0 ? 0 : c0; c <= c1 && c < width; c++) {
			int64_t lo = from + (int64_t)(c * per), hi = from + (int64_t)((c + 1) * per);
			int64_t ov = (until < hi ? until : hi) - (r->t > lo ? r->t : lo);

			if (ov > 0)
				wait[c] += (double)r->n * (double)ov;
		}
	}
	for (int c = 0; c < width; c++) {
		long n = (long)(wait[c] / per + 0.5);

		if (n > 0)
			g->runnable[c] = n > 9 ? '+' : (char)('0' + n);
	}
	for (size_t k = 0; k < (size_t)procs * (size_t)width; k++)
		if (busy[k] > 0 && (double)busy[k] < per / 4)
			g->cells[k] = ':';
	free(best), free(busy), free(wait);
	return 0;
}

void timeline_grid_release(struct timeline_grid *g)
{
	free(g->cells);
	free(g->runnable);
	g->cells = g->runnable = NULL;
}

void timeline_time(char *buf, size_t size, int64_t ns)
{
	if (ns >= 1000000000)
		snprintf(buf, size, "%.2fs", (double)ns / 1e9);
	else if (ns >= 1000000)
		snprintf(buf, size, "%.1fms", (double)ns / 1e6);
	else
		snprintf(buf, size, "%.0fus", (double)ns / 1e3);
}

void timeline_print(FILE *out, const struct timeline_grid *g)
{
	char a[32], b[32], per[32];

	timeline_time(a, sizeof(a), g->from);
	timeline_time(b, sizeof(b), g->to);
	timeline_time(per, sizeof(per), (g->to - g->from) / g->width);
	fprintf(out, "timeline from %s to %s, %s per column (a letter per goroutine; : busy a little, . idle):\n", a, b, per);
	for (int p = 0; p < g->procs; p++)
		fprintf(out, "  P%-3d %.*s\n", p, g->width, g->cells + (size_t)p * (size_t)g->width);
	fprintf(out, "  wait %.*s   (goroutines waiting for a P, on average)\n", g->width, g->runnable);
	fprintf(out, "  ");
	for (int i = 0; i < g->nletters; i++)
		fprintf(out, "%s%c=G%llu", i ? " " : "", i < 26 ? 'A' + i : 'a' + i - 26,
			(unsigned long long)g->letters[i]);
	fputc('\n', out);
}
