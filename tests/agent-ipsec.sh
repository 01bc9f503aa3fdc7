#! /bin/sh
# Open vSwitch's IPsec for the GRE tunnels as an option of the agent
# (issue 11, item 8): the agent sets options:psk, or options:remote_cert /
# remote_name and the switch's certificate settings, on every tunnel
# interface as ovs-monitor-ipsec reads them, switches modes, takes them away
# again, never prints the key, and refuses incomplete or mixed settings
# (the full list is in tests/conf/errors.txt).  Against a real
# ovsdb-server and ovs-vswitchd; IPsec itself (ovs-monitor-ipsec, an IKE
# daemon, the kernel's xfrm) is not run here: see Documentation/agent.md.
. "${top_srcdir:-$(dirname "$0")/..}/tests/agent-lib.sh"
agent_require_ovs

agent_netns ipsec
agent_ovs_start a "$NS"

CONF=$AGENT_TMP/l2mt.conf
PSK=Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5
write_conf() {
    {
        printf 'host hv1 {\n    bridge br-t\n    datapath netdev\n'
        printf '    underlay-ip 10.99.0.2/24\n'
        cat
        printf '}\n'
        printf 'tenant 10 {\n    remote 10.0.0.1\n    service-v4-port s10v4\n}\n'
        printf 'tenant 11 {\n    remote 10.0.0.1\n    remote 10.0.0.3\n'
        printf '    service-v4-port s11v4\n}\n'
    } > "$CONF"
}
A() { in_ns "$AGENT" --db=unix:"$DB_SOCK" --host=hv1 -c "$CONF" \
          --inventory="$AGENT_TMP/inventory.json" "$@"; }
opt() {
    vsctl --if-exists get interface "$1" "options:$2" 2>/dev/null | tr -d '"'
}

echo "    ipsec-psk $PSK" | write_conf
A apply > "$AGENT_TMP/out1" 2>&1 || agent_fail "apply (psk)"
for p in gre10 gre11 gre11-1; do
    check "psk: $p has options:psk" test "$(opt $p psk)" = "$PSK"
done
vsctl set interface gre11 options:psk=Wrongwrongwrongwrong
A status > "$AGENT_TMP/st" 2>&1
check "psk drift is reported" grep -q 'gre11: options:psk differs' "$AGENT_TMP/st"
A apply > "$AGENT_TMP/out2" 2>&1 || agent_fail "apply (psk repair)"
check "psk drift repaired" test "$(opt gre11 psk)" = "$PSK"
check "the key is never printed" \
    sh -c "! grep -q '$PSK\|Wrongwrong' '$AGENT_TMP/out1' '$AGENT_TMP/out2' '$AGENT_TMP/st'"

# ovs-monitor-ipsec (from the OVS build) reads what the agent wrote and
# writes strongSwan's configuration from it, into a root of its own; its
# "ipsec" command is a stub, so nothing reaches an IKE daemon of the host.
if test -x /usr/bin/python3 && test -f "$OVS/ipsec/ovs-monitor-ipsec"; then
    R=$AGENT_TMP/root
    mkdir -p "$R/etc/ipsec.d" "$R/var/run" "$R/usr/sbin"
    printf '#! /bin/sh\nexit 0\n' > "$R/usr/sbin/ipsec"
    chmod +x "$R/usr/sbin/ipsec"
    cp "$OVS/vswitchd/vswitch.ovsschema" "$AGENT_TMP/ovs-a/"
    PYTHONPATH=$OVS/python timeout 20 /usr/bin/python3 \
        "$OVS/ipsec/ovs-monitor-ipsec" --root-prefix="$R" \
        --ike-daemon=strongswan --no-restart-ike-daemon \
        --log-file="$AGENT_TMP/monitor.log" "unix:$DB_SOCK" &
    mon=$!
    AGENT_PIDS="$AGENT_PIDS $mon"
    wait_for "ovs-monitor-ipsec's ipsec.conf" \
        grep -q 'conn gre11-1-1' "$R/etc/ipsec.conf"
    kill $mon 2>/dev/null
    check "monitor: strongSwan connection to 10.0.0.3 by psk" \
        sh -c "grep -A3 'conn gre11-1-1' '$R/etc/ipsec.conf' | grep -q 'right=10.0.0.3' && grep -A4 'conn gre11-1-1' '$R/etc/ipsec.conf' | grep -q 'authby=psk'"
    check "monitor: the key in ipsec.secrets" \
        grep -q "10.0.0.1 : PSK \"$PSK\"" "$R/etc/ipsec.secrets"
else
    echo "skipped: ovs-monitor-ipsec (no /usr/bin/python3 or OVS build)"
fi

# Self-signed certificates: one per remote.
write_conf <<'EOF2'
    ipsec-certificate /etc/keys/hv1-cert.pem
    ipsec-private-key /etc/keys/hv1-privkey.pem
    ipsec-remote-cert 10.0.0.1 /etc/keys/gw1-cert.pem
    ipsec-remote-cert 10.0.0.3 /etc/keys/gw3-cert.pem
EOF2
A apply > /dev/null 2>&1 || agent_fail "apply (certificates)"
check "certs: psk gone" test -z "$(opt gre10 psk)"
check "certs: gre10's remote_cert" \
    test "$(opt gre10 remote_cert)" = /etc/keys/gw1-cert.pem
check "certs: gre11-1's remote_cert (remote 10.0.0.3)" \
    test "$(opt gre11-1 remote_cert)" = /etc/keys/gw3-cert.pem
check "certs: the switch's certificate" \
    test "$(vsctl get open_vswitch . other_config:certificate other_config:private_key)" = '"/etc/keys/hv1-cert.pem"
"/etc/keys/hv1-privkey.pem"'

# CA-signed: the remote's name.
write_conf <<'EOF2'
    ipsec-certificate /etc/keys/hv1-cert.pem
    ipsec-private-key /etc/keys/hv1-privkey.pem
    ipsec-ca-cert /etc/keys/ca.pem
    ipsec-remote-name 10.0.0.1 gw1
    ipsec-remote-name 10.0.0.3 gw3
EOF2
A apply > /dev/null 2>&1 || agent_fail "apply (CA)"
check "CA: remote_cert gone, remote_name set" \
    test "$(opt gre11 remote_cert)|$(opt gre11-1 remote_name)" = '|gw3'
check "CA: the switch's CA" \
    test "$(vsctl get open_vswitch . other_config:ca_cert)" = '"/etc/keys/ca.pem"'
A apply > "$AGENT_TMP/again" 2>&1
check "CA: second apply changes nothing" grep -q '^apply: no change' "$AGENT_TMP/again"

# No IPsec: the tunnel options go.
write_conf < /dev/null
A apply > /dev/null 2>&1 || agent_fail "apply (no IPsec)"
check "off: no IPsec option left" \
    test -z "$(opt gre10 psk)$(opt gre10 remote_cert)$(opt gre11-1 remote_name)"

# A mixed setting is refused and changes nothing.
printf '    ipsec-psk %s\n    ipsec-certificate /etc/keys/a.pem\n' "$PSK" \
    | write_conf
vsctl show > "$AGENT_TMP/before"
A apply > "$AGENT_TMP/bad" 2>&1 && agent_fail "apply of psk + certificate succeeded"
check "mixed: refused with file:line" \
    grep -q "$CONF:1: host hv1: ipsec-psk and certificates exclude each other" "$AGENT_TMP/bad"
vsctl show > "$AGENT_TMP/after"
check "mixed: nothing changed" cmp -s "$AGENT_TMP/before" "$AGENT_TMP/after"
echo PASS
