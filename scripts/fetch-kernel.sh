#!/bin/sh
# Obtain Debian's current kernel image (the dependency of linux-image-amd64,
# e.g. linux-image-6.1.0-56-amd64) and print the path of its vmlinuz on
# stdout. Idempotent: a kernel already extracted is reused.
#
# Usage: scripts/fetch-kernel.sh [--arch ARCH] [--suite SUITE] [DIR]
#
#   --arch ARCH       Debian's kernel for another CPU (arm64: the dependency
#                     of linux-image-arm64:arm64, mips64el: of
#                     linux-image-5kc-malta:mips64el, mipsel: of
#                     linux-image-4kc-malta:mipsel, armhf: of
#                     linux-image-armmp-lpae:armhf; dpkg must know the
#                     architecture, see scripts/install-deps.sh test arm64)
#                     (default DIR: <repo>/.cache/kernel-ARCH)
#   without --suite   this machine's release, through its own apt setup
#                     (default DIR: <repo>/.cache/kernel)
#   --suite SUITE     another Debian release, e.g. bullseye (Linux 5.10),
#                     from the mirror this machine's apt sources name, with
#                     a private sources.list, lists and cache in DIR/.apt:
#                     the machine's apt setup is not touched
#                     (default DIR: <repo>/.cache/kernel-SUITE)
#
# Layout: DIR/<package>/boot/vmlinuz-*  (plus lib/modules/... of that package)
# Only the vmlinuz path goes to stdout; progress and errors go to stderr.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
meta=linux-image-amd64

die() { echo "fetch-kernel: $*" >&2; exit 1; }

usage="usage: $0 [--arch ARCH] [--suite SUITE] [DIR]"
suite=""
arch=""
while [ $# -gt 0 ]; do
	case $1 in
	--suite)
		[ $# -ge 2 ] || die "--suite needs a Debian release name, e.g. bullseye"
		suite=$2
		shift 2
		;;
	--suite=*)
		suite=${1#--suite=}
		shift
		;;
	--arch)
		[ $# -ge 2 ] || die "--arch needs a Debian architecture, e.g. arm64"
		arch=$2
		shift 2
		;;
	-*) die "$usage" ;;
	*) break ;;
	esac
done
[ $# -le 1 ] || die "$usage"
case $suite in
*[!a-z0-9-]*) die "'$suite' is not a Debian release name (e.g. bullseye)" ;;
esac
case $arch in
"" | amd64 | x86_64) arch="" ;;
arm64) meta=linux-image-arm64:arm64 ;;
mips64el) meta=linux-image-5kc-malta:mips64el ;;
mipsel) meta=linux-image-4kc-malta:mipsel ;;
armhf) meta=linux-image-armmp-lpae:armhf ;;
*) die "--arch $arch: amd64, arm64, armhf, mipsel or mips64el" ;;
esac
[ -z "$arch" ] || [ -z "$suite" ] || die "--arch and --suite do not go together yet"
if [ -n "${1:-}" ]; then
	dir=$1
elif [ -n "$suite" ]; then
	dir=$root/.cache/kernel-$suite
elif [ -n "$arch" ]; then
	dir=$root/.cache/kernel-$arch
else
	dir=$root/.cache/kernel
fi

mkdir -p "$dir" || die "cannot create $dir"
dir=$(cd "$dir" && pwd)
state=$dir/.apt	# the private apt state of --suite

tmp=""
cleanup() { [ -n "$tmp" ] && rm -rf "$tmp"; return 0; }
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

# apt_run TOOL ARGS...: an apt tool on this machine's sources, or with
# --suite on the private ones only (no dpkg status either: an installed
# kernel of this release must not hide the suite's).
apt_run() {
	_tool=$1
	shift
	if [ -z "$suite" ]; then
		"$_tool" "$@"
		return
	fi
	"$_tool" -o Dir::Etc::sourcelist="$state/sources.list" \
		-o Dir::Etc::sourceparts=/dev/null \
		-o Dir::State::Lists="$state/lists" \
		-o Dir::State::status="$state/status" \
		-o Dir::Cache="$state/cache" "$@"
}

