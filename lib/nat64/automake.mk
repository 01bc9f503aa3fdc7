# Copyright (c) 2026 The l2mt authors.
# Licensed under the Apache License, Version 2.0.
#
# lib/nat64/libnat64.a: the translator core (RFC 7915, ARP <-> NDP),
# freestanding.  This folder is the whole core: the kernel module's build
# (datapath/build-module, DKMS), Open vSwitch's (mk/ovs.mk) and the
# freestanding check take every file in it and nothing else.  Its headers
# are included as "nat64.h" (NAT64_CPPFLAGS), as Linux and Open vSwitch
# include them.  Exported names: l2mt_ (the core's API since the start:
# L2MT_MODE_*, struct l2mt_cfg in the kernel and OVS uapi).

NAT64_CPPFLAGS = -I$(top_srcdir)/lib/nat64

# -fPIC so that Open vSwitch's shared objects and mod_l2mt.so can link it.
noinst_LIBRARIES += lib/nat64/libnat64.a
lib_nat64_libnat64_a_SOURCES = \
	lib/nat64/nat64.c \
	lib/nat64/nat64.h \
	lib/nat64/nat64-4to6.c \
	lib/nat64/nat64-6to4.c \
	lib/nat64/nat64-compat.h \
	lib/nat64/nat64-csum.h \
	lib/nat64/nat64-frag.c \
	lib/nat64/nat64-icmp.c \
	lib/nat64/nat64-nd.c \
	lib/nat64/nat64-private.h
lib_nat64_libnat64_a_CFLAGS = $(AM_CFLAGS) -fPIC
NAT64_LIBS = lib/nat64/libnat64.a

# The core builds freestanding (checked with nm).
TESTS += tests/check-nat64-freestanding
EXTRA_DIST += lib/nat64/automake.mk tests/check-nat64-freestanding
AM_TESTS_ENVIRONMENT += L2MT_CC='$(CC)'; export L2MT_CC;
