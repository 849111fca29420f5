#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""hostile.sh's judge.

  hostile-check.py stamp <in >out   each line of in, after the time it
                                    arrived (CLOCK_REALTIME, ns) and the
                                    number of the read that brought it
  hostile-check.py check WORK       the verdicts on WORK's outputs

WORK holds cases (CASE, container id, expected name as JSON: a string,
null for the id only, or a list of what may be, tab-separated),
json.stamped, columns.out, yaml.out, and each tracer's .err and .status.
Prints PASS/FAIL/INFO lines.
"""
import calendar
import json
import os
import re
import statistics
import sys
import time

# How much longer than the benign containers' a case's events may take
# from drain to print: the lookup is on the event path, and must cost at
# most a few ms. The costliest case, a crafted file at the size cap,
# takes 1-3.5 ms of CPU (tests/containers/README.md); the rest is room
# for two CPUs shared by three tracers and the traffic (the JSON
# tracer's lag was 1.8-8.5 ms there).
SLACK_MS = 8.0
FAILED = False


def say(verdict, name, why=""):
    global FAILED
    FAILED |= verdict == "FAIL"
    print(f"{verdict}: hostile/{name}" + (f": {why}" if why else ""))


def stamp():
    """Each read of stdin is one stamp: a batch the tracer wrote at once
    arrives together (reads 50 us apart are taken as one)."""
    out, rest, last, chunk = sys.stdout.buffer, b"", 0, 0
    while True:
        data = os.read(0, 1 << 20)
        if not data:
            break
        now = time.time_ns()
        chunk += now - last > 50_000
        last = now
        *lines, rest = (rest + data).split(b"\n")
        for line in lines:
            out.write(b"%d %d %s\n" % (now, chunk, line))
        out.flush()


def timestamp_ns(text):
    """ "2026-12-07T15:10:54.123456789Z" -> ns since the epoch."""
    secs, frac = text.rstrip("Z").split(".")
    return calendar.timegm(time.strptime(secs, "%Y-%m-%dT%H:%M:%S")) * 10**9 \
        + int(frac.ljust(9, "0"))


def read_cases(work):
    cases = []
    with open(f"{work}/cases", encoding="utf-8") as f:
        for line in f:
            name, cid, expected = line.rstrip("\n").split("\t")
            expected = json.loads(expected)
            cases.append((name, cid,
                          expected if isinstance(expected, list) else [expected]))
    return cases


def printed_count(work, tag):
    """The tracer's exit status and its "N events printed, N lost" line."""
    try:
        status = open(f"{work}/{tag}.status").read().strip()
    except OSError:
        status = "none"
    err = open(f"{work}/{tag}.err", errors="replace").read()
    m = re.search(r"^trace_tcp: (\d+) events printed, (\d+) lost$", err, re.M)
    if status == "0":
        say("PASS", f"{tag}/exit-0")
    else:
        say("FAIL", f"{tag}/exit-0", f"status {status}: {err[-300:]!r}")
    if m and m.group(2) == "0":
        say("PASS", f"{tag}/nothing-lost", f"{m.group(1)} events printed")
    else:
        say("FAIL", f"{tag}/nothing-lost", repr(err[-300:]))
    return int(m.group(1)) if m else -1


def check_names(fmt, events, cases):
    """Each case: one connect by wget, and all its events named as
    expected (or by id only)."""
    for name, cid, expected in cases:
        mine = [e for e in events
                if (e.get("runtime") or {}).get("containerId") == cid]
        connects = [e for e in mine if e.get("type") == "connect"]
        names = {(e["runtime"].get("containerName"),
                  e["runtime"].get("runtimeName")) for e in mine}
        if len(connects) != 1 or connects[0]["proc"]["comm"] != "wget":
            say("FAIL", f"{name}/{fmt}-printed",
                f"{len(connects)} connect events of {cid[:12]}, want 1 by wget")
        elif len(names) != 1 or next(iter(names))[0] not in expected or \
                next(iter(names))[1] != "docker":
            say("FAIL", f"{name}/{fmt}-named",
                f"names {names!r}, want one of {expected!r}, runtime docker")
        else:
            say("PASS", f"{name}/{fmt}-named",
                f"{len(mine)} events, " + ("id only" if names == {(None, "docker")}
                                           else "named"))


def check_json(work, cases):
    events, bad, arrivals = [], [], []
    with open(f"{work}/json.stamped", "rb") as f:
        for raw in f:
            arrived, chunk, line = raw.split(b" ", 2)
            try:
                e = json.loads(line.decode("utf-8"))
            except ValueError as why:
                bad.append(f"{why}: {line[:120]!r}")
                continue
            events.append(e)
            arrivals.append((int(arrived), int(chunk)))
    printed = printed_count(work, "json")
    if bad or len(events) != printed:
        say("FAIL", "json/parses", f"{len(bad)} of {len(events) + len(bad)}"
            f" lines not JSON ({printed} printed): {bad[:2]}")
    else:
        say("PASS", "json/parses", f"{len(events)} lines, python3 json")
    check_names("json", events, cases)
    ctl_id = {name: cid for name, cid, _ in cases}["controls"]
    ctl = [e for e in events
           if (e.get("runtime") or {}).get("containerId") == ctl_id]
    want = {"namespace": 'ns"x\\', "podName": "pod?]0;owned?",
            "containerName": "c\u009b2J"}
    if ctl and all(e.get("k8s") == want and
                   e["runtime"].get("containerImageName") == 'busy"box\\:1'
                   for e in ctl):
        say("PASS", "controls/json-labels")
    else:
        say("FAIL", "controls/json-labels",
            f"{[(e.get('k8s'), e['runtime']) for e in ctl][:1]}, want k8s {want}")
    check_delays(events, arrivals, cases)


