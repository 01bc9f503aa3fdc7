#!/usr/bin/python3
# Copyright (c) 2026 The l2mt authors.
# Licensed under the Apache License, Version 2.0.
"""Proves tenant isolation from the flow tables a switch has installed.

For every ingress port of the tenant bridge (each tenant's tunnel port,
or the flow-mode tunnel with each tenant's tun_id/tun_src and with unknown
ones, each service port, each VM port, LOCAL) and every probe class
(unicast, broadcast, multicast, ARP, NDP, RA, Redirect, VLAN-tagged,
other ethertypes, spoofed sources) it asks ovs-vswitchd
`ofproto/trace` and reads where the frame leaves: the "Datapath actions:"
of the trace and of every recirculation it continues in, datapath ports
mapped back to interfaces (`dpif/show`), tunnel encapsulations
(`tnl_push`) to their GRE key and remote.  A frame that enters tenant A
may leave only on A's service ports, A's VM ports and A's tunnels (A's
key to A's remotes); a frame from a VM, LOCAL or an unknown tunnel source
may reach no tenant's port and no tunnel.  With --guards, spoofed sources,
Router Advertisements and Redirects from a tenant must reach nothing.

Traces go over the unixctl socket in pipelined batches (about 0.1 ms a
trace, against ~10 ms for one ovs-appctl run).

    isolation-check.py --ctl VSWITCHD.ctl --db unix:DB --conf FILE
                       [--host NAME] [--guards] [--vsctl PATH]
    isolation-check.py --run COUNT --seed SEED ...
                       (see tests/agent-isolation.sh)

Exit status: 0 isolated, 1 leak (each printed), 2 the check itself failed.
"""

import argparse
import importlib.util
import ipaddress
import json
import os
import random
import re
import socket
import subprocess
import sys
import time

# ---------------------------------------------------------------- unixctl


class Unixctl:
    """JSON-RPC to an OVS daemon's unixctl socket, requests pipelined."""

    def __init__(self, path):
        self.sock = socket.socket(socket.AF_UNIX)
        self.sock.connect(path)
        self.dec = json.JSONDecoder()
        self.buf = ""

    def calls(self, method, params_list, batch=128):
        results = []
        for k in range(0, len(params_list), batch):
            chunk = params_list[k:k + batch]
            self.sock.sendall("".join(
                json.dumps({"method": method, "params": p, "id": i})
                for i, p in enumerate(chunk)).encode())
            out = [None] * len(chunk)
            n = 0
            while n < len(chunk):
                data = self.sock.recv(1 << 20)
                if not data:
                    raise RuntimeError("unixctl connection closed")
                self.buf += data.decode()
                while True:
                    self.buf = self.buf.lstrip()
                    if not self.buf:
                        break
                    try:
                        obj, end = self.dec.raw_decode(self.buf)
                    except ValueError:
                        break
                    self.buf = self.buf[end:]
                    out[obj["id"]] = obj
                    n += 1
            results += out
        return results

    def call(self, method, params):
        r = self.calls(method, [params])[0]
        if r.get("error") is not None:
            raise RuntimeError("%s: %s" % (method, r["error"]))
        return r["result"]


# ---------------------------------------------------------------- config


def parse_conf(path, host):
    """The parts of l2mt.conf(5) that say which port belongs to whom."""
    conf = {"host": {}, "tenants": [], "ports": []}
    block = None
    for line in open(path):
        words = line.split("#", 1)[0].split()
        if not words:
            continue
        if words[-1] == "{":
            kind, name = words[0], words[1] if len(words) > 2 else ""
            if kind == "host":
                block = {} if name == host else None
                if block is not None:
                    conf["host"] = block
            elif kind == "tenant":
                block = {"id": int(name), "remote": []}
                conf["tenants"].append(block)
            elif kind == "port":
                block = {"label": name}
                conf["ports"].append(block)
            elif kind == "sflow":
                block = None
            else:
                block = None
            continue
        if words == ["}"]:
            block = None
            continue
        if block is None:
            continue
        if words[0] in ("remote", "service-address", "ipv6-source"):
            block.setdefault(words[0], []).append(words[1])
        else:
            block[words[0]] = words[1] if len(words) > 1 else ""
    h = conf["host"]
    h.setdefault("bridge", "br-l2mt")
    h.setdefault("tunnel-mode", "per-tenant")
    for t in conf["tenants"]:
        t["key"] = int(t.get("gre-key", t["id"]))
        t.setdefault("name", "tenant%d" % t["id"])
        t["label"] = "tenant %d" % t["id"]
    return conf


