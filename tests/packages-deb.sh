#!/bin/sh
# Copyright (c) 2026 The l2mt authors.
# Licensed under the Apache License, Version 2.0.
#
# The Debian packages, end to end ('make check-packages'):
#   1. build them (dpkg-buildpackage -b), and a version+1 for the upgrade;
#      lintian must report no errors;
#   2. make a fresh Debian 12 root with debootstrap (cached as a tarball in
#      $L2MT_PKG_CACHE) and install them there with apt, so that their
#      dependencies resolve from Debian's archive;
#   3. run the programs from the packages, check the config examples, build
#      the DKMS module for the root's linux-headers-amd64;
#   4. upgrade to version+1, then purge: no file may be left over (file
#      lists before and after compared).
# Needs root, debootstrap and Debian's archive (the mirror apt uses here).
#
# Environment:
#   L2MT_PKG_CACHE  cache directory: root tarball, downloaded .debs
#                   (default /var/cache/l2mt-packages)
#   L2MT_PKG_KEEP   set to keep the work directory (its path is printed)
#   L2MT_PKG_DEBS   a directory of already built .debs (v1/ and v2/) to
#                   test instead of building; L2MT_PKG_BUILDTREE, the
#                   tree they were built in (for the demo's scope-server)
#   L2MT_PKG_DEMO   0 skips the multi-tenant demo

set -e
me=packages-deb
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
cache=${L2MT_PKG_CACHE:-/var/cache/l2mt-packages}
start=$(date +%s)

skip() { echo "$me: SKIP: $*"; exit 77; }
fail() { echo "$me: FAIL: $*" >&2; exit 1; }
step() { echo "== $me: $(($(date +%s) - start))s: $*"; }

test "$(id -u)" = 0 || skip "needs root (debootstrap, chroot)"
for p in debootstrap dpkg-buildpackage lintian chroot; do
    command -v $p >/dev/null 2>&1 || skip "$p not installed (tools/deps/packages)"
done

