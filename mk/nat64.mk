# Files of the nat64 component.
noinst_HEADERS += lib/nat64.h lib/nat64-compat.h
