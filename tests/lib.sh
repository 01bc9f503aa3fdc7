# Copyright (c) 2026 The l2mt authors.
# Licensed under the Apache License, Version 2.0.
#
# What every shell test needs, written once (sourced; POSIX sh plus
# 'local', so /bin/sh and bash tests alike).  The domain libraries
# (tests/agent-lib.sh, fleet-lib.sh, flowd-lib.sh, system-lib.sh,
# service-lib.sh, xlate-lib.sh, kernel-lib.sh) source it and add only what
# is theirs.  See Documentation/testing.md.
#
#   verdicts     pass, skip (77), fail; soft checks: expect, expect_eq,
#                soft_fail, then finish
#   waiting      wait_for SECONDS|DESCRIPTION COMMAND... (bounded in tries
#                and in time)
#   files        $TEST_DIR, private to this run, removed on exit
#                (L2MT_KEEP=1 keeps it)
#   cleanup      one EXIT trap: on_exit hooks, then $TEST_PIDS, the OVS
#                daemons, the namespaces; spawn starts a process it stops
#   namespaces   netns_add, veth_add
#   Open vSwitch ovs_start DIR [NETNS] (ovsdb-server + ovs-vswitchd of the
#                patched build $L2MT_OVS_BUILDDIR, user-space datapath only,
#                every file in DIR), ovs_stop, ovs_kill, ovs_daemon,
#                ovs_vsctl/ovs_ofctl/ovs_appctl DIR ARGS...
#   prerequisites require_root, require_netns, require_cmd, require_ovs

# Sourced once, however many domain libraries a test uses.
if [ -z "${_l2mt_test_lib:-}" ]; then
_l2mt_test_lib=1

: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
test_name=${test_name:-$(basename "$0" .sh)}

# Verdicts ------------------------------------------------------------------

TEST_CHECKS=0
TEST_FAILURES=0
# Files (globs) whose last lines a failing test shows, e.g. "$TEST_DIR/*.log".
TEST_SHOW_LOGS=${TEST_SHOW_LOGS:-}

# skip REASON: the test cannot run here (exit 77).
skip () {
    echo "SKIP: $*"
    exit 77
}

# test_fail REASON: the test failed (exit 1), after the last lines of the
# files in $TEST_SHOW_LOGS.  'fail' is the same unless a domain library
# makes it a soft failure (xlate-lib.sh), so this library calls test_fail.
test_fail () {
    local _f
    echo "FAIL: $*"
    for _f in $TEST_SHOW_LOGS; do
        [ -f "$_f" ] && { echo "--- $_f"; tail -n 30 "$_f"; }
    done
    exit 1
}

fail () {
    test_fail "$@"
}

# pass [MESSAGE]: the test passed.
pass () {
    echo "PASS${*:+: $*}"
    exit 0
}

# check DESCRIPTION COMMAND...: the test fails at once unless COMMAND
# succeeds.
check () {
    local _what=$1
    shift
    "$@" || test_fail "$_what"
    echo "ok: $_what"
}

# soft_fail MESSAGE: a failed check that lets the test go on (finish
# gives the verdict).
soft_fail () {
    echo "FAIL: $*"
    TEST_CHECKS=$((TEST_CHECKS + 1))
    TEST_FAILURES=$((TEST_FAILURES + 1))
}

# expect DESCRIPTION COMMAND...: a soft check of COMMAND's status.
expect () {
    local _what=$1
    shift
    if "$@"; then
        TEST_CHECKS=$((TEST_CHECKS + 1))
        echo "ok: $_what"
    else
        soft_fail "$_what"
    fi
}

# expect_eq DESCRIPTION GOT WANT: a soft check that GOT is WANT.
expect_eq () {
    if [ "$2" = "$3" ]; then
        TEST_CHECKS=$((TEST_CHECKS + 1))
        echo "ok: $1 = $2"
    else
        soft_fail "$1 = $2, expected $3"
    fi
}

# checks_passed: true unless a soft check failed (says how many).
checks_passed () {
    if [ "$TEST_FAILURES" != 0 ]; then
        echo "$TEST_FAILURES of $TEST_CHECKS check(s) failed"
        return 1
    fi
    # (Tests that count only failures, with fail redefined, count 0.)
    if [ "$TEST_CHECKS" = 0 ]; then
        echo "all checks passed"
    else
        echo "all $TEST_CHECKS checks passed"
    fi
}

# finish: exits with the soft checks' verdict.
finish () {
    checks_passed || exit 1
    exit 0
}

# Waiting -------------------------------------------------------------------

