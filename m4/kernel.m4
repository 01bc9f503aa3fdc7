# Configure checks for the kernel datapath.
#
# --disable-kernel turns off the openvswitch module and its qemu tests.
# Otherwise we look for what they need: Debian's linux-source-6.1 tarball,
# the newest installed linux-headers-*-amd64 build tree, and the matching
# /boot/vmlinuz and /lib/modules of linux-image-amd64.  Anything missing is
# reported here and makes the kernel tests skip with the same message.
AC_DEFUN([L2MT_CHECK_KERNEL], [
  AC_ARG_ENABLE([kernel],
    [AS_HELP_STRING([--disable-kernel], [do not build and test the kernel module])],
    [], [enable_kernel=yes])
  AM_CONDITIONAL([ENABLE_KERNEL], [test "$enable_kernel" = yes])

  AC_ARG_WITH([linux-source],
    [AS_HELP_STRING([--with-linux-source=TARBALL|DIR],
      [Linux 6.1 source the openvswitch module is built from
       @<:@default=/usr/src/linux-source-6.1.tar.xz@:>@])],
    [], [with_linux_source=/usr/src/linux-source-6.1.tar.xz])
  AC_ARG_WITH([linux-headers],
    [AS_HELP_STRING([--with-linux-headers=DIR],
      [kernel build directory @<:@default=newest /usr/src/linux-headers-*-amd64@:>@])],
    [], [with_linux_headers=])

  L2MT_LINUX_SOURCE=$with_linux_source
  L2MT_KBUILD=
  L2MT_KVER=
  L2MT_KERNEL_MISSING=
  AS_IF([test "$enable_kernel" = yes], [
    AC_MSG_CHECKING([for the kernel headers])
    AS_IF([test -z "$with_linux_headers"],
      [with_linux_headers=`ls -d /usr/src/linux-headers-*-amd64 2>/dev/null | sort -V | tail -1`])
    AS_IF([test -n "$with_linux_headers" && test -f "$with_linux_headers/Makefile"],
      [L2MT_KBUILD=$with_linux_headers
       L2MT_KVER=`basename "$with_linux_headers" | sed 's/^linux-headers-//'`
       AC_MSG_RESULT([$L2MT_KBUILD])],
      [AC_MSG_RESULT([no])
       L2MT_KERNEL_MISSING="no kernel headers (apt-get install linux-headers-amd64)"])
    AS_IF([test -z "$L2MT_KERNEL_MISSING" && test ! -e "$L2MT_LINUX_SOURCE"],
      [L2MT_KERNEL_MISSING="no Linux source at $L2MT_LINUX_SOURCE (apt-get install linux-source-6.1)"])
    AS_IF([test -z "$L2MT_KERNEL_MISSING" && test ! -f "/boot/vmlinuz-$L2MT_KVER"],
      [L2MT_KERNEL_MISSING="no /boot/vmlinuz-$L2MT_KVER (apt-get install linux-image-amd64)"])
    AS_IF([test -n "$L2MT_KERNEL_MISSING"],
      [AC_MSG_WARN([kernel datapath: $L2MT_KERNEL_MISSING; its tests will be skipped])])
  ])
  AC_SUBST([L2MT_LINUX_SOURCE])
  AC_SUBST([L2MT_KBUILD])
  AC_SUBST([L2MT_KVER])
  AC_SUBST([L2MT_KERNEL_MISSING])

  # l2mt-dpctl reads the module's counters over generic netlink.
  PKG_CHECK_MODULES([MNL], [libmnl], [have_mnl=yes], [have_mnl=no])
  AS_IF([test "$enable_kernel$have_mnl" = yesno],
    [AC_MSG_ERROR([libmnl not found: apt-get install libmnl-dev, or --disable-kernel])])
  AM_CONDITIONAL([HAVE_LIBMNL], [test "$have_mnl" = yes])
])
