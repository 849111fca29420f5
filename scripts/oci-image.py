#!/usr/bin/env python3
"""make image: an OCI image archive of trace_tcp, from scratch.

Usage: scripts/oci-image.py NAME:TAG OUT.tar CPU=BINARY...

CPU is a make ARCH (x86_64, arm64, armhf) and BINARY its stripped static
trace_tcp. Each CPU's image has one layer holding only /trace_tcp (mode
0755, owner 0:0) and runs it as its entrypoint; an image index names
them by platform. OUT.tar is an OCI image layout (oci-layout, index.json,
blobs/sha256/) whose index.json points at that index under NAME:TAG, plus
a Docker manifest.json for `docker load` into Docker's classic image store
(which reads no index.json): one image per CPU there, tagged NAME:TAG-CPU
(that file holds no platform index, so no single tag can pick the host's
CPU).

The same binaries give the same bytes: every tar entry has mtime
SOURCE_DATE_EPOCH (default 0), owner 0:0 and no user names; entries are
sorted; gzip has no name and mtime 0; JSON has sorted keys and no spaces.
Prints the index digest and each CPU's bytes on stdout.
"""
import gzip
import hashlib
import io
import json
import os
import sys
import tarfile
import time

# make ARCH -> OCI platform (architecture, variant) and Docker-tag suffix
PLATFORMS = {
    "x86_64": ("amd64", None, "amd64"),
    "arm64": ("arm64", None, "arm64"),
    "armhf": ("arm", "v7", "armv7"),
}
# ELF e_machine of each make ARCH (the layout test checks the same)
ELF_MACHINE = {"x86_64": 62, "arm64": 183, "armhf": 40}

MT_INDEX = "application/vnd.oci.image.index.v1+json"
MT_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
MT_CONFIG = "application/vnd.oci.image.config.v1+json"
MT_LAYER = "application/vnd.oci.image.layer.v1.tar+gzip"


def die(msg):
    print("oci-image: " + msg, file=sys.stderr)
    sys.exit(1)


def canonical(obj):
    return json.dumps(obj, sort_keys=True, separators=(",", ":")).encode()


def digest(data):
    return "sha256:" + hashlib.sha256(data).hexdigest()


def tar_bytes(files, mtime):
    """A ustar archive of (name, mode, bytes or None for a directory)."""
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w", format=tarfile.USTAR_FORMAT) as tar:
        for name, mode, data in sorted(files, key=lambda f: f[0]):
            info = tarfile.TarInfo(name)
            info.mode = mode
            info.mtime = mtime
            info.uid = info.gid = 0
            info.uname = info.gname = ""
            if data is None:
                info.type = tarfile.DIRTYPE
                tar.addfile(info)
            else:
                info.size = len(data)
                tar.addfile(info, io.BytesIO(data))
    return out.getvalue()


def gzip_bytes(data):
    out = io.BytesIO()
    # filename="" and mtime=0: no name and no time in the header
    with gzip.GzipFile(filename="", mode="wb", fileobj=out, mtime=0,
                       compresslevel=9) as gz:
        gz.write(data)
    return out.getvalue()


def elf_machine(data):
    if data[:4] != b"\x7fELF":
        return None
    order = "little" if data[5] == 1 else "big"
    return int.from_bytes(data[18:20], order)


def descriptor(media_type, data, **extra):
    d = {"mediaType": media_type, "digest": digest(data), "size": len(data)}
    d.update(extra)
    return d


