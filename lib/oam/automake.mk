# Copyright (c) 2026 The l2mt authors.
# Licensed under the Apache License, Version 2.0.
#
# OAM (issue 16): lib/oam/liboam.a, the trace of a tenant's packet through
# this host's switches, on Open vSwitch's libraries (unixctl client, json,
# flow parsing and composing) and the translator core.  l2mt-trace is its
# command; the agent can link it for a unixctl "trace" command.

EXTRA_DIST += lib/oam/automake.mk Documentation/oam.md \
	tests/oam-trace.sh tests/oam-bfd.sh tests/oam-hops.py \
	tests/oam-probe.sh tests/oam-metrics.py tests/oam-fleet.sh \
	tests/oam-fleet-trace.sh tests/oam-send.py
dist_man_MANS += utilities/l2mt-trace.8
if HAVE_OVS
noinst_LIBRARIES += lib/oam/liboam.a
lib_oam_liboam_a_SOURCES = \
	lib/oam/oam-report.c \
	lib/oam/oam-switch.c \
	lib/oam/oam-switch.h \
	lib/oam/oam-trace.c \
	lib/oam/oam-trace.h
lib_oam_liboam_a_CPPFLAGS = $(OVS_LIB_CPPFLAGS)
# Open vSwitch's packet headers (packets.h, dp-packet.h) compare int with
# size_t; its own build does not warn about that either.
lib_oam_liboam_a_CFLAGS = $(AM_CFLAGS) -Wno-sign-compare
$(lib_oam_liboam_a_OBJECTS): | $(OVS_LIBOPENVSWITCH)

bin_PROGRAMS += utilities/l2mt-trace
utilities_l2mt_trace_SOURCES = utilities/l2mt-trace.c
# With --fleet, a client of the fleet database (lib/fleet).
utilities_l2mt_trace_CPPFLAGS = $(FLEET_CPPFLAGS)
utilities_l2mt_trace_LDADD = lib/oam/liboam.a $(FLEET_LDADD)
$(utilities_l2mt_trace_OBJECTS): | $(OVS_LIBOPENVSWITCH) $(FLEET_IDL)

# Against real ovs-vswitchd in namespaces (the multi-tenant rig).
TESTS += tests/oam-trace.sh tests/oam-bfd.sh tests/oam-probe.sh \
	tests/oam-fleet.sh tests/oam-fleet-trace.sh
endif
