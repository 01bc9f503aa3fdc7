#!/bin/sh
# Copyright (c) 2026 The l2mt authors.
# Licensed under the Apache License, Version 2.0.
#
# rhel/l2mt.spec builds with rpmbuild (Debian's rpm package here): the
# sources are this tree, Debian's Open vSwitch 3.1.0 tarball and Linux 6.1
# source.  Debian has no RPM database of the build dependencies, so
# rpmbuild runs with --nodeps.  Checks the split, the units, the
# conffiles, the DKMS tree and that Open vSwitch replaces the
# distribution's.
#
# Environment: L2MT_PKG_KEEP keeps the work directory.

set -e
me=packages-rpm
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
start=$(date +%s)

skip() { echo "$me: SKIP: $*"; exit 77; }
fail() { echo "$me: FAIL: $*" >&2; exit 1; }

command -v rpmbuild >/dev/null 2>&1 || skip "rpmbuild not installed (Debian's rpm)"
ovs_src=/usr/src/openvswitch/openvswitch.tar.gz
linux_src=/usr/src/linux-source-6.1.tar.xz
test -f "$ovs_src" || skip "no $ovs_src (openvswitch-source)"
test -f "$linux_src" || skip "no $linux_src (linux-source-6.1)"
git -C "$top_srcdir" rev-parse --git-dir >/dev/null 2>&1 ||
    skip "needs a git checkout to make the source tarball"

work=$(mktemp -d "${TMPDIR:-/tmp}/$me.XXXXXX")
cleanup() {
    if test -n "$L2MT_PKG_KEEP"; then echo "$me: kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 1' INT TERM

spec=$top_srcdir/rhel/l2mt.spec
version=$(sed -n 's/^Version: *//p' "$spec")
mkdir -p "$work/SOURCES" "$work/stage/l2mt-$version"
# The files git tracks, as they are in the working tree.
(cd "$top_srcdir" && git ls-files -c) |
    (cd "$top_srcdir" && tar -cf - -T -) | tar -xf - -C "$work/stage/l2mt-$version"
tar -czf "$work/SOURCES/l2mt-$version.tar.gz" -C "$work/stage" "l2mt-$version"
rm -rf "$work/stage"
ln -s "$ovs_src" "$work/SOURCES/openvswitch.tar.gz"
ln -s "$linux_src" "$work/SOURCES/linux-source-6.1.tar.xz"

echo "== $me: rpmbuild -bb"
jobs=$(nproc 2>/dev/null || echo 2)
rpmbuild -bb --nodeps --define "_topdir $work" --define "_smp_mflags -j$jobs" \
    "$spec" > "$work/rpmbuild.log" 2>&1 ||
    { tail -60 "$work/rpmbuild.log"; fail "rpmbuild failed"; }
ls "$work"/RPMS/*/*.rpm

rpm_of() {
    f=$(ls "$work"/RPMS/*/"$1"-[0-9]*.rpm 2>/dev/null | head -1)
    test -n "$f" || fail "no $1 package"
    echo "$f"
}
has() {
    rpm -qlp "$(rpm_of "$1")" 2>/dev/null | grep -qx -- "$2" ||
        fail "$1 does not hold $2"
}
has l2mt-openvswitch /usr/sbin/ovs-vswitchd
has l2mt-openvswitch /usr/bin/ovs-ofctl
has l2mt-openvswitch /usr/lib/openvswitch-switch/ovs-vswitchd
# The DPDK ovs-vswitchd, an alternative as in Debian (built when DPDK's
# development files are there, as on Debian's DPDK architectures).
if pkg-config --exists libdpdk 2>/dev/null; then
    has l2mt-openvswitch-dpdk /usr/lib/openvswitch-switch-dpdk/ovs-vswitchd-dpdk
    rpm -qp --scripts "$(rpm_of l2mt-openvswitch-dpdk)" 2>/dev/null |
        grep -q 'update-alternatives --install' ||
        fail "l2mt-openvswitch-dpdk does not install an alternative"
fi
has l2mt-openvswitch /usr/lib/systemd/system/openvswitch.service
has l2mt-openvswitch /usr/lib/systemd/system/ovsdb-server.service
has l2mt-openvswitch /usr/lib/systemd/system/ovs-vswitchd.service
has l2mt-agent /usr/bin/l2mt-agent
has l2mt-agent /usr/bin/l2mt-trace
has l2mt-agent /usr/lib/systemd/system/l2mt-agent.service
has l2mt-flowd /usr/bin/l2mt-flowd
has l2mt-flowd /usr/lib/systemd/system/l2mt-flowd.service
has l2mt-xlate /usr/bin/l2mt-xlate
has l2mt-datapath-dkms /usr/src/l2mt-datapath-$version/dkms.conf
has l2mt-datapath-dkms /usr/src/l2mt-datapath-$version/net/openvswitch/l2mt_action.c
rpm -qp --provides "$(rpm_of l2mt-openvswitch)" 2>/dev/null |
    grep -qx 'openvswitch = 3.1.0' || fail "l2mt-openvswitch does not provide openvswitch = 3.1.0"
rpm -qp --conflicts "$(rpm_of l2mt-openvswitch)" 2>/dev/null |
    grep -qx 'openvswitch' || fail "l2mt-openvswitch does not conflict with openvswitch"
rpm -qp --configfiles "$(rpm_of l2mt-agent)" 2>/dev/null |
    grep -qx /etc/l2mt/l2mt.conf.example || fail "the agent's example config is no config file"
rpm -qp --scripts "$(rpm_of l2mt-datapath-dkms)" 2>/dev/null |
    grep -q 'dkms add' || fail "the DKMS package does not add the module"

# The packaged programs run (this is the same distribution they were
# built on).
root=$work/root
mkdir -p "$root"
for r in "$work"/RPMS/*/*.rpm; do
    (cd "$root" && rpm2cpio "$r" | cpio -idm --quiet)
done
"$root/usr/bin/ovs-ofctl" --version | grep -q 'Open vSwitch) 3\.1\.0' ||
    fail "ovs-ofctl --version"
for v in openvswitch-switch/ovs-vswitchd openvswitch-switch-dpdk/ovs-vswitchd-dpdk; do
    test -x "$root/usr/lib/$v" || continue
    "$root/usr/lib/$v" --version | grep -q 'Open vSwitch) 3\.1\.0' ||
        fail "$v --version"
done
"$root/usr/bin/ovs-ofctl" parse-flow \
    'arp,actions=nat64(mode=4toll6,prefix=fe80::/96)' | grep -q nat64 ||
    fail "the packaged ovs-ofctl does not know nat64"
"$root/usr/bin/l2mt-agent" --help | grep -q 'usage: l2mt-agent' || fail "l2mt-agent --help"
"$root/usr/bin/l2mt-flowd" --help >/dev/null || fail "l2mt-flowd --help"
echo "$me: PASS in $(($(date +%s) - start)) s ($(ls "$work"/RPMS/*/*.rpm | wc -l) packages)"