def tunnel_port_name(t, i):
    return "gre%d-%d" % (t["key"], i) if i else "gre%d" % t["key"]


# ---------------------------------------------------------------- switch


def switch_ports(ctl, vsctl, db, conf):
    """Interfaces of the tenant and underlay bridges with their roles."""
    dpif = ctl.call("dpif/show", [])
    ports = {}          # dp port -> record (name, bridge, ofport)
    bridge = None
    for line in dpif.splitlines():
        m = re.match(r"^  (\S+):$", line)
        if m:
            bridge = m.group(1)
            continue
        m = re.match(r"^    (\S+) (\d+)/(\d+|none):", line)
        if m and bridge:
            rec = {"name": m.group(1), "bridge": bridge,
                   "ofport": int(m.group(2))}
            if m.group(3) != "none":
                ports.setdefault(int(m.group(3)), []).append(rec)
    out = subprocess.run(
        [vsctl, "--db=" + db, "--format=json", "--columns=name,external_ids",
         "list", "interface"], check=True, capture_output=True, text=True)
    ext = {}
    table = json.loads(out.stdout)
    for name, ids in table["data"]:
        ext[name] = dict(ids[1])
    by_name = {}
    for recs in ports.values():
        for rec in recs:
            by_name[rec["name"]] = rec
            rec["role"] = role_of(rec, conf, ext.get(rec["name"], {}))
    return ports, by_name


def role_of(rec, conf, ids):
    """(kind, tenant) of an interface.  kind: local, tun, flowtun, svc, vm,
    other (on the tenant bridge but nobody's), underlay."""
    h = conf["host"]
    name = rec["name"]
    if rec["bridge"] != h["bridge"]:
        return ("underlay", None)
    if name == h["bridge"]:
        return ("local", None)
    if h["tunnel-mode"] == "flow" and name == "l2mt-gre":
        return ("flowtun", None)
    for t in conf["tenants"]:
        if name in (t.get("service-v4-port"), t.get("service-v6-port")):
            return ("svc", t)
        if h["tunnel-mode"] != "flow":
            for i in range(len(t["remote"])):
                if name == tunnel_port_name(t, i):
                    return ("tun", t)
    for p in conf["ports"]:
        if (p.get("interface") == name
                or ("iface-id" in p and ids.get("iface-id") == p["iface-id"])
                or ("mac" in p and ids.get("attached-mac", "").lower()
                    == p["mac"].lower())):
            owner = None
            if "tenant" in p:
                for t in conf["tenants"]:
                    if p["tenant"] in (str(t["id"]), t["name"]):
                        owner = t
            return ("vm", owner)
    return ("other", None)


# ---------------------------------------------------------------- probes

TMAC, SMAC = "02:00:0a:00:00:01", "02:00:64:04:00:01"
T4, S4 = "192.168.0.10", "192.168.0.100"
TLL, SLL = "fe80::c0a8:a", "fe80::c0a8:64"


def _v4(src, dst, dmac, proto="udp", extra=""):
    return ("%s,dl_src=%s,dl_dst=%s,nw_src=%s,nw_dst=%s,nw_ttl=64%s"
            % (proto, TMAC, dmac, src, dst, extra))


def _v6(src, dst, dmac, proto="udp6", extra=""):
    return ("%s,dl_src=%s,dl_dst=%s,ipv6_src=%s,ipv6_dst=%s,nw_ttl=255%s"
            % (proto, TMAC, dmac, src, dst, extra))


def _icmp6(t, src=TLL, dst="ff02::1", dmac="33:33:00:00:00:01", extra=""):
    return _v6(src, dst, dmac, "icmp6",
               ",icmpv6_type=%d,icmpv6_code=0%s" % (t, extra))


