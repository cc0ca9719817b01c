/*
 * pprof.h — build a profile in pprof's profile.proto format, the file
 * `go tool pprof` reads (google/pprof, proto/profile.proto).
 *
 * A profile is a table of samples, each a stack of locations (innermost
 * first) with one value per sample type and optional labels; a location is
 * an address with its source lines (several when calls were inlined,
 * innermost first); lines name functions; addresses fall in mappings (the
 * loaded files). Every string lives once in a string table, index 0 the
 * empty string.
 *
 * The builder encodes each sample, location, function and mapping when it
 * is added, so memory grows with what the profile holds, not with what the
 * program did; go__pp_write adds the string table last and writes the
 * whole as gzip (stored blocks: no zlib in the runtime). Not for signal
 * handlers: it allocates. Any allocation failure makes go__pp_write fail.
 */
#ifndef GO_PPROF_H
#define GO_PPROF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct go__pp go__pp;

struct go__pp_line {
	const char *function;       /* "" if unknown */
	const char *file;           /* "" if unknown */
	int64_t line;
};

struct go__pp_label {
	const char *key;
	const char *str;            /* a string label, or NULL for a number */
	int64_t num;
	const char *unit;           /* of a number, or NULL */
};

go__pp *go__pp_new(void);
void go__pp_free(go__pp *pp);

/* The sample types, in the order of each sample's values (at most 4). */
void go__pp_sample_type(go__pp *pp, const char *type, const char *unit);
void go__pp_period(go__pp *pp, const char *type, const char *unit, int64_t period);
void go__pp_time(go__pp *pp, int64_t time_nanos, int64_t duration_nanos);
void go__pp_comment(go__pp *pp, const char *text);

/* A mapping; returns its id (1, 2, ...). */
uint64_t go__pp_mapping(go__pp *pp, uint64_t start, uint64_t limit, uint64_t offset,
			const char *file, bool symbolized);

/* The id of the location at addr, or 0 if none was added yet. */
uint64_t go__pp_location_find(go__pp *pp, uint64_t addr);

/* Adds the location at addr (mapping 0: none) with its lines, innermost
 * first; returns its id. An address is added once: look it up first. */
uint64_t go__pp_location(go__pp *pp, uint64_t addr, uint64_t mapping,
			 const struct go__pp_line *lines, int nlines);

/* One sample: nlocs location ids, innermost first, and one value per
 * sample type. */
void go__pp_sample(go__pp *pp, const uint64_t *locs, int nlocs, const int64_t *values,
		   const struct go__pp_label *labels, int nlabels);

/* Writes the profile, gzipped, to fd. 0, or -1 (out of memory, or a write
 * failed: errno). */
int go__pp_write(go__pp *pp, int fd);

/* go__pp_write into the file path (created or truncated, 0644). */
int go__pp_write_file(go__pp *pp, const char *path);

/* The same bytes, not gzipped, into *out (malloc'd; free it). For tests. */
int go__pp_encode(go__pp *pp, uint8_t **out, size_t *len);

#endif
