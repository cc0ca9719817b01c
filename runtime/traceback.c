/*
 * traceback.c — goroutine call stacks as file:line frames, after Go's
 * runtime/traceback.go.
 *
 * Data model
 *   A stack is walked by frame pointers (the runtime and the learner's code
 *   are built with -fno-omit-frame-pointer): each frame begins with the
 *   caller's frame pointer, then the return address.  A walk starts from
 *   - a parked G's saved context (switch_amd64.S: rbp is sp[6], the return
 *     address into the code that switched out is sp[7]);
 *   - an interrupted context (a crash, or the SIGQUIT dump asking a running
 *     M where its G is): the interrupted pc, then its rbp;
 *   - the calling goroutine's own frame.
 *   It stops at a frame pointer outside the G's stack, at one that does not
 *   grow, or after TB_MAX frames; the first frame of a G's stack has rbp 0.
 *   So a walk reads only the G's own stack mapping, even when the G starts
 *   running again meanwhile (then the frames are nonsense, not a fault).
 *
 *   A pc becomes "function file:line" through libbacktrace (from GCC,
 *   merged into libchanlabrt.a by runtime.mk), which reads the program's
 *   own DWARF once, on the first traceback (the program's alone, not the
 *   shared libraries': see runtime.mk); an inlined call is one frame
 *   per inlined function.  Frames in the runtime's own files, go__
 *   functions, the test harness's machinery (chanlab_test.h) and code
 *   without debug information are hidden unless GOTRACEBACK is system,
 *   all or crash (as Go hides runtime frames). File names are shown
 *   relative to the current directory when under it, and by their name
 *   alone when elsewhere: a program's files sit side by side, and a
 *   learner reads "pipeline_test.c:7", not the folder it was built in.
 *   Without libbacktrace, frames are bare pcs.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"

#if defined(__has_include)
#if __has_include(<backtrace.h>) && !defined(GO__NO_BACKTRACE)
#include <backtrace.h>
#include <link.h>
#define GO__LIBBACKTRACE 1
#endif
#endif

#ifdef GO__LIBBACKTRACE
static struct backtrace_state *bt_state;   /* atomic: made once */
#endif
static char rt_dir[512];        /* the runtime's source folder, "" unknown */
static size_t rt_dir_len;
static char cwd[1024];
static size_t cwd_len;
static int show_all = -1;       /* GOTRACEBACK=system|all|crash */
static int tb_ready;            /* atomic: the above are set */

int go__tb_walk(uintptr_t fp, uintptr_t lo, uintptr_t hi, uintptr_t *pcs, int n, int max)
{
	while (n < max && fp >= lo && fp + 16 <= hi && (fp & 7) == 0) {
		const uintptr_t *f = (const uintptr_t *)fp;
		uintptr_t next = f[0], ret = f[1];

		if (ret < 4096)
			break;
		pcs[n++] = ret;
		if (next <= fp)
			break;
		fp = next;
	}
	return n;
}

int go__tb_parked(go__g *g, uintptr_t *pcs, int max)
{
	uintptr_t lo = (uintptr_t)g->stack_lo, hi = lo + g->stack_size;
	const uintptr_t *sp = g->sp;

	if (max < 1 || !g->stack_size || (uintptr_t)sp < lo || (uintptr_t)(sp + 8) > hi)
		return 0;
	if (sp[7] < 4096)
		return 0;
	pcs[0] = sp[7];
	return go__tb_walk(sp[6], lo, hi, pcs, 1, max);
}

int go__tb_self(uintptr_t *pcs, int max)
{
	go__m *m = go__tls_m;
	go__g *g = m ? m->curg : NULL;
	uintptr_t fp = (uintptr_t)__builtin_frame_address(0);
	uintptr_t lo = fp, hi = fp + 8 * 1024 * 1024;

	if (g && g->stack_size) {
		lo = (uintptr_t)g->stack_lo;
		hi = lo + g->stack_size;
	}
	return go__tb_walk(fp, lo, hi, pcs, 0, max);
}

/* --- symbols ------------------------------------------------------------ */

#ifdef GO__LIBBACKTRACE
/* libbacktrace's view of the loaded objects (runtime.mk renames its call):
 * the program alone (the first object, whose load address it needs).
 * Frames in shared libraries have no file:line then, and are hidden
 * anyway. */
struct phdr_only {
	int (*cb)(struct dl_phdr_info *, size_t, void *);
	void *data;
};

static int program_only(struct dl_phdr_info *info, size_t size, void *data)
{
	struct phdr_only *o = data;

	o->cb(info, size, o->data);
	return 1;   /* stop: the rest are shared libraries */
}

int go__bt_dl_iterate_phdr(int (*cb)(struct dl_phdr_info *, size_t, void *), void *data);
int go__bt_dl_iterate_phdr(int (*cb)(struct dl_phdr_info *, size_t, void *), void *data)
{
	struct phdr_only o = { cb, data };

	dl_iterate_phdr(program_only, &o);
	return 0;
}

