#!/bin/sh
# Fuzzes the sFlow v5 decoder for 20 s, seeded by the unit tests' datagrams.
exec sh "$top_srcdir/tests/flowd-fuzz-lib.sh" sflow 20 "$top_builddir/tests/test-sflow"
