# Configure checks for the agent component (l2mt-agent and the config
# parser).
AC_DEFUN([L2MT_CHECK_AGENT], [
  PKG_CHECK_MODULES([AGENT_NL], [libnl-route-3.0 libnl-3.0], [],
    [AC_MSG_ERROR([l2mt-agent needs libnl-3 and libnl-route-3: apt-get install libnl-route-3-dev])])
])
