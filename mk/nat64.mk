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

# Unit tests: frames before and after, byte for byte.
NAT64_TEST_LIB = tests/nat64-test.c tests/nat64-test.h
NAT64_TESTS = \
	tests/test-nat64-ip \
	tests/test-nat64-icmp
check_PROGRAMS += $(NAT64_TESTS)
TESTS += $(NAT64_TESTS)
tests_test_nat64_ip_SOURCES = tests/test-nat64-ip.c $(NAT64_TEST_LIB)
tests_test_nat64_ip_LDADD = lib/libnat64.a
tests_test_nat64_icmp_SOURCES = tests/test-nat64-icmp.c $(NAT64_TEST_LIB)
tests_test_nat64_icmp_LDADD = lib/libnat64.a
