#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""The command line Inspektor Gadget users know, on this machine's kernel
(root): -o json|jsonpretty|yaml|columns, --fields, -F and the in-kernel
--pid/--tid/--uid/--gid/--comm.

Every check runs its own trace_tcp next to one unfiltered reference, all
over the same traffic: loopback connects and accepts by processes whose
comm, uid and addresses this script sets (IPv4, IPv6, v4-mapped, refused).
A filter's output must be exactly the reference's events for which this
file's own reading of the rule holds, and each rule is checked only where
the traffic has events on both sides of it. Prints PASS/FAIL/SKIP lines.
"""
import ipaddress
import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time

TRACE_TCP = os.environ.get("TRACE_TCP", "./trace_tcp")
NOBODY = 65534
FAILED = False


def say(verdict, name, why=""):
    global FAILED
    if verdict == "FAIL":
        FAILED = True
    print(f"{verdict}: {name}{': ' + why if why else ''}", flush=True)


def set_comm(name):
    with open("/proc/self/comm", "w") as f:
        f.write(name)


class Tracer:
    """One trace_tcp run; its stdout and stderr go to files in work."""

    def __init__(self, work, tag, args):
        self.tag, self.args = tag, args
        self.out = os.path.join(work, tag + ".out")
        self.err = os.path.join(work, tag + ".err")
        with open(self.out, "wb") as out, open(self.err, "wb") as err:
            self.proc = subprocess.Popen([TRACE_TCP] + args, stdout=out,
                                         stderr=err)

    def ready(self):
        with open(self.err) as f:
            return "trace_tcp: backend" in f.read()

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        with open(self.out) as f:
            self.stdout = f.read()
        with open(self.err) as f:
            self.stderr = f.read()


def run_tracers(work, specs, traffic):
    """Start every (tag, args), run traffic() once all are ready, stop
    them; returns {tag: Tracer} and what traffic() returned."""
    started = time.time()
    tracers = {tag: Tracer(work, tag, args) for tag, args in specs}
    deadline = started + 120
    while not all(t.ready() or t.proc.poll() is not None
                  for t in tracers.values()):
        if time.time() > deadline:
            break
        time.sleep(0.05)
    say("INFO", "cli", f"{sum(t.ready() for t in tracers.values())} of "
        f"{len(tracers)} tracers ready in {time.time() - started:.1f} s")
    result = traffic()
    time.sleep(0.5)     # the last events through the ring
    for t in tracers.values():
        t.stop()
    return tracers, result


# ---- traffic -------------------------------------------------------------

def listener(family, addr):
    s = socket.socket(family, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if family == socket.AF_INET6 and addr == "::":
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
    s.bind((addr, 0))
    s.listen(64)
    return s


def client(comm, uid, family, addr, port, payload):
    """A child process named comm, as uid, connects and closes; its pid."""
    pid = os.fork()
    if pid:
        return pid
    code = 0
    try:
        set_comm(comm)
        if uid:
            os.setgroups([])
            os.setgid(uid)
            os.setuid(uid)
        s = socket.socket(family, socket.SOCK_STREAM)
        try:
            s.connect((addr, port))
            s.sendall(payload)
        except ConnectionRefusedError:
            pass
        s.close()
    except Exception:
        code = 1
    os._exit(code)


class Traffic:
    """Connections on both sides of every boundary the checks use. The
    listeners exist from the start, so that rules can name their ports."""

    def __init__(self):
        self.v4 = [listener(socket.AF_INET, "127.0.0.1") for _ in range(3)]
        self.v4.sort(key=lambda s: s.getsockname()[1])
        self.v6 = listener(socket.AF_INET6, "::1")
        self.dual = listener(socket.AF_INET6, "::")
        closed = listener(socket.AF_INET, "127.0.0.1")
        self.refused_port = closed.getsockname()[1]
        closed.close()
        self.ports = [s.getsockname()[1] for s in self.v4]

    def close(self):
        for s in self.v4 + [self.v6, self.dual]:
            s.close()

    def __call__(self):
        return loopback_traffic(self)


def loopback_traffic(t):
    """The pids taking part, the ports, the number of accepts."""
    set_comm("ttserver")
    v4, v6, dual, ports = t.v4, t.v6, t.dual, t.ports
    refused_port = t.refused_port
    plan = [
        ("ttclient1", 0, socket.AF_INET, "127.0.0.1", ports[0]),
        ("ttclient2", 0, socket.AF_INET, "127.0.0.1", ports[1]),
        ("ttclient2", NOBODY, socket.AF_INET, "127.0.0.1", ports[2]),
        ("tt,comma", 0, socket.AF_INET, "127.0.0.1", ports[1]),
        ("ttclient6", 0, socket.AF_INET6, "::1", v6.getsockname()[1]),
        ("ttmapped", NOBODY, socket.AF_INET6, "::ffff:127.0.0.1",
         dual.getsockname()[1]),
        ("ttrefused", 0, socket.AF_INET, "127.0.0.1", refused_port),
        # the kernel keeps a name's first 15 bytes: "ttlongclientnam"
        ("ttlongclientname", 0, socket.AF_INET, "127.0.0.1", ports[2]),
    ]
    pids = [os.getpid()]
    for comm, uid, family, addr, port in plan:
        pids.append(client(comm, uid, family, addr, port, b"x" * 10))
        time.sleep(0.02)
    accepted = 0
    for s in v4 + [v6, dual]:
        s.settimeout(5)
    accepts = [(v4[0], 1), (v4[1], 2), (v4[2], 2), (v6, 1), (dual, 1)]
    for s, want in accepts:
        for _ in range(want):
            try:
                conn, _ = s.accept()
            except socket.timeout:
                continue
            conn.recv(100)
            conn.close()
            accepted += 1
    failed = [comm for pid, (comm, *_) in zip(pids[1:], plan)
              if os.waitpid(pid, 0)[1] != 0]
    set_comm("python3")
    wanted = sum(want for _, want in accepts)
    if failed or accepted != wanted:
        say("FAIL", "cli/traffic", f"clients failing: {failed}; "
            f"{accepted} of {wanted} accepted")
    return {"pids": set(pids), "ports": ports, "accepted": accepted}


# ---- reading events ------------------------------------------------------

def json_lines(text):
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def json_stream(text):
    """Concatenated JSON documents (jsonpretty)."""
    decoder, at, docs = json.JSONDecoder(), 0, []
    while True:
        while at < len(text) and text[at].isspace():
            at += 1
        if at == len(text):
            return docs
        doc, at = decoder.raw_decode(text, at)
        docs.append(doc)


def yaml_stream(text):
    import yaml
    return [d for d in yaml.safe_load_all(text) if d is not None]


def ours(events, pids):
    return [e for e in events if e.get("proc", {}).get("pid") in pids]


def without_clocks(e):
    """Each tracer's programs read the clock themselves: the timestamp and
    a close's duration differ between tracers by microseconds."""
    return {k: v for k, v in e.items() if k not in ("timestamp", "duration")}


