#!/bin/sh
# Fuzzes the flowd inventory reader for 10 s, seeded by
# tests/test-flowd-inventory.
exec sh "$top_srcdir/tests/flowd-fuzz-lib.sh" flowd-inventory 10 \
    "$top_builddir/tests/test-flowd-inventory"
