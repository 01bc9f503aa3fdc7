# Configure checks for the agent component.
AC_DEFUN([L2MT_CHECK_AGENT], [])
