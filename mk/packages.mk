# Files of the packages component: debian/ (dpkg-buildpackage), rhel/
# (rpmbuild) and their test.
#
# 'make check-packages' builds the Debian packages, installs them in a
# fresh Debian 12 root made with debootstrap, runs them there, builds the
# DKMS module, upgrades and purges (tests/packages-deb.sh; it needs root
# and Debian's archive, and takes minutes, so it is not part of 'make
# check').  $L2MT_PKG_CACHE keeps the root tarball between runs.

EXTRA_DIST += \
	debian \
	rhel/l2mt.spec \
	tests/packages-deb.sh \
	tests/packages-rpm.sh \
	Documentation/install.md

check-packages:
	@top_srcdir='$(abs_top_srcdir)' $(SHELL) $(srcdir)/tests/packages-deb.sh

check-packages-rpm:
	@top_srcdir='$(abs_top_srcdir)' $(SHELL) $(srcdir)/tests/packages-rpm.sh
.PHONY: check-packages check-packages-rpm