# wait_for SECONDS COMMAND...: runs COMMAND (its output thrown away) every
# 0.1 s until it succeeds; returns 1 after SECONDS of wall clock or
# SECONDS * 10 tries, whichever comes first.
# wait_for DESCRIPTION COMMAND...: the same for $TEST_WAIT (10) seconds;
# the test fails ("timed out waiting for DESCRIPTION") if it never does.
wait_for () {
    local _what=$1 _secs _n=0 _end
    shift
    case $_what in
    ''|*[!0-9]*) _secs=${TEST_WAIT:-10} ;;
    *) _secs=$_what _what= ;;
    esac
    # date +%s has whole seconds: +1 waits at least SECONDS.
    _end=$(($(date +%s) + _secs + 1))
    until "$@" >/dev/null 2>&1; do
        _n=$((_n + 1))
        if [ $_n -ge $((_secs * 10)) ] || [ "$(date +%s)" -ge $_end ]; then
            [ -n "$_what" ] && test_fail "timed out waiting for $_what"
            return 1
        fi
        sleep 0.1
    done
}

# Files and cleanup ---------------------------------------------------------

TEST_DIR=$(mktemp -d "${TMPDIR:-/tmp}/$test_name.$$.XXXXXX") || exit 99
TEST_PIDS=
TEST_NETNS=
TEST_PIDFILES=
_test_hooks=

# on_exit COMMAND: evaluated on exit, before the rest of the cleanup, the
# last registered first; $TEST_STATUS is the test's exit status.  One line
# (a function for more).
on_exit () {
    _test_hooks="$*
$_test_hooks"
}

# alive PID: PID runs (a zombie waiting for its reaper does not).
alive () {
    local _state
    # (It may end while we read.)
    _state=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null) || return 1
    [ -n "$_state" ] && [ "${_state%% *}" != Z ]
}

