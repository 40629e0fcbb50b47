# helpers.bash - loaded by every bats file with `load helpers`.
#
# tests/run-bats runs each group against every step that has its property,
# with STEP set (e.g. STEP=step03-mnt). To run one group by hand:
#
#   STEP=step01-uts bats tests/bats/uts.bats
#
# Every test checks the property from inside the container and, where it
# can, from the host. setup/teardown compare mounts, network links, cgroup
# directories and processes before and after: a leftover fails the test.

bats_require_minimum_version 1.5.0

# bats-support and bats-assert, found as bats_load_library finds them (in
# BATS_LIB_PATH), their src/*.bash sourced here: their load.bash runs
# dirname(1) for every file it sources, some 16 processes before every
# test. Where a library has no src/, its own load.bash.
load_bats_library() { # NAME
	local dir file dirs
	IFS=: read -ra dirs <<<"${BATS_LIB_PATH:-/usr/lib/bats}"
	for dir in "${dirs[@]}"; do
		[ -f "$dir/$1/load.bash" ] || continue
		[ -d "$dir/$1/src" ] || break
		for file in "$dir/$1"/src/*.bash; do
			# shellcheck disable=SC1090
			source "$file"
		done
		return 0
	done
	bats_load_library "$1"
}
load_bats_library bats-support
load_bats_library bats-assert

REPO=${REPO:-$(cd "$BATS_TEST_DIRNAME/../.." && pwd)}
STEP=${STEP:?set STEP, e.g. STEP=step01-uts (tests/run-bats does)}
STEP_NUM=$((10#${STEP:4:2}))
CTR=${CTR:-$REPO/$STEP/container}
ROOTFS=${ROOTFS:-$REPO/rootfs}
# Every container a test runs in the foreground gets this long at most.
CTR_TIMEOUT=${CTR_TIMEOUT:-30}

# --- guards: skip, saying why ----------------------------------------------

requires_root() {
	[ "$EUID" -eq 0 ] || skip "needs root (run the tests with sudo)"
}

requires_unprivileged() {
	[ "$EUID" -ne 0 ] || skip "runs in the unprivileged pass (tests/run-bats runs it as an ordinary user)"
}

requires_step() {
	[ "$STEP_NUM" -ge "$1" ] || skip "$STEP has no ${2:-such feature} (step $(printf %02d "$1")+)"
}

requires_before_step() {
	[ "$STEP_NUM" -lt "$1" ] || skip "${2:-does not apply} from step $(printf %02d "$1") on"
}

requires_command() {
	command -v "$1" >/dev/null 2>&1 || skip "needs $1 on the host"
}

# --- running containers ------------------------------------------------------

# From step 5 on, a root runtime makes a bridge and veths: every test then
# runs its containers inside a network namespace of its own, the "host"
# (HOST_NS), never on the machine's network. in_host_ns runs a command
# there (or simply runs it, before step 5 or unprivileged).
HOST_NS=""
IN_HOST_NS=()
in_host_ns() {
	"${IN_HOST_NS[@]}" "$@"
}

# Unprivileged, from step 5 on, a container gets loopback only, and the
# runtime says so in a notice on every run. The groups that are not about
# the network ask for exactly that with --no-net, which keeps the notice
# out of the output they compare; net.bats tests the default and its notice.
NET_ARGS=()
if [ "$STEP_NUM" -ge 5 ] && [ "$EUID" -ne 0 ] && [ "${BATS_TEST_FILENAME##*/}" != net.bats ]; then
	NET_ARGS=(--no-net)
fi

# From step 10 on, root in the container keeps Docker's fourteen
# capabilities only: no CAP_SYS_ADMIN, which sethostname(2) and mount(2)
# need. A test of an earlier namespace whose root inside does such things
# gives it every capability back with ROOT_ARGS, as steps 4-9 have it;
# secure.bats tests that they are gone without.
ROOT_ARGS=()
[ "$STEP_NUM" -lt 10 ] || ROOT_ARGS=(--cap-add ALL)

# Run the step's runtime in the foreground, bounded in time. Use with `run`.
ctr() {
	timeout -k 5 "$CTR_TIMEOUT" "${IN_HOST_NS[@]}" "$CTR" "${NET_ARGS[@]}" "$@"
}

