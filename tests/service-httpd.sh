#! /bin/sh
# Copyright (c) 2026 The l2mt authors.
# Licensed under the Apache License, Version 2.0.
#
# mod_l2mt in Debian's Apache httpd, as l2mt's service VM sees tenants: a
# service namespace with one interface per tenant, every one with the same
# link-local address fe80::c0a8:64, each peered with a tenant namespace
# whose client has the same fe80::c0a8:a.  Each tenant must get its own
# content (L2MTDocumentRoot, and mod_rewrite on %{ENV:L2MT_TENANT}), <If>
# must see the tenant, CGI must get L2MT_*, the access log must show the
# tenant, and clients that are not link-local must get no tenant.
#
#   em1 (by name)  <-> red    tenant 1
#   em2 (by name)  <-> green  tenant 2
#   em3 (by index) <-> blue   tenant 3
#   em4 (unmapped) <-> stranger

test_name=service-httpd
. "$top_srcdir/tests/service-lib.sh"

[ "$(id -u)" = 0 ] || svc_skip "needs root for network namespaces"
command -v curl >/dev/null || svc_skip "no curl"
svc_init
set -e

svc=l2mt-svc-$$
svc_netns "$svc"
for t in red green blue stranger; do
    svc_netns "l2mt-svc-$$-$t"
done

i=1
for t in red green blue stranger; do
    svc_veth "$svc" "em$i" "l2mt-svc-$$-$t" eth0
    ip -n "$svc" addr add fe80::c0a8:64/64 dev "em$i" nodad
    ip -n "l2mt-svc-$$-$t" addr add fe80::c0a8:a/64 dev eth0 nodad
    i=$((i + 1))
done
# A unique-local address on red's link: same interface, not link-local.
ip -n "$svc" addr add fd00:6c32::64/64 dev em1 nodad
ip -n "l2mt-svc-$$-red" addr add fd00:6c32::a/64 dev eth0 nodad

em3=$(ip -n "$svc" -o link show em3 | sed 's/:.*//')
cat > "$svc_dir/tenants.conf" <<MAP
# The service VM's tenants.
tenant 1 red iface em1
tenant 2 green iface em2
tenant 3 blue ifindex $em3
MAP

www=$svc_dir/www
for d in none red green blue red-8081 rw-red rw-green rw-blue red/private \
         none/private; do
    mkdir -p "$www/$d"
    echo "content of $d" > "$www/$d/index.html"
    echo "not found in $d" > "$www/$d/404.html"
done
mkdir "$svc_dir/cgi-bin"
cat > "$svc_dir/cgi-bin/env.cgi" <<'CGI'
#! /bin/sh
printf 'Content-Type: text/plain\n\n'
echo "if=$L2MT_IF tenant=$L2MT_TENANT id=$L2MT_TENANT_ID root=$DOCUMENT_ROOT"
CGI
chmod 755 "$svc_dir/cgi-bin/env.cgi"

svc_conf
cat >> "$svc_dir/apache2.conf" <<CONF
Listen [::]:80
Listen [::]:8080
Listen [::]:8081
L2MTTenantMap tenants.conf
DocumentRoot $www/none
<Directory $www>
    Require all granted
</Directory>
<Directory $svc_dir/cgi-bin>
    Require all granted
</Directory>
ScriptAlias /cgi-bin/ $svc_dir/cgi-bin/
ErrorDocument 404 /404.html
L2MTDocumentRoot red $www/red
L2MTDocumentRoot 2 $www/green/
L2MTDocumentRoot blue $www/blue
<Location /private>
    <If "reqenv('L2MT_TENANT') != 'red'">
        Require all denied
    </If>
</Location>

# Port 8080: per-tenant content through mod_rewrite instead.
<VirtualHost *:8080>
    RewriteEngine On
    RewriteCond %{ENV:L2MT_TENANT} ^(.+)\$
    RewriteRule ^/(.*)\$ $www/rw-%1/\$1 [L]
</VirtualHost>

# Port 8081: a virtual host overrides one tenant's root, inherits others.
<VirtualHost *:8081>
    L2MTDocumentRoot red $www/red-8081
</VirtualHost>
CONF

svc_start_httpd "$svc" 80

url=http://[fe80::c0a8:64%eth0]
for t in red green blue; do
    ns=l2mt-svc-$$-$t
    svc_check "$t: L2MTDocumentRoot" "content of $t" "$(svc_get "$ns" "$url/")"
    svc_check "$t: mod_rewrite on %{ENV:L2MT_TENANT}" "content of rw-$t" \
        "$(svc_get "$ns" "$url:8080/")"
done
svc_check "green: ErrorDocument from the tenant's root" "not found in green" \
    "$(svc_get "l2mt-svc-$$-green" "$url/nothing")"
svc_check "red: virtual host's own L2MTDocumentRoot" "content of red-8081" \
    "$(svc_get "l2mt-svc-$$-red" "$url:8081/")"
svc_check "green: virtual host inherits L2MTDocumentRoot" "content of green" \
    "$(svc_get "l2mt-svc-$$-green" "$url:8081/")"