# The Debian mirror apt uses on this machine.
mirror=$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list \
              /etc/apt/sources.list.d/*.sources 2>/dev/null |
         sed -n -e 's|^URIs: *\(http[^ ]*/debian\)/*$|\1|p' \
                -e 's|^deb  *\(\[[^]]*\] *\)\{0,1\}\(http[^ ]*/debian\)/* .*|\2|p' |
         head -1)
test -n "$mirror" || skip "no Debian mirror in /etc/apt/sources.list*"
security=$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list \
                /etc/apt/sources.list.d/*.sources 2>/dev/null |
           sed -n -e 's|^URIs: *\(http[^ ]*/debian-security\)/*$|\1|p' \
                  -e 's|^deb  *\(\[[^]]*\] *\)\{0,1\}\(http[^ ]*/debian-security\)/* .*|\2|p' |
           head -1)
suite=bookworm

work=$(mktemp -d "${TMPDIR:-/tmp}/$me.XXXXXX")
root=$work/root
mounts=
ovsdb_running=
vswitchd_running=
central_running=
agent_netns=
cleanup() {
    if test -n "$agent_netns"; then
        ip netns pids "$agent_netns" 2>/dev/null | xargs -r kill 2>/dev/null
        sleep 0.5
        ip netns pids "$agent_netns" 2>/dev/null | xargs -r kill -9 2>/dev/null
        ip netns del "$agent_netns" 2>/dev/null || true
    fi
    if test -n "$central_running"; then
        chroot "$root" l2mt-central stop 2>/dev/null || true
    fi
    if test -n "$vswitchd_running"; then
        chroot "$root" ovs-appctl -t ovs-vswitchd exit 2>/dev/null || true
    fi
    if test -n "$ovsdb_running"; then
        chroot "$root" ovs-appctl -t ovsdb-server exit 2>/dev/null || true
    fi
    for m in $mounts; do umount -l "$m" 2>/dev/null || true; done
    if test -n "$L2MT_PKG_KEEP"; then
        echo "$me: kept $work"
    else
        rm -rf "$work"
    fi
}
trap cleanup EXIT
trap 'exit 1' INT TERM

# --- 1. Build ---------------------------------------------------------------
src=${L2MT_PKG_BUILDTREE:-}
if test -n "$L2MT_PKG_DEBS"; then
    cp -R "$L2MT_PKG_DEBS/v1" "$L2MT_PKG_DEBS/v2" "$work/"
else
    step "building the packages"
    mkdir -p "$work/build/l2mt" "$work/v1" "$work/v2"
    # The files git tracks, as they are in the working tree: no build
    # products of an in-tree build.
    if git -C "$top_srcdir" rev-parse --git-dir >/dev/null 2>&1; then
        (cd "$top_srcdir" && git ls-files -c) |
            (cd "$top_srcdir" && tar -cf - -T -) | tar -xf - -C "$work/build/l2mt"
    else
        (cd "$top_srcdir" && tar -cf - --exclude=./_ovs --exclude=./_kmod .) |
            tar -xf - -C "$work/build/l2mt"
    fi
    src=$work/build/l2mt
    jobs=$(nproc 2>/dev/null || echo 2)
    (cd "$src" && DEB_BUILD_OPTIONS="parallel=$jobs nocheck" \
        dpkg-buildpackage -us -uc -b > "$work/build-v1.log" 2>&1) ||
        { tail -50 "$work/build-v1.log"; fail "dpkg-buildpackage failed"; }
    mv "$work"/build/*.deb "$work/v1/"
    step "built $(ls "$work/v1" | wc -l) packages"

    # Version+1: a new changelog entry, built from the same tree.
    v1=$(cd "$src" && dpkg-parsechangelog -SVersion)
    v2=$v1+1
    dpkg --compare-versions "$v2" gt "$v1" || fail "$v2 is not newer than $v1"
    { printf 'l2mt (%s) unstable; urgency=medium\n\n' "$v2"
      printf '  * Upgrade test build.\n\n'
      printf ' -- l2mt authors <l2mt@l2mt.invalid>  %s\n\n' "$(date -R)"
      cat "$src/debian/changelog"; } > "$work/changelog"
    mv "$work/changelog" "$src/debian/changelog"
    (cd "$src" && DEB_BUILD_OPTIONS="parallel=$jobs nocheck" \
        dpkg-buildpackage -us -uc -b -nc > "$work/build-v2.log" 2>&1) ||
        { tail -50 "$work/build-v2.log"; fail "dpkg-buildpackage (version+1) failed"; }
    mv "$work"/build/*.deb "$work/v2/"
    step "built version $v2"
fi

# Debug symbols are not installed on hypervisors.
rm -f "$work"/v1/*-dbgsym_*.deb "$work"/v2/*-dbgsym_*.deb

step "lintian"
lintian --tag-display-limit 0 "$work"/v1/*.deb > "$work/lintian.log" 2>&1 || true
cat "$work/lintian.log"
if grep -q '^E: ' "$work/lintian.log"; then
    fail "lintian reports errors"
fi

pkgs=$(for d in "$work"/v1/*.deb; do dpkg-deb -f "$d" Package; done | sort |
       paste -sd' ' -)
echo "packages: $pkgs"

# --- 2. A fresh Debian 12 ---------------------------------------------------
mkdir -p "$cache/archives/partial"
tarball=$cache/$suite-minbase.tar.gz
if test ! -f "$tarball"; then
    step "debootstrap $suite from $mirror"
    debootstrap --variant=minbase "$suite" "$work/boot" "$mirror" \
        > "$work/debootstrap.log" 2>&1 ||
        { tail -20 "$work/debootstrap.log"; fail "debootstrap failed"; }
    rm -f "$work"/boot/var/cache/apt/archives/*.deb
    tar -czf "$tarball.tmp" -C "$work/boot" . && mv "$tarball.tmp" "$tarball"
    rm -rf "$work/boot"
fi
step "unpacking the root"
mkdir -p "$root"
tar -xzf "$tarball" -C "$root"

bind() {
    mkdir -p "$root$2"
    mount --bind "$1" "$root$2"
    mounts="$root$2 $mounts"
}
mount -t proc proc "$root/proc"; mounts="$root/proc $mounts"
bind /dev /dev
# DPDK's EAL (the DPDK ovs-vswitchd below) reads the CPUs from /sys.
bind /sys /sys
bind "$cache/archives" /var/cache/apt/archives
cp /etc/resolv.conf "$root/etc/resolv.conf" 2>/dev/null || true
# Daemons are not started in the root (no init there).
printf '#!/bin/sh\nexit 101\n' > "$root/usr/sbin/policy-rc.d"
chmod +x "$root/usr/sbin/policy-rc.d"

in_root() { chroot "$root" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
    HOME=/root DEBIAN_FRONTEND=noninteractive LC_ALL=C.UTF-8 "$@"; }
apt_get() { in_root apt-get -o APT::Keep-Downloaded-Packages=true \
    -o Dpkg::Use-Pty=0 -q -y --no-install-recommends "$@"; }

# As on an installed Debian 12, with the security updates: the module
# source is the build host's linux-source-6.1, which may use what older 6.1
# kernels lack.
{ printf 'deb %s %s main\ndeb %s %s-updates main\n' \
      "$mirror" "$suite" "$mirror" "$suite"
  test -z "$security" || printf 'deb %s %s-security main\n' "$security" "$suite"
} > "$root/etc/apt/sources.list"
step "apt-get update"
apt_get update > "$work/apt.log" 2>&1 || { tail "$work/apt.log"; fail "apt-get update"; }

# What the packages depend on, and the kernel headers DKMS builds for, go
# in first: the file lists compared at the end then show our packages only.
deps=$(for d in "$work"/v1/*.deb; do
           dpkg-deb -f "$d" Depends Pre-Depends | sed 's/^[A-Za-z-]*: //'
       done | tr ',' '\n' | sed 's/^ *//;/^$/d' | grep -v '^l2mt-' | sort -u |
       paste -sd, -)
