#!/bin/sh
# Fuzzes the IPFIX collecting path for 20 s, seeded by the unit tests'
# messages (flowd's own export, an Open vSwitch-like flow template) and by
# the inputs of past crashes (tests/fuzz-flowd-ipfix-corpus/).
exec sh "$top_srcdir/tests/flowd-fuzz-lib.sh" flowd-ipfix 20 \
    "$top_builddir/tests/test-flowd-ipfix; \
     cp \"$top_srcdir\"/tests/fuzz-flowd-ipfix-corpus/* \"\$FLOWD_CORPUS\""
