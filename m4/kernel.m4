# Configure checks for the kernel component.
AC_DEFUN([L2MT_CHECK_KERNEL], [])
