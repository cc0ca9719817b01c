/* checker/profile: the pprof reader, on a profile the runtime wrote of a
 * program with known shares (tests/runtime/prof.c), and on damaged files. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/err.h"
#include "base/fs.h"
#include "checker/profile.h"
#include "tests/tap.h"

static char dir[256];

static const struct profile_row *row_of(const struct profile *p, const struct profile_row *rows, size_t n,
					const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(p->funcs[rows[i].func].name, name) == 0)
			return &rows[i];
	return NULL;
}

static bool refused(const void *data, size_t len, size_t max, const char *want)
{
	struct profile p;
	int rc = profile_parse(&p, data, len, max);
	bool ok = rc < 0 && strstr(err_msg(), want);

	if (!ok)
		printf("# rc %d, message '%s', wanted '%s'\n", rc, err_msg(), want);
	profile_release(&p);
	return ok;
}

int main(void)
{
	const char *b = getenv("B") ? getenv("B") : "build";
	struct profile p;
	struct profile_row *rows;
	const struct profile_row *heavy, *light, *mix, *work;
	size_t nrows;
	int64_t total;
	char path[512], *raw;
	size_t rawlen;
	struct buf folded = BUF_INIT;

	plan(14);
	snprintf(dir, sizeof(dir), "%s/chanlab-profile-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(dir))
		return 1;
	snprintf(path, sizeof(path), "%s/cpu.pb.gz", dir);
	sh("GOMAXPROCS=2 CHANLAB_CPUPROFILE='%s,1000' %s/tests/runtime/prof 3", path, b);   /* ~600 signals */

	ok(profile_read(&p, path, 1 << 20) == 0, "the runtime's profile reads back (%s)", err_msg());
	ok(p.ntypes == 2 && strcmp(p.types[1], "cpu") == 0 && strcmp(p.units[1], "nanoseconds") == 0,
	   "its sample types are Go's: samples/count, cpu/nanoseconds");
	ok(p.period == 1000000, "the period is 1 ms (1000 Hz)");
	ok(profile_top(&p, profile_type(&p, "cpu"), &rows, &nrows, &total) == 0 && total > 0, "the top table");
	heavy = row_of(&p, rows, nrows, "heavy");
	light = row_of(&p, rows, nrows, "light");
	mix = row_of(&p, rows, nrows, "mix");
	work = row_of(&p, rows, nrows, "work");
	ok(mix && heavy && light && rows[0].func == mix->func && mix->flat > (heavy->cum + light->cum) * 9 / 10,
	   "the leaf doing the work is first, with the flat time");
	/* of the two functions' samples (the scheduler's own vary with load) */
	ok(heavy && light && heavy->cum * 100 / (heavy->cum + light->cum) >= 62 &&
	   heavy->cum * 100 / (heavy->cum + light->cum) <= 72,
	   "cum shares are 2:1 (heavy %lld%%, light %lld%% of all)", heavy ? (long long)(heavy->cum * 100 / total) : -1,
	   light ? (long long)(light->cum * 100 / total) : -1);
	/* work's own loop may catch a sample or two: nearly all of it is mix's */
	ok(work && heavy && work->cum * 100 >= heavy->cum * 95 && work->flat * 100 <= work->cum * 5,
	   "a frame in between counts in cum, not flat");
	ok(mix && mix->line > 0 && strstr(p.funcs[mix->func].file, "tests/runtime/prof.c"),
	   "rows name the file and line (%s:%lld)", mix ? p.funcs[mix->func].file : "", mix ? (long long)mix->line : 0);
	profile_folded(&p, 0, true, &folded);
	ok(folded.s && strstr(folded.s, "G2 heavy;") && strstr(folded.s, ";go__g_entry;heavy;work;mix ") &&
	   strstr(folded.s, ";go__g_entry;light;mix "),
	   "folded stacks go from the goroutine to the leaf");
	free(rows);
	profile_release(&p);
	buf_release(&folded);

	raw = fs_read(path, &rawlen);
	ok(raw && refused(raw, rawlen / 2, 1 << 20, "damaged"), "a truncated profile is refused");
	ok(raw && refused(raw, rawlen, 64, "larger than 64 bytes"), "a profile that inflates past the limit is refused");
	ok(refused("\x0a\x02\x08\x05\x32\x00", 6, 1 << 20, "damaged"), "a string index past the table is refused");
	ok(refused("\x12\x02\x08\x07\x32\x00", 6, 1 << 20, "location it does not have"),
	   "a sample naming a missing location is refused");
	ok(refused("\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff", 11, 1 << 20, "damaged"), "a broken varint is refused");
	free(raw);
	sh("rm -rf '%s'", dir);
	return done();
}