# Start a container in the background and wait until COMMAND printed "ready"
# on stdout. Sets CTR_PID (the runtime) and CTR_INIT (the container's first
# process, as the host numbers it). Teardown kills whatever is left.
#   start_ctr [OPTION]... -- sh -c 'echo ready; exec sleep 60'
CTR_STARTED=0
start_ctr() {
	# Output files of their own, for tests that start several containers.
	CTR_STARTED=$((CTR_STARTED + 1))
	CTR_OUT=$BATS_TEST_TMPDIR/ctr$CTR_STARTED.out
	CTR_ERR=$BATS_TEST_TMPDIR/ctr$CTR_STARTED.err
	: >"$CTR_OUT"
	# A plain command (not a function) so that $! is its PID; nsenter
	# then execs the runtime, which keeps that PID.
	"${IN_HOST_NS[@]}" "$CTR" "${NET_ARGS[@]}" "$@" >"$CTR_OUT" 2>"$CTR_ERR" &
	CTR_PID=$!
	BG_RUNTIMES+=("$CTR_PID")
	wait_for_file_line "$CTR_OUT" ready || {
		echo "container did not get ready; stderr:" >&2
		cat "$CTR_ERR" >&2
		return 1
	}
	CTR_INIT=$(child_of "$CTR_PID")
	[ -n "$CTR_INIT" ] || {
		echo "runtime $CTR_PID has no child" >&2
		return 1
	}
	BG_INITS+=("$CTR_INIT")
}

# The host end of the running container's veth: its eth0 is "eth0@ifN"
# inside, N the index of its peer, on the host's side.
host_end() {
	local index
	index=$(nsenter -t "$CTR_INIT" -n ip -o link show eth0 | sed -n 's/^[0-9]*: eth0@if\([0-9]*\):.*/\1/p')
	ip -n "$HOST_NS" -o link show | awk -F': ' -v i="$index" '$1 == i { sub(/@.*/, "", $2); print $2 }'
}

# nsenter into the container's namespaces (nsenter -t PID OPTION...). An
# unprivileged caller enters the container's user namespace first (-U):
# only there does it hold the capabilities setns(2) asks for.
nsenter_ctr() {
	if [ "$EUID" -ne 0 ]; then
		nsenter -t "$CTR_INIT" -U --preserve-credentials "$@"
	else
		nsenter -t "$CTR_INIT" "$@"
	fi
}

# A copy of the rootfs for this test alone, for a test that writes into it,
# or that a broken runtime would write into: tests/run-bats runs several
# jobs at once on one rootfs. The runtime finds it as ./rootfs, from the
# test's directory, as it finds the shared one from setup's. From step 4
# on root in the container is uid 100000 on the host, which may not enter
# bats' private directories above: a relative ./rootfs needs no search
# permission on them (user.bats checks that), the copy itself keeps the
# modes of the rootfs (755, /tmp 1777).
private_rootfs() {
	# The tree itself, even when ROOTFS is a symbolic link to it.
	cp -a "$(realpath "$ROOTFS")" "$BATS_TEST_TMPDIR/rootfs"
	ROOTFS=$BATS_TEST_TMPDIR/rootfs
	cd "$BATS_TEST_TMPDIR"
}

# From step 6 on a SIGKILLed runtime leaves its (empty) cgroup behind, and
# the next run removes it. A test that kills a runtime makes that run.
next_run_cleans_up() {
	[ "$STEP_NUM" -lt 6 ] || [ "$EUID" -ne 0 ] || ctr -- true
}

# Wait (up to 10 s) until FILE has a line equal to TEXT.
wait_for_file_line() {
	local i
	for ((i = 0; i < 200; i++)); do
		grep -qx "$2" "$1" 2>/dev/null && return 0
		sleep 0.05
	done
	return 1
}

# The (first) child of PID.
child_of() {
	pgrep -P "$1" | head -n 1
}

# Wait for a background runtime; sets CTR_STATUS to its exit status.
wait_ctr() {
	local pid=${1:-$CTR_PID}
	CTR_STATUS=0
	wait "$pid" || CTR_STATUS=$?
}

# Wait (up to 10 s) until PID is gone.
wait_gone() {
	local i
	for ((i = 0; i < 200; i++)); do
		[ -e "/proc/$1" ] || return 0
		# A zombie of ours is gone for every purpose but the wait status.
		[ "$(awk '/^State:/ {print $2}' "/proc/$1/status" 2>/dev/null)" = Z ] && return 0
		sleep 0.05
	done
	return 1
}

