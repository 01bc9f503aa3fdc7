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
endif
EXTRA_DIST += lib/agent/automake.mk