step "installing dependencies"
apt_get satisfy "$deps, linux-headers-amd64, dkms" >> "$work/apt.log" 2>&1 ||
    { tail -20 "$work/apt.log"; fail "installing the dependencies"; }

# File lists of the root, without the package manager's own state and
# depmod's indexes of a kernel (dkms runs depmod when it removes a module;
# on a hypervisor they belong to the kernel's package).
listing() {
    (cd "$root" && find . -xdev \
        \( -path ./var/lib/dpkg -o -path ./var/lib/apt -o -path ./var/cache \
           -o -path ./var/log -o -path ./tmp -o -path ./run -o -path ./proc \
           -o -path ./dev -o -path ./root \) -prune -o -print) |
        grep -v -e '^\./etc/ld\.so\.cache$' -e '^\./var/lib/systemd/deb-systemd-' \
             -e '^\./usr/lib/modules/[^/]*/modules\.[a-z.]*$' |
        sort
}
listing > "$work/files-before"

# --- 3. Install and run -----------------------------------------------------
step "installing the packages"
mkdir -p "$root/tmp/v1" "$root/tmp/v2"
cp "$work"/v1/*.deb "$root/tmp/v1/"
cp "$work"/v2/*.deb "$root/tmp/v2/"
# The .debs as the root sees them.
debs_in_root() { (cd "$root/tmp/$1" && ls -- *.deb) | sed "s|^|/tmp/$1/|"; }
# shellcheck disable=SC2046
apt_get install $(debs_in_root v1) > "$work/install.log" 2>&1 ||
    { cat "$work/install.log"; fail "apt-get install of the packages"; }

check() {
    desc=$1; shift
    if out=$(in_root "$@" 2>&1); then
        echo "ok: $desc"
    else
        echo "$out"
        fail "$desc: '$*' failed"
    fi
}
expect() {
    pattern=$1; shift
    out=$(in_root "$@" 2>&1) || true
    echo "$out" | grep -q -- "$pattern" ||
        { echo "$out"; fail "'$*' does not print '$pattern'"; }
    echo "ok: $* prints '$pattern'"
}
step "running the packaged programs"
expect 'Open vSwitch) 3\.1\.0' ovs-ofctl --version
expect 'Open vSwitch) 3\.1\.0' ovs-vswitchd --version
# The patched parser: stock Open vSwitch rejects the nat64 action.
expect 'actions=nat64:4toll6,NORMAL' ovs-ofctl parse-flow \
    'arp,actions=nat64(mode=4toll6,prefix=fe80::/96),normal'
expect 'usage: l2mt-agent' l2mt-agent --help
expect 'usage: l2mt-trace' l2mt-trace --help
expect 'l2mt-flowd' l2mt-flowd --help
expect 'l2mt-xlate' l2mt-xlate --help
expect 'l2mt-dpctl' l2mt-dpctl --help
check "the example config parses" \
    l2mt-agent --config=/etc/l2mt/l2mt.conf.example --host=hv1 check
# The packaged ovs-ctl (what the units run) creates the database and
# starts ovsdb-server; the agent plans against it.  (ovs-vswitchd would
# load the kernel module, which the host does not allow.)
check "ovs-ctl starts ovsdb-server" /usr/share/openvswitch/scripts/ovs-ctl \
    --no-ovs-vswitchd --no-monitor --system-id=random start
ovsdb_running=yes
expect 'add-br br-l2mt' l2mt-agent --config=/etc/l2mt/l2mt.conf.example \
    --host=hv1 --dry-run apply
# /usr/sbin/ovs-vswitchd is an alternative: the plain one (with AF_XDP) by
# default, the DPDK one when selected, as with Debian's
# openvswitch-switch-dpdk.  Each starts against the packaged database (no
# bridge: that would load the kernel module or make tap devices here); the
# DPDK one initialises DPDK without hugepages or NICs.
expect '/usr/lib/openvswitch-switch/ovs-vswitchd$' readlink -f /usr/sbin/ovs-vswitchd
vswitchd_starts () {
    check "$1 ovs-vswitchd starts" ovs-vswitchd --detach --no-chdir --pidfile \
        --log-file unix:/var/run/openvswitch/db.sock
    vswitchd_running=yes
    expect 'ovs-vswitchd (Open vSwitch) 3\.1\.0' ovs-appctl -t ovs-vswitchd version
}
vswitchd_stops () {
    check "$1 ovs-vswitchd exits" ovs-appctl -t ovs-vswitchd exit --cleanup
    vswitchd_running=
}
vswitchd_starts plain
expect 'afxdp' ovs-vsctl --timeout=30 wait-until Open_vSwitch . 'iface_types{>=}afxdp' \
    -- get Open_vSwitch . iface_types
vswitchd_stops plain
if ls "$work"/v1/l2mt-openvswitch-dpdk_*.deb >/dev/null 2>&1; then
    expect 'DPDK 22\.11' /usr/lib/openvswitch-switch-dpdk/ovs-vswitchd-dpdk --version
    check "select the DPDK ovs-vswitchd" update-alternatives --set ovs-vswitchd \
        /usr/lib/openvswitch-switch-dpdk/ovs-vswitchd-dpdk
    expect 'DPDK 22\.11' ovs-vswitchd --version
    check "DPDK options" ovs-vsctl --no-wait set Open_vSwitch . \
        other_config:dpdk-init=true \
        'other_config:dpdk-extra=--no-huge -m 256 --legacy-mem --no-pci --no-telemetry --no-shconf --file-prefix=l2mt-pkg'
    vswitchd_starts DPDK
    expect '^true$' ovs-vsctl --timeout=30 wait-until Open_vSwitch . \
        dpdk_initialized=true -- get Open_vSwitch . dpdk_initialized
    expect 'dpdk' ovs-vsctl get Open_vSwitch . iface_types
    vswitchd_stops DPDK
    check "DPDK options removed" ovs-vsctl --no-wait remove Open_vSwitch . \
        other_config dpdk-init dpdk-extra
    check "back to the plain ovs-vswitchd" update-alternatives --auto ovs-vswitchd
    expect '/usr/lib/openvswitch-switch/ovs-vswitchd$' readlink -f /usr/sbin/ovs-vswitchd
fi
check "ovs-ctl stops ovsdb-server" /usr/share/openvswitch/scripts/ovs-ctl \
    --no-ovs-vswitchd stop
ovsdb_running=
# l2mt-central: a one-member cluster (on loopback, the default), the
# packaged l2mt-ctl importing the example config into it.
check "l2mt-central creates and starts a one-member cluster" l2mt-central start
central_running=yes
expect 'Role: leader' l2mt-central status
check "l2mt-ctl imports the example config" \
    l2mt-ctl --timeout=30 import /etc/l2mt/l2mt.conf.example
expect '^host hv1' l2mt-ctl --timeout=30 show
expect '^host hv1 {' l2mt-ctl --timeout=30 export
# One agent following it: the packaged ovsdb-server and ovs-vswitchd with a
# user-space bridge, in a network namespace of its own (the bridge's tap
# device and the tunnel port stay there), and "l2mt-agent run --fleet"
# against the member's socket.  "l2mt-ctl --wait=hv" returns once the
# agent has the new tenant on its switch.
agent_netns=l2mt-pkg-$$
ip netns add "$agent_netns" || fail "ip netns add $agent_netns"
ip -n "$agent_netns" link set lo up
for p in pkgsvc1 pkgsvc2; do
    ip -n "$agent_netns" link add $p type veth peer name p$p &&
        ip -n "$agent_netns" link set $p up || fail "veth $p"
done
in_ns() { ip netns exec "$agent_netns" chroot "$root" env -i \
    PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LC_ALL=C.UTF-8 "$@"; }
printf '%s\n' 'host pkg1 {' '    bridge br-pkg' '    datapath netdev' '}' \
    'tenant 1 {' '    remote 10.0.0.1' '    service-v4-port pkgsvc1' \
    '    nat64 off' '}' > "$root/tmp/fleet.conf"
check "l2mt-ctl imports the agent's config" \
    l2mt-ctl --timeout=30 import /tmp/fleet.conf
check "ovs-ctl starts ovsdb-server again" /usr/share/openvswitch/scripts/ovs-ctl \
    --no-ovs-vswitchd --no-monitor --system-id=random start
ovsdb_running=yes
in_ns ovs-vswitchd --detach --no-chdir --pidfile --log-file \
    unix:/var/run/openvswitch/db.sock || fail "ovs-vswitchd in $agent_netns"
vswitchd_running=yes
in_ns l2mt-agent --fleet=unix:/run/l2mt/l2mt-db.sock --host=pkg1 \
    -c /tmp/fleet-kept.conf --inventory=/tmp/l2mt-inventory.json \
    --interval=1 --detach --no-chdir \
    --pidfile=/tmp/l2mt-agent.pid --log-file=/tmp/l2mt-agent.log run ||
    { cat "$root/tmp/l2mt-agent.log"; fail "l2mt-agent run --fleet"; }
check "l2mt-agent acknowledges the database (--wait=hv)" \
    l2mt-ctl --timeout=60 --wait=hv tenant-add 2 pkgsvc2 10.0.0.1
expect '^gre2$' ovs-vsctl --timeout=30 list-ports br-pkg
expect 'in_port=pkgsvc2' ovs-ofctl --names --no-stats dump-flows br-pkg
expect 'service-v4-port pkgsvc2' cat /tmp/fleet-kept.conf
expect '^pkg1 cur_cfg=[1-9][0-9]* applied=[1-9]' l2mt-ctl --timeout=30 host-list
kill "$(cat "$root/tmp/l2mt-agent.pid")"
check "ovs-vswitchd exits" ovs-appctl -t ovs-vswitchd exit --cleanup
vswitchd_running=
check "ovs-ctl stops ovsdb-server" /usr/share/openvswitch/scripts/ovs-ctl \
    --no-ovs-vswitchd stop
ovsdb_running=
ip netns del "$agent_netns"
agent_netns=
check "l2mt-central stops" l2mt-central stop
central_running=
test -f "$root/lib/systemd/system/openvswitch-switch.service" ||
    fail "no openvswitch-switch.service"
for u in ovsdb-server ovs-vswitchd l2mt-agent l2mt-flowd l2mt-central; do
    test -f "$root/lib/systemd/system/$u.service" || fail "no $u.service"
done
test -L "$root/etc/systemd/system/multi-user.target.wants/openvswitch-switch.service" ||
    fail "openvswitch-switch.service is not enabled"
for m in ovs-vswitchd.8 l2mt-agent.8 l2mt-trace.8 l2mt.conf.5 l2mt-flowd.8 l2mt-xlate.1 \
         l2mt-dpctl.8 ovs-actions.7 l2mt-ctl.8 l2mt-db.5 l2mt-central.8; do
    ls "$root"/usr/share/man/man*/"$m".gz >/dev/null 2>&1 || fail "no man page $m"
