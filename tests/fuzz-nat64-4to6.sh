#!/bin/sh
# Runs the 4to6 fuzzer (see run-nat64-fuzz).
exec "$top_srcdir/tests/run-nat64-fuzz" 4to6
