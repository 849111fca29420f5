#!/usr/bin/python3
"""Read the DaemonSet of scripts/kubernetes/trace_tcp.yaml for the tests,
so that they run what the manifest says, written once.

  daemonset.py podman-args MANIFEST IMAGE NODE
      `podman run` options, one a line, then IMAGE and the container's
      args: its securityContext (capabilities, seccomp, user, read-only
      root, no_new_privs), hostPath mounts (read-only, propagation), env
      (spec.nodeName as NODE), memory and CPU limits. A DirectoryOrCreate
      host path that does not exist is left out (the kubelet would make
      an empty directory; the tests do not write to the host) with a
      line on stderr.
  daemonset.py ctr-args MANIFEST IMAGE NODE
      the same as `ctr run` options (containerd 1.6; it has none for
      allowPrivilegeEscalation, nor for a CPU limit), then IMAGE; the
      caller puts the container id, /trace_tcp and the args after them
      (printed last, after a line "--"). A capability this machine's
      bounding set lacks is left out, with a line on stderr: runc would
      refuse the container.
  daemonset.py pod MANIFEST IMAGE NAME NODE
      a Pod named NAME from the DaemonSet's pod template, its image IMAGE,
      as YAML for `podman kube play` (which takes no DaemonSet); an env
      value from spec.nodeName becomes NODE, as the kubelet resolves it
      (Podman 4.3 refuses that fieldPath); seccompProfile Unconfined
      also becomes the annotation Podman 4.3 reads (it ignores the field);
      DirectoryOrCreate volumes missing here are left out, as above.

Env TT_HOST_PATHS=FROM=TO[,FROM=TO...]: host path FROM is TO on this
machine (the tests' own tracefs mount: unlike a node, whose systemd
keeps tracefs mounted, this machine's /sys/kernel/tracing comes and
goes with other tests).
"""
import copy
import os
import sys

import yaml


def die(msg):
    print("daemonset.py: " + msg, file=sys.stderr)
    sys.exit(1)


def daemonset(path):
    with open(path) as f:
        for doc in yaml.safe_load_all(f):
            if isinstance(doc, dict) and doc.get("kind") == "DaemonSet":
                return doc
    die("%s: no DaemonSet" % path)


def the_container(pod_spec):
    containers = pod_spec.get("containers") or []
    if len(containers) != 1:
        die("want one container in the pod template, found %d" % len(containers))
    return containers[0]


def security_args(sc):
    args = []
    if sc.get("privileged"):
        args.append("--privileged")
    caps = sc.get("capabilities") or {}
    args += ["--cap-drop=" + c.lower() for c in caps.get("drop", [])]
    args += ["--cap-add=" + c.lower() for c in caps.get("add", [])]
    profile = (sc.get("seccompProfile") or {}).get("type", "RuntimeDefault")
    if profile == "Unconfined":
        args.append("--security-opt=seccomp=unconfined")
    elif profile != "RuntimeDefault":
        die("seccompProfile %s: not translated" % profile)
    if sc.get("allowPrivilegeEscalation") is False:
        args.append("--security-opt=no-new-privileges")
    if sc.get("readOnlyRootFilesystem"):
        args.append("--read-only")
    if "runAsUser" in sc:
        args.append("--user=%d" % sc["runAsUser"])
    return args


PROPAGATION = {None: None, "None": None, "HostToContainer": "rslave",
               "Bidirectional": "rshared"}


def host_paths():
    mapping = {}
    for pair in filter(None, os.environ.get("TT_HOST_PATHS", "").split(",")):
        src, sep, dst = pair.partition("=")
        if not sep:
            die("TT_HOST_PATHS: %s: want FROM=TO" % pair)
        mapping[src] = dst
    return mapping