def print_lags(events, arrivals):
    """The event loop drains the ring, looks up any new container, then
    prints the batch at once. A batch's lag: from its latest event to its
    print, which takes out the wait for the drain (the streams of refused
    connects keep that event ~1 ms before the drain) and leaves the work
    between drain and print. (timestamp ns, its batch's lag ms) per
    event."""
    latest = {}
    for e, (_, chunk) in zip(events, arrivals):
        latest[chunk] = max(latest.get(chunk, 0), timestamp_ns(e["timestamp"]))
    return [(timestamp_ns(e["timestamp"]), (arrived - latest[chunk]) / 1e6)
            for e, (arrived, chunk) in zip(events, arrivals)]


def check_delays(events, arrivals, cases):
    """A case's lookup happens when its cgroup's creation is announced,
    up to some 50 ms before its connect: the largest lag of the events
    from 100 ms before its connect to 5 ms after, against the benign
    containers' (their median: one may meet a hiccup of the machine)."""
    lags = print_lags(events, arrivals)
    window = {}
    for name, cid, _ in cases:
        ts = [timestamp_ns(e["timestamp"]) for e in events
              if e.get("type") == "connect" and
              (e.get("runtime") or {}).get("containerId") == cid]
        if ts:
            window[name] = max(lag for t, lag in lags
                               if -100_000_000 <= t - ts[0] <= 5_000_000)
    ref = [window[n] for n in ("benign", "benign2", "benign3") if n in window]
    if len(ref) != 3 or len(lags) < 1000:
        say("FAIL", "delays", f"benign {ref}, {len(lags)} events")
        return
    ref = statistics.median(ref)
    for name, _, _ in cases:
        lag = window.get(name)
        if lag is not None and lag <= ref + SLACK_MS:
            say("PASS", f"{name}/delay", f"{lag:.2f} ms (benign {ref:.2f})")
        else:
            say("FAIL", f"{name}/delay", f"{lag} ms, benign {ref:.2f} ms")
    ordered = sorted(lag for _, lag in lags)
    print(f"INFO: hostile/lags: {len(lags)} events, drain to print median "
          f"{statistics.median(ordered):.2f} ms, 99th "
          f"{ordered[len(ordered) * 99 // 100]:.2f}, max {ordered[-1]:.2f}")


def shown(expected, cid):
    """What the name column shows: each byte outside printable ASCII as
    '?', or the short id."""
    if expected is None:
        return cid[:12]
    return "".join(chr(b) if 0x20 <= b < 0x7f else "?"
                   for b in expected.encode("utf-8"))


def check_columns(work, cases):
    raw = open(f"{work}/columns.out", "rb").read()
    lines = raw.split(b"\n")[:-1]
    printed = printed_count(work, "columns")
    odd = [ln for ln in lines if any(b < 0x20 or b >= 0x7f for b in ln)]
    ends = re.compile(rb" (connect|accept|close)( +E[A-Z]+)?$")
    unended = [ln for ln in lines[1:] if not ends.search(ln)]
    if odd or unended or len(lines) - 1 != printed:
        say("FAIL", "columns/one-line-per-event",
            f"{len(lines)} lines for {printed} events; control or non-ASCII "
            f"bytes: {odd[:1]!r}; lines not ending in a type: {unended[:2]!r}")
    else:
        say("PASS", "columns/one-line-per-event",
            f"{len(lines) - 1} lines, printable ASCII only")
    for name, cid, expected in cases:
        heads = [shown(x, cid).encode() + b" " for x in expected]
        mine = [ln for ln in lines if b" wget " in ln and b" connect" in ln
                and any(ln.startswith(h) for h in heads)]
        if len(mine) == 1:
            say("PASS", f"{name}/columns-named")
        else:
            say("FAIL", f"{name}/columns-named",
                f"{len(mine)} wget connect lines starting with {heads!r}")


def check_yaml(work, cases):
    try:
        import yaml
    except ImportError:
        say("FAIL", "yaml/parses", "no python3 yaml module (python3-yaml)")
        return
    printed = printed_count(work, "yaml")
    try:
        with open(f"{work}/yaml.out", encoding="utf-8") as f:
            docs = [d for d in yaml.safe_load_all(f) if d is not None]
    except (yaml.YAMLError, UnicodeDecodeError) as why:
        say("FAIL", "yaml/parses", str(why)[:300])
        return
    if len(docs) == printed:
        say("PASS", "yaml/parses", f"{len(docs)} documents")
    else:
        say("FAIL", "yaml/parses", f"{len(docs)} documents, {printed} printed")
    check_names("yaml", docs, cases)


def main():
    if sys.argv[1] == "stamp":
        stamp()
        return 0
    work = sys.argv[2]
    cases = read_cases(work)
    check_json(work, cases)
    check_columns(work, cases)
    check_yaml(work, cases)
    return 1 if FAILED else 0


if __name__ == "__main__":
    sys.exit(main())
