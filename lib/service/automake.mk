# Copyright (c) 2026 The l2mt authors.
# Licensed under the Apache License, Version 2.0.
#
# lib/service/libservice.a: which tenant a connection comes from, for any
# server in the service VM (scope-tenant: a link-local peer's scope id ->
# its interface -> the tenant, through lib/conf's tenant map).  mod_l2mt
# is its first user (mk/service.mk); it is a library of its own, not part
# of lib/conf, because it is what a service does at run time with a socket,
# not configuration.  Plain C, -fPIC for mod_l2mt.so.  Exported names:
# scope_tenant_.

SERVICE_CPPFLAGS = -I$(top_srcdir)/lib/service

noinst_LIBRARIES += lib/service/libservice.a
lib_service_libservice_a_SOURCES = \
	lib/service/scope-tenant.c \
	lib/service/scope-tenant.h
lib_service_libservice_a_CFLAGS = $(AM_CFLAGS) -fPIC
SERVICE_LIBS = lib/service/libservice.a $(CONF_LIBS)
EXTRA_DIST += lib/service/automake.mk
