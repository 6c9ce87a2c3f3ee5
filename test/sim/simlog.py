#!/usr/bin/env python3
"""simlog: sum up hbsim's request log for the tests.

    simlog.py copies LOG    "channel:to<TAB>n" for every recipient: how
                            many sends reached the simulator (one line each,
                            sorted)
    simlog.py rate LOG      "channel<TAB>n": the most sends to that channel
                            that arrived within any one second
    simlog.py texts LOG ID  the texts (or template parameters) sent to ID,
                            one JSON string a line, in order
"""

import collections
import json
import sys


def sends(path):
    with open(path) as f:
        for line in f:
            e = json.loads(line)
            if "channel" in e:
                yield e


def copies(path):
    n = collections.Counter("%s:%s" % (e["channel"], e["to"])
                            for e in sends(path))
    for k in sorted(n):
        print("%s\t%d" % (k, n[k]))


def rate(path):
    times = collections.defaultdict(list)
    for e in sends(path):
        times[e["channel"]].append(e["t"])
    for ch in sorted(times):
        t = sorted(times[ch])
        best, lo = 0, 0
        for hi in range(len(t)):
            while t[hi] - t[lo] >= 1.0:
                lo += 1
            best = max(best, hi - lo + 1)
        print("%s\t%d" % (ch, best))


def texts(path, ident):
    for e in sends(path):
        if "%s:%s" % (e["channel"], e["to"]) == ident:
            print(json.dumps(e["text"], ensure_ascii=False))


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    verb, path = sys.argv[1], sys.argv[2]
    if verb == "copies":
        copies(path)
    elif verb == "rate":
        rate(path)
    elif verb == "texts" and len(sys.argv) == 4:
        texts(path, sys.argv[3])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
