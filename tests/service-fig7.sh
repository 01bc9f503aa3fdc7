#!/bin/bash
# Copyright (c) 2026 The l2mt authors.
# Licensed under the Apache License, Version 2.0.
#
# The seed's fig. 7 on real daemons: three tenant LANs, all 192.168.0.10,
# reach one service namespace through the patched Open vSwitch (two
# ovs-vswitchd on the user-space datapath, GRE keys, the nat64 action; the
# rig of tests/system-lib.sh), where Debian's apache2 with mod_l2mt serves
# each tenant its own content: http://192.168.0.100/ (IPv4, translated,
# arriving on tNv4) gives "tenant N", http://[fe80::c0a8:64%eth0]/ (native
# IPv6, arriving on tNv6) gives tenant N's IPv6-side page.
#
# RIG_NAT64=0 runs the native IPv6 half only (for an unpatched OVS).

test_name=service-fig7
RIG_NAT64=${RIG_NAT64:-1}
. "$top_srcdir/tests/system-lib.sh"
. "$top_srcdir/tests/service-lib.sh"

rig_init "l2mt-fig7-$$" || exit $?
svc_init
rig_up || exit 1

www=$svc_dir/www
for n in $RIG_TENANTS; do
    echo "tenant t$n iface t${n}v4 iface t${n}v6"
    mkdir -p "$www/t$n" "$www/t$n-v6"
    echo "tenant $n" > "$www/t$n/index.html"
    echo "tenant $n over IPv6" > "$www/t$n-v6/index.html"
done | sed 's/^tenant t\([0-9]*\)/tenant \1 t\1/' > "$svc_dir/tenants.conf"
mkdir -p "$www/none"
echo "no tenant" > "$www/none/index.html"

svc_conf
{
    echo "Listen [::]:80"
    echo "L2MTTenantMap tenants.conf"
    echo "DocumentRoot $www/none"
    echo "<Directory $www>"
    echo "    Require all granted"
    echo "</Directory>"
    for n in $RIG_TENANTS; do
        echo "L2MTDocumentRoot t$n $www/t$n"
    done
    # The native IPv6 side: same tenant, its own page.
    echo "RewriteEngine On"
    echo "RewriteCond %{ENV:L2MT_IF} v6\$"
    echo "RewriteCond %{ENV:L2MT_TENANT} ^(.+)\$"
    echo "RewriteRule ^/(.*)\$ $www/%1-v6/\$1 [L]"
} >> "$svc_dir/apache2.conf"
svc_start_httpd "$(rig_ns svc)" 80

families=6
[ "$RIG_NAT64" = 1 ] && families="4 6"
[ "$RIG_NAT64" = 1 ] || echo "NOTE: RIG_NAT64=0: the IPv4 half is left out"
for n in $RIG_TENANTS; do
    ns=$(rig_ns "t$n")
    if [ "$RIG_NAT64" = 1 ]; then
        svc_check "t$n: http://$RIG_SERVICE_IP/ over nat64" "tenant $n" \
            "$(svc_get "$ns" "http://$RIG_SERVICE_IP/")"
    fi
    svc_check "t$n: http://[$RIG_SERVICE_LL%eth0]/ over IPv6" \
        "tenant $n over IPv6" \
        "$(svc_get "$ns" "http://[$RIG_SERVICE_LL%25eth0]/")"
done

# The access log names each tenant and the interface it came in on, with
# the same peer address for all.
log=$svc_dir/logs/access.log
for n in $RIG_TENANTS; do
    for f in $families; do
        pattern="^t${n}v$f t$n $n $RIG_TENANT_LL%t${n}v$f \"GET / "
        i=0
        while ! grep -q "$pattern" "$log" && [ $i -lt 50 ]; do
            sleep 0.1
            i=$((i + 1))
        done
        svc_check "access log: t$n over IPv$f" 1 "$(grep -c "$pattern" "$log")"
    done
done

svc_done