# The namespace a process is in, as "uts:[4026532290]".
ns_of() {
	readlink "/proc/$1/ns/$2"
}

# --- cgroups (step 6 on) ---------------------------------------------------

# cgroup v2 with the memory controller, or v1 (hybrid).
v2_mount() { findmnt -n -t cgroup2 -o TARGET | head -n 1; }
is_v2() {
	local m
	m=$(v2_mount)
	[ -n "$m" ] && grep -qw memory "$m/cgroup.controllers"
}

# The container's cgroup directory, as the host sees it, for CONTROLLER.
ctr_cgroup() {
	local path mnt
	if is_v2; then
		path=$(awk -F: '$1 == 0 { print $3 }' "/proc/$CTR_INIT/cgroup")
		mnt=$(v2_mount)
	else
		path=$(awk -F: -v c="$1" '$2 ~ "(^|,)" c "(,|$)" { print $3 }' "/proc/$CTR_INIT/cgroup")
		mnt=$(findmnt -n -t cgroup -O "$1" -o TARGET | head -n 1)
	fi
	echo "$mnt$path"
}

# Every cgroup directory of this project on the host.
our_cgroups() { find /sys/fs/cgroup -type d -path '*mini-container*' 2>/dev/null; }

# --- cleanup and the leftover check -----------------------------------------

BG_INITS=()
BG_RUNTIMES=()
CLEANUPS=()

# Register a command for teardown to run (before the leftover check).
on_teardown() {
	CLEANUPS+=("$*")
}

# What a run could leave behind on the host: mounts, network links, cgroup
# directories of ours, container names (sockets, step 9 on), processes in
# other namespaces (or named container). One line each, "KIND WHAT",
# sorted. (Each process started costs a few milliseconds, and this runs
# twice in every test: few of them.)
leftover_snapshot() {
	{
		# /run/netns itself is iproute2's: the first `ip netns add` on a
		# machine mounts it and leaves it. The namespaces below it count.
		awk '$5 != "/run/netns" { print "mount", $5 }' /proc/self/mountinfo
		ip -o link show 2>/dev/null | awk -F': ' '{ sub(/@.*/, "", $2); print "link", $2 }'
		find /sys/fs/cgroup -type d -path '*mini-container*' -printf 'cgroup %p\n' 2>/dev/null
		names_snapshot
		# Our own namespaces: those of this shell ($$), in the same list.
		ps -e -o pid=,comm=,pidns=,mntns=,utsns=,ipcns=,netns=,userns= |
			awk -v me=$$ '
			{ pid[NR] = $1; comm[NR] = $2; ns[NR] = $3 " " $4 " " $5 " " $6 " " $7 " " $8 }
			$1 == me { self = ns[NR] }
			END {
				for (i = 1; i <= NR; i++)
					# A process we may not inspect, or a zombie, shows "-".
					if (comm[i] == "container" || (index(ns[i], "-") == 0 && ns[i] != self))
						print "process", pid[i], comm[i]
			}'
	} | sort
}

# What a container may leave in the scratch "host" namespace: its loopback
# and the shared bridge; no veth, no address claim (abstract sockets).
host_ns_snapshot() {
	ip -n "$HOST_NS" -o link show |
		awk -F': ' '{ sub(/@.*/, "", $2) } $2 != "lo" && $2 != "mini0" { print $2 }'
	nsenter --net="/run/netns/$HOST_NS" ss -xlH 2>/dev/null |
		awk 'match($0, /@mini-container[^ ]*/) { print substr($0, RSTART, RLENGTH) }'
}

setup() {
	cd "${ROOTFS%/*}" || return 1
	leftover_snapshot >"$BATS_TEST_TMPDIR/before"
	if [ "$STEP_NUM" -ge 5 ] && [ "$EUID" -eq 0 ]; then
		HOST_NS=mini-test-$$-${BATS_TEST_NUMBER}
		# nsenter --net, not ip netns exec: that one also remounts /sys,
		# which hides the cgroup trees mounted below /sys/fs/cgroup.
		IN_HOST_NS=(nsenter --net=/run/netns/"$HOST_NS")
		ip netns add "$HOST_NS"
	fi
}

