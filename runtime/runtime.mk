# runtime/runtime.mk — the Go-style runtime, included by the top Makefile.
#
# Builds $(B)/rt/<flavour>/libchanlabrt.a for each flavour, the runtime's
# test programs ($(RT_TESTS)) and the benchmark $(B)/bench/rtbench.
# Expects B, CC, WARN and Q from the includer.  A learner program links as
#   cc <flavour cflags> -I runtime prog.c $(B)/rt/<flavour>/libchanlabrt.a -pthread

RT_FLAVOURS := normal debug asan tsan
RT_HEADER   := runtime/go.h runtime/atomic.h

RT_CFLAGS_normal := -O2 -g -fno-omit-frame-pointer -fstack-clash-protection
RT_CFLAGS_debug  := -O0 -g -fstack-clash-protection
RT_CFLAGS_asan   := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer
# Under TSan the runtime's own code is not instrumented: its locks and
# atomics would order every goroutine that meets in it.  It tells TSan the
# orderings Go's memory model gives instead (san.h); programs built against
# it are instrumented (RT_PROG_CFLAGS_tsan), as the learner's are.
RT_CFLAGS_tsan   := -O2 -g -DGO__TSAN=1
RT_PROG_CFLAGS_normal := $(RT_CFLAGS_normal)
RT_PROG_CFLAGS_debug  := $(RT_CFLAGS_debug)
RT_PROG_CFLAGS_asan   := $(RT_CFLAGS_asan)
RT_PROG_CFLAGS_tsan   := -O1 -g -fsanitize=thread

# The thread pointer is read after every switch (a goroutine may resume on
# another thread): keep TLS access a plain %fs-relative load.
# DWARF 4: valgrind 3.19 cannot read clang's DWARF 5.
# Frame pointers in every flavour: tracebacks walk them (traceback.c).
# (-fno-optimize-sibling-calls would keep every frame but cost a third on
# yield: 19.4 -> 26.7 ns; a runtime frame lost to a tail call is hidden
# anyway.  The runtime's test programs use it, so their expected frames do
# not depend on the compiler's choices.)
RT_CFLAGS := -std=c11 -ftls-model=initial-exec -fno-strict-aliasing -gdwarf-4 \
	-fno-omit-frame-pointer
