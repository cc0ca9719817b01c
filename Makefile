# chanlab — plain GNU make, out-of-tree build in $(B)/.
#
#   make            build/chanlab and the runtime libraries (one per flavour)
#   make run        open chanlab on the bundled exercises
#   make test       unit, end-to-end, screen and runtime tests and the
#                   layering check (prove); make check is the same
#   make test-quick the unit tests and the fast end-to-end tests (< 20 s)
#   make check-asan make test with chanlab built under ASan+UBSan, in build-asan/
#   make bench      build and run the benchmarks
#   make install    PREFIX=/usr/local (DESTDIR honoured)
#   make clean      removes build/ and build-asan/
#
# Missing Debian packages are installed by tools/deps.sh (as root) or named
# in one line before anything is compiled. V=1 shows full commands.

B       ?= build
PREFIX  ?= /usr/local
DESTDIR ?=
CC      ?= cc
PKGS    := ncursesw panelw lua5.4 sqlite3 libgit2 libseccomp zlib

WARN := -Wall -Wextra -Wpedantic -Wformat=2 -Wshadow -Wstrict-prototypes \
	-Wmissing-prototypes -Wold-style-definition -Wwrite-strings -Wundef \
	-Wcast-qual -Wvla -Wimplicit-fallthrough -Wconversion -Wsign-conversion
ifeq ($(CI),true)
WARN += -Werror
endif

CFLAGS   ?= -O2 -g
CPPFLAGS := -D_POSIX_C_SOURCE=200809L -I.
DEPFLAGS  = -MMD -MP

Q := @
ifeq ($(V),1)
Q :=
endif

.DEFAULT_GOAL := all
.PHONY: all run test check test-quick check-asan bench install uninstall clean \
	deps deps-test
.DELETE_ON_ERROR:

# --- dependencies -----------------------------------------------------------
# config.mk is made by asking tools/deps.sh first, then pkg-config once;
# make restarts after building it, so no compile runs before the check.
NODEPS_GOALS := clean deps deps-test uninstall check-asan
ifneq ($(filter-out $(NODEPS_GOALS),$(or $(MAKECMDGOALS),all)),)
include $(B)/config.mk
endif

# `make test` and `make bench` need more (tmux, valgrind, Go, ...): those are
# checked before anything is built, since valgrind's header changes the
# runtime that is built.
TEST_GOALS := test check test-quick check-asan
DEPS_LEVEL := $(if $(filter bench,$(MAKECMDGOALS)),bench,$(if $(filter $(TEST_GOALS),$(MAKECMDGOALS)),test))
ifneq ($(DEPS_LEVEL),)
ifneq ($(shell tools/deps.sh $(DEPS_LEVEL) >&2 && echo ok),ok)
$(error missing packages for 'make $(DEPS_LEVEL)' (see above))
endif
endif

$(B)/config.mk: Makefile tools/deps.sh
	$(Q)tools/deps.sh build
	$(Q)mkdir -p $(B)
	$(Q){ echo "PKG_CFLAGS := $$(pkg-config --cflags $(PKGS))"; \
	      echo "PKG_LIBS := $$(pkg-config --libs $(PKGS))"; } >$@.tmp && mv $@.tmp $@

deps:
	tools/deps.sh build
deps-test:
	tools/deps.sh test

# A stamp that changes only when the flags do, so a flag change rebuilds.
ALLFLAGS = $(CC) $(CFLAGS) $(CPPFLAGS) $(WARN) $(PKG_CFLAGS) $(PKG_LIBS) $(PREFIX)
$(B)/flags: FORCE
	$(Q)mkdir -p $(B)
	$(Q)echo '$(ALLFLAGS)' | cmp -s - $@ || echo '$(ALLFLAGS)' >$@
FORCE:

# --- the runtime (runtime/runtime.mk defines RT_LIBS, RT_TESTS, rtbench) ----
include runtime/runtime.mk