# The standard teardown; a file that needs its own calls this at its end.
teardown() {
	local pid cmd i hung=""
	# Stop containers as a user would: kill the container's first process,
	# and let its runtime clean up and exit. A runtime still there 10 s
	# later does not end with its COMMAND: that fails the test, after it
	# is SIGKILLed and the rest is cleaned up.
	for pid in "${BG_INITS[@]}"; do
		kill -KILL "$pid" 2>/dev/null
	done
	for pid in "${BG_RUNTIMES[@]}"; do
		if ! wait_gone "$pid"; then
			kill -KILL "$pid" 2>/dev/null
			echo "teardown: runtime $pid still ran 10 s after its COMMAND was killed (SIGKILLed it)" >&2
			hung=1
		fi
		wait "$pid" 2>/dev/null
	done
	for cmd in "${CLEANUPS[@]}"; do
		eval "$cmd" || echo "teardown: '$cmd' failed" >&2
	done
	if [ -n "$HOST_NS" ]; then
		# The kernel removes a veth shortly after its namespace dies.
		local left
		for ((i = 0; i < 100; i++)); do
			left=$(host_ns_snapshot)
			[ -z "$left" ] && break
			sleep 0.05
		done
		ip netns del "$HOST_NS"
		if [ -n "$left" ]; then
			echo "leftovers in the test's host network namespace:" >&2
			echo "$left" >&2
			return 1
		fi
	fi
	# Processes killed a moment ago may still be on their way out.
	for ((i = 0; i < 100; i++)); do
		leftover_snapshot >"$BATS_TEST_TMPDIR/after"
		cmp -s "$BATS_TEST_TMPDIR/before" "$BATS_TEST_TMPDIR/after" && break
		sleep 0.05
	done
	if cmp -s "$BATS_TEST_TMPDIR/before" "$BATS_TEST_TMPDIR/after"; then
		[ -z "$hung" ] || return 1
		return 0
	fi
	echo "leftovers on the host after the test (- before, + after):" >&2
	diff -u "$BATS_TEST_TMPDIR/before" "$BATS_TEST_TMPDIR/after" | tail -n +3 >&2
	return 1
}

# --- container names (step 9 on) -------------------------------------------

# The directory that holds the caller's container names, one unix socket
# per name (common/names.h).
names_dir() {
	if [ "$EUID" -eq 0 ]; then
		echo /run/mini-container/names
	elif [ -n "${XDG_RUNTIME_DIR:-}" ]; then
		echo "$XDG_RUNTIME_DIR/mini-container/names"
	else
		echo "/tmp/mini-container-$EUID/names"
	fi
}

# Every name a test makes holds NAME_PREFIX, which is this test's own: the
# unprivileged jobs of tests/run-bats share one names directory, where the
# leftover check looks at this test's names only. (Root's directory is a
# tmpfs of each job's own, tests/isolate: there it looks at all of them.)
NAME_PREFIX=t${BATS_TEST_NUMBER:-0}x$RANDOM$RANDOM-

# The names in the names directory that the leftover check compares, as
# "name NAME" lines (leftover_snapshot).
names_snapshot() {
	local dir=/run/mini-container/names
	if [ "$EUID" -ne 0 ]; then
		dir=/tmp/mini-container-$EUID/names
		[ -z "${XDG_RUNTIME_DIR:-}" ] || dir=$XDG_RUNTIME_DIR/mini-container/names
	fi
	[ -d "$dir" ] || return 0
	ls -A "$dir" | awk -v p="$NAME_PREFIX" -v all=$((EUID == 0)) 'all || index($0, p) { print "name", $0 }'
}

# Wait (up to 5 s) until process PID runs COMM (after sh's exec).
wait_comm() { # PID COMM
	local i
	for ((i = 0; i < 100; i++)); do
		[ "$(cat "/proc/$1/comm" 2>/dev/null)" = "$2" ] && return 0
		sleep 0.05
	done
	fail "process $1 is $(cat "/proc/$1/comm" 2>/dev/null), not $2"
}

# Unprivileged, keep this test's names in a directory of its own
# ($XDG_RUNTIME_DIR): every --name run removes the stale sockets of its
# directory, so another job's run could remove the one a test looks at.
# (Root's directory is the job's own already: tests/isolate.)
private_names() {
	[ "$EUID" -ne 0 ] || return 0
	export XDG_RUNTIME_DIR=$BATS_TEST_TMPDIR/xdg
	mkdir -m 700 "$XDG_RUNTIME_DIR"
}
