# The fleet: one clustered l2mt database (lib/fleet/l2mt.ovsschema, see
# l2mt-db(5)) for every hypervisor, l2mt-ctl to write it, and lib/fleet to
# follow it from a host.  Built on Open vSwitch's ovsdb IDL, so only where
# the patched tree is (mk/ovs-lib.mk).

EXTRA_DIST += lib/fleet/l2mt-idl.ann \
	tests/fleet-lib.sh \
	tests/fleet-ctl.sh \
	tests/fleet-cluster.sh \
	tests/fleet-agent.sh \
	tests/fleet-hosts.sh \
	tests/fleet-flowd.sh \
	tests/conf/fleet.conf
dist_man_MANS += lib/fleet/l2mt-db.5 utilities/l2mt-ctl.8 \
	utilities/l2mt-central.8
# One member of the database's cluster (the l2mt-central packages).
dist_sbin_SCRIPTS = utilities/l2mt-central
EXTRA_DIST += Documentation/fleet.md
# l2mt-central creates its database from it.
dist_pkgdata_DATA = lib/fleet/l2mt.ovsschema

if HAVE_OVS
# The typed IDL, generated from the schema at build time (never committed),
# as OVS's own Makefiles do it.
FLEET_IDLC = PYTHONPATH=$(abs_top_builddir)/$(OVS_BUILDDIR)/python \
	/usr/bin/python3 $(abs_top_builddir)/$(OVS_BUILDDIR)/ovsdb/ovsdb-idlc.in
# (ovsdb-idlc and its python library: the patched tree, not its build.)
lib/fleet/l2mt-idl.ovsidl: $(srcdir)/lib/fleet/l2mt.ovsschema \
		$(srcdir)/lib/fleet/l2mt-idl.ann | $(OVS_BUILDDIR)/.l2mt-series
	$(AM_V_GEN)$(MKDIR_P) lib/fleet && $(FLEET_IDLC) annotate \
	  $(srcdir)/lib/fleet/l2mt.ovsschema $(srcdir)/lib/fleet/l2mt-idl.ann \
	  > $@.tmp && mv $@.tmp $@
lib/fleet/l2mt-idl.c: lib/fleet/l2mt-idl.ovsidl
	$(AM_V_GEN)$(FLEET_IDLC) c-idl-source $< > $@.tmp && mv $@.tmp $@
lib/fleet/l2mt-idl.h: lib/fleet/l2mt-idl.ovsidl
	$(AM_V_GEN)$(FLEET_IDLC) c-idl-header $< > $@.tmp && mv $@.tmp $@
FLEET_IDL = lib/fleet/l2mt-idl.c lib/fleet/l2mt-idl.h
CLEANFILES += $(FLEET_IDL) lib/fleet/l2mt-idl.ovsidl

FLEET_CPPFLAGS = $(OVS_LIB_CPPFLAGS) -I$(top_builddir)/lib
FLEET_LDADD = lib/fleet/libfleet.a lib/conf/libconf.a $(OVS_LIBOVSDB) \
	$(OVS_LIB_LDADD)

noinst_LIBRARIES += lib/fleet/libfleet.a
nodist_lib_fleet_libfleet_a_SOURCES = $(FLEET_IDL)
lib_fleet_libfleet_a_SOURCES = \
	lib/fleet/fleet-text.c \
	lib/fleet/fleet-text.h \
	lib/fleet/fleet-import.c \
	lib/fleet/fleet-import.h \
	lib/fleet/fleet-follow.c \
	lib/fleet/fleet-follow.h \
	lib/fleet/fleet-persist.c \
	lib/fleet/fleet-rows.c \
	lib/fleet/fleet-rows.h \
	lib/fleet/fleet-persist.h \
	lib/fleet/fleet-inventory.c \
	lib/fleet/fleet-inventory.h \
	lib/fleet/fleet-trace.c \
	lib/fleet/fleet-trace.h
lib_fleet_libfleet_a_CPPFLAGS = $(FLEET_CPPFLAGS)
# (Open vSwitch's vlog macros need it.)
lib_fleet_libfleet_a_CFLAGS = $(OVS_LIB_CFLAGS)
$(lib_fleet_libfleet_a_OBJECTS): | $(OVS_LIBOPENVSWITCH) $(FLEET_IDL)

bin_PROGRAMS += utilities/l2mt-ctl
utilities_l2mt_ctl_SOURCES = utilities/l2mt-ctl.c
utilities_l2mt_ctl_CPPFLAGS = $(FLEET_CPPFLAGS)
utilities_l2mt_ctl_LDADD = $(FLEET_LDADD)
$(utilities_l2mt_ctl_OBJECTS): | $(OVS_LIBOPENVSWITCH) $(FLEET_IDL)

# Follows the database as one host and prints its config (the dump of
# tests/test-conf), acknowledging every generation.
check_PROGRAMS += tests/test-fleet-follow
tests_test_fleet_follow_SOURCES = tests/test-fleet-follow.c \
	tests/conf-dump.c tests/conf-dump.h
tests_test_fleet_follow_CPPFLAGS = $(FLEET_CPPFLAGS) -I$(top_srcdir)/tests
tests_test_fleet_follow_LDADD = $(FLEET_LDADD)
$(tests_test_fleet_follow_OBJECTS): | $(OVS_LIBOPENVSWITCH) $(FLEET_IDL)

TESTS += tests/fleet-ctl.sh tests/fleet-cluster.sh tests/fleet-agent.sh \
	tests/fleet-hosts.sh tests/fleet-flowd.sh
endif
