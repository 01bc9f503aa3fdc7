#! /bin/sh
# Tenant isolation of the agent's flows over many generated configs
# (issue 11): tests/isolation-gen.py makes random valid configs (1-50
# tenants, both tunnel modes, profiles, VM ports, prefixes, several
# remotes, service ports missing or created in random order after apply,
# agent restarts in between); after every step tests/isolation-check.py
# traces every ingress port with every probe class through the real
# ovs-vswitchd (user-space datapath) and fails on any frame of tenant A
# that can leave on a port of tenant B, the underlay or LOCAL, and on any
# spoofed source, RA or Redirect from a tenant that is not dropped.
#
# Positive controls: on the first two configs a deliberately leaky flow
# (service port to another tenant's service port; to another tenant's
# tunnel) is added and must be reported, or the test fails.
#
# Knobs: ISOLATION_CONFIGS (default 150: about 5 min here), ISOLATION_SEED
# (default: the date, printed; rerun one with ISOLATION_SEED=N
# ISOLATION_CONFIGS=1), ISOLATION_GUARDS (1, default: check the ingress
# guards too), ISOLATION_AGENT (another l2mt-agent binary),
# ISOLATION_VERBOSE=1 (timings per config), ISOLATION_BASIC=1 (configs
# without service-address, ipv6-source and meters: for an older agent;
# add ISOLATION_GUARDS=0 to check isolation alone).
. "${top_srcdir:-$(dirname "$0")/..}/tests/agent-lib.sh"
agent_require_ovs
test -x /usr/bin/python3 || agent_skip "no /usr/bin/python3"
agent_ovs_has_nat64 || agent_skip "needs the patched Open vSwitch (nat64)"
test -x "$AGENT" || agent_skip "$AGENT is not built"

count=${ISOLATION_CONFIGS:-150}
seed=${ISOLATION_SEED:-$(date +%Y%m%d)}
guards=--guards
test "${ISOLATION_GUARDS:-1}" = 1 || guards=

agent_netns iso
agent_ovs_start a "$NS"
ip -n "$NS" link add u0 type veth peer name u0p || agent_fail "veth u0"
ip -n "$NS" link set u0 up && ip -n "$NS" link set u0p up

PATH=$OVS/utilities:$PATH /usr/bin/python3 -u \
    "$top_srcdir/tests/isolation-check.py" --run "$count" --seed "$seed" \
    --control $guards ${ISOLATION_VERBOSE:+-v} ${ISOLATION_BASIC:+--basic} \
    --netns "$NS" \
    --agent "${ISOLATION_AGENT:-$AGENT}" \
    --ctl "$AGENT_TMP/ovs-a/ovs-vswitchd.ctl" --db "unix:$DB_SOCK" \
    --vsctl "$OVS/utilities/ovs-vsctl" --ofctl "$OVS/utilities/ovs-ofctl" \
    --tmpdir "$AGENT_TMP" || agent_fail "isolation (seed $seed)"
echo PASS
