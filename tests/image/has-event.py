#!/usr/bin/python3
"""Does trace_tcp's -o json output on stdin hold a connect to PORT made
in the container NAME (runtime.containerName), on the node NODE
(k8s.node, which the DaemonSet's TRACE_TCP_NODE sets) if given?

Usage: tests/image/has-event.py NAME PORT [NODE] < output
Exit 0 if it does; else 1 and, on stderr, what the connects to PORT
were named (none: no connect seen).
"""
import json
import sys


def main(argv):
    if len(argv) not in (3, 4):
        print("usage: has-event.py NAME PORT [NODE]", file=sys.stderr)
        return 2
    name, port = argv[1], int(argv[2])
    node = argv[3] if len(argv) == 4 else None
    seen = []
    for line in sys.stdin:
        try:
            e = json.loads(line)
        except ValueError:
            continue	# stderr lines mixed in
        if not isinstance(e, dict) or e.get("type") != "connect" or \
                (e.get("dst") or {}).get("port") != port:
            continue
        got = (e.get("runtime") or {}).get("containerName", "")
        on = (e.get("k8s") or {}).get("node")
        if got == name and (node is None or on == node):
            return 0
        seen.append((got or "(host)") + ("" if node is None else
                                         " on node %s" % on))
    print("connects to port %d named: %s" % (port, ", ".join(seen) or "none seen"),
          file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