done
echo "ok: units and man pages"
# httpd loads mod_l2mt as the package enables it (every symbol resolved).
if test -f "$root/etc/apache2/mods-available/l2mt.load"; then
    cat > "$root/tmp/httpd-l2mt.conf" <<'EOF'
PidFile /tmp/httpd-l2mt.pid
Mutex file:/tmp
ErrorLog /dev/stderr
LoadModule mpm_prefork_module /usr/lib/apache2/modules/mod_mpm_prefork.so
Include /etc/apache2/mods-available/l2mt.load
Listen 127.0.0.1:8
EOF
    expect 'Syntax OK' apache2 -t -f /tmp/httpd-l2mt.conf
fi

step "DKMS build for linux-headers-amd64"
kver=$(cd "$root/usr/src" && ls -d linux-headers-*-amd64 | sed 's/^linux-headers-//' |
       sort -V | tail -1)
test -n "$kver" || fail "no linux-headers in the root"
dver=$(ls "$root/usr/src" | sed -n 's/^l2mt-datapath-//p')
test -n "$dver" || fail "no /usr/src/l2mt-datapath-*"
if ! in_root dkms status -m l2mt-datapath -v "$dver" -k "$kver" | grep -q installed; then
    in_root dkms build -m l2mt-datapath -v "$dver" -k "$kver" > "$work/dkms.log" 2>&1 ||
        { cat "$work/dkms.log" "$root/var/lib/dkms/l2mt-datapath/$dver/build/make.log" 2>/dev/null; fail "dkms build"; }
    in_root dkms install -m l2mt-datapath -v "$dver" -k "$kver" >> "$work/dkms.log" 2>&1 ||
        { cat "$work/dkms.log"; fail "dkms install"; }
