#!/bin/sh
# Fuzzes the pcap recording reader for 10 s, seeded by a small recording.
exec sh "$top_srcdir/tests/flowd-fuzz-lib.sh" flowd-pcap 10 \
    "$top_builddir/bench/flowd-bench generate \$FLOWD_CORPUS/seed.pcap 3"
