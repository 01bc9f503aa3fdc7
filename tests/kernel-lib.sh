# Copyright (c) 2026 The l2mt authors.
# Licensed under the Apache License, Version 2.0.
#
# Host side of the kernel tests: packs an initramfs (busybox, iproute2,
# the OVS user space from $L2MT_OVS_BUILDDIR with its libraries, the
# modules, tests/kernel-guest.sh as /init and a scenario as /scenario),
# boots Debian's kernel under qemu (TCG) and reads the verdict from the
# serial console.  Usage from a test:
#
#   . "$top_srcdir/tests/kernel-lib.sh"
#   kernel_run NAME ours|stock SCENARIO-FILE [SECONDS]
#
# kernel_run returns 0 (pass), 77 (skip, with the reason) or 1 (fail,
# with the console log).  Its work directory is in $TEST_DIR
# (tests/lib.sh), which L2MT_KEEP=1 keeps.
#
# A test may set, before kernel_run: K_EXTRA_BINS (more executables, with
# their libraries), K_EXTRA_MODULES (more modules, paths relative to
# /lib/modules/VERSION, loaded after the others with their dependencies),
# K_QEMU_ARGS (more qemu options) and define kernel_pack_extra, called
# with $K_ROOT filled, just before it is packed.

: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
. "$top_srcdir/tests/lib.sh"
: "${L2MT_KVER:=$(ls -d /usr/src/linux-headers-*-amd64 2>/dev/null | sort -V | tail -1 | sed 's,.*/linux-headers-,,')}"
: "${L2MT_KMOD_DIR:=$top_builddir/_kmod/net/openvswitch}"

kernel_log () {
    echo "$(date -u +%Y-%m-%dT%H:%M:%S.000Z)|kernel-test|INFO|$*"
}

kernel_skip () {
    echo "SKIP: $*"
    return 77
}

# kernel_check_host MODSET: returns 77 with the reason when the guest
# cannot be built or booted here.
kernel_check_host () {
    if [ -n "${L2MT_KERNEL_MISSING:-}" ]; then
        kernel_skip "kernel datapath: $L2MT_KERNEL_MISSING"
        return
    fi
    for _c in qemu-system-x86_64 cpio gzip timeout; do
        command -v $_c >/dev/null 2>&1 || {
            kernel_skip "$_c is not installed (see tools/deps/kernel)"
            return
        }
    done
    for _f in /bin/busybox /sbin/ip /usr/sbin/ethtool \
              "/boot/vmlinuz-$L2MT_KVER" \
              "/lib/modules/$L2MT_KVER/modules.dep"; do
        [ -e "$_f" ] || {
            kernel_skip "$_f is missing (see tools/deps/kernel)"
            return
        }
    done
    if [ ! -x "${L2MT_OVS_BUILDDIR:-}/vswitchd/ovs-vswitchd" ]; then
        kernel_skip "no Open vSwitch build at '${L2MT_OVS_BUILDDIR:-\$L2MT_OVS_BUILDDIR}'"
        return
    fi
    if [ "$1" = ours ] && [ ! -f "$L2MT_KMOD_DIR/openvswitch.ko" ]; then
        echo "FAIL: $L2MT_KMOD_DIR/openvswitch.ko was not built (make kmod)"
        return 1
    fi
    return 0
}

# kernel_copy_bin FILE DEST-DIR: copies an executable and the shared
# libraries it needs (ldd) into the root.
kernel_copy_bin () {
    mkdir -p "$K_ROOT$2"
    cp -L "$1" "$K_ROOT$2/"
    ldd "$1" 2>/dev/null | awk '/=> \// { print $3 } /^\t\// { print $1 }' |
    while read -r _lib; do
        if [ ! -e "$K_ROOT$_lib" ]; then
            mkdir -p "$K_ROOT$(dirname "$_lib")"
            cp -L "$_lib" "$K_ROOT$_lib"
        fi
    done
}

# kernel_modules MODSET: copies the modules in load order, ours replacing
# the stock openvswitch and vport-gre with MODSET=ours.
kernel_modules () {
    _mdir=/lib/modules/$L2MT_KVER
    mkdir -p "$K_ROOT/modules"
    # crc32c_generic first: libcrc32c asks for the algorithm at load time.
    for _m in kernel/crypto/crc32c_generic.ko \
              kernel/net/openvswitch/vport-gre.ko \
              kernel/drivers/net/veth.ko kernel/drivers/net/tun.ko \
              ${K_EXTRA_MODULES:-}; do
        # modules.dep lists a module's dependencies, deepest last.
        grep -q "^$_m:" "$_mdir/modules.dep" ||
            echo "kernel-lib: $_m is not in modules.dep" >&2
        _deps=$(grep "^$_m:" "$_mdir/modules.dep" | cut -d: -f2)
        for _d in $(echo "$_deps" | tr ' ' '\n' | tac) $_m; do
            echo "$_d"
        done
    done | awk '!seen[$0]++' > "$K_WORK/modules.order"
    _n=10
    while read -r _m; do
        _kname=$(basename "$_m")
        _src=$_mdir/$_m
        if [ "$1" = ours ] && [ -f "$L2MT_KMOD_DIR/$_kname" ]; then
            _src=$L2MT_KMOD_DIR/$_kname
        fi
        cp "$_src" "$K_ROOT/modules/$_n-$_kname"
        _n=$((_n + 1))
    done < "$K_WORK/modules.order"
}

