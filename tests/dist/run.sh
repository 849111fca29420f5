#!/bin/sh
# make dist is reproducible: built here, then again from a copy of the
# sources at another path, from scratch, the same SHA256SUMS; and each
# CPU's binary within its size limit. Prints PASS/FAIL lines.
set -u
cd "$(dirname "$0")/../.."
mkdir -p build
status=0
if ! make -s dist >build/dist-first.log 2>&1; then
	echo "FAIL: dist-build: make dist failed (build/dist-first.log)"
	exit 1
fi
echo "PASS: dist-build"
sed -n 's/^dist\//INFO: dist\//p; s/^dist: /INFO: dist: /p' build/dist-first.log

# Size limits: x86_64 256 KiB, every other CPU 320 KiB.
for f in dist/trace_tcp-*; do
	size=$(stat -c %s "$f")
	limit=327680
	case $f in *-x86_64) limit=262144 ;; esac
	if [ "$size" -le "$limit" ]; then
		echo "PASS: dist-size/${f##*-}: $size bytes (limit $limit)"
	else
		echo "FAIL: dist-size/${f##*-}: $size bytes, over $limit"
		status=1
	fi
done

# The second build: the tracked files only, elsewhere, nothing built yet.
copy=$(mktemp -d "${TMPDIR:-/tmp}/trace_tcp-dist.XXXXXX")
trap 'rm -rf "$copy"' EXIT
git ls-files -z | xargs -0 cp --parents -t "$copy" 2>/dev/null
if ! (cd "$copy" && make -s dist) >build/dist-second.log 2>&1; then
	echo "FAIL: dist-reproducible: the second make dist failed (build/dist-second.log)"
	exit 1
fi
if cmp -s dist/SHA256SUMS "$copy/dist/SHA256SUMS"; then
	echo "PASS: dist-reproducible: $(wc -l <dist/SHA256SUMS) binaries, same bytes from $copy"
else
	echo "FAIL: dist-reproducible: SHA256SUMS differ:"
	diff dist/SHA256SUMS "$copy/dist/SHA256SUMS" | sed 's/^/# /'
	status=1
fi
exit $status
