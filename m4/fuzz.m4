# L2MT_CHECK_LIBFUZZER: the one configure check for l2mt's libFuzzer
# targets (every tests/fuzz-*.sh, tests/service-fuzz.sh, tests/system-fuzz.sh
# and Open vSwitch's own targets in _ovs-fuzz, tests/ovs-fuzz).
#
# Policy, --enable-fuzz=auto|yes|no (default auto):
#   auto  build the fuzz targets and run them in 'make check' when clang
#         links a program with -fsanitize=fuzzer,address,undefined;
#         otherwise leave them out, with a warning saying why.
#   yes   the same, but a clang that cannot is an error (CI, developers).
#   no    no fuzz target is built or run (packages: --disable-fuzz).
#
# L2MT_FUZZ_CC: that clang (set it to choose one: L2MT_FUZZ_CC=clang-16).
# ENABLE_FUZZ (automake conditional): the fuzz targets are built and their
# tests listed.
AC_DEFUN([L2MT_CHECK_LIBFUZZER], [
  AC_ARG_ENABLE([fuzz],
    [AS_HELP_STRING([--enable-fuzz@<:@=auto|yes|no@:>@],
      [build and run the libFuzzer targets (clang with libFuzzer, ASan and
       UBSan): auto if clang can, yes or fail, no @<:@default=auto@:>@])],
    [], [enable_fuzz=auto])
  AS_CASE([$enable_fuzz],
    [auto|yes|no], [],
    [AC_MSG_ERROR([--enable-fuzz=$enable_fuzz: expected auto, yes or no])])

  l2mt_fuzz=no
  AS_IF([test "$enable_fuzz" != no], [
    AC_CHECK_PROGS([L2MT_FUZZ_CC], [clang clang-16 clang-15 clang-14])
    AS_IF([test -n "$L2MT_FUZZ_CC"], [
      AC_MSG_CHECKING([whether $L2MT_FUZZ_CC builds libFuzzer targets with ASan and UBSan])
      cat > conftest-fuzz.c <<_L2MT_EOF
#include <stddef.h>
#include <stdint.h>
int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);
int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) { return d && n; }
_L2MT_EOF
      AS_IF([$L2MT_FUZZ_CC -fsanitize=fuzzer,address,undefined conftest-fuzz.c \
               -o conftest-fuzz >&AS_MESSAGE_LOG_FD 2>&1],
            [l2mt_fuzz=yes])
      rm -f conftest-fuzz.c conftest-fuzz
      AC_MSG_RESULT([$l2mt_fuzz])
    ])
    AS_IF([test "$l2mt_fuzz" = no && test "$enable_fuzz" = yes],
      [AC_MSG_ERROR([--enable-fuzz=yes needs clang with libFuzzer, ASan and UBSan (Debian's clang): install it, or configure with --disable-fuzz])],
      [test "$l2mt_fuzz" = no],
      [AC_MSG_WARN([no clang with libFuzzer, ASan and UBSan: the fuzz targets are not built and their tests not run (install Debian's clang; --disable-fuzz silences this)])])
  ])
  AC_SUBST([L2MT_FUZZ_CC])
  AM_CONDITIONAL([ENABLE_FUZZ], [test "$l2mt_fuzz" = yes])
])
