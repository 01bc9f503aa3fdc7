#!/bin/sh
# Copyright (c) 2026 The l2mt authors.
# Licensed under the Apache License, Version 2.0.
#
# l2mt-dpctl on the host, where no l2mt openvswitch module is loaded: help
# and version work, a bad command is a usage error (2), and 'show' fails (1)
# with a message that names the missing generic netlink family.  (The
# counters themselves are checked in the qemu guest: kernel-malformed.sh.)

dpctl=$top_builddir/utilities/l2mt-dpctl
. "${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}/tests/lib.sh"
tmp=$TEST_DIR
cd "$tmp" || exit 1
# A failed check does not end the test.
fail () {
    soft_fail "$@"
}

[ -x "$dpctl" ] || { echo "SKIP: l2mt-dpctl not built (no libmnl)"; exit 77; }
"$dpctl" --help | grep -q '^usage: l2mt-dpctl' || fail "--help"
"$dpctl" --version | grep -q '^l2mt-dpctl (l2mt) ' || fail "--version"
"$dpctl" frobnicate 2> err; rc=$?
[ $rc = 2 ] && grep -q "unknown command" err || fail "bad command: exit $rc"
"$dpctl" 2> err; rc=$?
[ $rc = 2 ] && grep -q "missing command" err || fail "no command: exit $rc"
if grep -qw l2mt /proc/net/genetlink 2>/dev/null; then
    echo "note: this kernel has the l2mt family; 'show' not checked for failure"
else
    "$dpctl" show > out 2> err; rc=$?
    [ $rc = 1 ] && grep -q '|l2mt_dpctl|ERR|.*no "l2mt" generic netlink family' err ||
        fail "show without the module: exit $rc, $(cat err)"
    [ -s out ] && fail "show without the module printed counters"
fi
checks_passed || exit 1
pass "l2mt-dpctl usage and errors"
