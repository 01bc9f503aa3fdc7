#!/usr/bin/python3
# Copyright (c) 2026 The l2mt authors.
# Licensed under the Apache License, Version 2.0.
"""Random valid l2mt.conf scenarios for the isolation checker.

A scenario is one config (1-50 tenants, either tunnel mode, profiles, VM
port bindings, prefixes, one or several remotes per tenant) plus the
steps a host goes through with it: which service ports exist before the
first `l2mt-agent apply`, then service ports and VM ports appearing (or
going away and coming back) in random order, with agent restarts
(re-apply) in between.  The same seed always gives the same scenario.

    isolation-gen.py SEED        prints the config, then the steps
"""

import random
import sys

HOST = "hv1"
UNDERLAY_IF = "u0"
UNDERLAY_BRIDGE = "br-phy"
UNDERLAY_IP = "10.200.0.2/24"
UNDERLAY_GW = "10.200.0.1"
FLOW_GRE_PORT = "l2mt-gre"
BRIDGES = ["br-l2mt", "br-int9", "brt"]
PREFIXES = ["64:ff9b::/96", "fd00:1:2::/96", "2001:db8:77::/96",
            "fe80:0:0:1::/96"]


class Scenario:
    def __init__(self, seed):
        self.seed = seed
        self.text = ""
        self.bridge = None
        self.mode = None
        self.operator_bridge = False  # bridge made by the operator first
        self.tenants = []             # dicts: id, key, remotes, v4, v6
        self.vms = []                 # dicts: name, kind, value, mac, ...
        self.initial = []             # service ports there before apply
        self.steps = []               # ("create", port) ("delete", port)
                                      # ("vm", name) ("apply",) ("check",)

    def service_ports(self):
        ports = []
        for t in self.tenants:
            ports.append(t["v4"])
            if t["v6"]:
                ports.append(t["v6"])
        return ports


def _size(rng):
    """Mostly small configs, some large ones, always 1..50."""
    r = rng.random()
    if r < 0.7:
        return rng.randint(1, 4)
    if r < 0.92:
        return rng.randint(5, 15)
    return rng.randint(16, 50)


def _ifname(rng, used, i, suffix):
    """A service port name, unique, never one the agent generates."""
    while True:
        style = rng.randrange(4)
        if style == 0:
            name = "s%d%s" % (i, suffix)
        elif style == 1:
            name = "vnet%d" % rng.randrange(100000)
        elif style == 2:
            name = "tap%06x%s" % (rng.randrange(1 << 24), suffix)
        else:
            name = "svc_%d.%s" % (rng.randrange(1000), suffix)
        if name not in used:
            used.add(name)
            return name


def _meters(rng, w, basic):
    """Per-tenant or per-profile meters, now and then (0: none)."""
    for key in ("meter-pps", "meter-nd-pps"):
        if rng.random() < 0.15 and not basic:
            w("    %s %d" % (key, rng.choice([0, 1, 50, 100000])))


