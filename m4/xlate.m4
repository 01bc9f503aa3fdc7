# Copyright (c) 2026 The l2mt authors.
# Licensed under the Apache License, Version 2.0.
#
# Configure checks for l2mt-xlate: libpcap to read and write captures.
# tshark is only needed by the tests, which skip without it.
AC_DEFUN([L2MT_CHECK_XLATE], [
  AC_CHECK_HEADER([pcap/pcap.h], [],
    [AC_MSG_ERROR([pcap/pcap.h not found: install libpcap-dev])])
  AC_CHECK_LIB([pcap], [pcap_open_offline_with_tstamp_precision],
    [PCAP_LIBS=-lpcap],
    [AC_MSG_ERROR([libpcap >= 1.5 not found: install libpcap-dev])])
  AC_SUBST([PCAP_LIBS])
])
