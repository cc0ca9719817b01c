/*
 * build — compile learner and instructor C files against the bundled runtime.
 *
 * A flavour is a named set of compiler flags (normal, debug, asan, tsan)
 * matched by a prebuilt runtime library of the same flavour, so a check
 * compiles only the exercise's own files. The compiler's diagnostics are
 * kept verbatim; paths in them are the ones passed in sources.
 */
#ifndef CHECKER_BUILD_H
#define CHECKER_BUILD_H

#include <stdbool.h>
#include <stddef.h>

struct build_flavour {
	const char *name;          /* "normal", "debug", "asan", "tsan" */
	const char *const *cflags; /* NULL-terminated */
	const char *summary;       /* one line for help text */
	const char *label;         /* its name where a learner reads it: "ASan"
				      ("a_test (ASan)"); NULL: the plain build's */
};

/* The flavour named name, or NULL. */
const struct build_flavour *build_flavour_find(const char *name);

/* The flavour whose label is the len bytes at label, or NULL. */
const struct build_flavour *build_flavour_labelled(const char *label, size_t len);

struct build_opts {
	const char *flavour;           /* NULL: "normal" */
	const char *const *sources;    /* C files, NULL-terminated */
	const char *const *includes;   /* extra -I directories, NULL-terminated or NULL */
	const char *rt_include;        /* directory holding go.h */
	const char *rt_libdir;         /* directory holding <flavour>/libchanlabrt.a */
	const char *output;            /* path of the program to write */
	const char *cwd;               /* where the compiler runs; diagnostics are relative to it */
	const char *const *flags;      /* extra compiler and linker flags, NULL-terminated or NULL */
	double timeout;                /* seconds; 0: 60 */
	bool cache;                    /* skip the compiler when nothing that goes in changed */
	size_t nguarded;               /* the first nguarded sources are untrusted (the learner's
					  in a harness build): their objects may define no code
					  that runs before main and no C library function */
	size_t nlearner;               /* the first nlearner sources are the learner's (nguarded
					  <= nlearner); 0: all of them, as far as the next two go */
	const char *const *learner_flags; /* compiler flags for the learner's sources only,
					  NULL-terminated or NULL */
	const char *shared_objs;       /* with cache: a folder that keeps the objects of the
					  sources after the learner's (a harness, a pack library)
					  for every build that compiles them the same way; NULL:
					  <output>.objs, as for the learner's */
};

#define BUILD_OPTS_INIT { .flavour = "normal" }

struct build_result {
	bool ok;                       /* the program was written */
	char *log;                     /* compiler output, NUL-terminated, may be "" */
	double seconds;
	bool cached;                   /* the program from last time was still good */
	bool refused;                  /* it compiled, but a guarded source broke a rule
					  (said in log) */
};

/* Compiles opts->sources into opts->output with $CC (default "cc"), with
 * the flavour's flags and -DCHANLAB_FLAVOUR="<flavour>" (what the harness's
 * cl_flavour() returns). A
 * guarded source that breaks its rules fails the build with a message in
 * the log naming the file and what it defines (guarded builds always go
 * through objects, cached or not). With
 * opts->cache, a key over the command line and the contents of the sources,
 * the headers beside them and in the include folders, and the runtime
 * library is kept in <output>.key; when it matches, nothing is compiled.
 * Returns 0 when the compiler ran (res->ok says whether it succeeded) and -1
 * when it could not be run at all (err_msg says why). Objects in
 * shared_objs are never removed: they are named by everything that goes
 * into them and change only when the pack does. Blocks. */
int build_run(struct build_result *res, const struct build_opts *opts);

void build_result_release(struct build_result *res);

#endif
