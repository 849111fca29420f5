#!/bin/sh
# Install every Debian package the build and the tests need.
# Usage: scripts/install-deps.sh [build|test]   (default: build)
set -eu
want=${1:-build}
pkgs="make clang llvm musl-tools linux-libc-dev"
[ "$want" = test ] && pkgs="$pkgs qemu-system-x86 busybox-static iproute2"
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
apt-get update -qq
apt-get install -y -qq --no-install-recommends $missing >/dev/null