def present(volumes):
    """The hostPath volumes, less those DirectoryOrCreate would make here;
    their paths as TT_HOST_PATHS maps them."""
    kept, mapping = {}, host_paths()
    for name, vol in volumes.items():
        if "hostPath" not in vol:
            die("volume %s: only hostPath volumes are translated" % name)
        vol["hostPath"]["path"] = mapping.get(vol["hostPath"]["path"], vol["hostPath"]["path"])
        host = vol["hostPath"]["path"]
        if os.path.isdir(host):
            kept[name] = vol
        elif vol["hostPath"].get("type") == "DirectoryOrCreate":
            print("daemonset.py: %s: not on this host, not mounted" % host,
                  file=sys.stderr)
        else:
            die("%s: not a directory on this host" % host)
    return kept


def mount_args(container, volumes):
    args = []
    for vm in container.get("volumeMounts", []):
        if vm["name"] not in volumes:
            continue
        host = volumes[vm["name"]]["hostPath"]["path"]
        opts = ["ro" if vm.get("readOnly") else "rw"]
        prop = PROPAGATION.get(vm.get("mountPropagation"), "?")
        if prop == "?":
            die("mountPropagation %s: not translated" % vm.get("mountPropagation"))
        if prop:
            opts.append(prop)
        args.append("--volume=%s:%s:%s" % (host, vm["mountPath"], ",".join(opts)))
    return args


def env_args(container, node):
    args = []
    for e in container.get("env", []):
        if "value" in e:
            args.append("--env=%s=%s" % (e["name"], e["value"]))
        elif (e.get("valueFrom") or {}).get("fieldRef", {}).get("fieldPath") == "spec.nodeName":
            args.append("--env=%s=%s" % (e["name"], node))
        else:
            die("env %s: not translated" % e.get("name"))
    return args


def resource_args(container):
    limits = (container.get("resources") or {}).get("limits") or {}
    args = []
    mem = limits.get("memory")
    if mem:
        units = {"Ki": "k", "Mi": "m", "Gi": "g"}
        if mem[-2:] not in units:
            die("memory limit %s: not translated" % mem)
        args.append("--memory=" + mem[:-2] + units[mem[-2:]])
    cpu = limits.get("cpu")
    if cpu:
        cpus = int(cpu[:-1]) / 1000 if str(cpu).endswith("m") else float(cpu)
        args.append("--cpus=%g" % cpus)
    return args


def podman_args(manifest, image, node):
    spec = daemonset(manifest)["spec"]["template"]["spec"]
    c = the_container(spec)
    volumes = present({v["name"]: v for v in spec.get("volumes", [])})
    args = security_args(c.get("securityContext") or {})
    args += mount_args(c, volumes) + env_args(c, node) + resource_args(c)
    if c.get("command"):
        args.append("--entrypoint=" + c["command"][0])
    return args + [image] + list(c.get("args", []))


# Every capability, in number order: "ALL" is not a name ctr 1.6 takes.
ALL_CAPS = """CHOWN DAC_OVERRIDE DAC_READ_SEARCH FOWNER FSETID KILL SETGID SETUID
SETPCAP LINUX_IMMUTABLE NET_BIND_SERVICE NET_BROADCAST NET_ADMIN NET_RAW
IPC_LOCK IPC_OWNER SYS_MODULE SYS_RAWIO SYS_CHROOT SYS_PTRACE SYS_PACCT
SYS_ADMIN SYS_BOOT SYS_NICE SYS_RESOURCE SYS_TIME SYS_TTY_CONFIG MKNOD LEASE
AUDIT_WRITE AUDIT_CONTROL SETFCAP MAC_OVERRIDE MAC_ADMIN SYSLOG WAKE_ALARM
BLOCK_SUSPEND AUDIT_READ PERFMON BPF CHECKPOINT_RESTORE""".split()


def grantable(caps):
    """The caps this process's bounding set holds (runc refuses to give
    more; Podman leaves them out silently), the others noted on stderr."""
    with open("/proc/self/status") as f:
        bnd = int([l.split()[1] for l in f if l.startswith("CapBnd:")][0], 16)
    kept = []
    for cap in caps:
        if bnd >> ALL_CAPS.index(cap) & 1:
            kept.append(cap)
        else:
            print("daemonset.py: CAP_%s: not in this machine's bounding set, not given" % cap,
                  file=sys.stderr)
    return kept


