#!/bin/bash
# Copyright (c) 2026 The l2mt authors.
# Licensed under the Apache License, Version 2.0.
#
# Runs the scope server's request fuzzer briefly (FUZZ_SECONDS, default 5):
# any crash, sanitizer report or broken invariant fails the test.

fuzzer=${top_builddir:-.}/tests/fuzz-scope-request
if [ ! -x "$fuzzer" ]; then
    echo "FAIL: $fuzzer is not built"
    exit 1
fi
. "${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}/tests/lib.sh"
dir=$TEST_DIR
printf 'GET / HTTP/1.0\r\nHost: x\r\n\r\n' >"$dir/http"
printf 'hello\n' >"$dir/line"
echo "fuzzing the scope server's request reader for ${FUZZ_SECONDS:-5} s"
cd "$dir" &&
"$fuzzer" -max_total_time="${FUZZ_SECONDS:-5}" -max_len=4096 \
    -rss_limit_mb=1024 -print_final_stats=1 "$dir" 2>&1 | tail -n 12
status=${PIPESTATUS[0]}
[ "$status" = 0 ] && echo "PASS: no crash, no sanitizer report" ||
    echo "FAIL: the fuzzer exited with status $status"
exit "$status"
