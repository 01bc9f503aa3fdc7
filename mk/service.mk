# Files of the service component: mod_l2mt for Apache httpd (utilities/)
# and the tests of it, of the tenant map (lib/conf) and of the scope id
# lookup (lib/service).

check_PROGRAMS += tests/service-tenant-map
tests_service_tenant_map_SOURCES = tests/service-tenant-map.c
tests_service_tenant_map_LDADD = $(SERVICE_LIBS)
TESTS += tests/service-tenant-map

# The tenant map parser's libFuzzer target is built with clang, outside
# automake's compiler rules.
SERVICE_FUZZ_SRC = tests/service-fuzz-tenant-map.c lib/conf/tenant-map.c
EXTRA_DIST += \
	$(SERVICE_FUZZ_SRC) \
	tests/service-fuzz-tenant-map.dict \
	tests/service-fuzz-corpus \
	tests/service-fuzz.sh
if ENABLE_FUZZ
check_SCRIPTS += tests/service-fuzz-tenant-map
TESTS += tests/service-fuzz.sh
endif
tests/service-fuzz-tenant-map: $(SERVICE_FUZZ_SRC) lib/conf/tenant-map.h
	$(AM_V_CCLD)$(MKDIR_P) tests && $(L2MT_FUZZ_CC) -g -O1 \
	  -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
	  $(L2MT_INCLUDES) -I$(top_builddir) -o $@ \
	  $(addprefix $(top_srcdir)/,$(SERVICE_FUZZ_SRC))
CLEANFILES += tests/service-fuzz-tenant-map

# mod_l2mt is built like apxs builds a module (the compiler and flags apxs
# reports), but in the build tree: 'apxs -c' writes next to the sources.
# It links the l2mt archives it uses (tenant map and scope lookup, the
# config parser for l2mt.conf tenants, the prefix parser, the core's mode
# names), so their code is compiled once: a shared object needs
# position-independent code, hence -fPIC for those archives (in their
# automake.mk).
MOD_L2MT_LIBS = $(SERVICE_LIBS)
EXTRA_DIST += \
	utilities/mod_l2mt.c \
	utilities/l2mt.load.in \
	utilities/mod_l2mt.8 \
	tests/service-configtest.sh \
	tests/service-httpd.sh \
	tests/service-fig7.sh \
	tests/service-lib.sh \
	Documentation/service.md
if HAVE_APXS
apachemoduledir = $(libdir)/apache2/modules
apachemodule_DATA = utilities/mod_l2mt.so
apacheconfdir = $(sysconfdir)/apache2/mods-available
apacheconf_DATA = utilities/l2mt.load
dist_man_MANS += utilities/mod_l2mt.8
TESTS += tests/service-configtest.sh tests/service-httpd.sh
if HAVE_OVS
# The seed's fig. 7: through the patched OVS of the system tests' rig.
TESTS += tests/service-fig7.sh
endif
endif
utilities/mod_l2mt.so: utilities/mod_l2mt.c $(MOD_L2MT_LIBS) \
		$(filter %.h,$(lib_service_libservice_a_SOURCES) \
		             $(lib_conf_libconf_a_SOURCES)) config.h
	$(AM_V_CCLD)$(MKDIR_P) utilities && $(CC) -shared -fPIC \
	  $(APXS_CPPFLAGS) $(L2MT_INCLUDES) -I$(top_builddir) \
	  $(APXS_CFLAGS) $(L2MT_CFLAGS) \
	  $(CFLAGS) $(LDFLAGS) -o $@ \
	  $(top_srcdir)/utilities/mod_l2mt.c $(MOD_L2MT_LIBS)
utilities/l2mt.load: utilities/l2mt.load.in Makefile
	$(AM_V_GEN)$(MKDIR_P) utilities && \
	  sed 's|@apachemoduledir[@]|$(apachemoduledir)|' \
	    $(top_srcdir)/utilities/l2mt.load.in > $@
CLEANFILES += utilities/mod_l2mt.so utilities/l2mt.load

# The httpd tests run Debian's apache2 binary with the module just built.
AM_TESTS_ENVIRONMENT += \
	L2MT_APACHE2='$(APXS_SBINDIR)/$(APXS_TARGET)'; export L2MT_APACHE2; \
	L2MT_APACHE_MODULES='$(APXS_LIBEXECDIR)'; export L2MT_APACHE_MODULES;

# What scope_tenant_lookup() costs per connection.
noinst_PROGRAMS += bench/service-lookup
bench_service_lookup_SOURCES = bench/service-lookup.c
bench_service_lookup_LDADD = $(SERVICE_LIBS)
bench_TARGETS += bench-service-lookup
bench-service-lookup: bench/service-lookup
	@echo "== service: tenant lookup per connection"
	@bench/service-lookup
.PHONY: bench-service-lookup
