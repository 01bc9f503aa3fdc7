# Configure checks for the agent component (l2mt-agent and the config
# parser).
AC_DEFUN([L2MT_CHECK_AGENT], [
  PKG_CHECK_MODULES([AGENT_NL], [libnl-route-3.0 libnl-3.0], [],
    [AC_MSG_ERROR([l2mt-agent needs libnl-3 and libnl-route-3: apt-get install libnl-route-3-dev])])

  # The config parser's fuzz target needs clang's libFuzzer.
  AGENT_FUZZ_CC=
  AS_IF([test "$enable_fuzz" = yes], [
    AC_PATH_PROGS([AGENT_CLANG], [clang clang-14])
    AS_IF([test -n "$AGENT_CLANG"], [
      AC_MSG_CHECKING([whether $AGENT_CLANG supports -fsanitize=fuzzer,address,undefined])
      echo 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n) { return 0; }' > conftest-fuzz.c
      AS_IF([$AGENT_CLANG -fsanitize=fuzzer,address,undefined conftest-fuzz.c -o conftest-fuzz >&AS_MESSAGE_LOG_FD 2>&1],
        [AGENT_FUZZ_CC=$AGENT_CLANG; AC_MSG_RESULT([yes])],
        [AC_MSG_RESULT([no])])
      rm -f conftest-fuzz.c conftest-fuzz
    ])
    AS_IF([test -z "$AGENT_FUZZ_CC"],
      [AC_MSG_WARN([no clang with libFuzzer: the config parser is not fuzzed])])
  ])
  AC_SUBST([AGENT_FUZZ_CC])
  AM_CONDITIONAL([AGENT_FUZZ], [test -n "$AGENT_FUZZ_CC"])
])
