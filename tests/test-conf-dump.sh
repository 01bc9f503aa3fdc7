#! /bin/sh
# A complete config parses to exactly the expected settings, defaults
# filled in.
set -u
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
top_builddir=${top_builddir:-$top_srcdir}
"$top_builddir/tests/test-conf" "$top_srcdir/tests/conf/good.conf" \
    | diff -u "$top_srcdir/tests/conf/good.dump" -
