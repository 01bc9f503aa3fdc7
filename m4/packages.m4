# Configure checks for the packages component.
AC_DEFUN([L2MT_CHECK_PACKAGES], [])
