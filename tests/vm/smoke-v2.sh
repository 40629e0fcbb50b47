#!/usr/bin/env bash
# Prove, inside the VM, that cgroup v2 really limits processes and that the
# VM is a fair place to test a container runtime. Run it through the VM:
#
#   tests/vm/run-cgroup2 -- tests/vm/smoke-v2.sh
#
# Each check prints "ok - ..." or "not ok - ..."; the exit status is the
# number of failed checks. It refuses to run anywhere but on a pure cgroup
# v2 machine, as root (it writes to /sys/fs/cgroup).
set -u
cd "$(dirname "$0")/../.." || exit 1
probe=$(pwd)/rootfs/bin/probe
cg=/sys/fs/cgroup/vm-smoke
failed=0

ok() { echo "ok - $*"; }
not_ok() {
	echo "not ok - $*"
	failed=$((failed + 1))
}
check() { # DESCRIPTION, then a command that must succeed
	local what=$1
	shift
	if "$@"; then ok "$what"; else not_ok "$what"; fi
}

if [ "$(stat -fc %T /sys/fs/cgroup)" != cgroup2fs ] || [ "$(id -u)" -ne 0 ]; then
	echo "smoke-v2: needs root on a pure cgroup v2 machine; run it with tests/vm/run-cgroup2" >&2
	exit 1
fi
[ -x "$probe" ] || {
	echo "smoke-v2: $probe is missing (make rootfs)" >&2
	exit 1
}

# A fresh cgroup with the three limits the project's cgroup step sets.
rmdir "$cg" 2>/dev/null
mkdir "$cg" || exit 1
check "memory.max is writable" sh -c "echo 32M >$cg/memory.max"
check "memory.swap.max is writable" sh -c "echo 0 >$cg/memory.swap.max"
check "pids.max is writable" sh -c "echo 10 >$cg/pids.max"
check "cpu.max is writable" sh -c "echo '10000 100000' >$cg/cpu.max"
check "memory.max reads back as 32 MiB" test "$(cat $cg/memory.max)" = $((32 << 20))

# run_in_cgroup COMMAND...: a shell that moves itself into the cgroup, then
# becomes COMMAND, so nothing runs outside the limits for a moment.
run_in_cgroup() {
	bash -c 'echo $$ >"$0/cgroup.procs" && exec "$@"' "$cg" "$@"
}

# memory: 64 MiB asked for, 32 MiB allowed -> the OOM killer (SIGKILL).
run_in_cgroup "$probe" hog 64 >/dev/null
status=$?
check "probe hog 64 is killed by SIGKILL at memory.max=32M (exit $status)" test "$status" -eq 137
oom_kills=$(awk '$1 == "oom_kill" {print $2}' "$cg/memory.events")
check "memory.events counts the OOM kill (oom_kill ${oom_kills:-?})" test "${oom_kills:-0}" -ge 1

# pids: at most 10 processes in the cgroup, the probe itself included.
# It prints "forked N (why it stopped)".
children=$(run_in_cgroup "$probe" forkbomb 50 | awk '{print $2}')
check "forkbomb stops below pids.max=10 (${children:-?} children)" test "${children:-99}" -lt 10
pids_max_events=$(awk '$1 == "max" {print $2}' "$cg/pids.events")
check "pids.events counts the refused forks (max ${pids_max_events:-?})" test "${pids_max_events:-0}" -ge 1

# cpu: 10 ms every 100 ms -> the scheduler throttles a busy loop, which
# gets about a tenth of a CPU second in one second ("cpu SECONDS").
used=$(run_in_cgroup "$probe" spin 1 | awk '{print $2}')
throttled=$(awk '$1 == "nr_throttled" {print $2}' "$cg/cpu.stat")
check "cpu.max throttles a busy loop (nr_throttled ${throttled:-?})" test "${throttled:-0}" -ge 1
check "a busy loop gets well under 1 CPU second in 1 s (${used:-?} s)" \
	awk -v u="${used:-9}" 'BEGIN { exit !(u < 0.5) }'

# The cgroup is empty again (every process above has exited), so it goes.
check "the cgroup is removed" rmdir "$cg"

# The VM is a fair test bed: user namespaces and pivot_root work from its
# root (they would not if the guest ran chrooted inside the initramfs).
check "unshare --user maps root" test "$(unshare --user --map-root-user id -u)" = 0
check "an ordinary user can create a user namespace" test "$(setpriv --reuid=54321 \
	--regid=54321 --clear-groups unshare --user --map-root-user id -u)" = 0
check "/ is not world-writable" test "$(stat -c %a /)" = 755
check "a cgroup namespace sees itself at /" test "$(unshare --cgroup cat /proc/self/cgroup)" = "0::/"
check "veth pairs and bridges can be made (modules loaded)" unshare --net sh -ec '
	ip link add smoke0 type veth peer name smoke1
	ip link add smokebr type bridge
	ip link set smoke0 master smokebr'
# shellcheck disable=SC2016 # expanded by the inner shell
check "pivot_root works in a new mount namespace" unshare --mount --propagation private sh -ec '
	new=$(mktemp -d)
	mount -t tmpfs tmpfs "$new"
	mkdir "$new/old"
	cd "$new"
	pivot_root . old
	test -d /old/proc'

echo "smoke-v2: $failed failed"
exit "$failed"