fi
in_root dkms status
ko=$(ls "$root/lib/modules/$kver/updates/dkms/openvswitch.ko"* 2>/dev/null | head -1)
test -n "$ko" || fail "openvswitch.ko not installed for $kver"
expect "vermagic: *$kver" modinfo "${ko#"$root"}"
# The module carries the translator (its counters' netlink family).
case $ko in
*.xz) xz -dc "$ko" ;;
*.zst) zstd -dc "$ko" ;;
*) cat "$ko" ;;
esac | grep -a -q l2mt_counters || fail "openvswitch.ko has no l2mt counters"
echo "ok: openvswitch.ko with the nat64 action for $kver"

# The multi-tenant demo (tests/system-multitenant.sh: three tenants with the
# same addresses, GRE, nat64, one service namespace) on the packaged Open
# vSwitch: its rig takes an OVS build tree, so it gets one made of links to
# the installed programs.  They run on this host, in network namespaces
# made here, with the same Debian 12 libraries as in the root.
demo=$top_srcdir/tests/system-multitenant.sh
if test "${L2MT_PKG_DEMO:-1}" = 0; then
    echo "demo: skipped (L2MT_PKG_DEMO=0)"
elif test ! -f "$demo" || test -z "$src"; then
    echo "demo: skipped (no tests/system-multitenant.sh or no build tree)"
