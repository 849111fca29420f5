#!/bin/sh
# Obtain Debian's current kernel image for this release (the dependency of
# linux-image-amd64, e.g. linux-image-6.1.0-56-amd64) and print the path of
# its vmlinuz on stdout. Idempotent: a kernel already extracted is reused.
#
# Usage: scripts/fetch-kernel.sh [DIR]     (default: <repo>/.cache/kernel)
#
# Layout: DIR/<package>/boot/vmlinuz-*  (plus lib/modules/... of that package)
# Only the vmlinuz path goes to stdout; progress and errors go to stderr.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
dir=${1:-$root/.cache/kernel}
meta=linux-image-amd64

die() { echo "fetch-kernel: $*" >&2; exit 1; }

mkdir -p "$dir" || die "cannot create $dir"
dir=$(cd "$dir" && pwd)

tmp=""
cleanup() { [ -n "$tmp" ] && rm -rf "$tmp"; return 0; }
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

# Name of the versioned kernel package the metapackage depends on.
resolve() {
	apt-cache depends "$meta" 2>/dev/null |
		awk '/Depends: linux-image-/ { print $2; exit }'
}

# Print the vmlinuz of an extracted package directory, if there is one.
vmlinuz_in() {
	for f in "$1"/boot/vmlinuz-*; do
		[ -f "$f" ] && { echo "$f"; return 0; }
	done
	return 1
}

# Newest kernel already in the cache (used only when apt cannot answer).
cached_any() {
	for d in $(ls -d "$dir"/linux-image-* 2>/dev/null | sort -V -r); do
		vmlinuz_in "$d" && return 0
	done
	return 1
}

updated=no
apt_update() {
	[ "$updated" = yes ] && return 0
	updated=yes
	[ "$(id -u)" = 0 ] || return 1
	echo "fetch-kernel: running apt-get update" >&2
	apt-get update -qq >&2 || return 1
}

pkg=$(resolve || true)
if [ -z "$pkg" ]; then
	apt_update || true
	pkg=$(resolve || true)
fi
if [ -z "$pkg" ]; then
	if v=$(cached_any); then
		echo "fetch-kernel: apt-cache does not know $meta; using cached $v" >&2
		echo "$v"
		exit 0
	fi
	die "cannot find package $meta with apt-cache (is Debian's package registry reachable?)"
fi

dest=$dir/$pkg
if v=$(vmlinuz_in "$dest"); then
	echo "$v"
	exit 0
fi

tmp=$(mktemp -d "$dir/.fetch.XXXXXX") || die "cannot create a temp dir in $dir"
# apt-get download as root drops privileges to _apt, which then cannot write
# into a root-owned 0700 mktemp dir and warns; let it write as the caller.
download() {
	(cd "$tmp" && apt-get -q -o APT::Sandbox::User=root download "$pkg" >/dev/null 2>"$tmp/apt.err")
}
echo "fetch-kernel: downloading $pkg" >&2
if ! download; then
	# The package lists may be stale (that version gone from the mirror).
	if [ "$updated" = no ] && apt_update && download; then
		:
	else
		die "apt-get download $pkg failed: $(grep -E '^(E|W):' "$tmp/apt.err" | head -n 1 || true)"
	fi
fi
deb=$(ls "$tmp"/*.deb 2>/dev/null | head -n 1)
[ -n "$deb" ] || die "apt-get download $pkg produced no .deb"
mkdir "$tmp/x"
dpkg-deb -x "$deb" "$tmp/x" || die "dpkg-deb -x $deb failed"
vmlinuz_in "$tmp/x" >/dev/null || die "$pkg contains no boot/vmlinuz-*"
rm -rf "$dest"
mv "$tmp/x" "$dest" || die "cannot move the extracted kernel to $dest"
vmlinuz_in "$dest"
