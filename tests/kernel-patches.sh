#!/bin/sh
# Copyright (c) 2026 The l2mt authors.
# Licensed under the Apache License, Version 2.0.
#
# datapath/patches/series applies to Debian's linux-source-6.1 and
# build-module --copy --prepare-only leaves a self-contained module tree
# (DKMS): the patched uapi header, our files and the translator core as
# real files, nothing linking back into the source tree.

source=${L2MT_LINUX_SOURCE:-/usr/src/linux-source-6.1.tar.xz}
[ -e "$source" ] || { echo "SKIP: no Linux source at $source (apt-get install linux-source-6.1)"; exit 77; }
. "${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}/tests/lib.sh"
out=$TEST_DIR
# A failed check does not end the test.
fail () {
    soft_fail "$@"
}

"$top_srcdir/datapath/build-module" --srcdir="$top_srcdir" \
    --source="$source" --out="$out" --copy --prepare-only || fail "build-module"
dir=$out/net/openvswitch
grep -q 'OVS_ACTION_ATTR_NAT64 = 26' "$out/include/uapi/linux/openvswitch.h" ||
    fail "patched uapi header"
grep -q 'ovs_nat64_execute' "$dir/actions.c" || fail "patched actions.c"
grep -q 'ovs_nat64_copy_action' "$dir/flow_netlink.c" || fail "patched flow_netlink.c"
grep -q 'ovs_nat64_dp_init' "$dir/datapath.c" && grep -q nat64_stats "$dir/datapath.h" ||
    fail "patched datapath.c/h (per-datapath counters)"
for f in Kbuild l2mt_action.c l2mt_counters.c l2mt_genl.h nat64/nat64.h nat64/nat64.c; do
    [ -f "$dir/$f" ] && [ ! -L "$dir/$f" ] || fail "$f is not a real file"
done
find "$out" -name '*.orig' -o -name '*.rej' | grep . && fail "patch leftovers"
# A broken series must fail loudly, naming the patch.
mkdir -p "$out/src/datapath/patches"
cp -R "$top_srcdir/datapath/." "$out/src/datapath/"
printf '%s\n' '--- a/net/openvswitch/actions.c' '+++ b/net/openvswitch/actions.c' \
    '@@ -1,1 +1,1 @@' '-no such line' '+x' > "$out/src/datapath/patches/0001-uapi-nat64-action.patch"
if "$top_srcdir/datapath/build-module" --srcdir="$out/src" --source="$source" \
       --out="$out" --prepare-only 2> "$out/err"; then
    fail "a broken patch was accepted"
fi
grep -q 'patch 0001-uapi-nat64-action.patch does not apply' "$out/err" ||
    fail "no clear error for a broken patch: $(cat "$out/err")"
checks_passed || exit 1
pass "the series applies and the module tree is self-contained"
