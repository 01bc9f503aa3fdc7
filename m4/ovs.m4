# Configure checks for the ovs component.
AC_DEFUN([L2MT_CHECK_OVS], [])