else
    step "the multi-tenant demo on the packaged Open vSwitch"
    make -C "$src" tests/scope-server > "$work/demo-build.log" 2>&1 ||
        { cat "$work/demo-build.log"; fail "building tests/scope-server"; }
    farm=$work/ovs-farm
    mkdir -p "$farm/vswitchd" "$farm/ovsdb" "$farm/utilities"
    # (/usr/sbin/ovs-vswitchd is an alternatives link, valid in the root.)
    ln -s "$root/usr/lib/openvswitch-switch/ovs-vswitchd" "$farm/vswitchd/ovs-vswitchd"
    ln -s "$root/usr/share/openvswitch/vswitch.ovsschema" "$farm/vswitchd/"
    ln -s "$root/usr/sbin/ovsdb-server" "$farm/ovsdb/ovsdb-server"
    ln -s "$root/usr/bin/ovsdb-tool" "$farm/ovsdb/ovsdb-tool"
    for p in ovs-vsctl ovs-ofctl ovs-appctl ovs-dpctl; do
        ln -s "$root/usr/bin/$p" "$farm/utilities/$p"
    done
    rc=0
    top_srcdir=$src top_builddir=$src L2MT_OVS_BUILDDIR=$farm \
        bash "$src/tests/system-multitenant.sh" > "$work/demo.log" 2>&1 || rc=$?
    case $rc in
    0) tail -3 "$work/demo.log"
       echo "ok: multi-tenant demo on the packaged binaries" ;;
    77) tail -3 "$work/demo.log"; echo "demo: skipped by its rig" ;;
    *) cat "$work/demo.log"; fail "the multi-tenant demo failed on the packaged binaries" ;;
    esac
