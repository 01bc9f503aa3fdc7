#! /bin/sh
# Fuzzes the config parser for a while (L2MT_FUZZ_SECONDS, default 20),
# starting from the test configs.
set -u
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
top_builddir=${top_builddir:-$top_srcdir}
fuzz=$top_builddir/tests/fuzz-conf
test -x "$fuzz" || { echo "no $fuzz"; exit 77; }
. "${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}/tests/lib.sh"
corpus=$TEST_DIR
cp "$top_srcdir"/tests/conf/*.conf "$corpus"/
# Every case of the error table is a seed too.
awk -v dir="$corpus" '/^### / { n++; next } n { print > (dir "/err" n ".conf") }' \
    "$top_srcdir/tests/conf/errors.txt"
"$fuzz" -max_total_time="${L2MT_FUZZ_SECONDS:-20}" -max_len=4096 \
    -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$corpus/" "$corpus" 2>&1 | tail -15
rc=$?
# The pipeline's status is tail's: find libFuzzer's crash artifacts instead.
if ls "$corpus"/crash-* "$corpus"/leak-* "$corpus"/timeout-* \
       "$corpus"/oom-* >/dev/null 2>&1; then
    for f in "$corpus"/crash-* "$corpus"/leak-* "$corpus"/timeout-* "$corpus"/oom-*; do
        test -f "$f" && { echo "artifact $f:"; od -c "$f" | head -20; }
    done
    exit 1
fi
exit $rc
