#! /bin/sh
# Every config mistake gives its own "FILE:LINE: message" and no config:
# runs the parser on each case of tests/conf/errors.txt.
set -u
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
top_builddir=${top_builddir:-$top_srcdir}
testconf=$top_builddir/tests/test-conf
. "${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}/tests/lib.sh"
tmp=$TEST_DIR

# Split the table into case files: $tmp/N.conf and $tmp/N.want.
awk -v dir="$tmp" '
    /^### / { n++; sub(/^### /, ""); print > (dir "/" n ".want"); next }
    n { print > (dir "/" n ".conf") }
' "$top_srcdir/tests/conf/errors.txt"

pass=0 fail=0 n=1
while test -f "$tmp/$n.want"; do
    conf=$tmp/$n.conf
    test -f "$conf" || : > "$conf"
    if grep -q '@MISSING@' "$conf"; then
        rm -f "$conf"
    elif grep -q '@NUL@' "$conf"; then
        sed 's/@NUL@/X/' "$conf" | tr X '\000' > "$conf.tmp" && mv "$conf.tmp" "$conf"
    fi
    want=$(sed "s|^FILE|$conf|" "$tmp/$n.want")
    "$testconf" "$conf" > "$tmp/$n.out" 2> "$tmp/$n.err"
    rc=$?
    if test $rc = 1 && grep -qxF "$want" "$tmp/$n.err" && ! test -s "$tmp/$n.out"; then
        pass=$((pass + 1))
    else
        fail=$((fail + 1))
        echo "FAIL case $n: exit $rc, wanted: $want"
        sed 's/^/    got: /' "$tmp/$n.err"
    fi
    n=$((n + 1))
done
echo "$pass config errors reported as expected, $fail wrong"
test $fail = 0 && test $pass -gt 0