def generate(seed, min_tenants=1, basic=False):
    """The scenario of 'seed'.  'basic' leaves out the keys issue 11 added
    (service-address, ipv6-source, meters), for an agent without them: the
    same random choices are made, only those lines are not written."""
    rng = random.Random(seed)
    sc = Scenario(seed)
    sc.bridge = rng.choice(BRIDGES)
    sc.mode = rng.choice(["per-tenant", "flow"])
    sc.operator_bridge = rng.random() < 0.2
    n = max(min_tenants, _size(rng))
    used = set()
    remotes_pool = sorted({"172.16.%d.%d" % (rng.randrange(4),
                                             rng.randrange(1, 255))
                           for _ in range(rng.randint(1, 6))})
    ids, keys = set(), set()
    out = []
    w = out.append
    w("# isolation-gen.py seed %d" % seed)
    w("host %s {" % HOST)
    w("    bridge %s" % sc.bridge)
    w("    datapath netdev")
    w("    tunnel-mode %s" % sc.mode)
    w("    underlay-interface %s" % UNDERLAY_IF)
    w("    underlay-ip %s" % UNDERLAY_IP)
    w("    underlay-bridge %s" % UNDERLAY_BRIDGE)
    w("}")
    for i in range(n):
        while True:
            tid = rng.choice([rng.randint(1, 99), rng.randint(100, 65535),
                              rng.randint(65536, 4294967295)])
            if tid not in ids and tid not in keys:
                break
        ids.add(tid)
        key = tid
        explicit_key = rng.random() < 0.3
        if explicit_key:
            while True:
                key = rng.randint(1, 4294967295)
                if key not in keys and key not in ids:
                    break
        keys.add(key)
        # A gateway often serves several tenants: remotes are shared.
        remotes = rng.sample(remotes_pool,
                             rng.randint(1, min(3, len(remotes_pool))))
        t = {"id": tid, "key": key, "remotes": remotes,
             "v4": _ifname(rng, used, i, "v4"),
             "v6": _ifname(rng, used, i, "v6") if rng.random() < 0.7 else None,
             "name": "cust%d" % i if rng.random() < 0.3 else None,
             "prefix": rng.choice(PREFIXES) if rng.random() < 0.25 else None,
             "nat64": rng.random() > 0.15}
        sc.tenants.append(t)
        w("tenant %d {" % tid)
        if t["name"]:
            w("    name %s" % t["name"])
        if explicit_key:
            w("    gre-key %d" % key)
        for r in remotes:
            w("    remote %s" % r)
        w("    service-v4-port %s" % t["v4"])
        if t["v6"]:
            w("    service-v6-port %s" % t["v6"])
        if t["prefix"]:
            w("    prefix %s" % t["prefix"])
        if not t["nat64"]:
            w("    nat64 off")
        # The guards' settings: other service addresses, more IPv6 sources.
        if rng.random() < 0.15:
            for a in rng.sample(["192.168.0.100", "10.1.2.3", "fe80::c0a8:64",
                                 "fe80::1"], rng.randint(1, 2)):
                if not basic:
                    w("    service-address %s" % a)
        if rng.random() < 0.15:
            for n in rng.sample(["fe80::/10", "2001:db8::/32", "fd00::/8"],
                                rng.randint(1, 2)):
                if not basic:
                    w("    ipv6-source %s" % n)
        _meters(rng, w, basic)
        w("}")

    profiles = []
    for p in range(rng.randint(0, 3)):
        name = "prof%d" % p
        profiles.append(name)
        w("profile %s {" % name)
        if rng.random() < 0.6:
            w("    vlan %d" % rng.randint(1, 4094))
        if rng.random() < 0.4:
            w("    nat64 %s" % rng.choice(["normal", "4toll6", "ll6to4"]))
        if rng.random() < 0.3:
            w("    sflow off")
        _meters(rng, w, basic)
        w("}")

    for v in range(rng.randint(0, 5)):
        name = "vm%d" % v
        kind = rng.choice(["interface", "iface-id", "mac"])
        mac = "52:54:00:%02x:%02x:%02x" % (rng.randrange(256), v,
                                           rng.randrange(256))
        vm = {"name": name, "kind": kind, "mac": mac,
              "iface_id": "id-%d-%d" % (seed, v),
              "tenant": rng.choice(sc.tenants) if rng.random() < 0.7
              else None,
              "bound": rng.random() < 0.85}
        sc.vms.append(vm)
        if not vm["bound"]:
            continue            # on the bridge, but no port block for it
        value = {"interface": name, "iface-id": vm["iface_id"],
                 "mac": mac}[kind]
        w("port %s {" % name)
        w("    %s %s" % (kind, value))
        if profiles and rng.random() < 0.7:
            w("    profile %s" % rng.choice(profiles))
        if vm["tenant"]:
            t = vm["tenant"]
            w("    tenant %s" % (t["name"] if t["name"] and rng.random() < 0.5
                                 else t["id"]))
        w("}")
    sc.text = "\n".join(out) + "\n"

    # The host's life: some service ports there from the start, the rest
    # (and the VMs) appear in random order; restarts of the agent and the
    # odd port going away and coming back in between.
    ports = sc.service_ports()
    p_exist = rng.choice([0.0, 0.5, 0.9, 1.0, rng.random()])
    sc.initial = [p for p in ports if rng.random() < p_exist]
    later = [("create", p) for p in ports if p not in sc.initial]
    later += [("vm", vm["name"]) for vm in sc.vms]
    rng.shuffle(later)
    steps = [("apply",), ("check",)]
    n_batches = rng.randint(1, 2)
    for b in range(n_batches):
        batch = later[b * len(later) // n_batches:
                      (b + 1) * len(later) // n_batches]
        steps += batch
        if batch:
            steps.append(("check",))     # before the agent notices
        if rng.random() < 0.6 or b == n_batches - 1:
            steps += [("apply",), ("check",)]
    existing = [p for p in ports]
    if existing and rng.random() < 0.2:
        p = rng.choice(existing)
        steps += [("delete", p), ("check",), ("create", p), ("check",),
                  ("apply",), ("check",)]
    sc.steps = steps
    return sc


def main(argv):
    if len(argv) != 2:
        sys.stderr.write("usage: isolation-gen.py SEED\n")
        return 2
    sc = generate(int(argv[1]))
    sys.stdout.write(sc.text)
    print("# mode %s, bridge %s%s, %d tenants" %
          (sc.mode, sc.bridge, " (operator's)" if sc.operator_bridge else "",
           len(sc.tenants)))
    print("# ports there before apply: %s" % " ".join(sc.initial))
    for s in sc.steps:
        print("# step: %s" % " ".join(s))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
