# Configure checks for the translator core.
AC_DEFUN([L2MT_CHECK_NAT64], [
  AC_ARG_ENABLE([fuzz],
    [AS_HELP_STRING([--disable-fuzz], [do not build and run the libFuzzer targets])],
    [], [enable_fuzz=yes])
  AM_CONDITIONAL([ENABLE_FUZZ], [test "$enable_fuzz" = yes])
])
