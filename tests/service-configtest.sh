#! /bin/sh
# Copyright (c) 2026 The l2mt authors.
# Licensed under the Apache License, Version 2.0.
#
# 'apachectl configtest' (Debian's, on a private config dir) reports each
# mod_l2mt configuration error with the config file and line, and a tenant
# map error with the map file and its line too; a good config passes.

test_name=service-configtest
. "$top_srcdir/tests/service-lib.sh"

svc_init
apachectl=${L2MT_APACHECTL:-$(dirname "$svc_apache2")/apachectl}
[ -x "$apachectl" ] || svc_skip "no $apachectl"
conf=$svc_dir/apache2.conf
: > "$svc_dir/envvars"

cat > "$svc_dir/tenants.conf" <<'MAP'
tenant 1 red iface em1
tenant 2 green iface em2
MAP
cat > "$svc_dir/bad.conf" <<'MAP'
tenant 1 red iface em1
# a typo on line 3:
tenantt 2 green iface em2
MAP
cat > "$svc_dir/l2mt.conf" <<'CONF'
tenant 10 {
    name acme
    remote 10.0.0.1
    service-v4-port em1
}
CONF
cat > "$svc_dir/l2mt-bad.conf" <<'CONF'
# The agent's configuration, one tenant without its service port.
tenant 10 {
    name acme
    remote 10.0.0.1
}
CONF
mkdir -p "$svc_dir/www/red" "$svc_dir/www/green"

# configtest TEXT: runs apachectl configtest on the base config plus TEXT;
# sets $line to TEXT's first line, $out to the output, $rc to the status.
configtest () {
    svc_conf
    line=$(($(wc -l < "$conf") + 1))
    printf '%s\n' "$1" >> "$conf"
    out=$(APACHE_CONFDIR=$svc_dir APACHE_ENVVARS=$svc_dir/envvars \
          APACHE_HTTPD=$svc_apache2 "$apachectl" configtest 2>&1)
    rc=$?
}

# fails WHAT TEXT LINE_OFFSET MESSAGE: TEXT must fail at its line
# LINE_OFFSET (0 for the first) with MESSAGE.
fails () {
    configtest "$2"
    svc_check "$1: configtest fails" 1 "$([ $rc != 0 ] && echo 1)"
    svc_check "$1: reports the line" \
        "Syntax error on line $((line + $3)) of $conf:" \
        "$(echo "$out" | grep -o 'Syntax error on line.*')"
    svc_check "$1: says why" "$4" \
        "$(echo "$out" | grep -F -x -- "$4" || echo "$out")"
}

fails "bad map line" "L2MTTenantMap bad.conf" 0 \
    "L2MTTenantMap: $svc_dir/bad.conf:3: unknown keyword 'tenantt' (expected 'tenant')"
fails "missing map" "L2MTTenantMap $svc_dir/nothing.conf" 0 \
    "L2MTTenantMap: $svc_dir/nothing.conf: No such file or directory"
fails "two maps" "L2MTTenantMap tenants.conf
L2MTTenantMap tenants.conf" 1 \
    "L2MTTenantMap: only one tenant map per server (L2MTTenantMap or L2MTConfig)"
fails "map in a virtual host" "Listen [::1]:8080
<VirtualHost *:8080>
L2MTTenantMap tenants.conf
</VirtualHost>" 2 \
    "L2MTTenantMap cannot occur within <VirtualHost> section"
fails "bad l2mt.conf" "L2MTConfig l2mt-bad.conf" 0 \
    "L2MTConfig: $svc_dir/l2mt-bad.conf:2: tenant 10 has no service-v4-port"
fails "l2mt.conf and a map" "L2MTConfig l2mt.conf
L2MTTenantMap tenants.conf" 1 \
    "L2MTTenantMap: only one tenant map per server (L2MTTenantMap or L2MTConfig)"
fails "root before map" "L2MTDocumentRoot red www/red
L2MTTenantMap tenants.conf" 0 \
    "L2MTDocumentRoot: no tenant map (put L2MTTenantMap or L2MTConfig before it)"
fails "unknown tenant" "L2MTTenantMap tenants.conf
L2MTDocumentRoot red www/red

L2MTDocumentRoot purple www/red" 3 \
    "L2MTDocumentRoot: no tenant 'purple' in $svc_dir/tenants.conf"
fails "unknown tenant ID" "L2MTTenantMap tenants.conf
L2MTDocumentRoot 3 www/red" 1 \
    "L2MTDocumentRoot: no tenant '3' in $svc_dir/tenants.conf"
fails "two roots for a tenant" "L2MTTenantMap tenants.conf
L2MTDocumentRoot red www/red
L2MTDocumentRoot 1 www/green" 2 \
    "L2MTDocumentRoot: tenant red already has a document root here"
fails "root without a directory" "L2MTTenantMap tenants.conf
L2MTDocumentRoot red" 1 \
    "L2MTDocumentRoot takes two arguments, a tenant (name or ID) and its DocumentRoot"
fails "root in a directory" "L2MTTenantMap tenants.conf
<Directory $svc_dir/www>
L2MTDocumentRoot red www/red
</Directory>" 2 \
    "L2MTDocumentRoot not allowed in <Directory> context"

configtest "L2MTTenantMap tenants.conf
L2MTDocumentRoot red www/red
L2MTDocumentRoot 2 $svc_dir/www/green
Listen [::1]:8080
<VirtualHost *:8080>
L2MTDocumentRoot red www/green
</VirtualHost>"
svc_check "good config passes" 0 "$rc"
svc_check "good config: Syntax OK" "Syntax OK" "$(echo "$out" | tail -n 1)"

configtest "L2MTConfig l2mt.conf
L2MTDocumentRoot acme www/red
L2MTDocumentRoot 10 www/green"
svc_check "l2mt.conf: tenants by name and ID" \
    "L2MTDocumentRoot: tenant acme already has a document root here" \
    "$(echo "$out" | grep L2MTDocumentRoot)"

# A missing directory only warns, as DocumentRoot does.
configtest "L2MTTenantMap tenants.conf
L2MTDocumentRoot red www/red-missing"
svc_check "missing directory passes" 0 "$rc"
svc_check "missing directory warns with its line" 1 \
    "$(echo "$out" | grep -c "L2MTDocumentRoot \[$svc_dir/www/red-missing\] for tenant red does not exist (line $((line + 1)) of $conf)")"

svc_done
