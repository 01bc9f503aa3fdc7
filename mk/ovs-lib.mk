# Programs built on Open vSwitch's own libraries, as OVN's are: vlog,
# daemon, unixctl, json, poll-loop, coverage, ovsdb-idl, db-ctl-base.
# They compile against the patched tree's headers and its config.h (whose
# feature macros, atomics and threads among them, must match how
# libopenvswitch was built: our own config.h does not define them), and
# link its libtool archives, which carry their own dependencies.  Only
# where that tree is built (--with-ovs-source); the light build keeps the
# programs that do not need it.
#
# A program FOO built on them:
#	FOO_CPPFLAGS = $(OVS_LIB_CPPFLAGS)
#	FOO_CFLAGS = $(OVS_LIB_CFLAGS)
#	FOO_LDADD = <l2mt archives> $(OVS_LIB_LDADD)
#	  (with $(OVS_LIBOVSDB) before $(OVS_LIB_LDADD) for database clients)
#	$(FOO_OBJECTS): | $(OVS_LIBOPENVSWITCH)
# Its sources include <config.h> (OVS's) first, and print L2MT_VERSION as
# their own version.  l2mt's lib/ comes first on the include path
# (flowd's sFlow decoder is "flowd/sflow.h", apart from Open
# vSwitch's own sflow.h).
if HAVE_OVS
OVS_LIB_CPPFLAGS = $(L2MT_INCLUDES) -I$(abs_top_builddir)/$(OVS_BUILDDIR) \
	-I$(abs_top_builddir)/$(OVS_BUILDDIR)/include \
	-I$(abs_top_builddir)/$(OVS_BUILDDIR)/lib \
	-DL2MT_VERSION='"$(PACKAGE_VERSION)"'
# OVS's headers compare signed and unsigned (vlog.h's VLOG()); OVS builds
# itself with -Wno-sign-compare, and so must their users under -Werror.
OVS_LIB_CFLAGS = $(AM_CFLAGS) -Wno-sign-compare
OVS_LIBOPENVSWITCH = $(OVS_BUILDDIR)/lib/libopenvswitch.la
OVS_LIBOVSDB = $(OVS_BUILDDIR)/ovsdb/libovsdb.la
# libopenvswitch calls into the translator core (the nat64 action).
OVS_LIB_LDADD = $(OVS_LIBOPENVSWITCH) $(CONF_LIBS)

# The archives (and the generated headers beside them) are made by the
# tree's own make, which is incremental.
$(OVS_LIBOPENVSWITCH) $(OVS_LIBOVSDB): ovs-build
	@:

# A check that the foundation links and runs: OVS's vlog and json from an
# l2mt program.
check_PROGRAMS += tests/test-ovs-lib
tests_test_ovs_lib_SOURCES = tests/test-ovs-lib.c
tests_test_ovs_lib_CPPFLAGS = $(OVS_LIB_CPPFLAGS)
tests_test_ovs_lib_LDADD = $(OVS_LIBOVSDB) $(OVS_LIB_LDADD)
$(tests_test_ovs_lib_OBJECTS): | $(OVS_LIBOPENVSWITCH)
TESTS += tests/test-ovs-lib
endif
EXTRA_DIST += tests/test-ovs-lib.c
