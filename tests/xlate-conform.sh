#!/bin/sh
# Copyright (c) 2026 The l2mt authors.
# Licensed under the Apache License, Version 2.0.
#
# RFC conformance (issue 14) through l2mt-xlate: atomic fragments (RFC
# 6946, RFC 7915 5.1.1, RFC 6980), RFC 4884 lengths and padding, the MTU
# bounds of --mtu6/--mtu4 (RFC 7915 4.2, 5.2) and DF=0 packets cut into
# IPv6 fragments of 1280 bytes or mtu6 (RFC 7915 4, 4.1).  Each case of
# tests/conform-frames (frames built from the RFC text, not by the
# translator) goes through l2mt-xlate alone and must come out byte for
# byte, or be dropped under the reason named.

. "$top_srcdir/tests/xlate-lib.sh"

frames=$top_builddir/tests/conform-frames
[ -x "$frames" ] || { echo "$frames not built"; exit 99; }

"$frames" list > "$tmp/cases" || fail "conform-frames list failed"
n=0
while read -r name mode opts in want; do
    n=$((n + 1))
    args=
    if [ "$opts" != - ]; then
        for o in $(echo "$opts" | tr , ' '); do
            args="$args --$o"
        done
    fi
    "$frames" pcap "$in" "$tmp/in.pcap" || fail "$name: no input pcap"
    # shellcheck disable=SC2086
    "$xlate" $args "$mode" "$tmp/in.pcap" "$tmp/out.pcap" \
        > "$tmp/counts" 2>&1 || { fail "$name: l2mt-xlate failed"; continue; }
    "$frames" dump "$tmp/out.pcap" > "$tmp/out.hex"
    case $want in
    *[!0-9a-fx,]*)
        expect_count "$want" 1 "$tmp/counts"
        [ ! -s "$tmp/out.hex" ] || fail "$name: a frame came out"
        ;;
    *)
        expect_count translated 1 "$tmp/counts"
        # Fragments: one frame a line, matched in order.
        got=$(paste -sd, "$tmp/out.hex")
        "$frames" match "$want" "$got" ||
            fail "$name: frame differs
  want $want
  got  $got"
        case $want in
        *,*)
            nf=$(echo "$want" | tr , '\n' | grep -c .)
            expect_count fragmented 1 "$tmp/counts"
            expect_count fragments "$nf" "$tmp/counts"
            ;;
        esac
        ;;
    esac
    echo "$name ($mode${args:+,$args}): checked"
done < "$tmp/cases"
[ "$n" -ge 10 ] || fail "only $n cases listed"

# Bad MTUs are refused before any frame is read.
for bad in "--mtu6=1279" "--mtu6=65536" "--mtu4=67" "--mtu4=1e3" \
           "--mtu6=" "--mtu4=-1"; do
    "$xlate" "$bad" auto "$sample" "$tmp/out.pcap" > /dev/null 2>&1
    [ $? = 2 ] || fail "l2mt-xlate $bad: not refused"
done

finish
