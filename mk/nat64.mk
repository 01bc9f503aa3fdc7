# Files of the nat64 component: the translator core, its tests, fuzzers
# and benchmark.
noinst_HEADERS += lib/nat64.h lib/nat64-compat.h lib/nat64-csum.h \
	lib/nat64-private.h

# The core.  -fPIC so that Open vSwitch's shared objects can link it.
noinst_LIBRARIES += lib/libnat64.a
lib_libnat64_a_SOURCES = \
	lib/nat64.c \
	lib/nat64-4to6.c \
	lib/nat64-6to4.c \
	lib/nat64-icmp.c \
	lib/nat64-frag.c \
	lib/nat64-nd.c
lib_libnat64_a_CFLAGS = $(AM_CFLAGS) -fPIC

EXTRA_DIST += Documentation/translation.md

# The core builds freestanding (checked with nm).
TESTS += tests/check-nat64-freestanding
EXTRA_DIST += tests/check-nat64-freestanding
AM_TESTS_ENVIRONMENT += L2MT_CC='$(CC)'; export L2MT_CC;

# Unit tests: frames before and after, byte for byte.
NAT64_TEST_LIB = tests/nat64-test.c tests/nat64-test.h
NAT64_TESTS = \
	tests/test-nat64-ip \
	tests/test-nat64-icmp \
	tests/test-nat64-nd \
	tests/test-nat64-drops
check_PROGRAMS += $(NAT64_TESTS)
TESTS += $(NAT64_TESTS)
tests_test_nat64_ip_SOURCES = tests/test-nat64-ip.c $(NAT64_TEST_LIB)
tests_test_nat64_ip_LDADD = lib/libnat64.a
tests_test_nat64_icmp_SOURCES = tests/test-nat64-icmp.c $(NAT64_TEST_LIB)
tests_test_nat64_icmp_LDADD = lib/libnat64.a
tests_test_nat64_nd_SOURCES = tests/test-nat64-nd.c $(NAT64_TEST_LIB)
tests_test_nat64_nd_LDADD = lib/libnat64.a
tests_test_nat64_drops_SOURCES = tests/test-nat64-drops.c $(NAT64_TEST_LIB)
tests_test_nat64_drops_LDADD = lib/libnat64.a

# bench/xlate: ns/frame and instructions/frame ('make bench').
check_PROGRAMS += bench/xlate
bench_xlate_SOURCES = bench/xlate.c $(NAT64_TEST_LIB)
bench_xlate_CPPFLAGS = $(AM_CPPFLAGS) -I$(srcdir)/tests
bench_xlate_LDADD = lib/libnat64.a
bench_TARGETS += bench-xlate
bench-xlate: bench/xlate
	bench/xlate
.PHONY: bench-xlate

# libFuzzer targets, one per direction, built with clang and run briefly
# by 'make check' (tests/run-nat64-fuzz).
NAT64_CORE_SRC = $(lib_libnat64_a_SOURCES:%=$(srcdir)/%)
NAT64_FUZZ_CFLAGS = -g -O1 -fsanitize=fuzzer,address,undefined \
	-fno-sanitize-recover=all -I$(srcdir)/lib -I$(top_builddir)
NAT64_FUZZ_DEPS = tests/fuzz-nat64.c tests/fuzz-nat64.h $(NAT64_CORE_SRC) \
	$(noinst_HEADERS)
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