static void bt_error(void *data, const char *msg, int errnum)
{
	(void)data, (void)msg, (void)errnum;
}

static struct backtrace_state *state(void)
{
	struct backtrace_state *s = ld_acquire(&bt_state), *none = NULL;

	if (s)
		return s;
	s = backtrace_create_state(NULL, 1, bt_error, NULL);
	if (s && !cas(&bt_state, &none, s))
		s = none;   /* another thread made one first: a few bytes lost */
	return s;
}

struct sym {
	const char *file;
	int line;
	const char *func;
	bool found;
};

static int first_sym(void *data, uintptr_t pc, const char *file, int line, const char *func)
{
	struct sym *s = data;

	(void)pc;
	if (s->found)
		return 1;
	s->file = file, s->line = line, s->func = func, s->found = true;
	return 1;
}
#endif

static void tb_init(void)
{
	if (ld_acquire(&tb_ready))
		return;
	const char *e = getenv("GOTRACEBACK");
	show_all = e && (strcmp(e, "system") == 0 || strcmp(e, "all") == 0 ||
		strcmp(e, "crash") == 0);
	if (getcwd(cwd, sizeof cwd - 1)) {
		cwd_len = strlen(cwd);
		cwd[cwd_len++] = '/';
		cwd[cwd_len] = '\0';
	}
#ifdef GO__LIBBACKTRACE
	struct backtrace_state *s = state();
	struct sym me = { 0 };
	if (s)
		backtrace_pcinfo(s, (uintptr_t)go__tb_walk, first_sym, bt_error, &me);
	if (me.found && me.file) {
		const char *slash = strrchr(me.file, '/');
		size_t n = slash ? (size_t)(slash - me.file) + 1 : 0;
		if (n < sizeof rt_dir) {
			memcpy(rt_dir, me.file, n);
			rt_dir[n] = '\0';
			rt_dir_len = n;
		}
	}
#endif
	st_release(&tb_ready, 1);
}

bool go__tb_hidden(const char *file, const char *func)
{
	const char *base;

	tb_init();
	if (show_all)
		return false;
	if (!file)
		return true;
	if (func && strncmp(func, "go__", 4) == 0)
		return true;
	if (rt_dir_len && strncmp(file, rt_dir, rt_dir_len) == 0 &&
	    !strchr(file + rt_dir_len, '/'))
		return true;
	/* the test harness's own machinery (cl_run_case, its go_main) */
	base = strrchr(file, '/');
	return strcmp(base ? base + 1 : file, "chanlab_test.h") == 0;
}

const char *go__tb_relative(const char *file)
{
	const char *base;

	if (!file)
		return file;
	if (cwd_len && strncmp(file, cwd, cwd_len) == 0)
		file += cwd_len;
	while (strncmp(file, "./", 2) == 0)
		file += 2;
	/* a program's files sit side by side: an absolute path (the
	 * instructor's files, compiled elsewhere) says no more than its name */
	if (*file == '/' && (base = strrchr(file, '/')))
		file = base + 1;
	return file;
}

#ifdef GO__LIBBACKTRACE
struct frames {
	int (*each)(void *, const char *, int, const char *);
	void *data;
	int stop;
};

static int each_sym(void *data, uintptr_t pc, const char *file, int line, const char *func)
{
	struct frames *f = data;

	(void)pc;
	if (go__tb_hidden(file, func))
		return 0;
	f->stop = f->each(f->data, go__tb_relative(file), line, func);
	return f->stop;
}
#endif

int go__tb_frames(const uintptr_t *pcs, int n, bool first_exact,
	int (*each)(void *data, const char *file, int line, const char *func), void *data)
{
	tb_init();
#ifdef GO__LIBBACKTRACE
	struct backtrace_state *s = state();
	if (s) {
		struct frames f = { each, data, 0 };
		for (int i = 0; i < n && !f.stop; i++)
			backtrace_pcinfo(s, pcs[i] - (i == 0 && first_exact ? 0 : 1),
				each_sym, bt_error, &f);
		return f.stop;
	}
#endif
	(void)pcs, (void)n, (void)first_exact, (void)each, (void)data;
	return 0;
}

struct printing {
	int i;
};

static int print_one(void *data, const char *file, int line, const char *func)
{
	struct printing *p = data;

	go__printf("\t#%d %s %s:%d\n", p->i++, func ? func : "?", file, line);
	return 0;
}

void go__tb_print(const uintptr_t *pcs, int n, bool first_exact)
{
	struct printing p = { 0 };

	go__tb_frames(pcs, n, first_exact, print_one, &p);
#ifndef GO__LIBBACKTRACE
	for (int i = 0; i < n; i++)
		go__printf("\t#%d pc=%#lx\n", i, (unsigned long)pcs[i]);
#endif
}
