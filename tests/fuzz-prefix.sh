#!/bin/sh
# Copyright (c) 2026 The l2mt authors.
# Licensed under the Apache License, Version 2.0.
#
# Runs the prefix parser's fuzzer for a short while from a few seeds.

fuzzer=$top_builddir/tests/fuzz-prefix
[ -x "$fuzzer" ] || { echo "no $fuzzer (configure without --disable-fuzz)"; exit 77; }

. "${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}/tests/lib.sh"
tmp=$TEST_DIR
mkdir "$tmp/corpus"
n=0
for seed in fe80::/96 64:ff9b::/96 2001:db8:64::/96 ::ffff:0:0/96 \
            fe80::/64 fe80::1/96 ff02::/96 1.2.3.4/96 \
            2001:db8:122:344::192.0.2.33/96 fe80::%eth0/96 ; do
    n=$((n + 1))
    printf '%s' "$seed" > "$tmp/corpus/seed$n"
done

# libFuzzer exits 77 on a crash by default, which automake takes for a
# skip: make it 1.  A crash leaves its input next to the fuzzer, to
# reproduce with "tests/fuzz-prefix FILE".
"$fuzzer" -max_total_time="${FUZZ_SECONDS:-10}" -max_len=128 \
    -artifact_prefix="$top_builddir/tests/fuzz-prefix-" \
    -error_exitcode=1 -timeout_exitcode=1 \
    -print_final_stats=1 "$tmp/corpus" > "$tmp/log" 2>&1
status=$?
tail -n 30 "$tmp/log"
exit $status