fi

# --- 4. Upgrade and purge ---------------------------------------------------
step "upgrading to version+1"
echo '# changed by the operator' >> "$root/etc/l2mt/l2mt.conf.example"
# shellcheck disable=SC2046
apt_get -o Dpkg::Options::=--force-confold install $(debs_in_root v2) \
    > "$work/upgrade.log" 2>&1 || { cat "$work/upgrade.log"; fail "upgrade"; }
v2=$(dpkg-deb -f "$(ls "$work"/v2/l2mt-agent_*.deb)" Version)
for p in $pkgs; do
    test "$(in_root dpkg-query -W -f '${Version}' "$p")" = "$v2" ||
        fail "$p is not at $v2 after the upgrade"
done
grep -q 'changed by the operator' "$root/etc/l2mt/l2mt.conf.example" ||
    fail "the upgrade lost a changed conffile"
in_root dkms status -m l2mt-datapath | grep -q installed ||
    fail "the module is not installed after the upgrade"
expect 'usage: l2mt-agent' l2mt-agent --help
echo "ok: upgraded to $v2"

step "purging"
# ovs-ctl left the database, the system id and logs: purge removes them.
test -f "$root/etc/openvswitch/conf.db" || fail "ovs-ctl made no database"
# shellcheck disable=SC2086
apt_get purge $pkgs > "$work/purge.log" 2>&1 || { cat "$work/purge.log"; fail "purge"; }
listing > "$work/files-after"
if ! diff -u "$work/files-before" "$work/files-after" > "$work/files.diff"; then
    cat "$work/files.diff"
    fail "install, upgrade and purge changed the file list"
fi
echo "ok: no file left after purge"

step "done"
echo "$me: PASS in $(($(date +%s) - start)) s"
