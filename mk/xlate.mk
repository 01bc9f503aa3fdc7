# Copyright (c) 2026 The l2mt authors.
# Licensed under the Apache License, Version 2.0.
#
# Files of the xlate component: l2mt-xlate, the user-space prefix parser,
# the sample capture, the demo and their tests.

# User-space helpers shared by the l2mt programs.
noinst_LIBRARIES += lib/libl2mt.a
lib_libl2mt_a_SOURCES = lib/l2mt-prefix.c lib/l2mt-prefix.h

bin_PROGRAMS += utilities/l2mt-xlate
utilities_l2mt_xlate_SOURCES = utilities/l2mt-xlate.c
utilities_l2mt_xlate_LDADD = lib/libl2mt.a lib/libnat64.a $(PCAP_LIBS)
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
tests_conform_frames_LDADD = lib/libnat64.a $(PCAP_LIBS)

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

# The prefix parser's fuzzer, built like the core's (mk/nat64.mk: clang
# found by configure, outside automake's compiler settings) and run briefly
# by tests/fuzz-prefix.sh.
EXTRA_DIST += tests/fuzz-prefix.c tests/fuzz-prefix.sh
if ENABLE_FUZZ
TESTS += tests/fuzz-prefix.sh
check_SCRIPTS += tests/fuzz-prefix
CLEANFILES += tests/fuzz-prefix
tests/fuzz-prefix: tests/fuzz-prefix.c lib/l2mt-prefix.c lib/l2mt-prefix.h
	$(AM_V_CC)$(L2MT_FUZZ_CC) $(NAT64_FUZZ_CFLAGS) -o $@ \
		$(srcdir)/tests/fuzz-prefix.c $(srcdir)/lib/l2mt-prefix.c
endif
