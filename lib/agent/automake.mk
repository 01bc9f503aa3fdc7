# lib/agent/: the agent's planner (issue 12), a pure function from the
# config (struct l2mt_conf) and the gathered switch state (struct agent_db,
# struct agent_links) to ovs-vsctl commands, flows and meters, with the
# data types it reads and writes.  No I/O: l2mt-agent gathers and executes
# (utilities/l2mt-agent-gather.c, -sync.c).  It uses Open vSwitch's json
# and so needs the OVS tree (mk/ovs-lib.mk).  Exported names: agent_plan_,
# agent_db_, agent_cmd_.
if HAVE_OVS
noinst_LIBRARIES += lib/agent/libagent.a
lib_agent_libagent_a_SOURCES = \
	lib/agent/cmd.c \
	lib/agent/cmd.h \
	lib/agent/ovsdb.c \
	lib/agent/ovsdb.h \
	lib/agent/plan.c \
	lib/agent/plan.h
lib_agent_libagent_a_CPPFLAGS = $(OVS_LIB_CPPFLAGS)
lib_agent_libagent_a_CFLAGS = $(OVS_LIB_CFLAGS)
$(lib_agent_libagent_a_OBJECTS): | $(OVS_LIBOPENVSWITCH)

# The planner on recorded states, no switch needed (tests/agent-plan/).
check_PROGRAMS += tests/test-agent-plan
tests_test_agent_plan_SOURCES = tests/test-agent-plan.c
tests_test_agent_plan_CPPFLAGS = $(OVS_LIB_CPPFLAGS)
tests_test_agent_plan_CFLAGS = $(OVS_LIB_CFLAGS)
tests_test_agent_plan_LDADD = lib/agent/libagent.a lib/conf/libconf.a \
	$(OVS_LIB_LDADD)
$(tests_test_agent_plan_OBJECTS): | $(OVS_LIBOPENVSWITCH)
TESTS += tests/test-agent-plan.sh
endif
EXTRA_DIST += \
	lib/agent/automake.mk \
	tests/test-agent-plan.c \
	tests/test-agent-plan.sh \
	tests/agent-plan/add.expected \
	tests/agent-plan/applied.links \
	tests/agent-plan/applied.state \
	tests/agent-plan/empty.state \
	tests/agent-plan/in-sync.expected \
	tests/agent-plan/moved.conf \
	tests/agent-plan/moved.expected \
	tests/agent-plan/one-tenant.conf \
	tests/agent-plan/record.sh \
	tests/agent-plan/remove.expected \
	tests/agent-plan/tenant-removed.expected \
	tests/agent-plan/two-tenants.conf \
	tests/agent-plan/underlay-down.expected \
	tests/agent-plan/wrong-role.expected \
	tests/agent-plan/wrong-role.state
