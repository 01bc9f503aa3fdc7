# Configure checks for the nat64 component.
AC_DEFUN([L2MT_CHECK_NAT64], [])
