# Files of the ovs component.
#
# With --with-ovs-source, 'make' builds a patched Open vSwitch 3.1.0 in
# $(OVS_BUILDDIR): tools/ovs-prepare unpacks the source and applies
# vswitchd-patches/series, OVS's own configure and make build it, linked
# with the translator core lib/libnat64.a.  'make check' runs our autotest
# suite tests/ovs-*.at against that build.

# The patch series, in the order of vswitchd-patches/series
# (tests/ovs-series checks that the two agree).
ovs_patches = \
	vswitchd-patches/0001-datapath-add-the-nat64-action-executed-by-the-l2mt-t.patch \
	vswitchd-patches/0002-ofp-actions-add-the-nat64-OpenFlow-action-NXAST-subt.patch \
	vswitchd-patches/0003-ofproto-dpif-xlate-translate-nat64-to-the-datapath-a.patch \
	vswitchd-patches/0004-ofproto-dpif-probe-the-datapath-for-nat64-fall-back-.patch \
	vswitchd-patches/0005-ofproto-dpif-add-ovs-appctl-nat64-show-BRIDGE.patch \
	vswitchd-patches/0006-ovs-actions-7-document-the-nat64-action.patch \
	vswitchd-patches/0007-python-parse-the-nat64-action-in-OpenFlow-and-datapa.patch

# The autotest suite: our test cases with OVS's macros.
ovs_testsuite_at = \
	tests/ovs-testsuite.at \
	tests/ovs-nat64-macros.at \
	tests/ovs-nat64-parse.at \
	tests/ovs-nat64-xlate.at \
	tests/ovs-nat64-frames.at

EXTRA_DIST += \
	vswitchd-patches/series \
	vswitchd-patches/README.md \
	$(ovs_patches) \
	tools/ovs-prepare \
	$(ovs_testsuite_at) \
	tests/ovs-series \
	tests/ovs-nat64 \
	tests/ovs-nat64-cmp.py \
	tests/ovs-python-flow

# Light test, also in distcheck: the series is complete and ovs-prepare
# refuses trees it cannot patch.
TESTS += tests/ovs-series

if HAVE_OVS
OVS_BUILDDIR = _ovs
L2MT_NAT64_LIB = lib/libnat64.a

all-local: ovs-build

# Unpack and patch again when the source, the series or a patch changes;
# ovs-prepare only rewrites files that changed, so the rebuild is
# incremental.
$(OVS_BUILDDIR)/.l2mt-series: $(wildcard $(OVS_SOURCE_DEP)) \
		$(srcdir)/vswitchd-patches/series \
		$(addprefix $(srcdir)/,$(ovs_patches)) $(srcdir)/tools/ovs-prepare
	$(AM_V_GEN)$(SHELL) $(srcdir)/tools/ovs-prepare '$(OVS_SOURCE)' \
		$(srcdir)/vswitchd-patches $(OVS_BUILDDIR)

# Configure once (ovs-prepare may have started the tree afresh): OVS's make
# reconfigures by itself when it must.  The translator core is the one this
# tree builds, never a copy; OVS's make is incremental and relinks when the
# core changes.
ovs-build: $(OVS_BUILDDIR)/.l2mt-series $(L2MT_NAT64_LIB)
	$(AM_V_at)if test ! -f $(OVS_BUILDDIR)/config.status; then \
	    echo "  CONFIGURE $(OVS_BUILDDIR)"; \
	    (cd $(OVS_BUILDDIR) && ./configure -q --enable-silent-rules \
		CPPFLAGS='-I$(abs_top_srcdir)/lib' \
		LIBS='$(abs_top_builddir)/$(L2MT_NAT64_LIB)') \
	    || { echo "configuring Open vSwitch failed: see $(OVS_BUILDDIR)/config.log" >&2; exit 1; }; \
	fi
	+$(AM_V_at)$(MAKE) -C $(OVS_BUILDDIR) \
		EXTRA_lib_libopenvswitch_la_DEPENDENCIES='$(abs_top_builddir)/$(L2MT_NAT64_LIB)'
.PHONY: ovs-build

# The autotest suite, generated with OVS's tests/ on the include path.
tests/ovs-testsuite: $(ovs_testsuite_at) $(OVS_BUILDDIR)/.l2mt-series
	$(AM_V_GEN)$(MKDIR_P) tests && $(AUTOM4TE) -l autotest \
		-I $(srcdir) -I $(OVS_BUILDDIR) \
		$(srcdir)/tests/ovs-testsuite.at -o $@.tmp && \
		chmod +x $@.tmp && mv $@.tmp $@
check_SCRIPTS += tests/ovs-testsuite
CLEANFILES += tests/ovs-testsuite

TESTS += tests/ovs-nat64 tests/ovs-python-flow

ovs-clean:
	rm -rf $(OVS_BUILDDIR) $(OVS_BUILDDIR).tmp
clean_LOCAL += ovs-clean
.PHONY: ovs-clean
endif