def canonical(events):
    return sorted(json.dumps(without_clocks(e), sort_keys=True)
                  for e in events)


def get(e, path):
    for key in path.split("."):
        if not isinstance(e, dict) or key not in e:
            return None
        e = e[key]
    return e


# ---- output modes and --fields -------------------------------------------

def check_output_modes(work):
    specs = [("json", ["-o", "json"]),
             ("jsonpretty", ["-o", "jsonpretty"]),
             ("yaml", ["-o", "yaml"]),
             ("json-fields", ["-o", "json", "--fields", "comm,dst.port,src"]),
             ("yaml-fields", ["-o", "yaml", "--fields=-error,+uid"]),
             ("columns-fields", ["--fields", "comm,pid,dst.port,type,error"]),
             ("columns-edit", ["--fields=-error,+timestamp,-runtime.containerName"])]
    traffic = Traffic()
    tracers, t = run_tracers(work, specs, traffic)
    traffic.close()
    ref = ours(json_lines(tracers["json"].stdout), t["pids"])
    if len(ref) < 10:
        say("FAIL", "cli/reference", f"{len(ref)} events of ours")
        return
    for mode, parse in [("jsonpretty", json_stream), ("yaml", yaml_stream)]:
        try:
            got = ours(parse(tracers[mode].stdout), t["pids"])
        except Exception as why:
            say("FAIL", f"cli/output-{mode}", f"does not parse: {why}")
            continue
        if canonical(got) == canonical(ref):
            say("PASS", f"cli/output-{mode}")
        else:
            say("FAIL", f"cli/output-{mode}",
                f"{len(got)} events differ from -o json's {len(ref)}")
    if tracers["yaml"].stdout.count("\n---") + 1 != len(
            yaml_stream(tracers["yaml"].stdout)):
        say("FAIL", "cli/output-yaml-documents", "not one document per event")
    else:
        say("PASS", "cli/output-yaml-documents")

    got = json_lines(tracers["json-fields"].stdout)
    want = [{"proc": {"comm": e["proc"]["comm"]}, "src": e["src"],
             "dst": {"port": e["dst"]["port"]}} for e in ref]
    check_same("cli/fields-json-keys", [json.dumps(e, sort_keys=True) for e in got
                                        if e["proc"]["comm"].startswith("tt")],
               [json.dumps(e, sort_keys=True) for e in want
                if e["proc"]["comm"].startswith("tt")])
    got = [e for e in yaml_stream(tracers["yaml-fields"].stdout)
           if get(e, "proc.pid") in t["pids"]]
    bad = [e for e in got if "error" in e or "timestamp" not in e
           or get(e, "proc.creds.uid") is None]
    say("FAIL" if bad or len(got) != len(ref) else "PASS",
        "cli/fields-yaml-edit", f"{len(bad)} of {len(got)} wrong" if bad else "")
    check_columns(tracers["columns-fields"].stdout, ref,
                  ["COMM", "PID", "DST.PORT", "TYPE", "ERROR"],
                  lambda e: [e["proc"]["comm"], str(e["proc"]["pid"]),
                             str(e["dst"]["port"]), e["type"], e["error"]],
                  "cli/fields-columns")
    lines = tracers["columns-edit"].stdout.splitlines()
    head = lines[0].split() if lines else []
    want_head = ["SRC", "DST", "COMM", "PID", "TID", "UID", "GID", "TYPE",
                 "TIMESTAMP"]
    say("PASS" if head == want_head else "FAIL", "cli/fields-columns-edit",
        f"header {head}" if head != want_head else "")


