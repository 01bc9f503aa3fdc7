# Files of the flowd component: the sFlow collector and flow mediator.

noinst_LIBRARIES += lib/libflowd.a
lib_libflowd_a_SOURCES = \
	lib/sflow.c lib/sflow.h \
	lib/sflow-encode.c lib/sflow-encode.h

check_PROGRAMS += tests/test-sflow
tests_test_sflow_LDADD = lib/libflowd.a
TESTS += tests/test-sflow

# libFuzzer targets, built with clang outside automake's compiler rules.
FLOWD_FUZZ_FLAGS = -g -O1 -fsanitize=fuzzer,address,undefined \
	-fno-sanitize-recover=undefined -I$(top_srcdir)/lib -I$(top_builddir)
FLOWD_FUZZ_TESTS = tests/fuzz-sflow.sh
EXTRA_DIST += $(FLOWD_FUZZ_TESTS) tests/flowd-fuzz-lib.sh \
	tests/fuzz-sflow.c
if FLOWD_FUZZ
FLOWD_FUZZERS = tests/fuzz-sflow
check_SCRIPTS += $(FLOWD_FUZZERS)
CLEANFILES += $(FLOWD_FUZZERS)
TESTS += $(FLOWD_FUZZ_TESTS)
tests/fuzz-sflow: tests/fuzz-sflow.c lib/sflow.c lib/sflow-encode.c
	$(AM_V_CC)$(FLOWD_FUZZ_CC) $(FLOWD_FUZZ_FLAGS) -o $@ $^
endif