# kernel_pack MODSET SCENARIO: builds $K_WORK/initrd.gz.
kernel_pack () {
    K_ROOT=$K_WORK/root
    rm -rf "$K_ROOT"
    mkdir -p "$K_ROOT/bin" "$K_ROOT/sbin" "$K_ROOT/ovs" "$K_ROOT/proc" \
             "$K_ROOT/sys" "$K_ROOT/dev" "$K_ROOT/run" "$K_ROOT/tmp" \
             "$K_ROOT/etc" "$K_ROOT/var/run/netns"
    cp /bin/busybox "$K_ROOT/bin/"
    for _a in $(/bin/busybox --list); do
        case $_a in ip|busybox) ;; *) ln -s busybox "$K_ROOT/bin/$_a" ;; esac
    done
    kernel_copy_bin /sbin/ip /sbin
    for _b in vswitchd/ovs-vswitchd ovsdb/ovsdb-server ovsdb/ovsdb-tool \
              utilities/ovs-vsctl utilities/ovs-ofctl utilities/ovs-appctl \
              utilities/ovs-dpctl; do
        kernel_copy_bin "$L2MT_OVS_BUILDDIR/$_b" /ovs
    done
    cp "$L2MT_OVS_BUILDDIR/vswitchd/vswitch.ovsschema" "$K_ROOT/ovs/"
    kernel_copy_bin "$top_builddir/tests/kernel-probe" /bin
    if [ -x "$top_builddir/utilities/l2mt-dpctl" ]; then
        kernel_copy_bin "$top_builddir/utilities/l2mt-dpctl" /bin
    fi
    for _b in ethtool ${K_EXTRA_BINS:-}; do
        kernel_copy_bin "$(command -v "$_b" || echo "/usr/sbin/$_b")" /bin
    done
    kernel_modules "$1"
    # Debug info is most of the size: strip it to unpack faster.
    if command -v strip >/dev/null 2>&1; then
        strip --strip-debug "$K_ROOT"/modules/*.ko
        strip --strip-unneeded "$K_ROOT"/ovs/ovs* 2>/dev/null || true
    fi
    echo 'root:x:0:0:root:/root:/bin/sh' > "$K_ROOT/etc/passwd"
    echo 'root:x:0:' > "$K_ROOT/etc/group"
    cp "$top_srcdir/tests/kernel-guest.sh" "$K_ROOT/init"
    cp "$2" "$K_ROOT/scenario"
    chmod +x "$K_ROOT/init"
    if type kernel_pack_extra > /dev/null 2>&1; then
        kernel_pack_extra
    fi
    (cd "$K_ROOT" && find . | cpio -o -H newc --quiet) | gzip -1 \
        > "$K_WORK/initrd.gz"
}

# kernel_boot SECONDS: boots the guest; its console goes to
# $K_WORK/console.log.  no_timer_check: on a loaded host, TCG can be so
# slow that the kernel's early check of the timer interrupt fails and it
# panics ("IO-APIC + timer doesn't work"); the timer works, it is late.
kernel_boot () {
    timeout "$1" qemu-system-x86_64 -accel tcg -m 1024 \
        -smp "${K_SMP:-1}" -nographic -no-reboot -nic none ${K_QEMU_ARGS:-} \
        -kernel "/boot/vmlinuz-$L2MT_KVER" -initrd "$K_WORK/initrd.gz" \
        -append "console=ttyS0 panic=-1 oops=panic quiet loglevel=4 no_timer_check" \
        < /dev/null > "$K_WORK/console.log" 2>&1
}

kernel_run () {
    _name=$1
    _modset=$2
    _scenario=$3
    _seconds=${4:-300}
    kernel_check_host "$_modset" || return
    K_WORK=$(mktemp -d "$TEST_DIR/$_name.XXXXXX")
    _t0=$(date +%s)
    kernel_pack "$_modset" "$_scenario"
    _t1=$(date +%s)
    kernel_log "$_name: initramfs $(du -k "$K_WORK/initrd.gz" | cut -f1) KiB in $((_t1 - _t0)) s, booting ($_modset modules)"
    kernel_boot "$_seconds"
    _rc=$?
    _t2=$(date +%s)
    # The guest's own lines, for the test log.
    grep -a '^\(guest\|PASS\|FAIL\|SKIP\|L2MT\|INFO\|BENCH\|    \)' "$K_WORK/console.log" || true
    kernel_log "$_name: guest ran $((_t2 - _t1)) s (qemu exit $_rc)"
    case $(grep -a '^L2MT-RESULT:' "$K_WORK/console.log" | tail -1) in
    "L2MT-RESULT: PASS"*)
        return 0 ;;
    "L2MT-RESULT: SKIP"*)
        return 77 ;;
    esac
    echo "FAIL: no passing result from the guest; console log:"
    tail -n 80 "$K_WORK/console.log"
    return 1
}