def check_same(name, got, want):
    if sorted(got) == sorted(want) and want:
        say("PASS", name)
    else:
        say("FAIL", name, f"got {len(got)} want {len(want)}: "
            f"{sorted(set(got) ^ set(want))[:2]}")


def check_columns(text, ref, header, cells, name):
    lines = text.splitlines()
    if not lines or lines[0].split() != header:
        say("FAIL", name, f"header {lines[:1]}")
        return
    pids = {str(e["proc"]["pid"]) for e in ref}
    got = [line.split() for line in lines[1:]]
    got = [" ".join(c) for c in got if len(c) > 1 and c[1] in pids]
    want = [" ".join(c for c in cells(e) if c) for e in ref]
    check_same(name, got, want)

# ---- filters -------------------------------------------------------------

ALIASES = {"comm": "proc.comm", "pid": "proc.pid", "tid": "proc.tid",
           "uid": "proc.creds.uid", "gid": "proc.creds.gid",
           "ppid": "proc.parent.pid", "pcomm": "proc.parent.comm",
           "mntns_id": "proc.mntns_id"}
COMM_MAX = 15      # TASK_COMM_LEN less its NUL
RULE = re.compile(r"^([A-Za-z_.]+)(==|=|!=|>=|<=|>|<|!~|~)(.*)$", re.S)


def as_v6(text):
    a = ipaddress.ip_address(text)
    return ipaddress.IPv6Address(f"::ffff:{a}") if a.version == 4 else a


def as_v6_network(text):
    n = ipaddress.ip_network(text, strict=False)
    if n.version == 4:
        return ipaddress.IPv6Network(
            f"::ffff:{n.network_address}/{96 + n.prefixlen}")
    return n


def as_kernel_keeps(path, op, value):
    """An == or != command name compares as its first 15 bytes."""
    if path in ("proc.comm", "proc.parent.comm") and op in ("==", "=", "!="):
        return value.encode()[:COMM_MAX].decode(errors="ignore")
    return value


def rule_holds(rule, e):
    """This file's own reading of one -F rule (see loader/filter/rules.h)."""
    field, op, value = RULE.match(rule).groups()
    value = value.replace("\\,", ",")
    path = ALIASES.get(field.lower(), field)
    value = as_kernel_keeps(path, op, value)
    have = get(e, path)
    if op in ("~", "!~"):
        text = "" if have is None else str(have)
        return bool(re.search(value, text)) == (op == "~")
    if have is None:
        return {"==": value == "", "=": value == "", "!=": value != ""}.get(op, False)
    if path.endswith(".addr"):
        equal = as_v6(have) in as_v6_network(value)
    elif isinstance(have, int):
        have, value = have, int(value)
        equal = have == value
    elif path == "error":
        equal = have.lower() == value.lower()
    else:
        equal = have == value
        have, value = have.encode(), value.encode()
    if op in ("==", "="):
        return equal
    if op == "!=":
        return not equal
    return {"<": have < value, "<=": have <= value, ">": have > value,
            ">=": have >= value}[op]


