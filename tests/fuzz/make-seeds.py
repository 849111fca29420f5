#!/usr/bin/env python3
"""Write the fuzz targets' seed corpora, tests/fuzz/corpus/<target>/, from
tests/fixtures, the built BPF object (make first) and small inputs made
here. Run from the top of the tree; the output is committed."""
import os
import re
import shutil
import struct
import subprocess

CORPUS = "tests/fuzz/corpus"
FUZZ_ID = "fce0568bbb372c3c1ce74d12bc4baa00abc1d1b9cbab2c33b001d3c63fbf117b"
RT = "tests/fixtures/runtimes"


def put(target, name, data):
    os.makedirs(os.path.join(CORPUS, target), exist_ok=True)
    if isinstance(data, str):
        data = data.encode()
    with open(os.path.join(CORPUS, target, name), "wb") as f:
        f.write(data)


def read(path):
    with open(path, "rb") as f:
        return f.read()


def elf():
    obj = "build/trace_tcp.bpf.o"
    put("elf", "trace_tcp.bpf.o", read(obj))
    keep = ["tracepoint/syscalls/sys_enter_connect",
            "tracepoint/cgroup/cgroup_mkdir"]
    args = []
    for s in keep:
        args += ["-j", s, "-j", ".rel" + s]
    args += ["-j", "maps", "-j", "license", "-j", ".symtab", "-j", ".strtab"]
    for src, name in ((obj, "two_programs.o"),
                      ("build/unit/trace_tcp.bpfeb.o", "two_programs.bpfeb.o")):
        out = os.path.join(CORPUS, "elf", name)
        subprocess.run(["llvm-objcopy"] + args + [src, out], check=True)


def tp_format():
    d = "tests/fixtures/formats"
    for f in sorted(os.listdir(d)):
        put("tp_format", f, read(os.path.join(d, f)))


class Btf:
    """A BTF blob: types (kind, name, info vlen, size_or_type, extra)."""
    KINDS = dict(int=1, ptr=2, array=3, struct=4, union=5, enum=6, fwd=7,
                 typedef=8, volatile=9, const=10, func=12, func_proto=13,
                 type_tag=18, enum64=19)

    def __init__(self):
        self.strs = b"\0"
        self.types = b""
        self.next_id = 1

    def s(self, name):
        if not name:
            return 0
        off = len(self.strs)
        self.strs += name.encode() + b"\0"
        return off

    def add(self, kind, name, vlen, size_or_type, extra=b"", kflag=0):
        info = vlen | self.KINDS[kind] << 24 | kflag << 31
        self.types += struct.pack("<III", self.s(name), info, size_or_type)
        self.types += extra
        self.next_id += 1
        return self.next_id - 1

    def int(self, name, size):
        return self.add("int", name, 0, size, struct.pack("<I", size * 8))

    def ptr(self, t):
        return self.add("ptr", "", 0, t)

    def array(self, elem, index, n):
        return self.add("array", "", 0, 0, struct.pack("<III", elem, index, n))

    def struct(self, name, size, members, kind="struct", kflag=0):
        extra = b"".join(struct.pack("<III", self.s(m), t, off)
                         for m, t, off in members)
        return self.add(kind, name, len(members), size, extra, kflag)

    def enum(self, name, values):
        extra = b"".join(struct.pack("<Ii", self.s(n), v) for n, v in values)
        return self.add("enum", name, len(values), 4, extra)

    def blob(self):
        hdr = struct.pack("<HBBIIIII", 0xeB9F, 1, 0, 24, 0, len(self.types),
                          len(self.types), len(self.strs))
        return hdr + self.types + self.strs