# libbacktrace (GCC's, in libgcc-*-dev) symbolizes tracebacks and profiles; its objects
# are merged into libchanlabrt.a so a program links nothing more, and it
# is kept to the program itself (its dl_iterate_phdr is traceback.c's, which
# lists no shared library: libc's separate debug information would cost
# 70 ms on the first traceback).  Without it, frames print as bare pcs.
RT_BT_LIB := $(shell $(CC) -print-file-name=libbacktrace.a 2>/dev/null)
ifeq ($(wildcard $(RT_BT_LIB)),)
RT_BT_LIB :=
CPPFLAGS_RT_BT := -DGO__NO_BACKTRACE
endif
RT_SRC    := $(wildcard runtime/*.c)
RT_ASM    := $(wildcard runtime/*.S)
RT_LIBS   := $(foreach f,$(RT_FLAVOURS),$(B)/rt/$(f)/libchanlabrt.a)

# The runtime's code goes in a section of its own, chanlab_rt_text, so that
# asynchronous preemption (preempt.c) can tell it from the program's: the
# linker bounds it with __start_chanlab_rt_text and __stop_chanlab_rt_text.
RT_MARK_TEXT = objcopy $(foreach s,.text .text.startup .text.unlikely .text.hot,\
	--rename-section $(s)=chanlab_rt_text,alloc,load,readonly,code,contents)

# Tests: every tests/runtime/*.c is built against the normal flavour; the
# ones in RT_SAN_TESTS also against asan and tsan (as <flavour>-<name>).
RT_TEST_SRC  := $(wildcard tests/runtime/*.c)
RT_TEST_NAMES := $(RT_TEST_SRC:tests/runtime/%.c=%)
RT_SAN_TESTS := chanclean race stress unit ctx atomic pin netpoll stacks hb lsan deepstack crowd
RT_TESTS := $(RT_TEST_NAMES:%=$(B)/tests/runtime/%) \
	$(foreach f,asan tsan debug,$(RT_SAN_TESTS:%=$(B)/tests/runtime/$(f)-%))

RT_STAMP := $(B)/rt/flags
RT_FLAVOUR_CFLAGS := $(foreach f,$(RT_FLAVOURS),$(f): $(RT_CFLAGS_$(f)) $(RT_PROG_CFLAGS_$(f)))
$(RT_STAMP): FORCE
	@mkdir -p $(@D)
	@echo '$(CC) $(CPPFLAGS) $(WARN) $(RT_CFLAGS) $(RT_FLAVOUR_CFLAGS)' | cmp -s - $@ || \
		echo '$(CC) $(CPPFLAGS) $(WARN) $(RT_CFLAGS) $(RT_FLAVOUR_CFLAGS)' >$@

define RT_FLAVOUR_RULES
RT_OBJ_$(1) := $$(RT_SRC:runtime/%.c=$(B)/rt/$(1)/obj/%.o) \
	$$(RT_ASM:runtime/%.S=$(B)/rt/$(1)/obj/%.o)

$(B)/rt/$(1)/obj/%.o: runtime/%.c $(RT_STAMP)
	@mkdir -p $$(@D)
	@$$(if $$(Q),echo "  CC      $$@")
	$$(Q)$$(CC) $$(RT_CFLAGS_$(1)) $$(RT_CFLAGS) $$(CPPFLAGS) $$(CPPFLAGS_RT_BT) $$(WARN) -MMD -MP -c $$< -o $$@
	$$(Q)$$(RT_MARK_TEXT) $$@

$(B)/rt/$(1)/obj/%.o: runtime/%.S $(RT_STAMP)
	@mkdir -p $$(@D)
	@$$(if $$(Q),echo "  AS      $$@")
	$$(Q)$$(CC) $$(RT_CFLAGS_$(1)) -gdwarf-4 -MMD -MP -c $$< -o $$@
	$$(Q)$$(RT_MARK_TEXT) $$@

$(B)/rt/$(1)/libchanlabrt.a: $$(RT_OBJ_$(1))
	@$$(if $$(Q),echo "  AR      $$@")
	$$(Q)rm -rf $$@ $$@.bt && mkdir $$@.bt && \
		if [ -n "$(RT_BT_LIB)" ]; then \
			(cd $$@.bt && ar x $(RT_BT_LIB) && \
			 objcopy --redefine-sym dl_iterate_phdr=go__bt_dl_iterate_phdr elf.o) && \
			for o in $$@.bt/*.o; do $(RT_MARK_TEXT) $$$$o || exit 1; done; \
		fi && \
		ar rcs $$@ $$^ $$$$(find $$@.bt -name '*.o' | sort) && rm -rf $$@.bt

$(B)/tests/runtime/$(1)-%: tests/runtime/%.c $(B)/rt/$(1)/libchanlabrt.a $(RT_HEADER)
	@mkdir -p $$(@D)
	@$$(if $$(Q),echo "  TEST    $$@")
	$$(Q)$$(CC) $$(RT_PROG_CFLAGS_$(1)) -std=c11 -gdwarf-4 -fno-omit-frame-pointer -fno-optimize-sibling-calls $$(CPPFLAGS) $$(WARN) -Iruntime $$< $(B)/rt/$(1)/libchanlabrt.a -pthread -o $$@

-include $$(RT_OBJ_$(1):.o=.d)
endef
$(foreach f,$(RT_FLAVOURS),$(eval $(call RT_FLAVOUR_RULES,$(f))))

$(B)/tests/runtime/%: tests/runtime/%.c $(B)/rt/normal/libchanlabrt.a $(RT_HEADER)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  TEST    $@")
	$(Q)$(CC) $(RT_CFLAGS_normal) -std=c11 -fno-omit-frame-pointer -fno-optimize-sibling-calls $(CPPFLAGS) $(WARN) -Iruntime $< $(B)/rt/normal/libchanlabrt.a -pthread -o $@

$(B)/bench/rtbench: tests/bench/rtbench.c $(B)/rt/normal/libchanlabrt.a $(RT_HEADER)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  BENCH   $@")
	$(Q)$(CC) $(RT_CFLAGS_normal) -std=c11 $(CPPFLAGS) $(WARN) -Iruntime $< $(B)/rt/normal/libchanlabrt.a -pthread -o $@

.PHONY: rt-libs rt-tests
rt-libs: $(RT_LIBS)
rt-tests: $(RT_TESTS)
