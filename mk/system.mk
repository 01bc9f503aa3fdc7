# Files of the system component: the multi-tenant rig (two ovs-vswitchd on
# the user-space datapath, GRE, network namespaces), its tests and its
# benchmark.

# Answers each request with the interface (scope id) it came in on.
check_PROGRAMS += tests/scope-server
tests_scope_server_SOURCES = tests/scope-server.c tests/scope-request.c \
	tests/scope-request.h

# libFuzzer target for the server's request reader (clang), run briefly by
# tests/system-fuzz.sh.
if ENABLE_FUZZ
SYSTEM_FUZZ_FLAGS = -fsanitize=fuzzer,address,undefined -g -O1
check_SCRIPTS += tests/fuzz-scope-request
CLEANFILES += tests/fuzz-scope-request
tests/fuzz-scope-request: tests/fuzz-scope-request.c tests/scope-request.c \
		tests/scope-request.h
	$(AM_V_CCLD)$(L2MT_FUZZ_CC) $(SYSTEM_FUZZ_FLAGS) -I$(top_builddir) \
		-I$(srcdir)/tests -o $@ $(srcdir)/tests/fuzz-scope-request.c \
		$(srcdir)/tests/scope-request.c
TESTS += tests/system-fuzz.sh
endif

SYSTEM_TESTS = \
	tests/system-multitenant.sh \
	tests/system-isolation.sh
TESTS += tests/system-server.sh tests/system-pmtu.sh
if HAVE_OVS
TESTS += $(SYSTEM_TESTS)
endif
EXTRA_DIST += \
	Documentation/multitenant-rig.md \
	tests/system-lib.sh \
	tests/system-server.sh \
	tests/system-pmtu.sh \
	tests/system-fuzz.sh \
	tests/fuzz-scope-request.c \
	$(SYSTEM_TESTS) \
	bench/ovs-netdev

# Packets/s and TCP throughput, nat64 path vs native IPv6 path.
bench_TARGETS += bench-ovs-netdev
bench-ovs-netdev: tests/scope-server
	@$(AM_TESTS_ENVIRONMENT) $(SHELL) $(srcdir)/bench/ovs-netdev
.PHONY: bench-ovs-netdev
