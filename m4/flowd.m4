# Configure checks for the flowd component.  (Its libFuzzer targets:
# L2MT_CHECK_LIBFUZZER, m4/fuzz.m4.)
AC_DEFUN([L2MT_CHECK_FLOWD], [
  dnl IPFIX collecting and export stand on CERT NetSA's libfixbuf.
  PKG_CHECK_MODULES([FIXBUF], [libfixbuf >= 2.0])
  dnl The daemon's tests look for nfdump, pmacct and chromium at run time and
  dnl skip what is missing; nothing else is needed to build.
])
