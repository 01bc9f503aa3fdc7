#! /bin/sh
# Copyright (c) 2026 The l2mt authors.
# Licensed under the Apache License, Version 2.0.
#
# Fuzzes the tenant map parser for SERVICE_FUZZ_SECONDS (default 20)
# seconds, starting from the seed corpus.  Any crash, leak, undefined
# behaviour or broken property (see the target) fails.

set -e
fuzzer=$top_builddir/tests/service-fuzz-tenant-map
seconds=${SERVICE_FUZZ_SECONDS:-20}

[ -x "$fuzzer" ] || { echo "$fuzzer not built"; exit 99; }

. "${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}/tests/lib.sh"
tmp=$TEST_DIR
corpus=$tmp/corpus
mkdir "$corpus"
cd "$tmp"

"$fuzzer" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=1024 \
    -dict="$top_srcdir/tests/service-fuzz-tenant-map.dict" \
    -print_final_stats=1 "$corpus" "$top_srcdir/tests/service-fuzz-corpus" \
    2>fuzz.log || { tail -n 60 fuzz.log; exit 1; }
grep -E '^(stat::number_of_executed_units|stat::peak_rss_mb|#[0-9]+ +DONE)' \
    fuzz.log || true
echo "corpus: $(ls "$corpus" | wc -l) inputs"
