# Configure checks for the service component.
AC_DEFUN([L2MT_CHECK_SERVICE], [])