# The main Debian archive this machine's apt sources name, as
# "URI [SIGNED-BY-FILE]": the first enabled deb entry of a release suite
# (no -updates, -security or /updates), deb822 files first.
machine_mirror() {
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -f "$f" ] || continue
		awk '
		function flush() {
			if (types ~ /(^| )deb( |$)/ && enabled != "no" && uri != "")
				for (i = 1; i <= ns; i++)
					if (s[i] !~ /[-\/]/) {
						print uri, key
						found = 1
						exit
					}
			types = uri = key = enabled = ""
			ns = 0
		}
		/^[ \t]*$/ { flush(); next }
		/^#/ { next }
		tolower($1) == "types:" { types = " " substr($0, index($0, ":") + 1) " " }
		tolower($1) == "uris:" { uri = $2 }
		tolower($1) == "suites:" { ns = split(substr($0, index($0, ":") + 1), s, " ") }
		tolower($1) == "enabled:" { enabled = tolower($2) }
		tolower($1) == "signed-by:" && $2 ~ /^\// { key = $2 }
		END { if (!found) flush() }
		' "$f" | grep . && return 0
	done
	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
		[ -f "$f" ] || continue
		awk '
		$1 != "deb" { next }
		{
			key = ""
			i = 2
			if ($2 ~ /^\[/) {	# [option=value ...]
				for (; i <= NF; i++) {
					if ($i ~ /signed-by=\//) {
						key = $i
						sub(/.*signed-by=/, "", key)
						sub(/\]$/, "", key)
					}
					if ($i ~ /\]$/) break
				}
				i++
			}
			if ($(i + 1) !~ /[-\/]/) { print $i, key; exit }
		}
		' "$f" | grep . && return 0
	done
	return 1
}

# The private sources.list of --suite, written once.
suite_setup() {
	[ -s "$state/sources.list" ] && return 0
	mirror=$(machine_mirror) ||
		die "no Debian mirror found in /etc/apt/sources.list{,.d} to fetch $suite from"
	uri=${mirror%% *}
	key=${mirror#"$uri"}
	key=${key# }
	opt=""
	[ -n "$key" ] && opt="[signed-by=$key] "
	mkdir -p "$state/lists/partial" "$state/cache/archives/partial" ||
		die "cannot create $state"
	: >"$state/status"
	{ echo "deb $opt$uri $suite main" >"$state/sources.list.new" &&
		mv "$state/sources.list.new" "$state/sources.list"; } ||
		die "cannot write $state/sources.list"
}

# Name of the versioned kernel package the metapackage depends on.
resolve() {
	apt_run apt-cache depends "$meta" 2>/dev/null |
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

# The first error apt printed in FILE, for a one-line message.
apt_error() {
	grep -E '^(E|W|Err):' "$1" | head -n 1 || true
}

updated=no
update_error=""
apt_update() {
	[ "$updated" = yes ] && return 0
	updated=yes
	if [ -n "$suite" ]; then
		echo "fetch-kernel: running apt-get update for $suite (private lists in $state)" >&2
		# A mirror out of reach is only a warning to apt-get update.
		apt_run apt-get -q -o APT::Sandbox::User=root update \
			>/dev/null 2>"$state/update.err"
		_rc=$?
		update_error=$(apt_error "$state/update.err")
		return $_rc
	fi
	[ "$(id -u)" = 0 ] || return 1
	echo "fetch-kernel: running apt-get update" >&2
	apt-get update -qq >&2 || return 1
}

[ -z "$suite" ] || suite_setup
from=${suite:+ of suite $suite}

pkg=$(resolve || true)
if [ -z "$pkg" ]; then
	apt_update || true
	pkg=$(resolve || true)
fi
if [ -z "$pkg" ]; then
	if v=$(cached_any); then
		echo "fetch-kernel: apt-cache does not know $meta$from; using cached $v" >&2
		echo "$v"
		exit 0
	fi
	[ -n "$update_error" ] &&
		die "cannot find package $meta$from: apt-get update said: $update_error"
	die "cannot find package $meta$from with apt-cache (is Debian's package registry reachable?)"
fi

dest=$dir/${pkg%%:*}	# without an :ARCH qualifier
if v=$(vmlinuz_in "$dest"); then
	echo "$v"
	exit 0
fi

tmp=$(mktemp -d "$dir/.fetch.XXXXXX") || die "cannot create a temp dir in $dir"
# apt-get download as root drops privileges to _apt, which then cannot write
# into a root-owned 0700 mktemp dir and warns; let it write as the caller.
download() {
	(cd "$tmp" && apt_run apt-get -q -o APT::Sandbox::User=root download "$pkg" >/dev/null 2>"$tmp/apt.err")
}
echo "fetch-kernel: downloading $pkg" >&2
if ! download; then
	# The package lists may be stale (that version gone from the mirror).
	if [ "$updated" = no ] && apt_update && download; then
		:
	else
		die "apt-get download $pkg failed: $(apt_error "$tmp/apt.err")"
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
