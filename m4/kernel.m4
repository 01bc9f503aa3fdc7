# Configure checks for the kernel datapath.
AC_DEFUN([L2MT_CHECK_KERNEL], [
  AC_ARG_ENABLE([kernel],
    [AS_HELP_STRING([--disable-kernel], [do not build and test the kernel module])],
    [], [enable_kernel=yes])
  AM_CONDITIONAL([ENABLE_KERNEL], [test "$enable_kernel" = yes])
])