# stop_pids PID...: SIGTERM to all (SIGCONT first: a stopped process
# cannot exit), SIGKILL to those still running after 5 s.
stop_pids () {
    local _pid _n=0 _left
    [ $# = 0 ] && return 0
    kill -CONT "$@" 2>/dev/null
    kill "$@" 2>/dev/null
    while [ $_n -lt 50 ]; do
        _left=
        for _pid in "$@"; do
            alive "$_pid" && _left="$_left $_pid"
        done
        [ -z "$_left" ] && break
        sleep 0.1
        _n=$((_n + 1))
    done
    # shellcheck disable=SC2086
    [ -n "$_left" ] && kill -9 $_left 2>/dev/null
    for _pid in "$@"; do
        wait "$_pid" 2>/dev/null
    done
    return 0
}

# spawn [--netns=NS] LOGFILE COMMAND...: starts COMMAND in the background
# (in NS), output to LOGFILE; sets $SPAWNED to its pid and stops it on
# exit.
spawn () {
    local _ns=
    case $1 in --netns=*) _ns=${1#--netns=}; shift ;; esac
    local _log=$1
    shift
    if [ -n "$_ns" ]; then
        ip netns exec "$_ns" "$@" > "$_log" 2>&1 &
    else
        "$@" > "$_log" 2>&1 &
    fi
    SPAWNED=$!
    TEST_PIDS="$TEST_PIDS $SPAWNED"
}

# test_cleanup: the EXIT trap (a test that sets its own calls it).
test_cleanup () {
    # First: 'local' would reset $?.
    TEST_STATUS=$?
    local _hook _pids _f _ns
    set +e
    # Hooks first: they may want the daemons and namespaces still there.
    while IFS= read -r _hook; do
        [ -n "$_hook" ] && eval "$_hook"
    done <<EOF
$_test_hooks
EOF
    # Every process at once: OVS daemons take a while to exit.
    _pids=$TEST_PIDS
    for _f in $TEST_PIDFILES; do
        [ -f "$_f" ] && _pids="$_pids $(cat "$_f")"
    done
    # shellcheck disable=SC2086
    stop_pids $_pids
    for _ns in $TEST_NETNS; do
        ip netns pids "$_ns" 2>/dev/null | xargs -r kill -9 2>/dev/null
        ip netns del "$_ns" 2>/dev/null
    done
    if [ "${L2MT_KEEP:-0}" = 1 ]; then
        echo "kept $TEST_DIR"
    else
        rm -rf "$TEST_DIR"
    fi
    # No 'exit' here: the test's own exit status stands.
}
trap test_cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM HUP

# Prerequisites -------------------------------------------------------------

require_root () {
    [ "$(id -u)" = 0 ] || skip "needs root (${*:-network namespaces})"
}

# require_netns: root, and network namespaces can be made here.
require_netns () {
    require_root
    ip netns add "l2mt-probe$$" 2>/dev/null ||
        skip "cannot make network namespaces here"
    ip netns del "l2mt-probe$$"
}

# require_cmd COMMAND...: each is installed.
require_cmd () {
    local _c
    for _c in "$@"; do
        command -v "$_c" >/dev/null 2>&1 ||
            skip "$_c is not installed (see tools/deps/)"
    done
}

# require_ovs: the Open vSwitch build at $L2MT_OVS_BUILDDIR has the
# daemons and tools; sets $OVS_BUILD and puts its programs first on PATH.
require_ovs () {
    local _f
    OVS_BUILD=${L2MT_OVS_BUILDDIR:-}
    for _f in vswitchd/ovs-vswitchd ovsdb/ovsdb-server ovsdb/ovsdb-tool \
              ovsdb/ovsdb-client utilities/ovs-vsctl utilities/ovs-ofctl \
              utilities/ovs-appctl; do
        [ -n "$OVS_BUILD" ] && [ -x "$OVS_BUILD/$_f" ] ||
            skip "no Open vSwitch build at '${OVS_BUILD:-\$L2MT_OVS_BUILDDIR}' ($_f)"
    done
    PATH=$OVS_BUILD/utilities:$OVS_BUILD/vswitchd:$OVS_BUILD/ovsdb:$PATH
    export PATH
}

# ovs_has_nat64: this OVS build knows the nat64 action (the patched one).
ovs_has_nat64 () {
    "$OVS_BUILD/utilities/ovs-ofctl" parse-flow \
        'in_port=1,ip,actions=nat64:4toll6,output:2' >/dev/null 2>&1
}

# Network namespaces --------------------------------------------------------

# netns_add [--static-ipv6] NAME...: namespaces with lo up, deleted on exit
# (with whatever still runs in them).  --static-ipv6: no automatic IPv6
# addresses, router solicitations, RAs or DAD: only what the test sets.
netns_add () {
    local _static= _ns _c
    [ "$1" = --static-ipv6 ] && { _static=1; shift; }
    for _ns in "$@"; do
        ip netns add "$_ns" || test_fail "ip netns add $_ns"
        TEST_NETNS="$TEST_NETNS $_ns"
        ip -n "$_ns" link set lo up
        [ -n "$_static" ] || continue
        for _c in default all; do
            ip netns exec "$_ns" sysctl -q \
               -w net.ipv6.conf.$_c.addr_gen_mode=1 \
               -w net.ipv6.conf.$_c.router_solicitations=0 \
               -w net.ipv6.conf.$_c.accept_ra=0 \
               -w net.ipv6.conf.$_c.accept_dad=0 >/dev/null ||
                test_fail "sysctl in $_ns"
        done
    done
}

# veth_add [--mtu=N] [--tx-off] [--no-ll] NS1 IF1 NS2 IF2: a veth pair
# IF1 (in namespace NS1) -- IF2 (in NS2), both up; --tx-off: no TX
# checksum offload (OVS's user-space datapath forwards partial checksums
# as they are); --no-ll: no automatic link-local address.  Returns 1 if
# the pair cannot be made.
veth_add () {
    local _mtu= _tx= _ll= _end
    while :; do
        case $1 in
        --mtu=*) _mtu="mtu ${1#--mtu=}" ;;
        --tx-off) _tx=1 ;;
        --no-ll) _ll=1 ;;
        *) break ;;
        esac
        shift
    done
    # shellcheck disable=SC2086
    ip -n "$1" link add "$2" $_mtu type veth peer name "$4" $_mtu \
        netns "$3" || return 1
    for _end in "$1 $2" "$3 $4"; do
        set -- $_end
        if [ -n "$_tx" ]; then
            ip netns exec "$1" ethtool -K "$2" tx off >/dev/null 2>&1 ||
                return 1
        fi
        [ -z "$_ll" ] || ip -n "$1" link set "$2" addrgenmode none ||
            return 1
        ip -n "$1" link set "$2" up || return 1
    done
}

# Open vSwitch --------------------------------------------------------------
#
# An instance is a directory DIR holding its files: conf.db, db.sock,
# ovsdb-server.{pid,ctl,log}, ovs-vswitchd.{pid,ctl,log} and, as its
# OVS_RUNDIR, the bridges' management sockets.

# ovs_env DIR: exports OVS_RUNDIR and the other OVS_*DIR for DIR (the
# tools run by name, e.g. 'ovs-ofctl dump-flows BRIDGE', find it there).
ovs_env () {
    OVS_RUNDIR=$1 OVS_DBDIR=$1 OVS_LOGDIR=$1 OVS_SYSCONFDIR=$1
    OVS_PKGDATADIR=$1
    export OVS_RUNDIR OVS_DBDIR OVS_LOGDIR OVS_SYSCONFDIR OVS_PKGDATADIR
}

