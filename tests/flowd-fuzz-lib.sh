#!/bin/sh
# Runs one flowd libFuzzer target for a bounded time.
# usage: flowd-fuzz-lib.sh TARGET SECONDS [SEED-COMMAND]
# SEED-COMMAND runs with $FLOWD_CORPUS set to the seed directory.
target=$1
seconds=$2
seed=$3
test_name=fuzz-$target
. "$top_srcdir/tests/lib.sh"
fuzzer=$top_builddir/tests/fuzz-$target
test -x "$fuzzer" || skip "$fuzzer not built"

dir=$TEST_DIR
mkdir "$dir/corpus" "$dir/artifacts"
if test -n "$seed"; then
    FLOWD_CORPUS=$dir/corpus sh -c "$seed" >/dev/null 2>&1 || true
fi
echo "seeds: $(ls "$dir/corpus" | wc -l)"
"$fuzzer" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=1024 \
    -print_final_stats=1 -artifact_prefix="$dir/artifacts/" \
    "$dir/corpus" > "$dir/log" 2>&1
status=$?
# The sanitizer's report, if any, then libFuzzer's summary.
grep -A 30 -m 1 -E "ERROR: (AddressSanitizer|libFuzzer)|runtime error" \
    "$dir/log"
tail -n 8 "$dir/log"
if test $status != 0 || ls "$dir/artifacts/"* >/dev/null 2>&1; then
    echo "fuzz-$target failed (exit $status):"
    for f in "$dir/artifacts/"*; do od -An -tx1 "$f" | head -n 20; done
    exit 1
fi
exit 0
