#!/bin/sh
# make install lays out exactly trace_tcp and its man page, with their
# modes; the page renders without a warning and shows every option that
# trace_tcp --help prints, so it cannot fall behind loader/app/cli.c.
# Needs ./trace_tcp built, man (man-db) and groff (groff-base): make unit
# runs it. Prints PASS/FAIL lines.
set -u
cd "$(dirname "$0")/../.."
status=0
fail() {
	echo "FAIL: $*"
	status=1
}

for tool in man groff; do
	if ! command -v $tool >/dev/null; then
		echo "FAIL: install: no $tool (sh scripts/install-deps.sh test)"
		exit 1
	fi
done
dest=$(mktemp -d "${TMPDIR:-/tmp}/trace_tcp-install.XXXXXX")
trap 'rm -rf "$dest"' EXIT
log=build/install-test.log

# The layout: two files, nothing else but their directories.
if ! make -s install DESTDIR="$dest" >"$log" 2>&1; then
	echo "FAIL: install: make install failed ($log)"
	exit 1
fi
got=$(cd "$dest" && find . ! -type d -printf '%m %p\n' | sort)
want="644 ./usr/local/share/man/man8/trace_tcp.8
755 ./usr/local/sbin/trace_tcp"
if [ "$got" = "$want" ]; then
	echo "PASS: install-layout: sbin/trace_tcp 755, share/man/man8/trace_tcp.8 644"
else
	fail "install-layout: got:" $got
fi
bin=$dest/usr/local/sbin/trace_tcp
page=$dest/usr/local/share/man/man8/trace_tcp.8
if [ -x "$bin" ] && "$bin" --version | grep -q '^trace_tcp '; then
	echo "PASS: install-runs: $("$bin" --version)"
else
	fail "install-runs: the installed trace_tcp does not print its version"
fi

if make -s install DESTDIR="$dest" PREFIX=/opt/tt >>"$log" 2>&1 &&
	[ -x "$dest/opt/tt/sbin/trace_tcp" ] &&
	[ -f "$dest/opt/tt/share/man/man8/trace_tcp.8" ]; then
	echo "PASS: install-prefix: PREFIX=/opt/tt"
else
	fail "install-prefix: PREFIX=/opt/tt did not install there ($log)"
fi
# Rendered as man shows it (ASCII, so that \- is a plain '-'); man-db's
# seccomp sandbox is off, as it cannot start in some containers.
render() {
	MANWIDTH=80 LC_ALL=C MAN_DISABLE_SECCOMP=1 man -l "$@"
}
warnings=$(render --warnings=w "$page" 2>&1 >/dev/null;
	groff -man -ww -z "$page" 2>&1)
if [ -z "$warnings" ]; then
	echo "PASS: man-warnings: man -l and groff -ww warn of nothing"
else
	fail "man-warnings:"
	echo "$warnings" | sed 's/^/# /'
fi

# Each option line of --help: its names, "-s, --name", in the page.
rendered=$(render "$page" 2>/dev/null)
names=$(./trace_tcp --help | awk '/^  -/ {
	out = ""
	for (i = 1; i <= NF && $i ~ /^-/; i++) {
		name = $i
		sub(/=.*/, "", name)
		out = out (out == "" ? "" : " ") name
	}
	print out
}')
missing=""
count=0
while read -r line; do
	count=$((count + 1))
	printf "%s\n" "$rendered" | grep -qF -- "$line" || missing="$missing [$line]"
done <<EOF
$names
EOF
if [ "$count" -gt 0 ] && [ -z "$missing" ]; then
	echo "PASS: man-options: the $count options of --help in the page"
else
	fail "man-options: not in the page:$missing (of $count)"
fi

# A section of --help after the options (a field list, say) becomes a
# subsection, also without a warning.
fake=$dest/fake_trace_tcp
cat >"$fake" <<EOF
#!/bin/sh
[ "\$1" = --version ] && exec "$PWD/trace_tcp" --version
"$PWD/trace_tcp" --help
printf '\nFields:\n  comm                   the task name\n'
printf '  pid tid uid gid\n                         numbers\n'
printf '  src dst sport dport type error\n'
EOF
chmod 755 "$fake"
if sh scripts/man-page.sh "$fake" scripts/trace_tcp.8.in >"$dest/fake.8" &&
	[ -z "$(render --warnings=w "$dest/fake.8" 2>&1 >/dev/null)" ] &&
	render "$dest/fake.8" 2>/dev/null | grep -q '^   Fields$' &&
	render "$dest/fake.8" 2>/dev/null | grep -q 'src dst sport dport'; then
	echo "PASS: man-sections: a Fields: section of --help, a subsection"
else
	fail "man-sections: a Fields: section of --help did not render cleanly"
fi
make -s uninstall DESTDIR="$dest" >>"$log" 2>&1
left=$(cd "$dest" && find . ! -type d -path './usr/local/*')
if [ -z "$left" ]; then
	echo "PASS: uninstall"
else
	fail "uninstall: left" $left
fi
exit $status
