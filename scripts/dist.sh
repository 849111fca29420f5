#!/bin/sh
# make dist: the stripped trace_tcp of every CPU that builds here, as
# dist/trace_tcp-VERSION-ARCH, and dist/SHA256SUMS of them. The same
# sources give the same bytes (tests/dist/run.sh checks it).
#
# Usage: scripts/dist.sh VERSION ARCH...
#
# A CPU whose cross tools are missing (scripts/install-deps.sh build ARCH)
# is left out with a note on stderr; none built at all is an error.
set -eu
cd "$(dirname "$0")/.."
[ $# -ge 2 ] || { echo "usage: $0 VERSION ARCH..." >&2; exit 2; }
version=$1
shift

rm -rf dist
mkdir -p dist build
built=0
for arch in "$@"; do
	out=build/$arch
	[ "$arch" = x86_64 ] && out=build
	target=$out/trace_tcp
	[ "$arch" = x86_64 ] && target=trace_tcp
	if ! make -s ARCH="$arch" "$target" >"build/dist-$arch.log" 2>&1; then
		echo "dist: $arch left out: it does not build here (see build/dist-$arch.log)" >&2
		continue
	fi
	cp "$out/trace_tcp.stripped" "dist/trace_tcp-$version-$arch"
	chmod 0755 "dist/trace_tcp-$version-$arch"
	echo "dist/trace_tcp-$version-$arch: $(stat -c %s "dist/trace_tcp-$version-$arch") bytes"
	built=$((built + 1))
done
[ "$built" -gt 0 ] || { echo "dist: no CPU built" >&2; exit 1; }
(cd dist && sha256sum trace_tcp-* >SHA256SUMS)
