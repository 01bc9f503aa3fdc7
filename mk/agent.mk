# Files of the agent component: l2mt-agent and its tests (the config
# parser it reads l2mt.conf with: lib/conf/automake.mk).

EXTRA_DIST += \
	tests/agent-cli.sh \
	tests/agent-lib.sh \
	tests/agent-apply.sh \
	tests/agent-tunnels.sh \
	tests/agent-daemon.sh \
	tests/agent-move.sh \
	tests/agent-flows.sh \
	tests/agent-flows.expected \
	tests/agent-deny.sh \
	tests/agent-guards.sh \
	tests/agent-ipsec.sh \
	tests/agent-bundle.sh

dist_man_MANS += utilities/l2mt.conf.5 utilities/l2mt-agent.8
EXTRA_DIST += Documentation/agent.md utilities/l2mt-agent.service

# l2mt-agent stands on Open vSwitch's libraries (mk/ovs-lib.mk): vlog,
# daemon, unixctl, json, poll-loop, coverage.  It is built only with the
# patched tree (--with-ovs-source); the light build has no agent.
if HAVE_OVS
bin_PROGRAMS += utilities/l2mt-agent
utilities_l2mt_agent_SOURCES = \
	utilities/l2mt-agent.c \
	utilities/l2mt-agent-flows.c \
	utilities/l2mt-agent-flows.h \
	utilities/l2mt-agent-gather.c \
	utilities/l2mt-agent-gather.h \
	utilities/l2mt-agent-inventory.c \
	utilities/l2mt-agent-inventory.h \
	utilities/l2mt-agent-loop.c \
	utilities/l2mt-agent-loop.h \
	utilities/l2mt-agent-meters.c \
	utilities/l2mt-agent-meters.h \
	utilities/l2mt-agent-netlink.c \
	utilities/l2mt-agent-netlink.h \
	utilities/l2mt-agent-probe.c \
	utilities/l2mt-agent-probe.h \
	utilities/l2mt-agent-sync.c \
	utilities/l2mt-agent-sync.h \
	utilities/l2mt-agent-trace.c \
	utilities/l2mt-agent-trace.h \
	utilities/l2mt-agent-xlate-stats.c \
	utilities/l2mt-agent-xlate-stats.h \
	utilities/l2mt-daemon-options.h
# lib/fleet: run --fleet follows the fleet database (l2mt-db(5)).
utilities_l2mt_agent_CPPFLAGS = $(FLEET_CPPFLAGS) \
	-I$(top_srcdir)/utilities $(AGENT_NL_CFLAGS) $(MHD_CFLAGS)
utilities_l2mt_agent_CFLAGS = $(OVS_LIB_CFLAGS)
# lib/oam: the unixctl "trace"; lib/metrics: --metrics.
utilities_l2mt_agent_LDADD = lib/agent/libagent.a lib/oam/liboam.a \
	$(FLEET_LDADD) $(AGENT_NL_LIBS) $(METRICS_LIBS)
$(utilities_l2mt_agent_OBJECTS): | $(OVS_LIBOPENVSWITCH) $(FLEET_IDL)
TESTS += tests/agent-cli.sh
endif

# Tests against real Open vSwitch daemons.
if HAVE_OVS
TESTS += tests/agent-apply.sh tests/agent-tunnels.sh tests/agent-daemon.sh \
	tests/agent-move.sh tests/agent-flows.sh tests/agent-deny.sh \
	tests/agent-guards.sh tests/agent-ipsec.sh tests/agent-isolation.sh \
	tests/agent-bundle.sh
TESTS += tests/agent-nat64-mtu.sh
endif
EXTRA_DIST += tests/agent-nat64-mtu.sh

# Isolation over generated configs (issue 11): tests/agent-isolation.sh
# plays ISOLATION_CONFIGS of them (150 in make check); this target plays
# ISOLATION_LONG_CONFIGS, from ISOLATION_SEED if set.
EXTRA_DIST += \
	tests/agent-isolation.sh \
	tests/isolation-gen.py \
	tests/isolation-check.py
ISOLATION_LONG_CONFIGS = 2000
check-isolation-long: utilities/l2mt-agent
	@$(AM_TESTS_ENVIRONMENT) ISOLATION_CONFIGS=$(ISOLATION_LONG_CONFIGS) \
	  $(SHELL) $(srcdir)/tests/agent-isolation.sh
.PHONY: check-isolation-long

# How apply scales with the number of tenants, both tunnel modes.
EXTRA_DIST += bench/agent
bench_TARGETS += bench-agent
bench-agent: utilities/l2mt-agent
	@$(AM_TESTS_ENVIRONMENT) $(SHELL) $(srcdir)/bench/agent
.PHONY: bench-agent

# One pass's cost, no change and one tenant added (L2MT_BENCH_BEFORE=an
# earlier l2mt-agent: ratios against it).
EXTRA_DIST += bench/agent-apply
bench_TARGETS += bench-agent-apply
bench-agent-apply: utilities/l2mt-agent
	@$(AM_TESTS_ENVIRONMENT) $(SHELL) $(srcdir)/bench/agent-apply
.PHONY: bench-agent-apply

# The fleet: N hosts' agents following one clustered database,
# l2mt-ctl change -> host latency, the cluster's CPU and memory.
EXTRA_DIST += bench/fleet
bench_TARGETS += bench-fleet
bench-fleet: utilities/l2mt-agent utilities/l2mt-ctl tests/test-fleet-follow
	@$(AM_TESTS_ENVIRONMENT) $(SHELL) $(srcdir)/bench/fleet
.PHONY: bench-fleet
