# Files of the flowd component: the sFlow collector and flow mediator.

# lib/conf: l2mt_run() (l2mt-flowd --db runs l2mt-ctl).
FLOWD_LIBS = lib/flowd/libflowd.a $(CONF_LIBS) $(FIXBUF_LIBS) -lm -lpthread

check_PROGRAMS += tests/test-sflow
tests_test_sflow_LDADD = $(FLOWD_LIBS)
TESTS += tests/test-sflow

# libFuzzer targets, built with clang outside automake's compiler rules
# from all the library's sources.
FLOWD_FUZZ_FLAGS = -g -O1 -fsanitize=fuzzer,address,undefined \
	-fno-sanitize-recover=undefined $(L2MT_INCLUDES) -I$(top_builddir) \
	$(FIXBUF_CFLAGS)
FLOWD_FUZZ_LIB = $(filter %.c,$(lib_flowd_libflowd_a_SOURCES)) \
	lib/conf/l2mt-run.c lib/conf/l2mt-conf-util.c
FLOWD_FUZZ_TESTS = tests/fuzz-sflow.sh tests/fuzz-flowd-topo.sh \
	tests/fuzz-flowd-interval.sh tests/fuzz-flowd-pcap.sh \
	tests/fuzz-flowd-ipfix.sh
EXTRA_DIST += $(FLOWD_FUZZ_TESTS) tests/flowd-fuzz-lib.sh \
	tests/fuzz-flowd-inventory.sh \
	tests/fuzz-sflow.c tests/fuzz-flowd-topo.c \
	tests/fuzz-flowd-inventory.c tests/fuzz-flowd-interval.c \
	tests/fuzz-flowd-pcap.c tests/fuzz-flowd-ipfix.c \
	tests/fuzz-flowd-ipfix-corpus
if ENABLE_FUZZ
FLOWD_FUZZERS = tests/fuzz-sflow tests/fuzz-flowd-topo \
	tests/fuzz-flowd-interval tests/fuzz-flowd-pcap tests/fuzz-flowd-ipfix
check_SCRIPTS += $(FLOWD_FUZZERS)
CLEANFILES += $(FLOWD_FUZZERS)
TESTS += $(FLOWD_FUZZ_TESTS)
$(FLOWD_FUZZERS): %: %.c $(FLOWD_FUZZ_LIB)
	$(AM_V_CC)$(L2MT_FUZZ_CC) $(FLOWD_FUZZ_FLAGS) -o $@ \
		$(srcdir)/$@.c $(addprefix $(srcdir)/,$(FLOWD_FUZZ_LIB)) $(FIXBUF_LIBS) -lm -lpthread
endif

# The daemon stands on Open vSwitch's libraries (mk/ovs-lib.mk): vlog,
# daemon, unixctl, poll-loop, coverage; its metrics on lib/metrics.  Like
# l2mt-agent it is built only with the patched tree (--with-ovs-source);
# the light build keeps libflowd and its tests, fuzzers and benchmark.
if HAVE_OVS
bin_PROGRAMS += utilities/l2mt-flowd
utilities_l2mt_flowd_SOURCES = utilities/l2mt-flowd.c \
	utilities/l2mt-flowd-cmds.c utilities/l2mt-flowd-cmds.h \
	utilities/l2mt-daemon-options.h
utilities_l2mt_flowd_CPPFLAGS = $(OVS_LIB_CPPFLAGS)
utilities_l2mt_flowd_CFLAGS = $(OVS_LIB_CFLAGS)
utilities_l2mt_flowd_LDADD = lib/flowd/libflowd-daemon.a $(FLOWD_LIBS) \
	$(METRICS_LIBS) $(OVS_LIB_LDADD)
$(utilities_l2mt_flowd_OBJECTS): | $(OVS_LIBOPENVSWITCH)

# The inventory is JSON that l2mt-agent writes with Open vSwitch's json
# library, read with the same one (lib/flowd/flowd-inventory.c): its tests and
# its fuzzer need Open vSwitch too.
check_PROGRAMS += tests/test-flowd-inventory
tests_test_flowd_inventory_CPPFLAGS = $(OVS_LIB_CPPFLAGS)
tests_test_flowd_inventory_CFLAGS = $(OVS_LIB_CFLAGS)
tests_test_flowd_inventory_LDADD = lib/flowd/libflowd-daemon.a $(FLOWD_LIBS) \
	$(OVS_LIB_LDADD)
