#!/usr/bin/python3
# Copyright (c) 2026 The l2mt authors.
# Licensed under the Apache License, Version 2.0.
#
# Checks scrapes of l2mt-agent's metrics (Prometheus text format 0.0.4):
# every sample belongs to a family with # HELP and # TYPE given before it,
# counters are named *_total, values are numbers, no series appears twice
# in a scrape; with several scrapes (in time order), no counter goes down.
# Usage: oam-metrics.py SCRAPE...   Exit 0 if all is well, 1 with reasons.

import re
import sys

SAMPLE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{([^}]*)\})? (\S+)$')
LABEL = re.compile(r'\s*([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"\s*(,|$)')


def parse(path, errors):
    types, helps, series = {}, set(), {}
    with open(path) as f:
        for n, line in enumerate(f, 1):
            line = line.rstrip('\n')
            where = '%s:%d' % (path, n)
            if line.startswith('# HELP '):
                helps.add(line.split()[2])
            elif line.startswith('# TYPE '):
                _, _, name, kind = line.split()
                if kind not in ('counter', 'gauge', 'histogram', 'summary',
                                'untyped'):
                    errors.append('%s: bad type %s' % (where, kind))
                if kind == 'counter' and not name.endswith('_total'):
                    errors.append('%s: counter %s not named _total'
                                  % (where, name))
                types[name] = kind
            elif line and not line.startswith('#'):
                m = SAMPLE.match(line)
                if not m:
                    errors.append('%s: cannot parse %r' % (where, line))
                    continue
                name, labels, value = m.group(1), m.group(3) or '', m.group(4)
                if name not in types or name not in helps:
                    errors.append('%s: %s has no # TYPE/# HELP before it'
                                  % (where, name))
                pos, keys = 0, []
                while pos < len(labels):
                    lm = LABEL.match(labels, pos)
                    if not lm:
                        errors.append('%s: bad labels %r' % (where, labels))
                        break
                    keys.append(lm.group(1))
                    pos = lm.end()
                if len(keys) != len(set(keys)):
                    errors.append('%s: a label twice' % where)
                try:
                    v = float(value)
                except ValueError:
                    errors.append('%s: value %r' % (where, value))
                    continue
                key = (name, labels)
                if key in series:
                    errors.append('%s: series %s{%s} twice' % (where, name,
                                                               labels))
                if types.get(name) == 'counter' and v < 0:
                    errors.append('%s: negative counter' % where)
                series[key] = (v, types.get(name))
    if not series:
        errors.append('%s: no samples' % path)
    return series


def main():
    errors = []
    scrapes = [parse(p, errors) for p in sys.argv[1:]]
    for a, b, pb in zip(scrapes, scrapes[1:], sys.argv[2:]):
        for key, (v, kind) in b.items():
            if kind == 'counter' and key in a and v < a[key][0]:
                errors.append('%s: counter %s{%s} went down: %g -> %g'
                              % (pb, key[0], key[1], a[key][0], v))
    for e in errors:
        print(e)
    return 1 if errors else 0


if __name__ == '__main__':
    sys.exit(main())
