#!/bin/sh
# Runs one flowd libFuzzer target for a bounded time.
# usage: flowd-fuzz-lib.sh TARGET SECONDS [SEED-COMMAND]
# SEED-COMMAND runs with $FLOWD_CORPUS set to the seed directory.
target=$1
seconds=$2
seed=$3
fuzzer=$top_builddir/tests/fuzz-$target
test -x "$fuzzer" || { echo "$fuzzer not built"; exit 77; }

dir=$(mktemp -d "${TMPDIR:-/tmp}/fuzz-$target.$$.XXXXXX") || exit 1
trap 'rm -rf "$dir"' EXIT
mkdir "$dir/corpus" "$dir/artifacts"
if test -n "$seed"; then
    FLOWD_CORPUS=$dir/corpus sh -c "$seed" >/dev/null 2>&1 || true
fi
echo "seeds: $(ls "$dir/corpus" | wc -l)"
"$fuzzer" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=1024 \
    -print_final_stats=1 -artifact_prefix="$dir/artifacts/" \
    "$dir/corpus" > "$dir/log" 2>&1
status=$?
tail -n 25 "$dir/log"
if test $status != 0 || ls "$dir/artifacts/"* >/dev/null 2>&1; then
    echo "fuzz-$target failed (exit $status):"
    for f in "$dir/artifacts/"*; do od -An -tx1 "$f" | head -n 20; done
    exit 1
fi
exit 0
