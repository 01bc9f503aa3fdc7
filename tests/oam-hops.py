#!/usr/bin/python3
# Copyright (c) 2026 The l2mt authors.
# Licensed under the Apache License, Version 2.0.
#
# Reads l2mt-trace --format=json on stdin, checks its shape with Python's
# own JSON parser and prints the hop list of the request, then of the
# answer, one line each, for the tests to compare:
#   bridge:SWITCH:BRIDGE:IN>OUT[+OUT...]   (drop: >drop@TABLE/PRIORITY/OWNER)
#   gre:KEY:SOURCE>REMOTE   nat64:MODE:RESULT   port:NAME[:ROLE]
#   unseen   and "!" after a hop that dropped, the verdict last.
import json
import sys


def hop_text(h):
    kind = h["hop"]
    if kind == "bridge":
        out = "+".join(h["out"]) or "drop"
        s = "bridge:%s:%s:%s>%s" % (h["switch"], h["bridge"], h["in_port"],
                                    out)
        if h.get("verdict") == "dropped":
            r = h["rule"]
            s += "@%d/%d/%s" % (r["table"], r["priority"], r["owner"])
    elif kind == "gre":
        s = "gre:%d:%s>%s" % (h["key"], h["source"], h["remote"])
    elif kind == "nat64":
        s = "nat64:%s:%s" % (h["mode"], h["result"])
        assert h["before"]
        assert ("after" in h) == (h.get("verdict") != "dropped")
    elif kind == "port":
        s = "port:%s" % h["port"] + (":" + h["role"] if "role" in h else "")
    elif kind == "unseen":
        s = "unseen"
    else:
        raise ValueError("unknown hop %r" % kind)
    if h.get("verdict") == "dropped":
        assert h["reason"], h
        s += "!"
    return s


def main():
    doc = json.load(sys.stdin)
    for key in ("tenant", "tenant_id", "gre_key", "host", "request",
                "verdict"):
        assert key in doc, key
    for d in ("request", "answer"):
        if d not in doc:
            continue
        hops = [hop_text(h) for h in doc[d]["hops"]]
        print("%s: %s => %s" % (d, " | ".join(hops), doc[d]["verdict"]))
    print("verdict: %s" % doc["verdict"])


main()
