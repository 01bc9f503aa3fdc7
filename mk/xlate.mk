# Copyright (c) 2026 The l2mt authors.
# Licensed under the Apache License, Version 2.0.
#
# Files of the xlate component: l2mt-xlate, the sample capture, the demo
# and their tests.

bin_PROGRAMS += utilities/l2mt-xlate
utilities_l2mt_xlate_SOURCES = utilities/l2mt-xlate.c
utilities_l2mt_xlate_LDADD = $(CONF_LIBS) $(PCAP_LIBS)
dist_man_MANS += utilities/l2mt-xlate.1

# Compares two captures frame by frame, modulo what translating there and
# back may change.
check_PROGRAMS += tests/pcap-cmp
tests_pcap_cmp_SOURCES = tests/pcap-cmp.c
tests_pcap_cmp_LDADD = $(PCAP_LIBS)

# RFC conformance frames (issue 14), built from the RFC text with the
# unit tests' builders, for l2mt-xlate, OVS and the kernel module.
check_PROGRAMS += tests/conform-frames
tests_conform_frames_SOURCES = tests/conform-frames.c $(NAT64_TEST_LIB)
tests_conform_frames_LDADD = $(NAT64_LIBS) $(PCAP_LIBS)

TESTS += \
	tests/xlate-cli.sh \
	tests/xlate-tshark.sh \
	tests/xlate-roundtrip.sh \
	tests/xlate-conform.sh
EXTRA_DIST += \
	tests/xlate-conform.sh \
	tests/xlate-cli.sh \
	tests/xlate-tshark.sh \
	tests/xlate-roundtrip.sh \
	tests/xlate-lib.sh \
	tests/tenant.pcap \
	tools/gen-tenant-pcap \
	tools/demo

