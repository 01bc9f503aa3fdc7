# Configure checks for the flowd component.
AC_DEFUN([L2MT_CHECK_FLOWD], [])
