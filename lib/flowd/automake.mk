# Copyright (c) 2026 The l2mt authors.
# Licensed under the Apache License, Version 2.0.
#
# lib/flowd/: l2mt-flowd's library (issue 12): sFlow and IPFIX
# decoding, topology and locality, aggregation, intervals, store,
# IPFIX export.  Exported names: flowd_ (FLOWD_ for macros).
# Headers are included as "flowd/flowd-topo.h".
#   - libflowd.a: no Open vSwitch, so the light build
#     (--with-ovs-source=no), the tests, fuzzers and the bench
#     have it;
#   - libflowd-daemon.a: the daemon (main loop, workers, recovery,
#     metrics) on Open vSwitch's libraries (mk/ovs-lib.mk), built
#     with the patched tree only.
# The programs, tests and fuzzers are in mk/flowd.mk.

noinst_LIBRARIES += lib/flowd/libflowd.a
lib_flowd_libflowd_a_SOURCES = \
	lib/flowd/flow-agg.c \
	lib/flowd/flow-agg.h \
	lib/flowd/flowd-advise.c \
	lib/flowd/flowd-advise.h \
	lib/flowd/flowd-core.c \
	lib/flowd/flowd-core.h \
	lib/flowd/flowd-file.c \
	lib/flowd/flowd-file.h \
	lib/flowd/flowd-interval.c \
	lib/flowd/flowd-interval.h \
	lib/flowd/flowd-ipfix-in.c \
	lib/flowd/flowd-ipfix-in.h \
	lib/flowd/flowd-listen.c \
	lib/flowd/flowd-listen.h \
	lib/flowd/flowd-locality.c \
	lib/flowd/flowd-locality.h \
	lib/flowd/flowd-metrics.c \
	lib/flowd/flowd-metrics.h \
	lib/flowd/flowd-output.c \
	lib/flowd/flowd-output.h \
	lib/flowd/flowd-pcap.c \
	lib/flowd/flowd-pcap.h \
	lib/flowd/flowd-plan.c \
	lib/flowd/flowd-plan.h \
	lib/flowd/flowd-rec.h \
	lib/flowd/flowd-store.c \
	lib/flowd/flowd-store.h \
	lib/flowd/flowd-table.c \
	lib/flowd/flowd-table.h \
	lib/flowd/flowd-topo.c \
	lib/flowd/flowd-topo.h \
	lib/flowd/flowd-writer.c \
	lib/flowd/flowd-writer.h \
	lib/flowd/ipfix.c \
	lib/flowd/ipfix.h \
	lib/flowd/sflow-encode.c \
	lib/flowd/sflow-encode.h \
	lib/flowd/sflow.c \
	lib/flowd/sflow.h
# libfixbuf (IPFIX collecting) needs GLib's headers.
lib_flowd_libflowd_a_CPPFLAGS = $(AM_CPPFLAGS) $(FIXBUF_CFLAGS)

if HAVE_OVS
noinst_LIBRARIES += lib/flowd/libflowd-daemon.a
lib_flowd_libflowd_daemon_a_SOURCES = \
	lib/flowd/flowd-daemon-private.h \
	lib/flowd/flowd-daemon.c \
	lib/flowd/flowd-daemon.h \
	lib/flowd/flowd-inputs.c \
	lib/flowd/flowd-inputs.h \
	lib/flowd/flowd-inventory.c \
	lib/flowd/flowd-inventory.h \
	lib/flowd/flowd-prometheus.c \
	lib/flowd/flowd-recover.c \
	lib/flowd/flowd-workers.c
lib_flowd_libflowd_daemon_a_CPPFLAGS = $(OVS_LIB_CPPFLAGS) $(FIXBUF_CFLAGS)
lib_flowd_libflowd_daemon_a_CFLAGS = $(OVS_LIB_CFLAGS)
$(lib_flowd_libflowd_daemon_a_OBJECTS): | $(OVS_LIBOPENVSWITCH)
endif
EXTRA_DIST += lib/flowd/automake.mk