svc_check "red: <If> on the tenant lets red in" 200 \
    "$(svc_status "l2mt-svc-$$-red" "$url/private/")"
svc_check "green: <If> on the tenant keeps green out" 403 \
    "$(svc_status "l2mt-svc-$$-green" "$url/private/")"

# check_cgi WHAT CLIENT EXPECTED: what env.cgi says to CLIENT's request.
check_cgi () {
    svc_check "$1" "$3" "$(svc_get "l2mt-svc-$$-$2" "$url/cgi-bin/env.cgi")"
}
check_cgi "red: CGI sees L2MT_*" red "if=em1 tenant=red id=1 root=$www/red"
check_cgi "blue (by ifindex): CGI sees L2MT_*" blue \
    "if=em3 tenant=blue id=3 root=$www/blue"

# No tenant: an interface in no tenant, a unique-local peer on a tenant's
# interface, IPv4 (mapped) and IPv6 loopback.
ns=l2mt-svc-$$-stranger
svc_check "stranger: default content" "content of none" \
    "$(svc_get "$ns" "$url/")"
check_cgi "stranger: CGI sees the interface, no tenant" stranger \
    "if=em4 tenant= id= root=$www/none"
svc_check "stranger: mod_rewrite leaves it alone" "content of none" \
    "$(svc_get "$ns" "$url:8080/")"
for u in "http://[fd00:6c32::64]" http://127.0.0.1 "http://[::1]"; do
    ns=l2mt-svc-$$-red
    case $u in *fd00*) ;; *) ns=$svc ;; esac
    svc_check "$u: default content" "content of none" "$(svc_get "$ns" "$u/")"
    svc_check "$u: CGI sees no interface, no tenant" \
        "if= tenant= id= root=$www/none" \
        "$(svc_get "$ns" "$u/cgi-bin/env.cgi")"
    svc_check "$u: <If> keeps it out" 403 \
        "$(svc_status "$ns" "$u/private/")"
done

# The access log: one line per request, written when it is done.
log=$svc_dir/logs/access.log
expect_log () {
    i=0
    while ! grep -q -- "$2" "$log" && [ $i -lt 50 ]; do
        sleep 0.1
        i=$((i + 1))
    done
    svc_check "access log: $1" 1 "$(grep -c -- "$2" "$log")"
}
expect_log "red's request" '^em1 red 1 fe80::c0a8:a%em1 "GET /cgi-bin/env.cgi '
expect_log "blue's request" '^em3 blue 3 fe80::c0a8:a%em3 "GET /cgi-bin/env.cgi '
expect_log "green kept out" '^em2 green 2 fe80::c0a8:a%em2 "GET /private/ HTTP/1.1" 403'
expect_log "stranger" '^em4 - - fe80::c0a8:a%em4 "GET /cgi-bin/env.cgi '
expect_log "unique-local" '^- - - fd00:6c32::a "GET /cgi-bin/env.cgi '
expect_log "IPv6 loopback" '^- - - ::1 "GET /cgi-bin/env.cgi '
expect_log "IPv4" '^- - - 127.0.0.1 "GET /cgi-bin/env.cgi '

# The same tenants from the agent's configuration, l2mt.conf, instead:
# each tenant's service ports are its interfaces.
svc_stop_httpd
cat > "$svc_dir/l2mt.conf" <<'CONF'
tenant 10 {
    name acme
    remote 10.0.0.1
    service-v4-port em1
    service-v6-port em3
}
tenant 11 {
    remote 10.0.0.1
    service-v4-port em2
}
CONF
sed -i -e 's/^L2MTTenantMap .*/L2MTConfig l2mt.conf/' \
    -e '/L2MTDocumentRoot/d' "$svc_dir/apache2.conf"
echo "L2MTDocumentRoot acme $www/red" >> "$svc_dir/apache2.conf"
svc_start_httpd "$svc" 80
check_cgi "L2MTConfig: em1 is acme's" red \
    "if=em1 tenant=acme id=10 root=$www/red"
check_cgi "L2MTConfig: em3 is acme's too" blue \
    "if=em3 tenant=acme id=10 root=$www/red"
check_cgi "L2MTConfig: em2 is tenant 11's" green \
    "if=em2 tenant=tenant11 id=11 root=$www/none"

# A graceful restart reads the changed configuration: em4 joins tenant 11.
sed -i 's/service-v4-port em2/service-v4-port em2\n    service-v6-port em4/' \
    "$svc_dir/l2mt.conf"
kill -USR1 "$svc_httpd_pid"
expected="if=em4 tenant=tenant11 id=11 root=$www/none"
i=0
while [ "$(svc_get "l2mt-svc-$$-stranger" "$url/cgi-bin/env.cgi")" \
        != "$expected" ] && [ $i -lt 50 ]; do
    sleep 0.1
    i=$((i + 1))
done
check_cgi "graceful restart: em4 is tenant 11's now" stranger "$expected"
check_cgi "graceful restart: em1 is still acme's" red \
    "if=em1 tenant=acme id=10 root=$www/red"

svc_done
