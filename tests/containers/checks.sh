# shellcheck shell=sh
# What the container scenarios (run.sh, fake-runtime.sh, hostile.sh)
# share: starting and stopping tracers, and checking their JSON/columns
# lines, and where cgroup2 is. Sourced;
# the caller defines pass NAME, fail "NAME: why" and note TEXT, and sets
# TRACE_TCP and WORK (where outputs go). Tracers' PIDs collect in
# TRACERS, for the caller's cleanup.

# tracer_start TAG ARGS...: "$TRACE_TCP" ARGS writing $WORK/TAG.out and
# .err; returns once its start-up line is on stderr (10 s at most). Sets
# TRACER_PID_<TAG>.
tracer_start() {
	_tag=$1
	shift
	"$TRACE_TCP" "$@" >"$WORK/$_tag.out" 2>"$WORK/$_tag.err" &
	eval "TRACER_PID_$_tag=$!"
	TRACERS="${TRACERS:-} $!"
	for _i in $(seq 100); do
		grep -q '^trace_tcp: backend' "$WORK/$_tag.err" && return 0
		kill -0 "$!" 2>/dev/null || break
		sleep 0.1
	done
	fail "$_tag/tracer-start: $(head -n 3 "$WORK/$_tag.err")"
	return 1
}

# tracer_stop TAG: SIGINT; it must exit 0.
tracer_stop() {
	eval "_pid=\$TRACER_PID_$1"
	kill -INT "$_pid" 2>/dev/null
	if wait "$_pid"; then
		note "$1: $(tail -n 1 "$WORK/$1.err")"
	else
		fail "$1/tracer-exit: status $?: $(tail -n 2 "$WORK/$1.err")"
	fi
}

# count TAG TEXT...: lines of TAG's output containing every TEXT
count() {
	_f="$WORK/$1.out"
	shift
	awk 'BEGIN { for (i = 1; i < ARGC; i++) want[i] = ARGV[i]; n = ARGC - 1; ARGC = 1 }
	     { for (i = 1; i <= n; i++) if (!index($0, want[i])) next; c++ }
	     END { print c + 0 }' "$@" <"$_f"
}

# expect NAME TAG MIN|none TEXT...: at least MIN matching lines, or none
expect() {
	_name=$1 _tag=$2 _want=$3
	shift 3
	_n=$(count "$_tag" "$@")
	if [ "$_want" = none ] && [ "$_n" -eq 0 ]; then
		pass "$_name"
	elif [ "$_want" != none ] && [ "$_n" -ge "$_want" ]; then
		pass "$_name"
	else
		fail "$_name: $_n line(s) with: $* (want ${_want}); output:"
		sed 's/^/    /' "$WORK/$_tag.out" | head -n 20
	fi
}

# cgroup2_mount: where cgroup v2 is mounted, or nothing
# (mountinfo: "... MOUNTPOINT OPTIONS [OPTIONAL...] - FSTYPE SOURCE ...")
cgroup2_mount() {
	awk '{ for (i = 7; i < NF; i++) if ($i == "-") break }
	     $(i + 1) == "cgroup2" { print $5; exit }' /proc/self/mountinfo
}
