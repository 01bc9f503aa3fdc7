/*
 * Copyright (c) 2026 The l2mt authors.
 * Licensed under the Apache License, Version 2.0.
 *
 * One Open vSwitch seen through its unixctl socket: its ports (dpif/show)
 * and ofproto/trace, with the parts of a trace that OAM needs read out of
 * the text.  Nothing here changes the switch.
 */

#ifndef OAM_SWITCH_H
#define OAM_SWITCH_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct jsonrpc;

/* A port as dpif/show lists it. */
struct oam_port {
    char *bridge;
    char *name;
    uint32_t ofport;
    uint32_t dp_port;
    char *type;                 /* "gre", "system", "tap", ... */
    char *key;                  /* Tunnel options, or NULL. */
    char *remote_ip;
    char *local_ip;
};

struct oam_switch {
    char *role;                 /* "gateway", "hypervisor": for messages. */
    char *target;               /* The unixctl socket's path. */
    struct jsonrpc *rpc;
    struct oam_port *ports;
    size_t n_ports;
};

/* Connects to 'target' (a socket path, or a daemon name such as
 * "ovs-vswitchd" whose pidfile is in the run directory) and reads its
 * ports.  Returns NULL on success, else an error message (caller frees). */
char *oam_switch_open(struct oam_switch *, const char *role,
                      const char *target);
void oam_switch_close(struct oam_switch *);

/* Runs a unixctl command.  Returns NULL and the reply in '*reply', or an
 * error message.  Caller frees both. */
char *oam_switch_call(struct oam_switch *, const char *cmd, int argc,
                      char *argv[], char **reply);

const struct oam_port *oam_switch_port(const struct oam_switch *,
                                       const char *bridge, const char *name);
const struct oam_port *oam_switch_dp_port(const struct oam_switch *,
                                          uint32_t dp_port);
/* The GRE port on 'bridge' that takes key 'key' from 'remote' (a fixed one,
 * else a flow-based one), or NULL. */
const struct oam_port *oam_switch_gre_in(const struct oam_switch *,
                                         const char *bridge, uint32_t key,
                                         const char *remote);

/* What one ofproto/trace said. */
struct oam_tnl_push {
    uint32_t key;
    char src[16], dst[16];      /* Outer IPv4 addresses. */
    uint32_t tnl_port;          /* The tunnel's datapath port. */
};

struct oam_trace {
    char *text;                 /* The whole trace. */
    char *dp_actions;           /* "Datapath actions:" line, "" if none. */
    char *final_flow;           /* "Final flow:", or NULL. */
    /* The last OpenFlow rule the frame matched (the one that decided). */
    int table;                  /* -1: no rule matched. */
    int priority;
    uint64_t cookie;
    char *rule;                 /* Its match, as the trace prints it. */
    /* Datapath actions, read out. */
    uint32_t outputs[8];        /* Plain output datapath ports. */
    size_t n_outputs;
    struct oam_tnl_push pushes[4];
    size_t n_pushes;
    char nat64[128];            /* "mode=4toll6,prefix=fe80::/96", or "". */
};

/* Traces the Ethernet frame 'hex' entering 'bridge' with metadata 'meta'
 * ("in_port=gre10,tun_id=0xa,..."). */
char *oam_switch_trace(struct oam_switch *, const char *bridge,
                       const char *meta, const char *hex,
                       struct oam_trace *);
void oam_trace_destroy(struct oam_trace *);

/* Parses the text of an ofproto/trace into 't' (t->text is taken). */
void oam_trace_parse(struct oam_trace *t, char *text);

#endif /* oam-switch.h */
