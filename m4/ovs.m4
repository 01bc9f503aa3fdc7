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
  OVS_SOURCE=$with_ovs_source
  AC_SUBST([OVS_SOURCE])
  AM_CONDITIONAL([HAVE_OVS], [test "$with_ovs_source" != no])
])