# --- chanlab itself ---------------------------------------------------------
MODULES := base checker lua data tui
APP_SRC := $(foreach m,$(MODULES),$(wildcard $(m)/*.c))
APP_OBJ := $(APP_SRC:%.c=$(B)/obj/%.o)
LIB_OBJ := $(filter-out $(B)/obj/tui/main.o,$(APP_OBJ))
GEN     := $(B)/gen/schema.h

$(B)/obj/%.o: %.c $(B)/flags | $(GEN)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(CFLAGS) $(CPPFLAGS) -I$(B)/gen $(PKG_CFLAGS) $(WARN) $(DEPFLAGS) \
		-DCHANLAB_PREFIX='"$(PREFIX)"' -c $< -o $@

# The schema is a file in data/; it is compiled in as a string.
$(B)/gen/schema.h: data/schema.sql
	@mkdir -p $(@D)
	$(Q)sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/"/' -e 's/$$/\\n"/' $< >$@.tmp && mv $@.tmp $@

$(B)/chanlab: $(APP_OBJ)
	@$(if $(Q),echo "  LINK    $@")
	$(Q)$(CC) $(CFLAGS) $^ $(PKG_LIBS) -lm -o $@

all: $(B)/chanlab $(RT_LIBS)

run: all
	$(B)/chanlab

# --- tests ------------------------------------------------------------------
# Each tests/unit/*.c is a TAP program linked with chanlab's modules.
UNIT_SRC := $(wildcard tests/unit/*.c)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(B)/tests/unit/%)

$(B)/tests/unit/%: tests/unit/%.c tests/tap.h $(LIB_OBJ)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  TEST    $@")
	$(Q)$(CC) $(CFLAGS) $(CPPFLAGS) -I$(B)/gen $(PKG_CFLAGS) $(WARN) $< $(LIB_OBJ) $(PKG_LIBS) -lm -o $@

# the profile reader's test reads what a profiled runtime program writes
$(B)/tests/unit/checker_profile: | $(B)/tests/runtime/prof
$(B)/tests/unit/checker_trace: | $(B)/tests/runtime/contend $(B)/tests/runtime/syscall

# tests/layers.t runs tools/layers.py, the check of includes against the
# layering in ../shared/DESIGN.md. TESTS=... runs only some.
PROVE_JOBS ?= 2
TESTS = $(UNIT_BIN) $(wildcard tests/*.t)
test: all $(UNIT_BIN) $(RT_TESTS)
	$(Q)B=$(B) prove -j$(PROVE_JOBS) $(TESTS)

check: test

# The end-to-end tests that take a few seconds each, slowest first; not the
# screen tests (tmux), the runtime's, the graders' or the pack verification.
# tui_watch mostly sleeps (~5 s): it starts first, beside the others.
QUICK_TESTS := hostile-unprivileged record-crash hostile-scripts \
	hostile-fallback record-damage cli layers record-cli
QUICK_FIRST := $(B)/tests/unit/tui_watch
test-quick: all $(UNIT_BIN)
	$(Q)B=$(B) prove -j$(PROVE_JOBS) $(filter $(QUICK_FIRST),$(UNIT_BIN)) \
		$(QUICK_TESTS:%=tests/%.t) $(filter-out $(QUICK_FIRST),$(UNIT_BIN))

# chanlab itself (and the unit tests) under ASan+UBSan, in a build folder of
# its own; the runtime flavours learner programs link are built as always.
# Any UBSan finding stops the program, so a test sees it fail. No -Werror
# here: gcc's -Wstringop-truncation and -Wformat-truncation warn falsely on
# instrumented code (the plain CI build keeps the warnings honest).
# The screen tests run apart, with LeakSanitizer off: their teardown hangs
# up the terminal while chanlab may still be exiting, and the SIGCONT that
# comes with the hangup cancels the SIGSTOP by which LeakSanitizer stops
# chanlab to scan it, which then spins forever.
ASAN_B      ?= build-asan
ASAN_CFLAGS ?= -O2 -g -fsanitize=address,undefined -fno-sanitize-recover=undefined \
	-fno-omit-frame-pointer
ASAN_MAKE    = $(MAKE) --no-print-directory B=$(ASAN_B) CFLAGS='$(ASAN_CFLAGS)' CI=
SCREEN_TESTS := $(wildcard tests/screen*.t)
check-asan:
	+$(Q)$(ASAN_MAKE) test TESTS='$$(UNIT_BIN) $(filter-out $(SCREEN_TESTS),$(wildcard tests/*.t))'
	+$(Q)ASAN_OPTIONS=detect_leaks=0 $(ASAN_MAKE) test TESTS='$(SCREEN_TESTS)'

# Each tests/bench/*.c but the runtime's own is a benchmark program linked
# with chanlab's modules; tests/bench/*.sh run them (and rtbench).
BENCH_SRC := $(filter-out tests/bench/rtbench.c,$(wildcard tests/bench/*.c))
BENCH_BIN := $(BENCH_SRC:tests/bench/%.c=$(B)/bench/%)

$(B)/bench/%: tests/bench/%.c $(LIB_OBJ)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  BENCH   $@")
	$(Q)$(CC) $(CFLAGS) $(CPPFLAGS) -I$(B)/gen $(PKG_CFLAGS) $(WARN) $< $(LIB_OBJ) $(PKG_LIBS) -lm -o $@

bench: all $(B)/bench/rtbench $(BENCH_BIN)
	$(Q)tests/bench/run $(B)

# --- install ----------------------------------------------------------------
# Layout: bin/chanlab, share/chanlab/exercises, lib/chanlab/{include,rt/<flavour>}.
install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/lib/chanlab/include \
		$(DESTDIR)$(PREFIX)/share/chanlab
	install -m 755 $(B)/chanlab $(DESTDIR)$(PREFIX)/bin/chanlab
	install -m 644 $(RT_HEADER) harness/chanlab_test.h $(DESTDIR)$(PREFIX)/lib/chanlab/include/
	$(foreach f,$(RT_FLAVOURS),install -d $(DESTDIR)$(PREFIX)/lib/chanlab/rt/$(f) && \
		install -m 644 $(B)/rt/$(f)/libchanlabrt.a $(DESTDIR)$(PREFIX)/lib/chanlab/rt/$(f)/ &&) true
	rm -rf $(DESTDIR)$(PREFIX)/share/chanlab/exercises
	cp -R exercises $(DESTDIR)$(PREFIX)/share/chanlab/exercises

uninstall:
	rm -rf $(DESTDIR)$(PREFIX)/bin/chanlab $(DESTDIR)$(PREFIX)/lib/chanlab \
		$(DESTDIR)$(PREFIX)/share/chanlab

clean:
	rm -rf $(B) $(ASAN_B)

-include $(APP_OBJ:.o=.d)
