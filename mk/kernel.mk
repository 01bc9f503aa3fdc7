# Files of the kernel component.
#
# datapath/build-module builds openvswitch.ko with the nat64 action (and
# the vport-gre/vxlan/geneve modules) in $(KMOD_OUT) from Debian's Linux
# source, datapath/patches/ and the translator core in lib/nat64/.  The qemu tests
# boot Debian's kernel with those modules (tests/kernel-*.sh).

datapath_patches = \
	datapath/patches/0001-uapi-nat64-action.patch \
	datapath/patches/0002-flow-netlink-validate-nat64.patch \
	datapath/patches/0003-actions-execute-nat64.patch \
	datapath/patches/0004-datapath-nat64-counters.patch \
	datapath/patches/0005-datapath-nat64-counters-per-dp.patch \
	datapath/patches/0006-nat64-mtu.patch \
	datapath/patches/0007-nat64-fragments.patch
datapath_sources = \
	datapath/Kbuild \
	datapath/build-module \
	datapath/l2mt_action.c \
	datapath/l2mt_action.h \
	datapath/l2mt_counters.c \
	datapath/l2mt_genl.h \
	datapath/patches/series \
	$(datapath_patches)
EXTRA_DIST += $(datapath_sources) datapath/README.md

# l2mt-dpctl: the module's counters, over generic netlink.
if HAVE_LIBMNL
bin_PROGRAMS += utilities/l2mt-dpctl
utilities_l2mt_dpctl_SOURCES = utilities/l2mt-dpctl.c
utilities_l2mt_dpctl_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/datapath \
	$(MNL_CFLAGS)
utilities_l2mt_dpctl_LDADD = $(MNL_LIBS)
endif
dist_man_MANS += utilities/l2mt-dpctl.8
TESTS += tests/kernel-dpctl.sh
EXTRA_DIST += tests/kernel-dpctl.sh tests/kernel-patches.sh

# The guest's client, server and frame injector.
check_PROGRAMS += tests/kernel-probe
tests_kernel_probe_SOURCES = tests/kernel-probe.c tests/kernel-probe-flow.c \
	tests/kernel-probe-flow.h

kernel_tests = \
	tests/kernel-multitenant.sh \
	tests/kernel-stock.sh \
	tests/kernel-malformed.sh \
	tests/kernel-netns.sh \
	tests/kernel-ipsec.sh \
	tests/kernel-conform.sh \
	tests/kernel-frag.sh \
	tests/kernel-jool.sh
EXTRA_DIST += $(kernel_tests) tests/kernel-lib.sh tests/kernel-guest.sh \
	tests/kernel-jool-lib.sh bench/kernel.sh bench/kernel-jool.sh \
	bench/build-jool

KMOD_OUT = $(abs_top_builddir)/_kmod
JOOL_OUT = $(abs_top_builddir)/_jool
AM_TESTS_ENVIRONMENT += \
	L2MT_KVER='$(L2MT_KVER)'; export L2MT_KVER; \
	L2MT_KMOD_DIR='$(KMOD_OUT)/net/openvswitch'; export L2MT_KMOD_DIR; \
	L2MT_KERNEL_MISSING='$(L2MT_KERNEL_MISSING)'; \
	export L2MT_KERNEL_MISSING; \
	L2MT_LINUX_SOURCE='$(L2MT_LINUX_SOURCE)'; export L2MT_LINUX_SOURCE; \
	L2MT_JOOL_DIR='$(JOOL_OUT)'; export L2MT_JOOL_DIR;

if ENABLE_KERNEL
# Rebuilt when our files or the translator core change.
kmod_deps = $(addprefix $(top_srcdir)/,$(datapath_sources)) \
	$(wildcard $(top_srcdir)/lib/nat64/*.[ch])
_kmod/stamp: $(kmod_deps)
	$(AM_V_GEN)if test -n "$(L2MT_KERNEL_MISSING)"; then \
	  echo "kernel module not built: $(L2MT_KERNEL_MISSING)"; \
	else \
	  $(top_srcdir)/datapath/build-module --srcdir=$(top_srcdir) \
	    --source='$(L2MT_LINUX_SOURCE)' --kbuild='$(L2MT_KBUILD)' \
	    --out=$(KMOD_OUT) > _kmod.log 2>&1 || \
	    { cat _kmod.log; exit 1; }; \
	  touch $@; \
	fi
kmod: _kmod/stamp
check_SCRIPTS += _kmod/stamp

# Jool's SIIT modules for the same guest kernel, from Debian's jool-dkms
# source (tests/kernel-jool.sh, bench/kernel-jool.sh compare them with
# ours).  Without jool-dkms nothing is built and those skip.
_jool/stamp: $(top_srcdir)/bench/build-jool
	$(AM_V_GEN)if test -n "$(L2MT_KERNEL_MISSING)"; then \
	  echo "Jool not built: $(L2MT_KERNEL_MISSING)"; \
	elif ! ls -d /usr/src/jool-dkms-* > /dev/null 2>&1; then \
	  echo "Jool not built: no /usr/src/jool-dkms-* (see tools/deps/kernel)"; \
	else \
	  $(top_srcdir)/bench/build-jool --out=$(JOOL_OUT) \
	    --kbuild='$(L2MT_KBUILD)' > _jool.log 2>&1 || \
	    { cat _jool.log; exit 1; }; \
	  touch $@; \
	fi
jool-kmod: _jool/stamp
check_SCRIPTS += _jool/stamp
TESTS += tests/kernel-patches.sh

if HAVE_OVS
TESTS += $(kernel_tests)
endif

bench-kernel: _kmod/stamp tests/kernel-probe
	$(AM_TESTS_ENVIRONMENT) $(top_srcdir)/bench/kernel.sh
bench_TARGETS += bench-kernel

bench-kernel-jool: _kmod/stamp _jool/stamp tests/kernel-probe
	$(AM_TESTS_ENVIRONMENT) $(top_srcdir)/bench/kernel-jool.sh
bench_TARGETS += bench-kernel-jool
endif
clean_LOCAL += clean-kmod
clean-kmod:
	rm -rf _kmod _kmod.log _jool _jool.log
.PHONY: kmod jool-kmod clean-kmod bench-kernel bench-kernel-jool
