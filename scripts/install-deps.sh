#!/bin/sh
# Install every Debian package the build and the tests need.
# Usage: scripts/install-deps.sh [build|test] [ARCH]   (default: build x86_64)
#
# ARCH (arm64, armhf, mipsel, mips64el) adds that CPU's cross compiler
# and musl (the Debian architecture is added to dpkg once), and for test
# its QEMU; its linux-libc-dev is not installed (its version must match
# the host's): the Makefile extracts it into build/ARCH/.
set -eu
want=${1:-build}
arch=${2:-x86_64}
pkgs="make clang llvm musl-tools linux-libc-dev"
[ "$want" = test ] && pkgs="$pkgs qemu-system-x86 busybox-static iproute2 iptables"
# man -l and groff render the man page in tests/install/run.sh.
[ "$want" = test ] && pkgs="$pkgs man-db groff-base"
# make fuzz: libFuzzer's runtime (only recommended by clang-14).
[ "$want" = test ] && pkgs="$pkgs libclang-rt-14-dev"
# tests/e2e/run-cli.py parses -o json, jsonpretty and yaml back.
[ "$want" = test ] && pkgs="$pkgs python3 python3-yaml"
# tests/image/k8s-schema.py checks the DaemonSet against its API models.
[ "$want" = test ] && pkgs="$pkgs python3-kubernetes"
# podman kube play builds its pod infra image around catatonit.
[ "$want" = test ] && pkgs="$pkgs catatonit"
# tests/image/run.sh copies the image as README.md says to push it.
[ "$want" = test ] && pkgs="$pkgs skopeo"
case $arch in
x86_64) ;;
arm64)
	pkgs="$pkgs gcc-aarch64-linux-gnu musl-dev:arm64"
	[ "$want" = test ] && pkgs="$pkgs qemu-system-arm"
	;;
mipsel)
	pkgs="$pkgs gcc-mipsel-linux-gnu musl-dev:mipsel"
	[ "$want" = test ] && pkgs="$pkgs qemu-system-mips"
	;;
mips64el)
	pkgs="$pkgs gcc-mips64el-linux-gnuabi64 musl-dev:mips64el"
	[ "$want" = test ] && pkgs="$pkgs qemu-system-mips"
	;;
armhf)
	pkgs="$pkgs gcc-arm-linux-gnueabihf musl-dev:armhf"
	[ "$want" = test ] && pkgs="$pkgs qemu-system-arm"
	;;
*) echo "install-deps: ARCH $arch: x86_64, arm64, armhf, mipsel or mips64el" >&2; exit 1 ;;
esac
missing=""
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" != 0 ]; then
	echo "install-deps: missing packages:$missing (run as root to install them)" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
if [ "$arch" != x86_64 ] && ! dpkg --print-foreign-architectures | grep -qx "$arch"; then
	dpkg --add-architecture "$arch"
fi
apt-get update -qq
apt-get install -y -qq --no-install-recommends $missing >/dev/null
