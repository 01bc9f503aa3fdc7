# Configure checks for the Open vSwitch component.
#
# --with-ovs-source=TARBALL|DIR|no selects the Open vSwitch 3.1.0 source the
# build patches with vswitchd-patches/ and builds in $(top_builddir)/_ovs.
# Tests find the patched binaries through $L2MT_OVS_BUILDDIR (same layout as
# an OVS build tree: vswitchd/ovs-vswitchd, ovsdb/ovsdb-server,
# utilities/ovs-vsctl, ...).  HAVE_OVS guards everything that needs them.
AC_DEFUN([L2MT_CHECK_OVS], [
  AC_ARG_WITH([ovs-source],
    [AS_HELP_STRING([--with-ovs-source=TARBALL|DIR|no],
      [Open vSwitch 3.1.0 source to patch and build
       @<:@default=/usr/src/openvswitch/openvswitch.tar.gz@:>@])],
    [], [with_ovs_source=/usr/src/openvswitch/openvswitch.tar.gz])
  AS_IF([test "$with_ovs_source" != no && test ! -e "$with_ovs_source"],
    [AC_MSG_ERROR([Open vSwitch source $with_ovs_source not found: install Debian's openvswitch-source package, pass --with-ovs-source=TARBALL|DIR, or --with-ovs-source=no])])
  dnl The build runs from other directories: make the path absolute.
  AS_CASE([$with_ovs_source],
    [no|/*], [],
    [with_ovs_source=`pwd`/$with_ovs_source])
  OVS_SOURCE=$with_ovs_source
  AC_SUBST([OVS_SOURCE])
  dnl What make watches for a changed source: the tarball, or a tree's
  dnl configure.ac.
  AS_IF([test -d "$with_ovs_source"],
    [OVS_SOURCE_DEP=$with_ovs_source/configure.ac],
    [OVS_SOURCE_DEP=$with_ovs_source])
  AC_SUBST([OVS_SOURCE_DEP])
  AS_IF([test "$with_ovs_source" != no],
    [AC_PATH_PROG([AUTOM4TE], [autom4te])
     AS_IF([test -z "$AUTOM4TE"],
       [AC_MSG_ERROR([autom4te (autoconf) is needed to build the Open vSwitch test suite])])])
  AM_CONDITIONAL([HAVE_OVS], [test "$with_ovs_source" != no])

  dnl AF_XDP ports, as in Debian's own openvswitch-switch (OVS's configure
  dnl then needs libxdp, libbpf and libnuma).
  AC_ARG_ENABLE([afxdp],
    [AS_HELP_STRING([--disable-afxdp],
      [build Open vSwitch without AF_XDP ports @<:@default: with them, as
       Debian's openvswitch-switch; needs libxdp, libbpf, libnuma@:>@])],
    [], [enable_afxdp=yes])
  AS_IF([test "$enable_afxdp" != no && test "$with_ovs_source" != no],
    [PKG_CHECK_EXISTS([libxdp libbpf], [],
       [AC_MSG_ERROR([AF_XDP ports need libxdp and libbpf (Debian: libxdp-dev libbpf-dev libnuma-dev); or configure --disable-afxdp])])
     OVS_AFXDP_ARGS=--enable-afxdp],
    [OVS_AFXDP_ARGS=])
  AC_SUBST([OVS_AFXDP_ARGS])

  dnl The DPDK ovs-vswitchd (l2mt-openvswitch-dpdk, bench/pmd): a second
  dnl patched tree, _ovs-dpdk, configured --with-dpdk=shared.
  AC_ARG_WITH([ovs-dpdk],
    [AS_HELP_STRING([--with-ovs-dpdk=yes|no|check],
      [also build the DPDK ovs-vswitchd in _ovs-dpdk (DPDK from
       pkg-config's libdpdk, Debian dpdk-dev) @<:@default=check@:>@])],
    [], [with_ovs_dpdk=check])
  AS_IF([test "$with_ovs_source" = no], [with_ovs_dpdk=no])
  AS_CASE([$with_ovs_dpdk],
    [check], [PKG_CHECK_EXISTS([libdpdk], [with_ovs_dpdk=yes],
                               [with_ovs_dpdk=no])],
    [yes], [PKG_CHECK_EXISTS([libdpdk], [],
              [AC_MSG_ERROR([--with-ovs-dpdk needs DPDK's libdpdk.pc (Debian: dpdk-dev)])])])
  AC_MSG_CHECKING([whether to build the DPDK ovs-vswitchd])
  AC_MSG_RESULT([$with_ovs_dpdk])
  AM_CONDITIONAL([HAVE_OVS_DPDK], [test "$with_ovs_dpdk" = yes])
])
