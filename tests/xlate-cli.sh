#!/bin/sh
# Copyright (c) 2026 The l2mt authors.
# Licensed under the Apache License, Version 2.0.
#
# l2mt-xlate's command line: usage and I/O errors exit 2 with a clear
# message and leave no output behind; the counts match the sample's
# frames; --help, the man page and the options agree.

. "$top_srcdir/tests/xlate-lib.sh"

# expect_error WANT_MESSAGE ARG...: l2mt-xlate ARG... must exit 2, print
# WANT_MESSAGE on stderr and leave no output file.
expect_error () {
    want=$1
    shift
    rm -f "$tmp/out.pcap"
    "$xlate" "$@" > "$tmp/stdout" 2> "$tmp/stderr"
    status=$?
    [ "$status" = 2 ] || fail "l2mt-xlate $*: exit status $status, not 2"
    grep -q -F -e "$want" "$tmp/stderr" ||
        fail "l2mt-xlate $*: stderr lacks \"$want\": $(cat "$tmp/stderr")"
    [ ! -e "$tmp/out.pcap" ] || fail "l2mt-xlate $*: left $tmp/out.pcap"
}

# expect_counts ARG... < EXPECTED: l2mt-xlate ARG... must exit 0 and print
# exactly the counts on stdin.
expect_counts () {
    awk '{ $1 = $1; print }' > "$tmp/expected"
    "$xlate" "$@" > "$tmp/stdout" 2> "$tmp/stderr"
    status=$?
    [ "$status" = 0 ] || fail "l2mt-xlate $*: exit status $status"
    awk '{ $1 = $1; print }' "$tmp/stdout" > "$tmp/got"
    if ! diff -u "$tmp/expected" "$tmp/got"; then
        fail "l2mt-xlate $*: counts differ (- expected, + got)"
    fi
}

out=$tmp/out.pcap

# Usage errors.
expect_error "need exactly three arguments"
expect_error "need exactly three arguments" auto "$sample"
expect_error "4to6: unknown mode" 4to6 "$sample" "$out"
expect_error "--prefix: fe80::/64: prefix length must be 96" \
    --prefix=fe80::/64 auto "$sample" "$out"
expect_error "missing prefix length" --prefix=64:ff9b:: auto "$sample" "$out"
expect_error "\"192.168.0.0\" is not an IPv6 address" \
    --prefix=192.168.0.0/96 auto "$sample" "$out"
expect_error "bits after the /96 must be zero" \
    --prefix=fe80::1/96 auto "$sample" "$out"
expect_error "bits 64 to 71 must be zero" \
    --prefix=2001:db8:0:0:ff00::/96 auto "$sample" "$out"
expect_error "multicast prefix" --prefix=ff02::/96 auto "$sample" "$out"
expect_error "IPv4-mapped" --prefix=::ffff:0:0/96 auto "$sample" "$out"
expect_error "--udp0=sometimes: must be \"compute\" or \"drop\"" \
    --udp0=sometimes auto "$sample" "$out"
expect_error "unrecognized option" --frobnicate auto "$sample" "$out"

# I/O errors.
expect_error "$tmp/none.pcap: No such file or directory" \
    auto "$tmp/none.pcap" "$out"
echo "not a capture" > "$tmp/text"
expect_error "$tmp/text: not a pcap or pcapng file" auto "$tmp/text" "$out"
# A pcap of raw IP packets (link type 101): header only.
printf '\324\303\262\241\002\000\004\000\000\000\000\000\000\000\000\000'\
'\377\377\000\000\145\000\000\000' > "$tmp/raw.pcap"
expect_error "link type RAW (12) is not Ethernet" auto "$tmp/raw.pcap" "$out"
expect_error "$tmp/nodir/out.pcap: " auto "$sample" "$tmp/nodir/out.pcap"
expect_error "(standard input): not a pcap or pcapng file" \
    auto - "$out" < "$tmp/text"
if [ -w /dev/full ]; then
    "$xlate" auto "$sample" - > /dev/full 2> "$tmp/stderr"
    [ $? = 2 ] && grep -q "(standard output): write error: No space left" \
        "$tmp/stderr" || fail "a full disk is not an error: $(cat "$tmp/stderr")"
fi
head -c 1000 "$sample" > "$tmp/cut.pcap"
expect_error "$tmp/cut.pcap: read error after 11 frames: truncated" \
    auto "$tmp/cut.pcap" "$out"
cp "$sample" "$tmp/same.pcap"
"$xlate" auto "$tmp/same.pcap" "$tmp/same.pcap" 2> "$tmp/stderr"
[ $? = 2 ] && grep -q "is also the input file" "$tmp/stderr" &&
    cmp -s "$sample" "$tmp/same.pcap" ||
    fail "translating a file onto itself is not refused cleanly"

