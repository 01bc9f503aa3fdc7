# Configure checks for the service component.
#
# APXS: Apache httpd's apxs (Debian's apache2-dev), for mod_l2mt.  Without
# it the module and its tests are left out, with a notice.
AC_DEFUN([L2MT_CHECK_SERVICE], [
  AC_ARG_WITH([apxs],
    [AS_HELP_STRING([--with-apxs=PATH|no],
      [Apache httpd's apxs, to build mod_l2mt @<:@default=search PATH@:>@])],
    [], [with_apxs=check])
  APXS=
  AS_CASE([$with_apxs],
    [no], [],
    [check|yes], [AC_PATH_PROGS([APXS], [apxs apxs2], [],
                                [$PATH:/usr/bin:/usr/sbin])],
    [APXS=$with_apxs])
  AS_IF([test -n "$APXS" && ! "$APXS" -q INCLUDEDIR >/dev/null 2>&1],
    [AC_MSG_ERROR([$APXS does not work as apxs])])
  AS_IF([test -z "$APXS" && test "$with_apxs" = yes],
    [AC_MSG_ERROR([apxs not found: install Debian's apache2-dev])])
  AS_IF([test "$with_apxs" = no],
    [AC_MSG_NOTICE([--with-apxs=no: mod_l2mt and its tests are left out])],
    [test -z "$APXS"],
    [AC_MSG_NOTICE([apxs not found: mod_l2mt and its tests are left out (install Debian's apache2-dev)])])
  AS_IF([test -n "$APXS"], [
    APXS_CPPFLAGS="-I`$APXS -q INCLUDEDIR` -I`$APXS -q APR_INCLUDEDIR` `$APXS -q EXTRA_CPPFLAGS`"
    APXS_CPPFLAGS="$APXS_CPPFLAGS `$APXS -q CPPFLAGS`"
    APXS_CFLAGS=`$APXS -q CFLAGS`
    APXS_LIBEXECDIR=`$APXS -q LIBEXECDIR`
    APXS_SBINDIR=`$APXS -q SBINDIR`
    APXS_TARGET=`$APXS -q TARGET`
  ])
  AC_SUBST([APXS])
  AC_SUBST([APXS_CPPFLAGS])
  AC_SUBST([APXS_CFLAGS])
  AC_SUBST([APXS_LIBEXECDIR])
  AC_SUBST([APXS_SBINDIR])
  AC_SUBST([APXS_TARGET])
  AM_CONDITIONAL([HAVE_APXS], [test -n "$APXS"])
])
