#!/bin/bash
# Copyright (c) 2026 The l2mt authors.
# Licensed under the Apache License, Version 2.0.
#
# The scope server on its own: options and errors, HTTP, plain TCP and UDP
# answers on loopback, exit on --max-requests and on SIGTERM; as root, the
# interface it names for a link-local client in another namespace.

. "${top_srcdir:-$(dirname "$0")/..}/tests/system-lib.sh"

srv=${top_builddir:-.}/tests/scope-server
dir=$TEST_DIR

# has TEXT PATTERN: TEXT matches the extended regex PATTERN.
has () {
    echo "    got: $(echo "$1" | tr "\r\n" "  " | cut -c1-160)"
    echo "$1" | grep -Eq -- "$2"
}

# exits_within TENTHS PID: PID ends within TENTHS tenths of a second with
# status 0.
exits_within () {
    for _ in $(seq "$1"); do
        if ! kill -0 "$2" 2>/dev/null; then
            wait "$2"
            return
        fi
        sleep 0.1
    done
    return 1
}

udp_ask () {
    timeout 10 bash -c 'exec 3<>"/dev/udp/$1/$2" && echo question >&3 &&
                        timeout 5 dd bs=4096 count=1 status=none <&3' \
        udp-ask "$1" "$2"
}

tcp_line () {
    timeout 10 bash -c 'exec 3<>"/dev/tcp/$1/$2" && echo hello >&3 &&
                        cat <&3' tcp-line "$1" "$2"
}

if [ ! -x "$srv" ]; then
    echo "FAIL: $srv is not built"
    exit 1
fi
if ! ip -6 addr show dev lo 2>/dev/null | grep -q '::1/128'; then
    echo "SKIP: no IPv6 loopback address here"
    exit 77
fi

# Options and errors.
out=$("$srv" --help)
rig_check "--help prints the usage and exits 0" has "$out" '^usage: scope-server'
out=$("$srv" --port=70000 2>&1)
rig_check "--port=70000 is refused with a clear message (status $?)" \
    has "$out" 'port: "70000" is not a number from 0 to 65535'
out=$("$srv" --bogus 2>&1)
rig_check "an unknown option points to --help (status $?)" \
    has "$out" "Try 'scope-server --help'"
out=$("$srv" extra 2>&1)
rig_check "a stray argument is refused (status $?)" \
    has "$out" 'unexpected argument "extra"'
out=$("$srv" --address=not-an-address 2>&1)
rig_check "a bad --address is refused (status $?)" \
    has "$out" 'ERR\|--address: "not-an-address" is not an IPv6 address'

# Answers on loopback; three answers, then it exits by itself.
if rig_own_server --address ::1 --udp --max-requests 3; then
    out=$(curl -sS -i --max-time 10 "http://[::1]:$port/x")
    rig_check "HTTP: a 200 answer" has "$out" '^HTTP/1\.0 200 OK'
    rig_check "HTTP: names no interface for ::1" \
        has "$out" '^iface=- scope=0 peer=::1 port=[0-9]+$'
    out=$(tcp_line ::1 "$port")
    rig_check "plain TCP: the bare answer line" \
        has "$out" '^iface=- scope=0 peer=::1 port=[0-9]+$'
    out=$(udp_ask ::1 "$port")
    rig_check "UDP: the answer line" \
        has "$out" '^iface=- scope=0 peer=::1 port=[0-9]+$'
    rig_check "exits 0 after --max-requests 3" exits_within 50 "$pid"
else
    rig_check "the server starts on [::1]" false
fi
rig_check "logs in vlog format" \
    grep -Eq '^[0-9-]{10}T[0-9:.]{12}Z\|[0-9]{5}\|scope_server\|INFO\|' \
    "$dir/log"

if rig_own_server --address ::1; then
    kill -TERM "$pid"
    rig_check "exits 0 on SIGTERM" exits_within 50 "$pid"
    rig_check "says why it exits" grep -q 'exiting after 0 answers' "$dir/log"
fi

# The interface name for a link-local client: a veth pair between two
# namespaces of our own.
if [ "$(id -u)" = 0 ] && ip netns list >/dev/null 2>&1; then
    s=l2mt-srv$$-s c=l2mt-srv$$-c
    netns_add $s $c
    for ns in $s $c; do
        ip netns exec $ns sysctl -qw net.ipv6.conf.default.addr_gen_mode=1
    done &&
    ip -n $s link add sv0 type veth peer name cl0 netns $c &&
    ip -n $s addr add fe80::1/64 dev sv0 nodad &&
    ip -n $c addr add fe80::2/64 dev cl0 nodad &&
    ip -n $s link set sv0 up && ip -n $c link set cl0 up &&
    rig_own_server --netns $s --udp
    index=$(ip -n $s -o link show sv0 | cut -d: -f1)
    out=$(ip netns exec $c curl -sS -g --max-time 10 \
          "http://[fe80::1%25cl0]:$port/")
    rig_check "HTTP from fe80::2 names sv0 (ifindex $index)" \
        has "$out" "^iface=sv0 scope=$index peer=fe80::2 port=[0-9]+\$"
    out=$(ip netns exec $c bash -c "$(declare -f udp_ask); udp_ask \
          fe80::1%cl0 $port")
    rig_check "UDP from fe80::2 names sv0 (ifindex $index)" \
        has "$out" "^iface=sv0 scope=$index peer=fe80::2 port=[0-9]+\$"
else
    echo "(not root: the link-local interface checks need namespaces)"
fi

if [ "$TEST_FAILURES" != 0 ]; then
    echo "---- server log"
    cat "$dir/log"
fi
rig_finish
