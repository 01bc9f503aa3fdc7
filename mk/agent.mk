# Files of the agent component: the config parser (shared with every
# component that reads the tenant list) and l2mt-agent.

noinst_LIBRARIES += lib/libl2mtconf.a
lib_libl2mtconf_a_SOURCES = \
	lib/l2mt-conf.c \
	lib/l2mt-conf.h \
	lib/l2mt-conf-util.c \
	lib/l2mt-conf-util.h

# Prints a parsed config (or its errors) for the tests.
check_PROGRAMS += tests/test-conf
tests_test_conf_SOURCES = tests/test-conf.c
tests_test_conf_LDADD = lib/libl2mtconf.a

TESTS += tests/test-conf-errors.sh tests/test-conf-dump.sh
EXTRA_DIST += \
	tests/test-conf-errors.sh \
	tests/test-conf-dump.sh \
	tests/conf/good.conf \
	tests/conf/good.dump \
	tests/conf/errors.txt

dist_man_MANS += utilities/l2mt.conf.5

# Fuzzing the parser: built with clang's libFuzzer, run ~20 s in make check.
EXTRA_DIST += tests/fuzz-conf.c tests/fuzz-conf.sh
if ENABLE_FUZZ
if AGENT_FUZZ
check_SCRIPTS += tests/fuzz-conf
TESTS += tests/fuzz-conf.sh
tests/fuzz-conf: $(srcdir)/tests/fuzz-conf.c $(lib_libl2mtconf_a_SOURCES)
	$(AM_V_CCLD)$(AGENT_FUZZ_CC) -g -O1 \
	  -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
	  -I$(top_srcdir)/lib -I$(top_builddir) -o $@ \
	  $(srcdir)/tests/fuzz-conf.c \
	  $(addprefix $(srcdir)/,$(filter %.c,$(lib_libl2mtconf_a_SOURCES)))
CLEANFILES += tests/fuzz-conf
endif
endif
clean_LOCAL += clean-agent-fuzz
clean-agent-fuzz:
	rm -rf tests/fuzz-conf-corpus.tmp
