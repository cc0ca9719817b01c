/*
 * report — read what sanitizers, valgrind and chanlab's runtime print.
 *
 * A program's stderr may hold reports from AddressSanitizer, LeakSanitizer,
 * UndefinedBehaviorSanitizer, ThreadSanitizer, valgrind's memcheck, or the
 * runtime (deadlock with its goroutine dump, goroutine leaks, the SIGQUIT
 * dump at a time limit, panics including a crash's, fatal errors, stack
 * overflow). report_parse finds each one and says what kind it is, where in
 * the learner's own files it points first (file:line), and explains that
 * kind of error in a sentence a learner can act on.
 */
#ifndef CHECKER_REPORT_H
#define CHECKER_REPORT_H

#include <stddef.h>

struct report {
	char *kind;          /* "heap-use-after-free", "memory-leak", "data-race", "deadlock", ... */
	const char *tool;    /* "AddressSanitizer", "LeakSanitizer", "UndefinedBehaviorSanitizer",
				"ThreadSanitizer", "valgrind", "runtime" */
	char *summary;       /* the tool's own headline, trimmed */
	char *file;          /* first frame in the learner's files, or NULL */
	int line;            /* its line, or 0 */
	char *function;      /* its function, or NULL */
	const char *explain; /* what this kind of error is and what to look for */
	char *text;          /* the report's lines (at most 40) */
	int signal;          /* the runtime's crash report: the signal it caught
				(its "[signal SIGSEGV: ...]" line), else 0 */
	char *goroutines;    /* a runtime dump's goroutines as a JSON array (see
				docs/results.md, report.goroutines), or NULL */
};

struct report_list {
	struct report *r;
	size_t n;
};

#define REPORT_LIST_INIT { NULL, 0 }

/* Parses text (a program's stderr). own lists the learner's files by name
 * (a path or a bare file name; frames match on the file name); NULL-ended.
 * Appends every report found to *list. 0, or -1 when out of memory. */
int report_parse(struct report_list *list, const char *text, const char *const *own);

void report_list_release(struct report_list *list);

/* A one-line description: "heap-use-after-free at list.c:42 (ASan): <explain>". */
char *report_describe(const struct report *r);

#endif
