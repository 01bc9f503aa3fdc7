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
	lib/nat64-nd.c
lib_libnat64_a_CFLAGS = $(AM_CFLAGS) -fPIC

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
