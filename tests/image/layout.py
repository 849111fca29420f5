#!/usr/bin/python3
"""Check the layout of make image's archive.

Usage: tests/image/layout.py ARCHIVE REF CPU=BINARY...

Checks: index.json names REF and points at one image index; it lists
exactly the platforms of the CPUs given; every blob's name is its sha256
and every descriptor's size and digest match; each manifest has one
gzip layer holding exactly `trace_tcp`, a regular file, mode 0755, owner
0:0, the same bytes as that CPU's BINARY, whose ELF machine matches the
config's architecture and variant; the config's diff_id is the layer's
uncompressed digest and its entrypoint /trace_tcp; manifest.json (Docker)
points at the same configs and layers. Prints "PASS: image-layout..." or
one "FAIL: image-layout: why" line per problem.
"""
import gzip
import hashlib
import io
import json
import sys
import tarfile

# make ARCH -> (architecture, variant, ELF e_machine), said independently
# of scripts/oci-image.py
EXPECT = {
    "x86_64": ("amd64", None, 62),
    "arm64": ("arm64", None, 183),
    "armhf": ("arm", "v7", 40),
}


class Failed(Exception):
    pass


def need(cond, msg):
    if not cond:
        raise Failed(msg)


def sha(data):
    return "sha256:" + hashlib.sha256(data).hexdigest()


def read_archive(path):
    files = {}
    with tarfile.open(path) as tar:
        for m in tar.getmembers():
            need(m.uid == 0 and m.gid == 0, "%s: owner %d:%d" % (m.name, m.uid, m.gid))
            if m.isfile():
                files[m.name] = tar.extractfile(m).read()
    return files


def blob(files, desc):
    name = "blobs/sha256/" + desc["digest"].split(":", 1)[1]
    need(name in files, "%s missing" % name)
    data = files[name]
    need(sha(data) == desc["digest"], "%s: content is not its digest" % name)
    need(len(data) == desc["size"], "%s: size %d, descriptor says %d" % (name, len(data), desc["size"]))
    return data


def layer_file(layer):
    raw = gzip.decompress(layer)
    with tarfile.open(fileobj=io.BytesIO(raw)) as tar:
        members = tar.getmembers()
        need([m.name for m in members] == ["trace_tcp"],
             "layer holds %s, not just trace_tcp" % [m.name for m in members])
        m = members[0]
        need(m.isreg(), "trace_tcp is not a regular file")
        need(m.mode == 0o755, "trace_tcp mode %o" % m.mode)
        need(m.uid == 0 and m.gid == 0, "trace_tcp owner %d:%d" % (m.uid, m.gid))
        return raw, tar.extractfile(m).read()


def elf_machine(data):
    need(data[:4] == b"\x7fELF", "trace_tcp is not ELF")
    return int.from_bytes(data[18:20], "little" if data[5] == 1 else "big")


def check_image(files, desc, binaries):
    plat = desc["platform"]
    cpu = [c for c, e in EXPECT.items() if (e[0], e[1]) == (plat["architecture"], plat.get("variant"))]
    need(len(cpu) == 1 and cpu[0] in binaries, "unexpected platform %s" % plat)
    cpu = cpu[0]
    arch, variant, machine = EXPECT[cpu]
    manifest = json.loads(blob(files, desc))
    need(manifest.get("mediaType") == "application/vnd.oci.image.manifest.v1+json", "%s: manifest media type" % cpu)
    need(len(manifest["layers"]) == 1, "%s: %d layers" % (cpu, len(manifest["layers"])))
    config = json.loads(blob(files, manifest["config"]))
    raw, binary = layer_file(blob(files, manifest["layers"][0]))
    need(binary == binaries[cpu], "%s: /trace_tcp is not the given binary" % cpu)
    need(elf_machine(binary) == machine, "%s: ELF machine %d" % (cpu, elf_machine(binary)))
    need((config.get("os"), config.get("architecture"), config.get("variant")) == ("linux", arch, variant),
         "%s: config says %s/%s/%s" % (cpu, config.get("os"), config.get("architecture"), config.get("variant")))
    need(config["rootfs"]["diff_ids"] == [sha(raw)], "%s: diff_id is not the layer's" % cpu)
    need(config["config"].get("Entrypoint") == ["/trace_tcp"], "%s: entrypoint" % cpu)
    return cpu, manifest


def check(path, ref, binaries):
    files = read_archive(path)
    need(json.loads(files["oci-layout"]) == {"imageLayoutVersion": "1.0.0"}, "oci-layout")
    top = json.loads(files["index.json"])["manifests"]
    need(len(top) == 1, "index.json lists %d entries" % len(top))
    need(top[0]["annotations"]["org.opencontainers.image.ref.name"] == ref, "ref.name is not %s" % ref)
    index = json.loads(blob(files, top[0]))
    need(index["mediaType"] == "application/vnd.oci.image.index.v1+json", "not an image index")
    images = dict(check_image(files, d, binaries) for d in index["manifests"])
    need(sorted(images) == sorted(binaries), "platforms %s, want %s" % (sorted(images), sorted(binaries)))
    docker = json.loads(files["manifest.json"])
    want = sorted((m["config"]["digest"][7:], m["layers"][0]["digest"][7:]) for m in images.values())
    got = sorted((e["Config"].rsplit("/", 1)[1], e["Layers"][0].rsplit("/", 1)[1]) for e in docker)
    need(got == want, "manifest.json does not name the same configs and layers")
    return images, top[0]["digest"]


def main(argv):
    if len(argv) < 4:
        print("usage: layout.py ARCHIVE REF CPU=BINARY...", file=sys.stderr)
        return 2
    binaries = {}
    for arg in argv[3:]:
        cpu, _, path = arg.partition("=")
        with open(path, "rb") as f:
            binaries[cpu] = f.read()
    try:
        images, digest = check(argv[1], argv[2], binaries)
    except (Failed, KeyError, ValueError, OSError, tarfile.TarError) as e:
        print("FAIL: image-layout: %s" % (e if isinstance(e, Failed) else repr(e)))
        return 1
    print("PASS: image-layout: index %s, %s" % (digest, ", ".join(sorted(images))))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
