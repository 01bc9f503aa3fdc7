# Files of the ovs component.
#
# With --with-ovs-source, 'make' builds a patched Open vSwitch 3.1.0 in
# $(OVS_BUILDDIR): tools/ovs-prepare unpacks the source and applies
# vswitchd-patches/series, OVS's own configure and make build it, linked
# with the translator core lib/nat64/libnat64.a.  'make check' runs our autotest
# suite tests/ovs-*.at against that build.

# The patch series, in the order of vswitchd-patches/series
# (tests/ovs-series checks that the two agree).
ovs_patches = \
	vswitchd-patches/0001-ovs-thread-count-CPU-cores-on-the-first-call-after-b.patch \
	vswitchd-patches/0002-datapath-add-the-nat64-datapath-action-and-its-text-.patch \
	vswitchd-patches/0003-odp-execute-execute-the-nat64-action-with-the-l2mt-t.patch \
	vswitchd-patches/0004-nat64-action-count-translated-passed-and-dropped-fra.patch \
	vswitchd-patches/0005-ofp-actions-add-the-nat64-OpenFlow-action-NXAST-subt.patch \
	vswitchd-patches/0006-ofproto-dpif-probe-the-datapath-for-nat64-fall-back-.patch \
	vswitchd-patches/0007-ofproto-dpif-xlate-translate-nat64-to-the-datapath-a.patch \
	vswitchd-patches/0008-ofproto-dpif-add-ovs-appctl-nat64-show-BRIDGE.patch \
	vswitchd-patches/0009-ovs-actions-7-document-the-nat64-action.patch \
	vswitchd-patches/0010-python-parse-the-nat64-action-in-OpenFlow-and-datapa.patch \
	vswitchd-patches/0011-ofproto-dpif-show-the-l2mt-kernel-module-s-counters-.patch \
	vswitchd-patches/0012-nat64-action-count-per-thread-no-lock-on-the-packet-.patch \
	vswitchd-patches/0013-nat64-optional-MTUs-of-both-sides-mtu6-N-mtu4-N-RFC-.patch \
	vswitchd-patches/0014-nat64-DF-0-IPv4-packets-leave-as-IPv6-fragments-thro.patch \
	vswitchd-patches/0015-nat64-one-set-of-prefix-rules-the-translator-core-s-.patch \
	vswitchd-patches/0016-nat64-count-per-tunnel-key-too-ovs-appctl-nat64-show.patch

# The autotest suite: our test cases with OVS's macros.
ovs_testsuite_at = \
	tests/ovs-testsuite.at \
	tests/ovs-nat64-macros.at \
	tests/ovs-nat64-parse.at \
	tests/ovs-nat64-xlate.at \
	tests/ovs-nat64-frames.at \
	tests/ovs-nat64-slowpath.at \
	tests/ovs-nat64-pmd.at \
	tests/ovs-nat64-keys.at \
	tests/ovs-nat64-conform.at

EXTRA_DIST += \
	vswitchd-patches/series \
	vswitchd-patches/README.md \
	$(ovs_patches) \
	tools/ovs-prepare \
	tools/ovs-series-renumber \
	tools/ovs-configure \
	$(ovs_testsuite_at) \
	tests/ovs-series \
	tests/ovs-nat64 \
	tests/ovs-nat64-cmp.py \
	tests/ovs-python-flow \
	tests/ovs-fuzz \
	bench/pmd \
	Documentation/performance.md \
	bench/tayga-rate

# Light test, also in distcheck: the series is complete and ovs-prepare
# refuses trees it cannot patch.
TESTS += tests/ovs-series

if HAVE_OVS
OVS_BUILDDIR = _ovs

all-local: ovs-build $(OVS_DPDK_ALL)

# Unpack and patch again when the source, the series or a patch changes;
# ovs-prepare only rewrites files that changed, so the rebuild is
# incremental.  (The same for the fuzzing tree below.)
$(OVS_BUILDDIR)/.l2mt-series $(OVS_FUZZ_BUILDDIR)/.l2mt-series \
$(OVS_DPDK_BUILDDIR)/.l2mt-series: \
		$(wildcard $(OVS_SOURCE_DEP)) \
		$(srcdir)/vswitchd-patches/series \
		$(addprefix $(srcdir)/,$(ovs_patches)) $(srcdir)/tools/ovs-prepare
	$(AM_V_GEN)$(SHELL) $(srcdir)/tools/ovs-prepare '$(OVS_SOURCE)' \
		$(srcdir)/vswitchd-patches $(@D)

# The l2mt libraries OVS links: the translator core (lib/nat64) and the
# prefix parser all l2mt tools share (lib/conf's l2mt-prefix: only that
# object of the archive is linked), built here, never copied.  OVS's make
# is incremental and relinks when they change.
OVS_L2MT_LIBS = $(abs_top_builddir)/lib/conf/libconf.a \
	$(abs_top_builddir)/lib/nat64/libnat64.a
# Only these folders are on OVS's include path: l2mt's other headers
# cannot shadow OVS's.  datapath/ holds l2mt_genl.h, the kernel module's
# counters family.
OVS_L2MT_CPPFLAGS = -I$(abs_top_srcdir)/lib/nat64 \
	-I$(abs_top_srcdir)/lib/conf -I$(abs_top_srcdir)/datapath
OVS_CONFIGURE_ARGS = CPPFLAGS='$(OVS_L2MT_CPPFLAGS)' LIBS='$(OVS_L2MT_LIBS)'

ovs-build: $(OVS_BUILDDIR)/.l2mt-series $(CONF_LIBS)
	$(AM_V_at)$(SHELL) $(srcdir)/tools/ovs-configure $(OVS_BUILDDIR) \
		$(OVS_AFXDP_ARGS) $(OVS_CONFIGURE_ARGS)
	+$(AM_V_at)$(MAKE) -C $(OVS_BUILDDIR) \
		EXTRA_lib_libopenvswitch_la_DEPENDENCIES='$(OVS_L2MT_LIBS)'