def one_cpu(cpu, binary, mtime, blobs):
    """Layer, config and manifest of one CPU into blobs; its descriptor
    in the index, its Docker manifest.json entry and its byte count."""
    arch, variant, _ = PLATFORMS[cpu]
    layer_tar = tar_bytes([("trace_tcp", 0o755, binary)], mtime)
    layer = gzip_bytes(layer_tar)
    created = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(mtime))
    config = {
        "architecture": arch,
        "os": "linux",
        "created": created,
        "config": {"Entrypoint": ["/trace_tcp"]},
        "rootfs": {"type": "layers", "diff_ids": [digest(layer_tar)]},
        "history": [{"created": created, "created_by": "scripts/oci-image.py"}],
    }
    platform = {"architecture": arch, "os": "linux"}
    if variant:
        config["variant"] = variant
        platform["variant"] = variant
    config_json = canonical(config)
    manifest = canonical({
        "schemaVersion": 2,
        "mediaType": MT_MANIFEST,
        "config": descriptor(MT_CONFIG, config_json),
        "layers": [descriptor(MT_LAYER, layer)],
    })
    for blob in (layer, config_json, manifest):
        blobs[digest(blob)] = blob
    docker = {
        "Config": "blobs/sha256/" + digest(config_json)[7:],
        "Layers": ["blobs/sha256/" + digest(layer)[7:]],
    }
    size = len(layer) + len(config_json) + len(manifest)
    return descriptor(MT_MANIFEST, manifest, platform=platform), docker, size


def build(ref, cpus, mtime):
    """The archive's bytes, the index digest and each CPU's bytes."""
    name, _, tag = ref.rpartition(":")
    blobs, entries, docker, sizes = {}, [], [], []
    for cpu, binary in cpus:
        desc, dock, size = one_cpu(cpu, binary, mtime, blobs)
        entries.append(desc)
        dock["RepoTags"] = ["%s:%s-%s" % (name, tag, PLATFORMS[cpu][2])]
        docker.append(dock)
        sizes.append((cpu, size))
    index = canonical({"schemaVersion": 2, "mediaType": MT_INDEX,
                       "manifests": entries})
    blobs[digest(index)] = index
    # ref.name the full reference: containerd's ctr and Podman take it as
    # the image's name; io.containerd.image.name says the same to Docker's
    # containerd store.
    top = canonical({
        "schemaVersion": 2,
        "mediaType": MT_INDEX,
        "manifests": [descriptor(MT_INDEX, index, annotations={
            "io.containerd.image.name": ref,
            "org.opencontainers.image.ref.name": ref,
        })],
    })
    files = [("blobs", 0o755, None), ("blobs/sha256", 0o755, None),
             ("oci-layout", 0o644, canonical({"imageLayoutVersion": "1.0.0"})),
             ("index.json", 0o644, top),
             ("manifest.json", 0o644, canonical(docker))]
    for d, blob in blobs.items():
        files.append(("blobs/sha256/" + d[7:], 0o644, blob))
    return tar_bytes(files, mtime), digest(index), sizes


def read_cpus(args):
    cpus = []
    for arg in args:
        cpu, sep, path = arg.partition("=")
        if not sep or cpu not in PLATFORMS:
            die("%s: want CPU=BINARY, CPU one of %s" % (arg, ", ".join(PLATFORMS)))
        try:
            with open(path, "rb") as f:
                data = f.read()
        except OSError as e:
            die("%s: %s" % (path, e.strerror))
        if elf_machine(data) != ELF_MACHINE[cpu]:
            die("%s: not an ELF binary for %s" % (path, cpu))
        cpus.append((cpu, data))
    return cpus


def main(argv):
    if len(argv) < 4:
        die("usage: oci-image.py NAME:TAG OUT.tar CPU=BINARY...")
    ref, out = argv[1], argv[2]
    if ":" not in ref.rpartition("/")[2]:
        die("%s: want NAME:TAG" % ref)
    try:
        mtime = int(os.environ.get("SOURCE_DATE_EPOCH", "0"))
    except ValueError:
        die("SOURCE_DATE_EPOCH is not a number")
    archive, index_digest, sizes = build(ref, read_cpus(argv[3:]), mtime)
    os.makedirs(os.path.dirname(out) or ".", exist_ok=True)
    with open(out + ".tmp", "wb") as f:
        f.write(archive)
    os.replace(out + ".tmp", out)
    print("%s: %s, index %s, %d bytes" % (out, ref, index_digest, len(archive)))
    for cpu, size in sizes:
        arch, variant, _ = PLATFORMS[cpu]
        plat = "linux/" + arch + ("/" + variant if variant else "")
        print("%s: %s image %d bytes (layer, config, manifest)" % (out, plat, size))


if __name__ == "__main__":
    main(sys.argv)
