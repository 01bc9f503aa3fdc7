#! /bin/sh
# l2mt-agent's command line without a switch: --help, --version, check,
# exit codes for bad configs, unknown hosts and commands.
set -u
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
top_builddir=${top_builddir:-$top_srcdir}
AGENT=$top_builddir/utilities/l2mt-agent
GOOD=$top_srcdir/tests/conf/good.conf
. "${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}/tests/lib.sh"
tmp=$TEST_DIR
fail=0

# expect WHAT STATUS PATTERN CMD...: CMD exits STATUS and its output
# (stdout and stderr) has a line matching PATTERN.
expect() {
    what=$1 want=$2 pattern=$3
    shift 3
    "$@" > "$tmp/out" 2>&1
    rc=$?
    if [ $rc = "$want" ] && grep -q -- "$pattern" "$tmp/out"; then
        echo "ok: $what"
    else
        echo "FAIL: $what (exit $rc, wanted $want and /$pattern/)"
        sed 's/^/    /' "$tmp/out"
        fail=1
    fi
}

expect "--help" 0 '^usage: l2mt-agent' "$AGENT" --help
expect "--version" 0 '^l2mt-agent (l2mt) ' "$AGENT" --version
expect "check a good config" 0 'ok: host hv1, 2 tenants, 2 profiles, 3 ports' \
    "$AGENT" -c "$GOOD" --host=hv1 check
sed 's/gre-key 10/gre-key ten/' "$GOOD" > "$tmp/bad.conf"
line=$(grep -n 'gre-key ten' "$tmp/bad.conf" | cut -d: -f1)
expect "check a bad config: file:line" 1 \
    "^$tmp/bad.conf:$line: gre-key: \"ten\" is not a number" \
    "$AGENT" -c "$tmp/bad.conf" --host=hv1 check
expect "apply a bad config: nothing changed" 1 'has errors: nothing changed' \
    "$AGENT" -c "$tmp/bad.conf" --host=hv1 --vsctl=/bin/false apply
# A config that crosses tenants (issue 11, item 2): tenant 10's service
# port takes tenant 11's tunnel name; nothing is run (ovs-vsctl is false).
sed 's/service-v4-port svc10v4/service-v4-port gre11/' "$GOOD" \
    > "$tmp/cross.conf"
line=$(grep -n 'service-v4-port gre11' "$tmp/cross.conf" | cut -d: -f1)
expect "check a config that crosses tenants: file:line" 1 \
    "^$tmp/cross.conf:$line: tenant 10: service-v4-port gre11 is a per-tenant tunnel port name" \
    "$AGENT" -c "$tmp/cross.conf" --host=hv1 check
expect "apply a config that crosses tenants: nothing changed" 1 \
    'has errors: nothing changed' \
    "$AGENT" -c "$tmp/cross.conf" --host=hv1 --vsctl=/bin/false apply
expect "status of a bad config: exit 2" 2 'has errors' \
    "$AGENT" -c "$tmp/bad.conf" --host=hv1 status
expect "unknown host" 1 'no host nohost' "$AGENT" -c "$GOOD" --host=nohost check
expect "missing config" 1 'cannot read: No such file' \
    "$AGENT" -c "$tmp/none.conf" check
expect "unknown command" 1 'unknown command "frobnicate"' "$AGENT" frobnicate
expect "bad option value" 1 'is not a number of seconds' "$AGENT" --timeout=soon check
expect "--detach without run" 1 'goes with run only' "$AGENT" --detach apply
expect "switch unreachable: apply fails" 1 'cannot read the switch' \
    "$AGENT" -c "$GOOD" --host=hv1 --vsctl=/bin/false apply
exit $fail
