#! /bin/sh
# tests/lib.sh itself: skip and fail end a test with 77 and 1, wait_for
# gives up when it should (in tries and in time) and not before, the exit
# trap keeps the test's status, runs the hooks, stops what was spawned and
# removes the files (not with L2MT_KEEP=1), soft checks add up to the
# verdict; as root, namespaces and veths are made and deleted.  Each case
# is a small script run under dash and under bash.
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
export top_srcdir
lib=$top_srcdir/tests/lib.sh
work=$(mktemp -d "${TMPDIR:-/tmp}/test-lib.$$.XXXXXX") || exit 99
trap 'rm -rf "$work"' EXIT
failures=0

# run SHELL SCRIPT: runs SCRIPT (after sourcing lib.sh) under SHELL; its
# output in $out, its status in $rc.
run () {
    printf '. "%s"\n%s\n' "$lib" "$2" > "$work/case"
    out=$(cd "$work" && L2MT_KEEP= $1 "$work/case" 2>&1)
    rc=$?
}

# want WHAT COND...: one check.
want () {
    local what=$1
    shift
    if "$@"; then
        echo "ok: $sh: $what"
    else
        echo "FAIL: $sh: $what (status $rc, output: $out)"
        failures=$((failures + 1))
    fi
}

has () { echo "$out" | grep -q -- "$1"; }

for sh in dash bash; do
    command -v $sh >/dev/null 2>&1 || { echo "no $sh: skipped"; continue; }

    run $sh 'skip "no widget"; echo after'
    want "skip exits 77" [ $rc = 77 ]
    want "skip says why" has '^SKIP: no widget$'
    want "skip ends the test" eval '! has after'

    run $sh 'fail "broken"; echo after'
    want "fail exits 1" [ $rc = 1 ]
    want "fail says why" has '^FAIL: broken$'
    want "fail ends the test" eval '! has after'

    run $sh 'require_cmd l2mt-no-such-command'
    want "require_cmd skips without the command" [ $rc = 77 ]
    run $sh 'require_cmd sh; echo fine'
    want "require_cmd passes with it" has '^fine$'

    run $sh 'check "true holds" true; check "false holds" false; echo after'
    want "check fails at once" [ $rc = 1 ]
    want "check says which" has '^FAIL: false holds$'

    # wait_for: gives up after its time, not before; returns 1 (SECONDS)
    # or fails the test (DESCRIPTION).
    run $sh 't0=$(date +%s); wait_for 2 false; r=$?; echo "r=$r s=$(($(date +%s) - t0))"'
    s=$(echo "$out" | sed -n 's/.*s=//p')
    want "wait_for SECONDS returns 1 when it never holds" has '^r=1 '
    want "wait_for 2 waits 2 to 3 s (waited ${s:-?})" \
        [ "${s:-0}" -ge 2 -a "${s:-9}" -le 4 ]
    run $sh 'TEST_WAIT=1; wait_for "the widget" false; echo after'
    want "wait_for DESCRIPTION fails the test" [ $rc = 1 ]
    want "wait_for DESCRIPTION says what" \
        has '^FAIL: timed out waiting for the widget$'
    # A slow command: bounded by the clock, not 10 tries a second.
    run $sh 't0=$(date +%s); wait_for 1 sh -c "sleep 1; false"; echo "s=$(($(date +%s) - t0))"'
    s=$(echo "$out" | sed -n 's/^s=//p')
    want "wait_for with a slow command stops in time (${s:-?} s)" \
        [ "${s:-9}" -le 4 ]
    run $sh '(sleep 0.5; touch "$TEST_DIR/ready") & wait_for 5 test -f "$TEST_DIR/ready" && echo ready'
    want "wait_for returns as soon as it holds" has '^ready$'

    # The exit trap.
    run $sh 'echo "dir=$TEST_DIR"; on_exit "echo first registered, status \$TEST_STATUS"; on_exit "echo last registered"; exit 3'
    dir=$(echo "$out" | sed -n 's/^dir=//p')
    want "the test's exit status stands" [ $rc = 3 ]
    want "hooks run, the last registered first" \
        [ "$(echo "$out" | sed -n 2,3p | tr '\n' '|')" = "last registered|first registered, status 3|" ]
    want "TEST_DIR is removed" [ -n "$dir" -a ! -e "$dir" ]
    run $sh 'echo "dir=$TEST_DIR"; spawn "$TEST_DIR/log" sleep 60; echo "pid=$SPAWNED"'
    pid=$(echo "$out" | sed -n 's/^pid=//p')
    want "a spawned process is stopped" \
        eval '[ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null'
    run $sh 'L2MT_KEEP=1; echo "dir=$TEST_DIR"'
    dir=$(echo "$out" | sed -n 's/^dir=//p')
    want "L2MT_KEEP=1 keeps TEST_DIR" [ -n "$dir" -a -d "$dir" ]
    rm -rf "$dir"

    # Soft checks.
    run $sh 'expect "one" true; expect_eq "two" 2 2; finish'
    want "finish passes when every check did" [ $rc = 0 ]
    run $sh 'expect "one" false; expect_eq "two" 2 3; expect "three" true; finish'
    want "finish fails when one did not" [ $rc = 1 ]
    want "a failed expect_eq says what it got" has '^FAIL: two = 2, expected 3$'
    want "the count" has '^2 of 3 check(s) failed$'

    # Namespaces, as root.
    if [ "$(id -u)" = 0 ] && ip netns add "l2mt-tl$$" 2>/dev/null; then
        ip netns del "l2mt-tl$$"
        run $sh 'netns_add lib$$a lib$$b; veth_add --mtu=1400 --no-ll lib$$a x lib$$b y || exit 5; echo "ns=lib$$a"; ip -n lib$$b -o link show y'
        ns=$(echo "$out" | sed -n 's/^ns=//p')
        want "veth_add: the pair, up, with its MTU" has 'mtu 1400.*state UP'
        want "the namespaces are deleted on exit" \
            eval '[ -n "$ns" ] && ! ip netns list | grep -q "^$ns\b"'
    fi
done

if [ $failures != 0 ]; then
    echo "$failures check(s) failed"
    exit 1
fi
echo PASS