def list_holds(option, values, e):
    path = ALIASES[option.lstrip("-")]
    return any(str(get(e, path)) == as_kernel_keeps(path, "==", v)
               for v in values.split(","))


def predicate(args):
    """The event test an argument list means: every rule, every list."""
    tests, i = [], 0
    while i < len(args):
        opt, val = args[i], args[i + 1]
        i += 2
        if opt in ("-F", "--filter"):
            for rule in re.split(r"(?<!\\),", val):
                tests.append(lambda e, r=rule: rule_holds(r, e))
        else:
            tests.append(lambda e, o=opt, v=val: list_holds(o, v, e))
    return lambda e: all(t(e) for t in tests)


def filter_cases(t):
    me = os.getpid()
    p0, p1, p2 = t.ports
    v6port = t.v6.getsockname()[1]
    F = lambda *rules: [a for r in rules for a in ("-F", r)]
    return [
        F(f"dst.port=={p1}"), F(f"dst.port!={p1}"), F(f"dst.port<{p1}"),
        F(f"dst.port<={p1}"), F(f"dst.port>{p1}"), F(f"dst.port>={p1}"),
        F(f"src.port={p1}"), F(f"pid=={me}"), F(f"pid!={me}"),
        ["--pid", f"{me},1"], ["--tid", str(me)],
        F("uid==65534"), F("uid!=65534"), ["--uid", "65534"],
        ["--gid", "65534,65533"], F("gid<1"),
        F("comm==ttclient2"), F("comm!=ttclient2"),
        ["--comm", "ttclient1,ttclient6"], F("comm~^ttc.*[26]$"),
        F("comm!~client"), F("comm>ttclient1"), F("comm<=ttclient1"),
        F("proc.parent.comm==ttserver"), F("comm==tt\\,comma"),
        F("comm==ttlongclientname"), F("comm!=ttlongclientnameXYZ"),
        ["--comm", "ttlongclientname,ttclient1"],
        F("type==accept"), F("type!=close"), F("type~^c"),
        F("error==ECONNREFUSED"), F("error!="), F("error=="),
        F("error==econnrefused"),
        F("dst.addr==127.0.0.0/8"), F("dst.addr!=127.0.0.1"),
        F("src.addr==::1"), F("dst.addr==::1/128"),
        F("dst.addr==::ffff:127.0.0.1"), F("dst.addr==127.0.0.1/32"),
        F("src.addr!=::/0"), F("dst.addr==::/0,dst.port!=%d" % v6port),
        F("accept_fd>=0"), F("src.version==6"), F("dst.version!=4"),
        F("comm==ttclient2", f"dst.port>={p2}"),
        F(f"comm==ttclient2,dst.port<{p2}"),
        ["--comm", "ttclient2", "--uid", "65534", "-F", "type!=close"],
    ]


ONE_SIDED = {"src.addr!=::/0"}     # no event is outside ::/0
KERNEL_FIELDS = {"proc.pid", "proc.tid", "proc.creds.uid", "proc.creds.gid",
                 "proc.comm", "type", "error", "src.port", "dst.port",
                 "src.addr", "dst.addr"}


def in_kernel(args):
    """Does the kernel judge every rule of args (loader/filter/kernel.h)?"""
    for i in range(0, len(args), 2):
        if args[i] not in ("-F", "--filter"):
            continue
        for rule in re.split(r"(?<!\\),", args[i + 1]):
            field, op, _ = RULE.match(rule).groups()
            path = ALIASES.get(field.lower(), field)
            if path not in KERNEL_FIELDS or op in ("~", "!~") or \
                    (path == "proc.comm" and op not in ("==", "=", "!=")):
                return False
    return True


def left_out(stderr, where):
    m = re.search(rf"(\d+) events left out by the filters in {where}", stderr)
    return int(m.group(1)) if m else None


def check_where_judged(name, args, tr, dropped_of_ours):
    """-v: the kernel's share is judged there, counted, not sent up."""
    kernel, user = left_out(tr.stderr, "the kernel"), \
        left_out(tr.stderr, "user space")
    if in_kernel(args):
        ok = user is None and kernel is not None and kernel >= dropped_of_ours
    else:
        ok = user is not None and user >= dropped_of_ours
    say("PASS" if ok else "FAIL", name + " (-v)",
        f"in the kernel {kernel}, in user space {user}, ours left out "
        f"{dropped_of_ours}" + ("" if ok else "; want all in the " +
                                ("kernel" if in_kernel(args) else "user space")))


