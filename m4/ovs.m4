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
])
