#!/bin/sh
# Obtain Debian's static busybox for another CPU (busybox-static:ARCH),
# for that CPU's QEMU guest, and print the path of its binary on stdout.
# Idempotent: a busybox already extracted is reused.
#
# Usage: scripts/fetch-busybox.sh ARCH [DIR]   (default DIR: <repo>/.cache/busybox-ARCH)
#
# dpkg must know the architecture (scripts/install-deps.sh test ARCH adds
# it); the package is downloaded and extracted, never installed.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)

die() { echo "fetch-busybox: $*" >&2; exit 1; }

[ $# -ge 1 ] && [ $# -le 2 ] || die "usage: $0 ARCH [DIR]"
arch=$1
case $arch in
*[!a-z0-9]* | "") die "'$arch' is not a Debian architecture (e.g. arm64)" ;;
esac
dir=${2:-$root/.cache/busybox-$arch}
bin=$dir/bin/busybox
if [ -x "$bin" ]; then
	echo "$bin"
	exit 0
fi

mkdir -p "$dir" || die "cannot create $dir"
tmp=$(mktemp -d "$dir/.fetch.XXXXXX") || die "cannot create a temp dir in $dir"
trap 'rm -rf "$tmp"' EXIT
echo "fetch-busybox: downloading busybox-static:$arch" >&2
# As root, apt drops privileges to _apt, which cannot write into the
# 0700 temp dir: let it write as the caller.
(cd "$tmp" && apt-get -q -o APT::Sandbox::User=root download \
	"busybox-static:$arch" >/dev/null 2>"$tmp/apt.err") ||
	die "apt-get download busybox-static:$arch failed: $(grep -m1 -E '^(E|W):' "$tmp/apt.err")"
dpkg-deb -x "$tmp"/busybox-static_*.deb "$tmp/x" ||
	die "dpkg-deb -x of busybox-static:$arch failed"
[ -x "$tmp/x/bin/busybox" ] || die "busybox-static:$arch has no bin/busybox"
mkdir -p "$dir/bin"
mv "$tmp/x/bin/busybox" "$bin" || die "cannot move busybox to $bin"
echo "$bin"