def check_filters(work):
    traffic = Traffic()
    cases = filter_cases(traffic)
    specs = [("reference", ["-o", "json"])]
    specs += [(f"filter{i}", ["-o", "json", "-v"] + args)
              for i, args in enumerate(cases)]
    names = {str(os.getpid()): "ME", str(traffic.v6.getsockname()[1]): "P6"}
    names.update({str(p): f"P{i}" for i, p in enumerate(traffic.ports)})
    tracers, t = run_tracers(work, specs, traffic)
    traffic.close()
    ref = ours(json_lines(tracers["reference"].stdout), t["pids"])
    if len(ref) < 10:
        r = tracers["reference"]
        say("FAIL", "cli/filter reference",
            f"{len(ref)} events of ours; exit {r.proc.returncode}, "
            f"stderr {r.stderr.strip().splitlines()[-3:]}; tracers not "
            f"ready: {[k for k, v in tracers.items() if not v.ready()][:5]}")
        return
    for i, args in enumerate(cases):
        name = "cli/filter " + re.sub(
            r"\d{4,}", lambda m: names.get(m.group(), m.group()), " ".join(args))
        tr = tracers[f"filter{i}"]
        holds = predicate(args)
        want = [e for e in ref if holds(e)]
        if tr.proc.returncode != 0:
            say("FAIL", name, f"exit {tr.proc.returncode}: {tr.stderr[-300:]}")
            continue
        got = ours(json_lines(tr.stdout), t["pids"])
        if (not want or len(want) == len(ref)) and \
                " ".join(args[1:2]) not in ONE_SIDED:
            say("FAIL", name, f"the traffic is on one side only: "
                f"{len(want)} of {len(ref)} events hold")
            continue
        if canonical(got) != canonical(want):
            say("FAIL", name, f"{len(got)} events, want {len(want)} of "
                f"{len(ref)}: {sorted(set(canonical(got)) ^ set(canonical(want)))[:1]}")
            continue
        say("PASS", name, f"{len(want)} of {len(ref)}")
        check_where_judged(name, args, tr, len(ref) - len(want))


BAD_RULES = [
    (["-F", "dst.port>=x"], "dst.port>=x"),
    (["-F", "nosuch==1"], "nosuch"),
    (["-F", "comm~("], "comm~("),
    (["-F", "src==1.2.3.4"], "src"),
    (["-F", "dst.addr<1.2.3.4"], "dst.addr<1.2.3.4"),
    (["-F", "dst.addr==1.2.3.4/33"], "1.2.3.4/33"),
    (["-F", "comm"], "comm"),
    (["-F", "type>connect"], "type>connect"),
    (["--pid", "12x"], "12x"),
    (["--uid", "-1"], "-1 is outside proc.creds.uid's 0 to 4294967295"),
    (["-F", "dst.port==70000"], "70000 is outside"),
    (["-F", "fd>=-2147483649"], "-2147483649 is outside"),
    (["--fields", "comm,nosuch"], "nosuch"),
    (["-o", "xml"], "xml"),
]


def check_bad_rules():
    for args, mention in BAD_RULES:
        name = "cli/refused " + " ".join(args)
        p = subprocess.run([TRACE_TCP, "--timeout", "1"] + args,
                           capture_output=True, text=True)
        lines = p.stderr.splitlines()
        if p.returncode == 2 and len(lines) == 1 and mention in lines[0] \
                and not p.stdout:
            say("PASS", name)
        else:
            say("FAIL", name, f"exit {p.returncode}, stderr {lines[:3]}")



def main():
    if os.geteuid() != 0:
        say("SKIP", "cli", "needs root")
        return 0
    try:
        import yaml  # noqa: F401
    except ImportError:
        say("FAIL", "cli", "python3-yaml is missing (scripts/install-deps.sh test)")
        return 1
    with tempfile.TemporaryDirectory(prefix="trace_tcp_cli.") as work:
        check_output_modes(work)
        check_filters(work)
        check_bad_rules()
        if FAILED and os.environ.get("KEEP_WORK"):
            subprocess.run(["cp", "-a", work, work + ".kept"])
    return 1 if FAILED else 0


if __name__ == "__main__":
    sys.exit(main())