# (name, flow, guard): guard says the frame must be dropped at a tenant's
# ingress once the agent has its guards (--guards).
PROBES = [
    ("v4-unicast", _v4(T4, S4, SMAC), None),
    ("v4-unicast-unknown-mac", _v4(T4, S4, "02:99:99:99:99:99"), None),
    ("v4-broadcast", _v4(T4, "255.255.255.255", "ff:ff:ff:ff:ff:ff"), None),
    ("v4-subnet-broadcast", _v4(T4, "192.168.0.255", "ff:ff:ff:ff:ff:ff"),
     None),
    ("v4-multicast", _v4(T4, "224.0.0.1", "01:00:5e:00:00:01"), None),
    ("arp-request", "arp,dl_src=%s,dl_dst=ff:ff:ff:ff:ff:ff,arp_op=1,"
     "arp_spa=%s,arp_tpa=%s,arp_sha=%s" % (TMAC, T4, S4, TMAC), None),
    ("arp-reply", "arp,dl_src=%s,dl_dst=%s,arp_op=2,arp_spa=%s,arp_tpa=%s,"
     "arp_sha=%s,arp_tha=%s" % (TMAC, SMAC, T4, S4, TMAC, SMAC), None),
    ("v6-unicast", _v6(TLL, SLL, SMAC), None),
    ("v6-multicast", _v6(TLL, "ff02::1", "33:33:00:00:00:01"), None),
    ("ndp-ns", _icmp6(135, dst="ff02::1:ffa8:64",
                      dmac="33:33:ff:a8:00:64", extra=",nd_target=" + SLL),
     None),
    ("ndp-na", _icmp6(136, dst=SLL, dmac=SMAC, extra=",nd_target=" + TLL),
     None),
    ("ndp-ra", _icmp6(134), "ra"),
    ("ndp-redirect", _icmp6(137, dst=SLL, dmac=SMAC), "ra"),
    ("vlan-v4", "dl_vlan=100," + _v4(T4, S4, SMAC), None),
    ("vlan-v6", "dl_vlan=100," + _v6(TLL, SLL, SMAC), None),
    ("vlan-arp", "dl_vlan=4095,arp,dl_src=%s,dl_dst=ff:ff:ff:ff:ff:ff,"
     "arp_op=1,arp_spa=%s,arp_tpa=%s" % (TMAC, T4, S4), None),
    ("lldp", "dl_type=0x88cc,dl_src=%s,dl_dst=01:80:c2:00:00:0e" % TMAC, None),
    ("qinq", "dl_type=0x88a8,dl_src=%s,dl_dst=%s" % (TMAC, SMAC), None),
    ("pppoe", "dl_type=0x8863,dl_src=%s,dl_dst=ff:ff:ff:ff:ff:ff" % TMAC,
     None),
    ("mpls", "mpls,dl_src=%s,dl_dst=%s,mpls_label=16" % (TMAC, SMAC), None),
    ("ethertype-9000", "dl_type=0x9000,dl_src=%s,dl_dst=%s" % (TMAC, SMAC),
     None),
    ("stp", "dl_type=0x05dc,dl_src=%s,dl_dst=01:80:c2:00:00:00" % TMAC,
     None),
    ("spoof-v4-service", _v4(S4, S4, SMAC), None),
    ("spoof-v4-0/8", _v4("0.1.2.3", S4, SMAC), "spoof"),
    ("spoof-v4-127/8", _v4("127.0.0.1", S4, SMAC), "spoof"),
    ("spoof-v4-224/4", _v4("224.0.0.5", S4, SMAC), "spoof"),
    ("spoof-v4-broadcast", _v4("255.255.255.255", S4, SMAC), "spoof"),
    ("spoof-v6-service", _v6(SLL, SLL, SMAC), None),
    ("spoof-v6-mapped", _v6("::ffff:192.168.0.10", SLL, SMAC), "spoof"),
    ("spoof-v6-global", _v6("2001:db8::10", SLL, SMAC), "spoof"),
    ("spoof-arp-127", "arp,dl_src=%s,dl_dst=ff:ff:ff:ff:ff:ff,arp_op=1,"
     "arp_spa=127.0.0.1,arp_tpa=%s" % (TMAC, S4), "spoof"),
    ("spoof-mac-service", "ip,dl_src=%s,dl_dst=ff:ff:ff:ff:ff:ff,"
     "nw_src=%s,nw_dst=%s" % (SMAC, T4, S4), None),
]