def btf():
    b = Btf()
    i32 = b.int("int", 4)
    u8 = b.int("char", 1)
    comm = b.array(u8, i32, 16)
    fwd = b.add("fwd", "task_struct", 0, 0)
    ns = b.struct("ns_common", 8, [("stashed", i32, 0), ("inum", i32, 32)])
    mnt = b.struct("mnt_namespace", 16, [("ns", ns, 0)])
    nsproxy = b.struct("nsproxy", 16, [("count", i32, 0),
                                       ("mnt_ns", b.ptr(mnt), 64)])
    task = b.struct("task_struct", 64, [
        ("flags", i32, 0), ("tgid", i32, 32), ("real_parent", b.ptr(fwd), 64),
        ("comm", comm, 128), ("nsproxy", b.ptr(nsproxy), 256),
        ("files", b.ptr(i32), 320)])
    net = b.struct("net", 16, [("ns", ns, 64)])
    possible = b.struct("", 8, [("net", b.ptr(net), 0)])
    typedef = b.add("typedef", "possible_net_t", 0, possible)
    common = b.struct("sock_common", 16, [("skc_net", typedef, 64)])
    const = b.add("const", "", 0, b.int("short unsigned int", 2))
    b.struct("sock", 32, [("__sk_common", common, 0),
                          ("sk_protocol", const, 128),
                          ("sk_type", i32, 1 << 24 | 144)], kflag=1)
    counter = b.struct("", 8, [("counter", b.add("volatile", "", 0, i32), 0)])
    anon = b.struct("", 8, [("f_count", counter, 0)], kind="union")
    b.struct("file", 24, [("", anon, 0), ("private_data", b.ptr(i32), 64)])
    b.enum("sock_flags", [("SOCK_DEAD", 0), ("SOCK_DONE", 1)])
    proto = b.add("func_proto", "", 1, i32, struct.pack("<II", 0, i32))
    b.add("func", "bpf_rdonly_cast", 0, proto)
    b.add("type_tag", "user", 0, task)
    b.add("enum64", "big", 1, 8, struct.pack("<III", b.s("BIG"), 1, 2))
    put("btf", "structs.btf", b.blob())
    put("btf", "empty.btf", Btf().blob())


def fuzz_id(path):
    """A fixture with its container id(s) made FUZZ_ID."""
    text = read(os.path.join(RT, path)).decode()
    return re.sub(r"\b[0-9a-f]{64}\b", FUZZ_ID, text).encode()


def runtime_state():
    docker = fuzz_id("docker/containers/" +
                     "5c1a9c4b0a3e6f7d8e9f00112233445566778899aabbccddeeff001122334455"
                     "/config.v2.json")
    storage = fuzz_id("storage/overlay-containers/containers.json")
    podman = fuzz_id("storage/overlay-containers/" +
                     "926d8cc2aef7b8aca593ec96ed5aa64e56bc30daa40188f4b71f2316fde6fd21"
                     "/userdata/config.json")
    crio = fuzz_id("runroot/overlay-containers/" +
                   "9a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9"
                   "/userdata/config.json")
    cri = fuzz_id("containerd/k8s.io/" +
                  "3e8c1f0d2b7a4e6f9c5d8b1a0e2f4c6d8a9b7c5e3f1d0a2b4c6e8f0a1b3c5d7e"
                  "/config.json")
    ctr = fuzz_id("containerd/default/" +
                  "7d7765f07f3723948df2c1f1301701decd15802a1d0b6c39e5bad8e2df6236d1"
                  "/config.json")
    put("runtime_state", "docker_podman_cri",
        b"\0".join([docker, storage, podman, cri]))
    put("runtime_state", "crio_ctr", b"\0".join([b"", storage, crio, ctr]) + b" ")


def json_scan():
    put("json_scan", "docker.json", fuzz_id("docker/containers/" +
        "fce0568bbb372c3c1ce74d12bc4baa00abc1d1b9cbab2c33b001d3c63fbf117b"
        "/config.v2.json"))
    put("json_scan", "containers.json",
        read(os.path.join(RT, "storage/overlay-containers/containers.json")))
    put("json_scan", "bad.json",
        read(os.path.join(RT, "storage-bad/overlay-containers/containers.json")))
    put("json_scan", "values.json",
        '{"a":[0,{"b":[1,2,{"c":"d"}]}],"names":["x\\u00e9\\ud83d\\ude00\\n"],'
        '"n":-1.5e+10,"t":true,"f":false,"z":null,"ID":"\\"\\\\\\/\\b\\f\\r\\t"}')


