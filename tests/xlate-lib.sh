# Copyright (c) 2026 The l2mt authors.
# Licensed under the Apache License, Version 2.0.
#
# Sourced by the l2mt-xlate tests: paths, a private temporary directory and
# checks that report every failure before the test exits.

xlate=$top_builddir/utilities/l2mt-xlate
sample=$top_srcdir/tests/tenant.pcap
[ -x "$xlate" ] || { echo "$xlate not built"; exit 99; }

. "$top_srcdir/tests/lib.sh"
tmp=$TEST_DIR

# In these tests a failed check does not end the test: finish (tests/lib.sh)
# gives the verdict.
fail () {
    soft_fail "$@"
}

need_tshark () {
    require_cmd tshark
}

# count NAME FILE: the count l2mt-xlate printed for NAME into FILE, 0 if it
# printed none.
count () {
    awk -v name="$1" '$1 == name { n = $2 } END { print n + 0 }' "$2"
}

# expect_count NAME WANT FILE
expect_count () {
    got=$(count "$1" "$3")
    [ "$got" = "$2" ] || fail "$3: $1 is $got, expected $2"
}

# fields PCAP FILTER FIELD...: one line per frame of PCAP that matches the
# display FILTER, with the FIELDs separated by spaces, all occurrences of a
# field joined by commas and "-" for an absent field.  tshark validates
# every checksum it can.
fields () {
    pcap=$1 filter=$2
    shift 2
    for f; do
        set -- "$@" -e "$f"
        shift
    done
    # No name resolution, no personal preferences.
    HOME=$tmp XDG_CONFIG_HOME=$tmp tshark -n -r "$pcap" -Y "$filter" \
        -o ip.check_checksum:TRUE -o tcp.check_checksum:TRUE \
        -o udp.check_checksum:TRUE \
        -T fields -E separator=/t -E occurrence=a -E aggregator=, "$@" \
        2> "$tmp/tshark.err" |
    awk -F '\t' '{
        for (i = 1; i <= NF; i++) {
            printf "%s%s", ($i == "" ? "-" : $i), (i < NF ? " " : "\n")
        }
    }'
    grep -v -e "^Running as user" -e "could be dangerous" \
        "$tmp/tshark.err" >&2 || :
}

# check_table TITLE PCAP FILTER FIELD... < EXPECTED: compares 'fields' with
# the table on stdin (columns aligned with any blanks, '#' comments).
check_table () {
    title=$1
    shift
    sed -e 's/#.*//' -e '/^[[:space:]]*$/d' |
        awk '{ $1 = $1; print }' > "$tmp/expected"
    fields "$@" > "$tmp/got"
    if ! diff -u "$tmp/expected" "$tmp/got" > "$tmp/diff"; then
        fail "$title: tshark disagrees (- expected, + got; fields: $*)"
        cat "$tmp/diff"
    fi
}
