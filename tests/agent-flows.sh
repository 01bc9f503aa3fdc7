#! /bin/sh
# The flows l2mt-agent generates, as text (--dry-run), for both tunnel
# modes with the nat64 action: the split of the seed's fig. 5, a custom
# prefix, a profile's translation mode, the guards and the meters.  Needs
# only a stock OVS: the flows are compared as text, not installed.
. "${top_srcdir:-$(dirname "$0")/..}/tests/agent-lib.sh"
agent_require_ovs
# In a namespace of its own: the user-space datapath's tap devices would
# otherwise collide with another run's.
agent_netns flows
agent_ovs_start a "$NS"

# An operator's bridge with a VM port on it.
vsctl add-br br-g -- set bridge br-g datapath_type=netdev \
    -- add-port br-g vm9 -- set interface vm9 type=internal \
    external_ids:iface-id=vm9-id

CONF=$AGENT_TMP/l2mt.conf
cat > "$CONF" <<'EOF2'
host hv1 {
    bridge br-g
    datapath netdev
    underlay-ip 172.31.255.2/24
}
tenant 10 {
    remote 172.31.255.1
    service-v4-port s10v4
    service-v6-port s10v6
}
tenant 11 {
    remote 172.31.255.1
    remote 172.31.255.3
    service-v4-port s11v4
    prefix 64:ff9b::/96
}
profile xlate {
    nat64 4toll6
    meter-pps 1000
    meter-nd-pps 10
}
port vm9 {
    iface-id vm9-id
    profile xlate
}
EOF2

for mode in per-tenant flow; do
    sed -i "s/^    datapath netdev$/    datapath netdev\n    tunnel-mode $mode/; /tunnel-mode per-tenant/{/$mode/!d}" "$CONF"
    echo "== $mode"
    agent --host=hv1 -c "$CONF" --dry-run > "$AGENT_TMP/dry" \
        || agent_fail "dry run ($mode)"
    grep -e '-meter ' "$AGENT_TMP/dry"
    sed -n '/replace-flows/,/^EOF$/p' "$AGENT_TMP/dry"
done > "$AGENT_TMP/flows"
diff -u "$top_srcdir/tests/agent-flows.expected" "$AGENT_TMP/flows" \
    || agent_fail "flows differ from tests/agent-flows.expected"
check "nothing changed by the dry runs" sh -c "! $(command -v ovs-vsctl) --db=unix:$DB_SOCK port-to-br gre10 2>/dev/null"
echo PASS
