# Copyright (c) 2026 The l2mt authors.
# Licensed under the Apache License, Version 2.0.
#
# lib/conf/libconf.a: what every component reads its tenants with.
#   - l2mt-prefix: the one parser of the /96 translation prefix (RFC 6052
#     rules), also linked by Open vSwitch's nat64 action (mk/ovs.mk), so
#     that the config, the agent, OVS, l2mt-xlate and mod_l2mt accept the
#     same prefixes;
#   - l2mt-conf, l2mt-conf-util: l2mt.conf(5), a complete, cross-checked
#     config or FILE:LINE errors;
#   - tenant-map, tenant-map-conf: interface -> tenant, from a map file or
#     from l2mt.conf (mod_l2mt, the scope lookup of lib/service);
#   - l2mt-run: runs a program and collects its output (the agent's
#     ovs-vsctl and ip, l2mt-flowd's l2mt-ctl).
# Plain C, no Open vSwitch: the light build has it.  It uses the core's
# mode names, so link $(CONF_LIBS).  -fPIC: mod_l2mt.so and OVS link it.
# Its headers are included as "l2mt-conf.h" (CONF_CPPFLAGS).  Exported
# names: l2mt_conf_, l2mt_prefix_, tenant_map_, and l2mt-conf-util's
# l2mt_x*, l2mt_str_, l2mt_read_file.

CONF_CPPFLAGS = -I$(top_srcdir)/lib/conf

noinst_LIBRARIES += lib/conf/libconf.a
lib_conf_libconf_a_SOURCES = \
	lib/conf/l2mt-conf.c \
	lib/conf/l2mt-conf.h \
	lib/conf/l2mt-conf-util.c \
	lib/conf/l2mt-conf-util.h \
	lib/conf/l2mt-prefix.c \
	lib/conf/l2mt-prefix.h \
	lib/conf/l2mt-run.c \
	lib/conf/l2mt-run.h \
	lib/conf/tenant-map.c \
	lib/conf/tenant-map.h \
	lib/conf/tenant-map-conf.c \
	lib/conf/tenant-map-conf.h
lib_conf_libconf_a_CFLAGS = $(AM_CFLAGS) -fPIC
CONF_LIBS = lib/conf/libconf.a $(NAT64_LIBS)
EXTRA_DIST += lib/conf/automake.mk

# Prints a parsed config (or its errors) for the tests.
check_PROGRAMS += tests/test-conf
tests_test_conf_SOURCES = tests/test-conf.c tests/conf-dump.c tests/conf-dump.h
tests_test_conf_LDADD = $(CONF_LIBS)

TESTS += tests/test-conf-errors.sh tests/test-conf-dump.sh
EXTRA_DIST += \
	tests/test-conf-errors.sh \
	tests/test-conf-dump.sh \
	tests/conf/good.conf \
	tests/conf/good.dump \
	tests/conf/errors.txt

# The parsers' libFuzzer targets, built with clang outside automake's
# compiler rules (as the core's, mk/nat64.mk) and run briefly by make
# check: the config (~20 s) and the prefix.
CONF_FUZZ_SRC = $(addprefix $(srcdir)/,\
	$(filter %.c,$(lib_conf_libconf_a_SOURCES) \
	             $(lib_nat64_libnat64_a_SOURCES)))
EXTRA_DIST += tests/fuzz-conf.c tests/fuzz-conf.sh \
	tests/fuzz-prefix.c tests/fuzz-prefix.sh
if ENABLE_FUZZ
check_SCRIPTS += tests/fuzz-conf tests/fuzz-prefix
TESTS += tests/fuzz-conf.sh tests/fuzz-prefix.sh
tests/fuzz-conf: $(srcdir)/tests/fuzz-conf.c \
		$(addprefix $(srcdir)/,$(lib_conf_libconf_a_SOURCES) \
		                       $(lib_nat64_libnat64_a_SOURCES))
	$(AM_V_CCLD)$(L2MT_FUZZ_CC) -g -O1 \
	  -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
	  $(L2MT_INCLUDES) -I$(top_builddir) -o $@ \
	  $(srcdir)/tests/fuzz-conf.c $(CONF_FUZZ_SRC)
tests/fuzz-prefix: tests/fuzz-prefix.c lib/conf/l2mt-prefix.c \
		lib/conf/l2mt-prefix.h $(NAT64_CORE_SRC)
	$(AM_V_CC)$(L2MT_FUZZ_CC) $(NAT64_FUZZ_CFLAGS) -o $@ \
		$(srcdir)/tests/fuzz-prefix.c $(srcdir)/lib/conf/l2mt-prefix.c \
		$(NAT64_CORE_SRC)
CLEANFILES += tests/fuzz-conf tests/fuzz-prefix
endif
clean_LOCAL += clean-conf-fuzz
clean-conf-fuzz:
	rm -rf tests/fuzz-conf-corpus.tmp