def guarded(pname, guard, t):
    """Must the agent's ingress guards of tenant 't' drop probe 'pname'?
    The service's addresses are spoofs only when they are the tenant's
    service-address (default 192.168.0.100, fe80::c0a8:64 translated), a
    global IPv6 source only outside the tenant's ipv6-source."""
    svc = t.get("service-address") or [S4]
    if pname == "spoof-v4-service":
        return S4 in svc
    if pname == "spoof-v6-service":
        return S4 in svc or SLL in svc
    if pname == "spoof-v6-global":
        nets = t.get("ipv6-source") or ["fe80::/10"]
        return not any(ipaddress.ip_address("2001:db8::10")
                       in ipaddress.ip_network(n, strict=False) for n in nets)
    return guard is not None


# ---------------------------------------------------------------- traces


def split_actions(s):
    """Top-level comma-separated datapath actions."""
    out, depth, cur = [], 0, ""
    for c in s:
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        if c == "," and depth == 0:
            out.append(cur)
            cur = ""
        else:
            cur += c
    if cur:
        out.append(cur)
    return [a.strip() for a in out if a.strip()]


def _tunnel(action, key_re, dst_re):
    """(GRE key, remote) of a tunnel action, None for what is not there."""
    key = re.search(key_re, action)
    dst = re.search(dst_re, action)
    return (int(key.group(1), 16) if key else None,
            dst.group(1) if dst else None)


def walk_actions(actions, outs, tunnels, recircs, problems, in_tunnel):
    """Collects outputs (dp port numbers), tunnel pushes (key, dst) and
    recirculations (id -> carries an encapsulated frame) of an action
    list."""
    for a in split_actions(actions):
        if re.fullmatch(r"\d+", a):
            outs.append((int(a), in_tunnel))
        elif a.startswith("tnl_push("):
            # User-space datapath: the GRE header, pushed.
            tunnels.append(_tunnel(a, r"key=(0x[0-9a-f]+)",
                                   r"ipv4\(src=[^,]*,dst=([0-9.]+)"))
            in_tunnel = True
        elif a.startswith("recirc("):
            recircs[a[7:-1]] = in_tunnel
        elif a.startswith("clone(") or a.startswith("sample("):
            inner = a[a.index("(") + 1:-1]
            m = re.search(r"actions\((.*)\)$", inner)
            walk_actions(m.group(1) if m else inner, outs, tunnels, recircs,
                         problems, in_tunnel)
        elif a.startswith("userspace(") and "slow_path" in a:
            problems.append("slow path: " + a)
        elif a.startswith("set(tunnel("):
            # Kernel datapath: the tunnel metadata for the vport's output.
            tunnels.append(_tunnel(a, r"tun_id=(0x[0-9a-f]+)",
                                   r"dst=([0-9.]+)"))
            in_tunnel = True


def parse_trace(text):
    """(outputs [(dp port, carries encapsulated frame)], tunnels, problems)
    from an ofproto/trace result, recirculations followed."""
    outs, tunnels, problems = [], [], []
    sections = re.split(r"\n=+\nrecirc\((0x[0-9a-f]+)\)\n=+\n", text)
    main = sections[0]
    recircs = {}
    for pat in ("routing failed", "neighbor cache miss"):
        if pat in text:
            problems.append(pat)
    m = re.findall(r"^Datapath actions: (.*)$", main, re.M)
    if not m:
        problems.append("no datapath actions")
        return outs, tunnels, problems
    walk_actions(m[-1], outs, tunnels, recircs, problems, False)
    for i in range(1, len(sections) - 1, 2):
        rid, body = sections[i], sections[i + 1]
        m = re.findall(r"^Datapath actions: (.*)$", body, re.M)
        if m:
            walk_actions(m[-1], outs, tunnels, recircs, problems,
                         recircs.get(rid, False))
    return outs, tunnels, problems


# ---------------------------------------------------------------- check

# Leaks counted by ingress kind -> egress kind, for the summary.
KINDS = {}


class Ingress:
    def __init__(self, label, ofport, owner, kind, tun=""):
        self.label, self.ofport, self.owner = label, ofport, owner
        self.kind, self.tun = kind, tun


