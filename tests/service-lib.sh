# Copyright (c) 2026 The l2mt authors.
# Licensed under the Apache License, Version 2.0.
#
# Shell functions for the service tests: a private Apache httpd (Debian's
# apache2 binary, never the system service) with mod_l2mt, its own config,
# pid and log files in a temp dir, and network namespaces.  Source it after
# setting 'test_name'; everything made is removed on exit (tests/lib.sh).

. "${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}/tests/lib.sh"

svc_skip () { skip "$@"; }
svc_fail () { test_fail "$@"; }

# Checks for what every service test needs and makes the temp dir $svc_dir
# (world-readable: httpd's children run as an unprivileged user).  On exit
# httpd is stopped, and its error log shown if the test failed.
svc_init () {
    svc_apache2=${L2MT_APACHE2:-/usr/sbin/apache2}
    apache_modules=${L2MT_APACHE_MODULES:-/usr/lib/apache2/modules}
    mod_l2mt=$top_builddir/utilities/mod_l2mt.so
    [ -x "$svc_apache2" ] || svc_skip "no $svc_apache2 (install Debian's apache2)"
    [ -f "$mod_l2mt" ] || svc_fail "$mod_l2mt not built"

    svc_httpd_pid=
    svc_dir=$TEST_DIR/httpd
    mkdir -p "$svc_dir"
    chmod 755 "$TEST_DIR" "$svc_dir"
    on_exit 'svc_teardown "$TEST_STATUS"'
}

# svc_teardown STATUS: stops httpd, after showing the error log if STATUS
# is not 0 (tests/lib.sh deletes the namespaces and the temp dir).
svc_teardown () {
    svc_stop_httpd
    if [ "$1" != 0 ] && [ -f "$svc_dir/logs/error.log" ]; then
        echo "---- error.log"
        tail -n 30 "$svc_dir/logs/error.log"
    fi
}

# svc_netns NAME: makes network namespace NAME (removed on exit) with its
# loopback up.
svc_netns () {
    require_netns
    netns_add "$1"
}

# svc_veth NS1 IF1 NS2 IF2: a veth pair between two namespaces, up, with no
# automatic link-local address, so that each end has only what the test
# gives it.
svc_veth () {
    veth_add --no-ll "$@"
}

# svc_conf: writes the start of $svc_dir/apache2.conf, a complete
# self-contained httpd configuration (modules, logs with the L2MT_* fields,
# no listener); a test appends its own part.
svc_conf () {
    mkdir -p "$svc_dir/logs" "$svc_dir/run"
    user=www-data group=www-data
    getent passwd www-data >/dev/null || { user=nobody group=nogroup; }
    builtin=$("$svc_apache2" -l)
    for m in mpm_event authz_core mime dir rewrite cgid alias log_config \
             env setenvif; do
        case $builtin in
            *" mod_$m.c"*) ;;
            *) echo "LoadModule ${m}_module $apache_modules/mod_$m.so" ;;
        esac
    done > "$svc_dir/apache2.conf"
    cat >> "$svc_dir/apache2.conf" <<CONF
LoadModule l2mt_module $mod_l2mt
ServerRoot $svc_dir
ServerName $test_name.invalid
PidFile $svc_dir/run/httpd.pid
DefaultRuntimeDir $svc_dir/run
ScriptSock $svc_dir/run/cgid.sock
User $user
Group $group
ErrorLog $svc_dir/logs/error.log
LogLevel warn l2mt:debug
TypesConfig /dev/null
AddType text/html .html
DirectoryIndex index.html
StartServers 1
ServerLimit 1
ThreadsPerChild 8
MaxRequestWorkers 8
MinSpareThreads 1
MaxSpareThreads 8
LogFormat "%{L2MT_IF}e %{L2MT_TENANT}e %{L2MT_TENANT_ID}e %a \"%r\" %>s" l2mt
CustomLog $svc_dir/logs/access.log l2mt
CONF
}

# svc_start_httpd NS PORT: starts httpd in namespace NS and waits (at most
# 10 s) until it answers on [::1]:PORT there.
svc_start_httpd () {
    ip netns exec "$1" "$svc_apache2" -d "$svc_dir" \
        -f "$svc_dir/apache2.conf" -DFOREGROUND &
    svc_httpd_pid=$!
    wait_for 10 svc_httpd_answers "$1" "$2" ||
        svc_fail "httpd does not answer on port $2 after 10 s"
}

svc_httpd_answers () {
    kill -0 "$svc_httpd_pid" 2>/dev/null || svc_fail "httpd exited"
    ip netns exec "$1" curl -s -o /dev/null --max-time 1 "http://[::1]:$2/"
}

# Stops the httpd we started: TERM, then KILL after 5 s.
svc_stop_httpd () {
    [ -n "${svc_httpd_pid:-}" ] || return 0
    stop_pids "$svc_httpd_pid"
    svc_httpd_pid=
}

# svc_get NS URL: prints the body of URL fetched from namespace NS (and
# fails the test if the transfer fails).
svc_get () {
    ip netns exec "$1" curl -sS -g --max-time 5 "$2" \
        || svc_fail "curl $2 from $1 failed"
}

# svc_status NS URL: prints the HTTP status of URL fetched from NS.
svc_status () {
    ip netns exec "$1" curl -sS -g --max-time 5 -o /dev/null \
        -w '%{http_code}' "$2" || svc_fail "curl $2 from $1 failed"
}

# svc_check WHAT EXPECTED ACTUAL: counts a check.
svc_check () {
    expect_eq "$1" "$3" "$2"
}

svc_done () {
    checks_passed
}
