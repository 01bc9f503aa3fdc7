# Configure checks for the xlate component.
AC_DEFUN([L2MT_CHECK_XLATE], [])