def ingresses(conf, by_name):
    """Every place a frame can enter the tenant bridge, with its owner."""
    res = []
    for name, rec in sorted(by_name.items()):
        kind, t = rec["role"]
        if kind == "underlay" or rec["ofport"] <= 0:
            continue
        if kind == "flowtun":
            # Each tenant's key from each of its remotes, and strangers:
            # an unknown key from a known remote, a known key from an
            # unknown remote, another tenant's remote with this key.
            remotes = sorted({r for x in conf["tenants"] for r in x["remote"]})
            for x in conf["tenants"]:
                for r in x["remote"]:
                    res.append(Ingress("%s tun_id=%d tun_src=%s" % (
                        name, x["key"], r), rec["ofport"], x, "tun",
                        ",tun_id=%d,tun_src=%s,tun_dst=10.200.0.2"
                        % (x["key"], r)))
                others = [r for r in remotes if r not in x["remote"]]
                if others and x in conf["tenants"][:3]:
                    res.append(Ingress("%s tun_id=%d tun_src=%s (not its)" % (
                        name, x["key"], others[0]), rec["ofport"], None,
                        "stranger", ",tun_id=%d,tun_src=%s,tun_dst=10.200.0.2"
                        % (x["key"], others[0])))
            keys = {x["key"] for x in conf["tenants"]}
            unknown = next(k for k in range(1, 1 << 20) if k not in keys)
            for r in remotes[:3] + ["198.51.100.7"]:
                res.append(Ingress("%s tun_id=%d (unknown) tun_src=%s" % (
                    name, unknown, r), rec["ofport"], None, "stranger",
                    ",tun_id=%d,tun_src=%s,tun_dst=10.200.0.2" % (unknown, r)))
            if conf["tenants"]:
                k = conf["tenants"][0]["key"]
                res.append(Ingress("%s tun_id=%d tun_src=198.51.100.7" % (
                    name, k), rec["ofport"], None, "stranger",
                    ",tun_id=%d,tun_src=198.51.100.7,tun_dst=10.200.0.2" % k))
            continue
        res.append(Ingress(name, rec["ofport"], t, kind))
    return res


def egress_ok(ing, dst_rec, conf):
    """May a frame from 'ing' leave on interface 'dst_rec'?"""
    kind, t = dst_rec["role"]
    if ing.kind in ("tun", "svc"):
        a = ing.owner
        return kind in ("svc", "vm") and t is a
    # VM, LOCAL, unknown port or tunnel stranger: no tenant's port.
    return kind in ("vm", "local", "other")


def check(ctl, vsctl, db, conf, guards=False, verbose=False):
    """Returns (leaks, guard misses, problems, number of traces, reached):
    reached maps tenant id -> set of own egress kinds seen from its
    tunnel (for the caller's sanity checks)."""
    h = conf["host"]
    ports, by_name = switch_ports(ctl, vsctl, db, conf)
    if h["bridge"] not in by_name:
        return [], [], ["bridge %s not in dpif/show" % h["bridge"]], 0, {}
    ings = ingresses(conf, by_name)
    reqs, meta = [], []
    for ing in ings:
        for pname, flow, guard in PROBES:
            reqs.append([h["bridge"], "in_port=%d%s,%s" % (
                ing.ofport, ing.tun, flow)])
            meta.append((ing, pname, guard))
    results = ctl.calls("ofproto/trace", reqs)
    leaks, misses, problems = [], [], []
    reached = {}
    keys = {t["key"]: t for t in conf["tenants"]}
    for (ing, pname, guard), r in zip(meta, results):
        where = "%s [%s]" % (ing.label, pname)
        if r.get("error") is not None:
            problems.append("%s: trace error: %s" % (where, r["error"]))
            continue
        outs, tunnels, probs = parse_trace(r["result"])
        for p in probs:
            problems.append("%s: %s" % (where, p))
        dests = []
        for dp, encap in outs:
            recs = ports.get(dp)
            if not recs:
                dests.append(("datapath port %d (unknown)" % dp, False))
                continue
            rec = recs[0]
            if encap and rec["role"][0] in ("underlay", "tun", "flowtun"):
                continue        # the GRE frame of a tnl_push on its way,
                                # or the vport of a set(tunnel(...))
            dests.append((rec["name"], egress_ok(ing, rec, conf)
                          and not encap))
            if ing.kind == "tun" and rec["role"][0] == "svc":
                reached.setdefault(ing.owner["id"], set()).add(rec["name"])
        for key, dst in tunnels:
            t = keys.get(key)
            ok = (ing.kind in ("tun", "svc") and t is ing.owner
                  and dst in t["remote"])
            dests.append(("tunnel key %s to %s" % (key, dst), ok))
            if ok and ing.kind == "svc":
                reached.setdefault(t["id"], set()).add("tunnel")
        for d, ok in dests:
            if not ok:
                leaks.append("LEAK %s (%s) -> %s" % (
                    where, ing.owner["label"] if ing.owner else ing.kind, d))
                dkind = (by_name[d]["role"][0] if d in by_name
                         else "tunnel" if d.startswith("tunnel") else "?")
                KINDS["%s -> %s" % (ing.kind, dkind)] = KINDS.get(
                    "%s -> %s" % (ing.kind, dkind), 0) + 1
        if (guards and ing.kind == "tun" and dests
                and guarded(pname, guard, ing.owner)):
            misses.append("GUARD %s: %s not dropped -> %s" % (
                where, guard or "spoof", ", ".join(d for d, _ in dests)))
    return leaks, misses, problems, len(reqs), reached


