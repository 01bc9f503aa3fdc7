# Configure checks for the translator core.
AC_DEFUN([L2MT_CHECK_NAT64], [
  AC_ARG_ENABLE([fuzz],
    [AS_HELP_STRING([--disable-fuzz], [do not build and run the libFuzzer targets])],
    [], [enable_fuzz=yes])
  AM_CONDITIONAL([ENABLE_FUZZ], [test "$enable_fuzz" = yes])

  # The libFuzzer targets need clang with -fsanitize=fuzzer; without it
  # the fuzz tests are skipped, with a message.
  l2mt_libfuzzer=no
  AS_IF([test "$enable_fuzz" = yes], [
    AC_CHECK_PROGS([L2MT_FUZZ_CC], [clang clang-14 clang-15 clang-16], [none])
    AS_IF([test "$L2MT_FUZZ_CC" != none], [
      AC_MSG_CHECKING([whether $L2MT_FUZZ_CC builds libFuzzer targets])
      cat > conftest-fuzz.c <<_L2MT_EOF
#include <stddef.h>
#include <stdint.h>
int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);
int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) { return d && n; }
_L2MT_EOF
      AS_IF([$L2MT_FUZZ_CC -fsanitize=fuzzer,address,undefined conftest-fuzz.c \
               -o conftest-fuzz >&AS_MESSAGE_LOG_FD 2>&1],
            [l2mt_libfuzzer=yes])
      rm -f conftest-fuzz.c conftest-fuzz
      AC_MSG_RESULT([$l2mt_libfuzzer])
    ])
    AS_IF([test "$l2mt_libfuzzer" = no],
      [AC_MSG_WARN([no clang with libFuzzer: the fuzz tests will be skipped])])
  ])
  AM_CONDITIONAL([HAVE_LIBFUZZER], [test "$l2mt_libfuzzer" = yes])
  AC_SUBST([L2MT_FUZZ_CC])
])