# Good prefixes.
for prefix in fe80::/96 64:ff9b::/96 2001:db8:64::/96 \
              2001:db8:122:344::/96; do
    "$xlate" -q --prefix=$prefix auto "$sample" "$out" > "$tmp/stdout" ||
        fail "--prefix=$prefix refused"
    [ ! -s "$tmp/stdout" ] || fail "-q printed $(cat "$tmp/stdout")"
done

# The sample (tools/gen-tenant-pcap): 18 frames of the tenant's IPv4
# conversation, LLDP (passed untouched), the client's own IPv6 ping from
# fe80::ff:fe00:a (outside fe80::/96), a capture record
# cut by the snapshot length, and one frame per IPv4 drop reason.  Two of
# the conversation's frames are 1500-byte IPv4 fragments with DF=0: 1528
# bytes as IPv6, each goes as 2 IPv6 fragments of at most 1280 bytes (RFC
# 7915 4), so the output has 2 frames more.
expect_counts auto "$sample" "$out" <<'COUNTS'
frames                    24
translated                18
passed                     1
truncated                  1
bad_ipv4_header            1
bad_ipv4_checksum          1
address_not_in_prefix      1
fragmented                 2
fragments                  4
capture_truncated          1
COUNTS
expect_counts normal "$out" /dev/null <<'COUNTS'
frames                    22
passed                    21
capture_truncated          1
COUNTS
# With an IPv6 MTU that holds them, nothing is cut.
expect_counts --mtu6=1528 auto "$sample" "$out" <<'COUNTS'
frames                    24
translated                18
passed                     1
truncated                  1
bad_ipv4_header            1
bad_ipv4_checksum          1
address_not_in_prefix      1
capture_truncated          1
COUNTS

# --udp0=drop drops the datagram without checksum; --keep-dropped keeps
# every frame.
expect_counts --udp0=drop --keep-dropped auto "$sample" "$out" <<'COUNTS'
frames                    24
translated                17
passed                     1
truncated                  1
bad_ipv4_header            1
bad_ipv4_checksum          1
address_not_in_prefix      1
udp_zero_checksum          1
fragmented                 2
fragments                  4
capture_truncated          1
COUNTS
expect_counts normal "$out" /dev/null <<'COUNTS'
frames                    26
passed                    25
capture_truncated          1
COUNTS

# pcapng in, the same frames and timestamps out.
if command -v editcap > /dev/null 2>&1; then
    editcap -F pcapng "$sample" "$tmp/sample.pcapng"
    "$xlate" auto "$sample" "$tmp/from-pcap.pcap" > "$tmp/counts-pcap"
    "$xlate" auto "$tmp/sample.pcapng" "$out" > "$tmp/counts-pcapng"
    cmp "$tmp/from-pcap.pcap" "$out" &&
        cmp "$tmp/counts-pcap" "$tmp/counts-pcapng" ||
        fail "pcapng input gives another result than pcap"
fi

# Through pipes: the counts go to stderr, the capture to stdout.
"$xlate" auto - - < "$sample" > "$out" 2> "$tmp/stderr" ||
    fail "auto - - failed"
expect_count translated 18 "$tmp/stderr"
expect_counts -q normal "$out" /dev/null < /dev/null

# The committed sample is what its generator writes.
if /usr/bin/python3 -c 'import scapy' 2> /dev/null; then
    "$top_srcdir/tools/gen-tenant-pcap" "$tmp/regen.pcap" &&
        cmp "$sample" "$tmp/regen.pcap" ||
        fail "tests/tenant.pcap differs from tools/gen-tenant-pcap's output"
else
    echo "python3-scapy missing: not regenerating the sample"
fi

# --help, --version and the man page.
"$xlate" --help > "$tmp/help" || fail "--help failed"
grep -q '^usage: l2mt-xlate \[OPTIONS\] MODE IN OUT$' "$tmp/help" ||
    fail "--help lacks the usage line"
"$xlate" --version | grep -q '^l2mt-xlate (l2mt) [0-9]' ||
    fail "--version"
man=$top_srcdir/utilities/l2mt-xlate.1
sed -n 's/\\-/-/g; s/\\f[BIR]//g; p' "$man" |
    grep -o -e '--[a-z][a-z0-9-]*' | sort -u > "$tmp/man-options"
grep -o -e '--[a-z][a-z0-9-]*' "$tmp/help" | sort -u > "$tmp/help-options"
diff -u "$tmp/man-options" "$tmp/help-options" ||
    fail "--help and the man page list different options"
for mode in 4toll6 ll6to4 auto normal; do
    grep -q "^  $mode " "$tmp/help" || fail "--help lacks mode $mode"
    grep -q "^\\.IP \\\\fB$mode\\\\fR" "$man" || fail "man page lacks $mode"
done
if command -v groff > /dev/null 2>&1; then
    groff -man -Tutf8 -ww -z "$man" > "$tmp/groff" 2>&1
    [ ! -s "$tmp/groff" ] || fail "man page warnings: $(cat "$tmp/groff")"
fi

finish