def container_id():
    paths = [
        "/docker/" + FUZZ_ID,
        "/system.slice/docker-%s.scope" % FUZZ_ID,
        "/machine.slice/libpod-%s.scope/container" % FUZZ_ID,
        "/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod"
        "0f5e2b9c_1d3a_4b6e_8f7a_9c0d1e2f3a4b.slice/cri-containerd-%s.scope" % FUZZ_ID,
        "/kubepods/besteffort/pod0f5e2b9c-1d3a-4b6e-8f7a-9c0d1e2f3a4b/" + FUZZ_ID,
        "/k8s.io/" + FUZZ_ID,
        "/system.slice/nerdctl-%s.scope" % FUZZ_ID,
        "/crio-conmon-%s.scope" % FUZZ_ID,
        "/docker/%s/docker/%s" % (FUZZ_ID, FUZZ_ID[::-1]),
        "/user.slice/user-1000.slice/session-3.scope",
    ]
    for i, p in enumerate(paths):
        put("container_id", "path%d" % i, p)


def mountinfo():
    v2 = "30 23 0:26 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime " \
         "shared:4 - cgroup2 cgroup2 rw,nsdelegate,memory_recursiveprot\n"
    hybrid = ("31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw\n"
              "32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu\n"
              "41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw\n")
    escaped = "50 23 0:40 / /mnt/a\\040b rw - cgroup2 cgroup2 rw\n" + v2
    put("mountinfo", "v2", b"\xff" + v2.encode())
    put("mountinfo", "hybrid", b"\x40" + hybrid.encode())
    put("mountinfo", "escaped", b"\x0e" + escaped.encode())
    # longer than the reader's 4096-byte line buffer
    long_line = "40 30 0:40 / /%s rw shared:1 master:2 propagate_from:3 - " \
        "cgroup2 cgroup2 rw\n" % ("a" * 4100)
    put("mountinfo", "long_line", b"\x20" + (long_line + v2).encode())


def cli():
    argvs = [
        ["--connect-only", "-o", "json", "--fields=comm,pid,+dst", "--timeout", "1.5"],
        ["-c", "web,!db,0123456789ab", "--containers-only", "--backend", "kprobe"],
        ["-F", "comm~^cu,error!=", "--pid", "1,2", "--comm", "curl",
         "--buffer-pages", "64", "--btf", "none", "-v"],
        ["--accept-only", "--failure-only", "--docker-root=/d", "--storage-root",
         "/s", "--storage-runroot", "/r", "--containerd-tasks", "/t", "-o", "yaml"],
        ["--fields", "-error,+timestamp", "--uid", "0", "--gid", "0", "--tid", "3"],
        ["--version"],
    ]
    for i, a in enumerate(argvs):
        put("cli", "argv%d" % i, "\0".join(a))


def filter_rules():
    inputs = [
        "comm~^cu,error!=",
        "dst.addr!=10.0.0.0/8,dst.port<1024",
        "type==accept\0\x01curl,wget\0\x02 1,2,3",
        "src.addr==::1/128,duration>=1000,runtime.containerName==",
        "proc.comm!~a\\,b\\\\c{2,3}\0\x04-1,0\0\x05 7",
        "error==ECONNREFUSED,error!=110,sent_bytes>10,timestamp<5",
    ]
    for i, r in enumerate(inputs):
        put("filter", "rules%d" % i, r)


def regex():
    pairs = [("^a{1,3}$", "aaa"), ("(^a|b$)", "cb"), ("[[:alpha:]][^0-9]+x?", "ab1"),
             ("a.c|d(e|f)*", "xdefe"), ("[]a-]\\.", "-."), ("(a|bc){2,3}", "bcabc"),
             ("(((a*)*)*)*b", "a" * 64)]
    for i, (p, t) in enumerate(pairs):
        put("regex", "re%d" % i, p + "\0" + t)


def cpus():
    for i, text in enumerate(["0-3,5,7-8\n", "0\n", "0-1023", "1,0,2-2"]):
        put("cpus", "list%d" % i, text)


if __name__ == "__main__":
    shutil.rmtree(CORPUS, ignore_errors=True)
    for make in (elf, tp_format, btf, runtime_state, json_scan,
                 container_id, mountinfo, cli, filter_rules, regex, cpus):
        make()