.PHONY: ovs-build

# $(call ovs_built_sources,DIR): makes OVS's generated sources in DIR
# (odp-netlink.h, ...), which OVS's make builds first only for 'all':
# for the trees of which only some programs are built.
ovs_built_sources = \
	$(AM_V_at)echo 'l2mt-built-sources: $$(BUILT_SOURCES)' > $(1)/l2mt-built.mk && \
	$(MAKE) -C $(1) -f Makefile -f l2mt-built.mk l2mt-built-sources

# The DPDK ovs-vswitchd (l2mt-openvswitch-dpdk, bench/pmd): the same
# patched source configured --with-dpdk=shared in a tree of its own, of
# which only ovs-vswitchd is built (its libraries, not the other programs,
# the test tools or the docs: every other file of the DPDK package is the
# one _ovs built).
OVS_DPDK_BUILDDIR = _ovs-dpdk
if HAVE_OVS_DPDK
OVS_DPDK_ALL = ovs-dpdk-build
ovs-dpdk-build: $(OVS_DPDK_BUILDDIR)/.l2mt-series $(CONF_LIBS)
	$(AM_V_at)$(SHELL) $(srcdir)/tools/ovs-configure $(OVS_DPDK_BUILDDIR) \
		--with-dpdk=shared $(OVS_AFXDP_ARGS) $(OVS_CONFIGURE_ARGS)
	+$(call ovs_built_sources,$(OVS_DPDK_BUILDDIR))
	+$(AM_V_at)$(MAKE) -C $(OVS_DPDK_BUILDDIR) \
		EXTRA_lib_libopenvswitch_la_DEPENDENCIES='$(OVS_L2MT_LIBS)' \
		vswitchd/ovs-vswitchd
.PHONY: ovs-dpdk-build

# bench/pmd: nat64's cycles per packet on a DPDK PMD thread ('make bench').
bench_TARGETS += bench-pmd
bench-pmd: ovs-dpdk-build
	@$(AM_TESTS_ENVIRONMENT) \
	L2MT_OVS_DPDK_BUILDDIR='$(abs_top_builddir)/$(OVS_DPDK_BUILDDIR)' \
	$(SHELL) $(srcdir)/bench/pmd
.PHONY: bench-pmd
endif

# The autotest suite, generated with OVS's tests/ on the include path.
tests/ovs-testsuite: $(ovs_testsuite_at) $(OVS_BUILDDIR)/.l2mt-series
	$(AM_V_GEN)$(MKDIR_P) tests && $(AUTOM4TE) -l autotest \
		-I $(srcdir) -I $(OVS_BUILDDIR) \
		$(srcdir)/tests/ovs-testsuite.at -o $@.tmp && \
		chmod +x $@.tmp && mv $@.tmp $@
check_SCRIPTS += tests/ovs-testsuite
CLEANFILES += tests/ovs-testsuite

TESTS += tests/ovs-nat64 tests/ovs-python-flow

OVS_FUZZ_BUILDDIR = _ovs-fuzz
if ENABLE_FUZZ
# The nat64 parsers are fuzzed with Open vSwitch's own libFuzzer targets:
# ofctl_parse_target (flows and actions as text: nat64 arguments, prefixes,
# the consistency check), odp_target (datapath actions as text) and
# ofp_print_target (OpenFlow messages: NXAST_NAT64 decoding and formatting).
# They need a second patched tree built by clang with the fuzzer and
# sanitizers; tests/ovs-fuzz runs each target briefly.
OVS_FUZZ_TARGETS = odp_target ofctl_parse_target ofp_print_target
OVS_FUZZ_SANITIZERS = -fsanitize=address,undefined

# Only the generated sources, the library and the targets are built; the
# targets link without OVS's -lc++ (Debian has no libc++ to link against).
ovs-fuzz-build: $(OVS_FUZZ_BUILDDIR)/.l2mt-series $(CONF_LIBS)
	$(AM_V_at)$(SHELL) $(srcdir)/tools/ovs-configure $(OVS_FUZZ_BUILDDIR) \
		CC='$(L2MT_FUZZ_CC)' \
		CFLAGS='-g -O1 -fno-omit-frame-pointer -fsanitize=fuzzer-no-link $(OVS_FUZZ_SANITIZERS)' \
		LDFLAGS='$(OVS_FUZZ_SANITIZERS)' $(OVS_CONFIGURE_ARGS)
	+$(call ovs_built_sources,$(OVS_FUZZ_BUILDDIR))
	+$(AM_V_at)$(MAKE) -C $(OVS_FUZZ_BUILDDIR) \
		EXTRA_lib_libopenvswitch_la_DEPENDENCIES='$(OVS_L2MT_LIBS)' \
		$(foreach t,$(OVS_FUZZ_TARGETS),tests/oss-fuzz/$(t) \
		  tests_oss_fuzz_$(t)_LDFLAGS='-fsanitize=fuzzer $(OVS_FUZZ_SANITIZERS)')
.PHONY: ovs-fuzz-build
check_SCRIPTS += ovs-fuzz-build
TESTS += tests/ovs-fuzz
endif

ovs-clean:
	rm -rf $(OVS_BUILDDIR) $(OVS_BUILDDIR).tmp $(OVS_FUZZ_BUILDDIR) \
		$(OVS_FUZZ_BUILDDIR).tmp $(OVS_DPDK_BUILDDIR) \
		$(OVS_DPDK_BUILDDIR).tmp
clean_LOCAL += ovs-clean
.PHONY: ovs-clean
endif