def ctr_args(manifest, image, node):
    spec = daemonset(manifest)["spec"]["template"]["spec"]
    c = the_container(spec)
    sc = c.get("securityContext") or {}
    args = []
    if sc.get("privileged"):
        args.append("--privileged")
    caps = sc.get("capabilities") or {}
    add = grantable(caps.get("add", []))
    drop = ALL_CAPS if "ALL" in caps.get("drop", []) else caps.get("drop", [])
    args += ["--cap-drop=CAP_" + x for x in drop if x not in add]
    args += ["--cap-add=CAP_" + x for x in add]
    profile = (sc.get("seccompProfile") or {}).get("type", "RuntimeDefault")
    if profile == "RuntimeDefault":
        args.append("--seccomp")
    elif profile != "Unconfined":
        die("seccompProfile %s: not translated" % profile)
    if sc.get("readOnlyRootFilesystem"):
        args.append("--read-only")
    if sc.get("runAsUser", 0) != 0:
        die("runAsUser %s: not translated (ctr runs as 0)" % sc["runAsUser"])
    volumes = present({v["name"]: v for v in spec.get("volumes", [])})
    for m in mount_args(c, volumes):
        host, dst, opts = m[len("--volume="):].split(":")
        args.append("--mount=type=bind,src=%s,dst=%s,options=rbind:%s"
                    % (host, dst, opts.replace(",", ":")))
    args += ["--env=" + e[len("--env="):] for e in env_args(c, node)]
    for r in resource_args(c):
        if r.startswith("--memory="):
            n, unit = r[len("--memory="):-1], r[-1]
            args.append("--memory-limit=%d" % (int(n) << {"k": 10, "m": 20, "g": 30}[unit]))
    return args + [image, "--"] + list(c.get("args", []))


def pod(manifest, image, name, node):
    template = copy.deepcopy(daemonset(manifest)["spec"]["template"])
    c = the_container(template["spec"])
    c["image"] = image
    for e in c.get("env", []):
        if (e.get("valueFrom") or {}).get("fieldRef", {}).get("fieldPath") == "spec.nodeName":
            del e["valueFrom"]
            e["value"] = node
    spec = template["spec"]
    volumes = present({v["name"]: v for v in spec.get("volumes", [])})
    spec["volumes"] = [v for v in spec.get("volumes", []) if v["name"] in volumes]
    c["volumeMounts"] = [m for m in c.get("volumeMounts", []) if m["name"] in volumes]
    meta = template.get("metadata") or {}
    meta["name"] = name
    profile = (c.get("securityContext") or {}).get("seccompProfile") or {}
    if profile.get("type") == "Unconfined":
        meta.setdefault("annotations", {})[
            "container.seccomp.security.alpha.kubernetes.io/" + c["name"]] = "unconfined"
    return {"apiVersion": "v1", "kind": "Pod", "metadata": meta,
            "spec": template["spec"]}


def main(argv):
    if len(argv) == 5 and argv[1] == "podman-args":
        for a in podman_args(argv[2], argv[3], argv[4]):
            if "\n" in a:
                die("an argument holds a newline: %r" % a)
            print(a)
    elif len(argv) == 5 and argv[1] == "ctr-args":
        for a in ctr_args(argv[2], argv[3], argv[4]):
            print(a)
    elif len(argv) == 6 and argv[1] == "pod":
        yaml.safe_dump(pod(argv[2], argv[3], argv[4], argv[5]), sys.stdout,
                       default_flow_style=False, sort_keys=False)
    else:
        die("usage: daemonset.py podman-args|ctr-args MANIFEST IMAGE NODE | pod MANIFEST IMAGE NAME NODE")


if __name__ == "__main__":
    main(sys.argv)
