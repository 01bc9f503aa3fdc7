#!/bin/sh
# Runs the 6to4 fuzzer (see run-nat64-fuzz).
exec "$top_srcdir/tests/run-nat64-fuzz" 6to4
