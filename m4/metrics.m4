# Configure checks for lib/metrics: the daemons' Prometheus endpoint stands
# on GNU libmicrohttpd.
AC_DEFUN([L2MT_CHECK_METRICS], [
  PKG_CHECK_MODULES([MHD], [libmicrohttpd >= 0.9.71])
])
