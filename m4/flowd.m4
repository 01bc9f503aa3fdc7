# Configure checks for the flowd component.
#
# The libFuzzer targets need clang with -fsanitize=fuzzer; without it they
# are not built and their tests are not listed.
AC_DEFUN([L2MT_CHECK_FLOWD], [
  dnl IPFIX collecting and export stand on CERT NetSA's libfixbuf.
  PKG_CHECK_MODULES([FIXBUF], [libfixbuf >= 2.0])
  AC_CHECK_PROGS([FLOWD_FUZZ_CC], [clang clang-14 clang-15 clang-16], [no])
  flowd_fuzz=no
  AS_IF([test "$enable_fuzz" = yes && test "$FLOWD_FUZZ_CC" != no], [
    AC_MSG_CHECKING([whether $FLOWD_FUZZ_CC builds libFuzzer targets])
    echo 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n) { return 0; }' > conftest-fuzz.c
    AS_IF([$FLOWD_FUZZ_CC -fsanitize=fuzzer,address,undefined conftest-fuzz.c -o conftest-fuzz >&AS_MESSAGE_LOG_FD 2>&1],
      [flowd_fuzz=yes])
    rm -f conftest-fuzz.c conftest-fuzz
    AC_MSG_RESULT([$flowd_fuzz])])
  AM_CONDITIONAL([FLOWD_FUZZ], [test "$flowd_fuzz" = yes])

  dnl The daemon's tests look for nfdump, pmacct and chromium at run time and
  dnl skip what is missing; nothing else is needed to build.
])