$(tests_test_flowd_inventory_OBJECTS): | $(OVS_LIBOPENVSWITCH)
TESTS += tests/test-flowd-inventory
if ENABLE_FUZZ
# Linked with the fuzzing build of the patched tree (mk/ovs.mk's
# ovs-fuzz-build), so that its JSON parser is instrumented too.
OVS_FUZZ_LA = $(OVS_FUZZ_BUILDDIR)/lib/libopenvswitch.la
check_SCRIPTS += tests/fuzz-flowd-inventory
CLEANFILES += tests/fuzz-flowd-inventory
TESTS += tests/fuzz-flowd-inventory.sh
tests/fuzz-flowd-inventory: tests/fuzz-flowd-inventory.c \
		lib/flowd/flowd-inventory.c $(FLOWD_FUZZ_LIB) | ovs-fuzz-build
	$(AM_V_CC)$(L2MT_FUZZ_CC) $(FLOWD_FUZZ_FLAGS) \
		-I$(OVS_FUZZ_BUILDDIR)/include -o $@ \
		$(srcdir)/$@.c $(srcdir)/lib/flowd/flowd-inventory.c \
		$(addprefix $(srcdir)/,$(FLOWD_FUZZ_LIB)) \
		$(OVS_FUZZ_BUILDDIR)/lib/.libs/libopenvswitch.a \
		$$(sed -n "s|^dependency_libs='\(.*\)'|\1|p" $(OVS_FUZZ_LA) \
		   | sed 's|\([^ ]*\)/\([^/ ]*\)\.la|\1/.libs/\2.a|g') \
		$(CONF_LIBS) $(FIXBUF_LIBS) -lm -lpthread
endif
endif

check_PROGRAMS += tests/flowd-send
tests_flowd_send_LDADD = $(FLOWD_LIBS)

check_PROGRAMS += tests/test-flowd
tests_test_flowd_LDADD = $(FLOWD_LIBS)
TESTS += tests/test-flowd

check_PROGRAMS += tests/test-flowd-ipfix
tests_test_flowd_ipfix_LDADD = $(FLOWD_LIBS)
TESTS += tests/test-flowd-ipfix

# The daemon's tests (it is built only with Open vSwitch).
EXTRA_DIST += tests/flowd-lib.sh tests/flowd-daemon.sh \
	tests/test-flowd-inventory.c \
	tests/flowd-close-stall.sh tests/flowd-interval-edge.sh \
	tests/flowd-bounds.sh tests/flowd-counters.sh tests/flowd-advise.sh \
	tests/flowd-workers.sh tests/flowd-ipfix-nfdump.sh \
	tests/flowd-ipfix-tiers.sh tests/flowd-ovs-e2e.sh \
	tests/flowd-ipfix-ovs.sh tests/flowd-ipfix-pmacct.sh
if HAVE_OVS
TESTS += tests/flowd-daemon.sh tests/flowd-close-stall.sh \
	tests/flowd-interval-edge.sh tests/flowd-bounds.sh \
	tests/flowd-counters.sh tests/flowd-advise.sh tests/flowd-workers.sh \
	tests/flowd-ipfix-nfdump.sh tests/flowd-ipfix-tiers.sh \
	tests/flowd-ovs-e2e.sh tests/flowd-ipfix-ovs.sh \
	tests/flowd-ipfix-pmacct.sh
endif

# The benchmark: bench/flowd.sh prints our samples/s beside sfacctd's.
noinst_PROGRAMS += bench/flowd-bench
bench_flowd_bench_LDADD = $(FLOWD_LIBS)
EXTRA_DIST += bench/flowd.sh
bench_TARGETS += bench-flowd
bench-flowd: bench/flowd-bench$(EXEEXT)
	top_srcdir='$(abs_top_srcdir)' top_builddir='$(abs_top_builddir)' \
	    $(SHELL) $(srcdir)/bench/flowd.sh
.PHONY: bench-flowd
dist_man_MANS += utilities/l2mt-flowd.8
EXTRA_DIST += Documentation/flowd.md
EXTRA_DIST += tests/flowd-check.h tests/ipfix-sink.h \
	tests/flowd-topo-fixture.h