# ovs_daemon [--netns=NS] DIR NAME PROGRAM ARGS...: starts PROGRAM
# (ovsdb-server or ovs-vswitchd of $OVS_BUILD) detached, in NS if given,
# with its pid, control socket and log DIR/NAME.{pid,ctl,log}; stopped on
# exit.  The test fails if it does not start.
ovs_daemon () {
    local _in= _dir _name _prog
    case $1 in --netns=*) _in="ip netns exec ${1#--netns=}"; shift ;; esac
    _dir=$1 _name=$2 _prog=$3
    shift 3
    case $_prog in
    ovsdb-server) _prog=$OVS_BUILD/ovsdb/ovsdb-server ;;
    ovs-vswitchd) _prog=$OVS_BUILD/vswitchd/ovs-vswitchd ;;
    esac
    mkdir -p "$_dir"
    TEST_PIDFILES="$TEST_PIDFILES $_dir/$_name.pid"
    # shellcheck disable=SC2086
    (ovs_env "$_dir"; exec $_in "$_prog" "$@" --pidfile="$_dir/$_name.pid" \
        --unixctl="$_dir/$_name.ctl" --log-file="$_dir/$_name.log" \
        -vconsole:off --detach --no-chdir) 2>>"$_dir/$_name.err" || {
        cat "$_dir/$_name.err"
        tail -n 20 "$_dir/$_name.log" 2>/dev/null
        test_fail "$(basename "$_prog") $_name did not start"
    }
}

# ovs_db_start DIR [NETNS]: the instance's ovsdb-server (on DIR/conf.db).
ovs_db_start () {
    ovs_daemon ${2:+--netns="$2"} "$1" ovsdb-server ovsdb-server \
        "$1/conf.db" --remote="punix:$1/db.sock"
}

# ovs_vswitchd_start DIR [NETNS]: the instance's ovs-vswitchd, which may
# only use the user-space datapath (bridges with datapath_type=netdev):
# nothing a test does reaches the host kernel's openvswitch module.
ovs_vswitchd_start () {
    ovs_daemon ${2:+--netns="$2"} "$1" ovs-vswitchd ovs-vswitchd \
        "unix:$1/db.sock" --disable-system
}

# ovs_start DIR [NETNS]: ovsdb-server (a new database unless DIR has one)
# and ovs-vswitchd of instance DIR, in namespace NETNS if given.
ovs_start () {
    mkdir -p "$1" || test_fail "mkdir $1"
    [ -f "$1/conf.db" ] || "$OVS_BUILD/ovsdb/ovsdb-tool" create \
        "$1/conf.db" "$OVS_BUILD/vswitchd/vswitch.ovsschema" ||
        test_fail "ovsdb-tool create $1/conf.db"
    ovs_db_start "$1" "${2:-}"
    ovs_vsctl "$1" --no-wait init || test_fail "ovs-vsctl init ($1)"
    ovs_vswitchd_start "$1" "${2:-}"
}

# ovs_kill DIR DAEMON: kills DAEMON (ovsdb-server or ovs-vswitchd) of
# instance DIR hard, as a crash would, and waits (5 s at most) until it
# is gone.
ovs_kill () {
    local _pid
    _pid=$(cat "$1/$2.pid" 2>/dev/null) || return 0
    kill -9 "$_pid" 2>/dev/null
    wait_for 5 sh -c "! kill -0 $_pid 2>/dev/null"
    rm -f "$1/$2.pid"
}

# ovs_stop DIR: stops instance DIR's daemons (SIGTERM, SIGKILL after 5 s).
ovs_stop () {
    local _pids= _d
    for _d in ovs-vswitchd ovsdb-server; do
        [ -f "$1/$_d.pid" ] && _pids="$_pids $(cat "$1/$_d.pid")"
    done
    # shellcheck disable=SC2086
    stop_pids $_pids
    rm -f "$1/ovs-vswitchd.pid" "$1/ovsdb-server.pid"
}

# The tools, aimed at instance DIR.
ovs_vsctl () {
    local _d=$1
    shift
    "$OVS_BUILD/utilities/ovs-vsctl" --db="unix:$_d/db.sock" --timeout=20 \
        "$@"
}

ovs_ofctl () {
    local _d=$1
    shift
    OVS_RUNDIR=$_d "$OVS_BUILD/utilities/ovs-ofctl" "$@"
}

ovs_appctl () {
    local _d=$1
    shift
    "$OVS_BUILD/utilities/ovs-appctl" --timeout=20 \
        --target="$_d/ovs-vswitchd.ctl" "$@"
}

fi
