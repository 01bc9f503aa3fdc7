# Copyright (c) 2026 The l2mt authors.
# Licensed under the Apache License, Version 2.0.
#
# lib/metrics/libmetrics.a: the Prometheus endpoint that every l2mt daemon
# serves (l2mt-flowd, l2mt-agent), on GNU libmicrohttpd.  It needs no Open
# vSwitch, so the light build has it too.

noinst_LIBRARIES += lib/metrics/libmetrics.a
lib_metrics_libmetrics_a_SOURCES = \
	lib/metrics/metrics-server.c \
	lib/metrics/metrics-server.h
lib_metrics_libmetrics_a_CPPFLAGS = $(AM_CPPFLAGS) $(MHD_CFLAGS)
METRICS_LIBS = lib/metrics/libmetrics.a $(MHD_LIBS)

check_PROGRAMS += tests/test-metrics-server
tests_test_metrics_server_SOURCES = tests/test-metrics-server.c
tests_test_metrics_server_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/lib/metrics
tests_test_metrics_server_LDADD = $(METRICS_LIBS)
TESTS += tests/test-metrics-server
EXTRA_DIST += lib/metrics/automake.mk
