# Files of the nat64 component: the translator core's tests, fuzzers and
# benchmark (the core itself: lib/nat64/automake.mk).

EXTRA_DIST += Documentation/translation.md

# Unit tests: frames before and after, byte for byte.
NAT64_TEST_LIB = tests/nat64-test.c tests/nat64-test.h
NAT64_TESTS = \
	tests/test-nat64-ip \
	tests/test-nat64-icmp \
	tests/test-nat64-nd \
	tests/test-nat64-drops \
	tests/test-nat64-prefix
check_PROGRAMS += $(NAT64_TESTS)
TESTS += $(NAT64_TESTS)
tests_test_nat64_ip_SOURCES = tests/test-nat64-ip.c $(NAT64_TEST_LIB)
tests_test_nat64_ip_LDADD = $(NAT64_LIBS)
tests_test_nat64_icmp_SOURCES = tests/test-nat64-icmp.c $(NAT64_TEST_LIB)
tests_test_nat64_icmp_LDADD = $(NAT64_LIBS)
tests_test_nat64_nd_SOURCES = tests/test-nat64-nd.c $(NAT64_TEST_LIB)
tests_test_nat64_nd_LDADD = $(NAT64_LIBS)
tests_test_nat64_drops_SOURCES = tests/test-nat64-drops.c $(NAT64_TEST_LIB)
tests_test_nat64_drops_LDADD = $(NAT64_LIBS)
tests_test_nat64_prefix_SOURCES = tests/test-nat64-prefix.c $(NAT64_TEST_LIB)
tests_test_nat64_prefix_LDADD = $(NAT64_LIBS)

# bench/xlate: ns/frame and instructions/frame ('make bench').
check_PROGRAMS += bench/xlate
bench_xlate_SOURCES = bench/xlate.c $(NAT64_TEST_LIB)
bench_xlate_CPPFLAGS = $(AM_CPPFLAGS) -I$(srcdir)/tests
bench_xlate_LDADD = $(NAT64_LIBS)
bench_TARGETS += bench-xlate
bench-xlate: bench/xlate
	bench/xlate
.PHONY: bench-xlate

# libFuzzer targets, one per direction, built with clang and run briefly
# by 'make check' (tests/run-nat64-fuzz).
NAT64_CORE_SRC = $(addprefix $(srcdir)/,\
	$(filter %.c,$(lib_nat64_libnat64_a_SOURCES)))
NAT64_FUZZ_CFLAGS = -g -O1 -fsanitize=fuzzer,address,undefined \
	-fno-sanitize-recover=all $(L2MT_INCLUDES) -I$(top_builddir)
NAT64_FUZZ_DEPS = tests/fuzz-nat64.c tests/fuzz-nat64.h \
	$(addprefix $(srcdir)/,$(lib_nat64_libnat64_a_SOURCES))
EXTRA_DIST += \
	tests/fuzz-nat64.c \
	tests/fuzz-nat64.h \
	tests/fuzz-nat64-4to6.c \
	tests/fuzz-nat64-6to4.c \
	tests/fuzz-nat64-4to6.sh \
	tests/fuzz-nat64-6to4.sh \
	tests/run-nat64-fuzz \
	tests/fuzz-nat64-corpus
if ENABLE_FUZZ
TESTS += tests/fuzz-nat64-4to6.sh tests/fuzz-nat64-6to4.sh
check_SCRIPTS += tests/fuzz-nat64-4to6 tests/fuzz-nat64-6to4
CLEANFILES += tests/fuzz-nat64-4to6 tests/fuzz-nat64-6to4
tests/fuzz-nat64-4to6 tests/fuzz-nat64-6to4: tests/fuzz-nat64-%: \
		tests/fuzz-nat64-%.c $(NAT64_FUZZ_DEPS)
	$(AM_V_CC)$(L2MT_FUZZ_CC) $(NAT64_FUZZ_CFLAGS) -o $@ \
		$(srcdir)/tests/fuzz-nat64-$*.c $(srcdir)/tests/fuzz-nat64.c \
		$(NAT64_CORE_SRC)
endif