# ---------------------------------------------------------------- runner


def _load_gen():
    here = os.path.dirname(os.path.abspath(__file__))
    spec = importlib.util.spec_from_file_location(
        "isolation_gen", os.path.join(here, "isolation-gen.py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


class Runner:
    """Plays generated scenarios on one running ovs-vswitchd in network
    namespace 'ns' and checks the flow tables after every step."""

    def __init__(self, args):
        self.a = args
        self.ctl = Unixctl(args.ctl)
        self.gen = _load_gen()
        self.created = set()
        self.tmp = args.tmpdir

    def sh(self, *cmd, ns=True, check=True):
        full = ((["ip", "netns", "exec", self.a.netns] if ns else [])
                + list(cmd))
        r = subprocess.run(full, capture_output=True, text=True)
        if check and r.returncode:
            raise RuntimeError("%s: exit %d: %s%s" % (
                " ".join(cmd), r.returncode, r.stdout, r.stderr))
        return r

    def vsctl(self, *args):
        return self.sh(self.a.vsctl, "--timeout=20", "--db=" + self.a.db,
                       *args, ns=False)

    def agent(self, conf, verb):
        return self.sh(self.a.agent, "--db=" + self.a.db, "--host=hv1",
                       "-c", conf, "--inventory=%s/inventory.json" % self.tmp,
                       verb, check=False)

    def reset(self):
        brs = self.vsctl("list-br").stdout.split()
        if brs:
            args = []
            for b in brs:
                args += ["--", "--if-exists", "del-br", b]
            self.vsctl(*args)
        cmds = "".join("link del %s\n" % p for p in sorted(self.created))
        if cmds:
            subprocess.run(["ip", "-n", self.a.netns, "-force", "-batch", "-"],
                           input=cmds, text=True, capture_output=True)
        self.created = set()
        r = self.sh("ip", "-o", "link", "show")
        if "u0:" not in r.stdout:
            self.sh("ip", "link", "add", "u0", "type", "veth", "peer", "name",
                    "u0p")
            self.sh("ip", "link", "set", "u0", "up")
            self.sh("ip", "link", "set", "u0p", "up")

    def make_ports(self, names):
        cmds = ""
        for p in names:
            cmds += "link add %s type veth peer name x%s\n" % (p, p[:14])
            cmds += "link set %s up\n" % p
        if cmds:
            r = subprocess.run(["ip", "-n", self.a.netns, "-batch", "-"],
                               input=cmds, text=True, capture_output=True)
            if r.returncode:
                raise RuntimeError("ip -batch: %s" % r.stderr)
        self.created |= set(names)

    def add_vm(self, sc, vm):
        ext = ["external_ids:iface-id=%s" % vm["iface_id"],
               "external_ids:attached-mac=%s" % vm["mac"]]
        self.vsctl("add-port", sc.bridge, vm["name"], "--", "set",
                   "interface", vm["name"], "type=internal", *ext)

    def underlay_route(self):
        """The tunnels' next hop, so that traces show each tnl_push."""
        self.sh("ip", "route", "replace", "default", "via", "10.200.0.1",
                "dev", "br-phy", check=False)
        self.ctl.call("tnl/neigh/set", ["br-phy", "10.200.0.1",
                                        "02:00:c8:00:00:01"])

    def play(self, seed, control=None, min_tenants=1):
        """Plays one scenario; returns (failures, traces)."""
        sc = self.gen.generate(seed, min_tenants, self.a.basic)
        conf = os.path.join(self.tmp, "l2mt.conf")
        with open(conf, "w") as f:
            f.write(sc.text)
        fails, traces = [], 0
        r = self.agent(conf, "check")
        if r.returncode:
            return (["seed %d: generated config rejected by l2mt-agent check "
                     "(a generator bug): %s" % (seed, r.stderr.strip())], 0)
        self.reset()
        if sc.operator_bridge:
            self.vsctl("add-br", sc.bridge, "--", "set", "bridge", sc.bridge,
                       "datapath_type=netdev")
        self.make_ports(sc.initial)
        parsed = parse_conf(conf, "hv1")
        vms = {vm["name"]: vm for vm in sc.vms}
        step_no = 0
        reached = {}
        t_apply = t_check = 0.0
        for step in sc.steps:
            t0 = time.time()
            step_no += 1
            if step[0] == "apply":
                r = self.agent(conf, "apply")
                if r.returncode:
                    fails.append("seed %d step %d: apply failed: %s" % (
                        seed, step_no, r.stderr.strip()[-500:]))
                    return fails, traces
                self.underlay_route()
                t_apply += time.time() - t0
            elif step[0] == "create":
                self.make_ports([step[1]])
            elif step[0] == "delete":
                self.sh("ip", "link", "del", step[1])
                self.created.discard(step[1])
            elif step[0] == "vm":
                self.add_vm(sc, vms[step[1]])
            elif step[0] == "check":
                time.sleep(0.05)    # let ovs-vswitchd see new interfaces
                res = self.check_once(parsed, seed, step_no)
                fails += res[0]
                traces += res[1]
                reached = res[2]
                t_check += time.time() - t0
        if self.a.verbose:
            print("seed %d: %s mode, %d tenants, %d steps, apply %.2f s, "
                  "checks %.2f s" % (seed, sc.mode, len(sc.tenants),
                                      len(sc.steps), t_apply, t_check))
        # The final state (the last step checks after an apply) has every
        # port: each tenant must reach its own service port from its
        # tunnel, or the traces proved nothing.
        for t in parsed["tenants"]:
            if not reached.get(t["id"]):
                fails.append("seed %d: tenant %d never reaches its own "
                             "service port (the check would be vacuous)"
                             % (seed, t["id"]))
        if control:
            fails += self.control(sc, parsed, seed, control)
        return fails, traces

    def check_once(self, parsed, seed, step_no):
        leaks, misses, problems, n, reached = check(
            self.ctl, self.a.vsctl, self.a.db, parsed, self.a.guards)
        out = []
        for x in problems[:20]:
            out.append("seed %d step %d: PROBLEM %s" % (seed, step_no, x))
        # A tenant's own ports' leaks first: the ones issue 11 is about.
        leaks.sort(key=lambda x: "(tenant " not in x)
        for x in (leaks + misses)[:self.a.max_report]:
            out.append("seed %d step %d: %s" % (seed, step_no, x))
        n_more = len(leaks) + len(misses) - self.a.max_report
        if n_more > 0:
            out.append("seed %d step %d: ... and %d more" % (
                seed, step_no, n_more))
        return out, n, reached

    def control(self, sc, parsed, seed, kind):
        """Positive control: one deliberately leaky flow must be caught."""
        a, b = parsed["tenants"][0], parsed["tenants"][1]
        br = parsed["host"]["bridge"]
        if kind == "svc":
            flow = ("priority=65535,in_port=%s,actions=output:%s"
                    % (a["service-v4-port"], b["service-v4-port"]))
        elif parsed["host"]["tunnel-mode"] == "flow":
            flow = ("priority=65535,in_port=%s,actions=set_field:%d->tun_id,"
                    "set_field:%s->tun_dst,output:l2mt-gre"
                    % (a["service-v4-port"], b["key"], b["remote"][0]))
        else:
            flow = ("priority=65535,in_port=%s,actions=output:%s"
                    % (a["service-v4-port"], tunnel_port_name(b, 0)))
        saved = dict(KINDS)     # the control's leaks are not the config's
        before = set(check(self.ctl, self.a.vsctl, self.a.db, parsed)[0])
        self.sh(self.a.ofctl, "add-flow", br, flow, ns=False)
        after = check(self.ctl, self.a.vsctl, self.a.db, parsed)[0]
        self.sh(self.a.ofctl, "del-flows", "--strict", br,
                flow.split(",actions")[0], ns=False)
        KINDS.clear()
        KINDS.update(saved)
        # Only what the leaky flow adds counts: the config may leak already.
        leaks = [x for x in after if x not in before
                 and x.startswith("LEAK %s " % a["service-v4-port"])]
        print("control (%s): %s -> %d new leak(s) reported%s" % (
            kind, flow, len(leaks), ": " + leaks[0] if leaks else ""))
        if not leaks:
            return ["seed %d: positive control NOT detected: %s"
                    % (seed, flow)]
        return []


def run(args):
    runner = Runner(args)
    seed0 = args.seed if args.seed is not None else random.randrange(1 << 31)
    print("isolation: %d configs from seed %d (reproduce one: "
          "isolation-gen.py SEED)" % (args.run, seed0))
    t0 = time.time()
    all_fails, traces, failed_configs = [], 0, 0
    # The positive controls ride on the first configs with two tenants or
    # more (so that a seed plays the same whether or not it carries one),
    # else on configs of their own made to have two.
    pending = ["svc", "tunnel"] if args.control else []
    extra = 0
    i = 0
    while i < args.run or pending:
        if i < args.run:
            seed, min_tenants = seed0 + i, 1
            n_tenants = len(runner.gen.generate(seed, 1,
                                                args.basic).tenants)
            control = pending.pop(0) if pending and n_tenants > 1 else None
        else:
            extra += 1
            seed, min_tenants = seed0 - extra, 2
            control = pending.pop(0)
            print("isolation: control %s on seed %d with two tenants or more"
                  % (control, seed))
        i += 1
        fails, n = runner.play(seed, control, min_tenants)
        traces += n
        if fails:
            failed_configs += 1
            for f in fails:
                print(f)
        all_fails += fails
        if args.verbose:
            print("seed %d: %d traces, %s" % (seed, n,
                                              "FAIL" if fails else "ok"))
    dt = time.time() - t0
    for k in sorted(KINDS):
        print("isolation: leaks %s: %d" % (k, KINDS[k]))
    print("isolation: %d configs, %d traces in %.1f s, %d config(s) "
          "failing" % (args.run, traces, dt, failed_configs))
    return 1 if all_fails else 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--ctl", required=True, help="ovs-vswitchd unixctl path")
    ap.add_argument("--db", required=True, help="ovsdb remote (unix:PATH)")
    ap.add_argument("--vsctl", default="ovs-vsctl")
    ap.add_argument("--ofctl", default="ovs-ofctl")
    ap.add_argument("--conf", help="l2mt.conf to check against")
    ap.add_argument("--host", default="hv1")
    ap.add_argument("--guards", action="store_true",
                    help="spoofed sources, RA and Redirect must be dropped")
    ap.add_argument("--run", type=int, help="play COUNT generated configs")
    ap.add_argument("--seed", type=int)
    ap.add_argument("--netns", help="namespace of ovs-vswitchd (--run)")
    ap.add_argument("--agent", help="l2mt-agent binary (--run)")
    ap.add_argument("--tmpdir", default="/tmp")
    ap.add_argument("--control", action="store_true",
                    help="(--run) positive controls on the first configs")
    ap.add_argument("--basic", action="store_true",
                    help="(--run) configs without issue 11's keys")
    ap.add_argument("--max-report", type=int, default=10)
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args()
    try:
        if args.run is not None:
            return run(args)
        conf = parse_conf(args.conf, args.host)
        leaks, misses, problems, n, _ = check(
            Unixctl(args.ctl), args.vsctl, args.db, conf, args.guards)
        for x in problems + leaks + misses:
            print(x)
        print("%d traces: %d leak(s), %d guard miss(es), %d problem(s)"
              % (n, len(leaks), len(misses), len(problems)))
        return 2 if problems else 1 if leaks or misses else 0
    except (RuntimeError, OSError, subprocess.CalledProcessError) as e:
        print("isolation-check: %s" % e)
        return 2


if __name__ == "__main__":
    sys.exit(main())
