#!/usr/bin/env bats
# pid: COMMAND is PID 1 of its own PID namespace (step 2 on).

load helpers

# PIDs (as the host numbers them) of the live processes in PID namespace NS.
procs_in_pidns() {
	local p
	for p in /proc/[0-9]*; do
		[ "$(readlink "$p/ns/pid" 2>/dev/null)" = "$1" ] || continue
		[ "$(awk '/^State:/ {print $2}' "$p/status" 2>/dev/null)" = Z ] && continue
		echo "${p#/proc/}"
	done
}

@test "pid: COMMAND is PID 1 inside, and its parent is outside (PPID 0) ($STEP)" {
	run -0 ctr -- sh -c 'echo "pid=$$ ppid=$PPID"'
	assert_output "pid=1 ppid=0"
}

@test "pid: the host sees two levels in NSpid, the inner one 1 ($STEP)" {
	start_ctr -- sh -c 'echo ready; exec sleep 60'
	run -0 grep '^NSpid:' "/proc/$CTR_INIT/status"
	assert_output "$(printf 'NSpid:\t%s\t1' "$CTR_INIT")"
	assert_not_equal "$(ns_of "$CTR_INIT" pid)" "$(ns_of $$ pid)"
}

@test "pid: processes inside get PIDs 2, 3... of their own ($STEP)" {
	run -0 ctr -- sh -c 'sh -c "echo \$\$"; sh -c "echo \$\$"; exit 0'
	assert_line --index 0 2
	assert_line --index 1 3
}

@test "pid: PID 1 ignores SIGTERM it has no handler for, even from the host ($STEP)" {
	start_ctr -- sh -c 'echo ready; exec sleep 60'
	kill -TERM "$CTR_INIT"
	sleep 0.5
	[ -e "/proc/$CTR_INIT" ]
	kill -KILL "$CTR_INIT"
	wait_ctr
	assert_equal "$CTR_STATUS" 137
}

@test "pid: SIGKILL of PID 1 from the host leaves no process of the container ($STEP)" {
	start_ctr -- sh -c 'sleep 60 & sleep 60 & echo ready; wait'
	local ns
	ns=$(ns_of "$CTR_INIT" pid)
	[ "$(procs_in_pidns "$ns" | wc -l)" -eq 3 ]
	kill -KILL "$CTR_INIT"
	wait_ctr
	assert_equal "$CTR_STATUS" 137
	run procs_in_pidns "$ns"
	assert_output ""
}

@test "pid: each forwarded signal to the runtime reaches COMMAND's trap, and its status comes back ($STEP)" {
	local sig code=10
	for sig in INT TERM HUP QUIT USR1 USR2; do
		code=$((code + 1))
		start_ctr -- sh -c "trap 'echo trapped $sig; exit $code' $sig; echo ready; sleep 20 & wait"
		kill -"$sig" "$CTR_PID"
		wait_ctr
		assert_equal "$CTR_STATUS" "$code"
		grep -qx "trapped $sig" "$CTR_OUT"
	done
}

@test "pid: SIGKILL of the runtime takes the whole container down ($STEP)" {
	start_ctr -- sh -c 'sleep 60 & echo ready; wait'
	local ns init=$CTR_INIT
	ns=$(ns_of "$init" pid)
	kill -KILL "$CTR_PID"
	wait_gone "$init"
	run procs_in_pidns "$ns"
	assert_output ""
	next_run_cleans_up
}

# The host PID of the process numbered INNER in the container's PID namespace.
host_pid_of() {
	local ns f
	ns=$(ns_of "$CTR_INIT" pid)
	for f in /proc/[0-9]*/status; do
		[ "$(readlink "${f%/status}/ns/pid" 2>/dev/null)" = "$ns" ] || continue
		awk -v inner="$1" '/^NSpid:/ && $NF == inner { found = 1 } END { exit !found }' "$f" 2>/dev/null &&
			{ echo "${f#/proc/}" | cut -d/ -f1; return; }
	done
}

# Start a container whose COMMAND leaves an orphan that the kernel hands
# to PID 1, then becomes `sleep 60`, which reaps nothing. Sets ORPHAN to
# the orphan's host PID, after checking that it was reparented to PID 1.
start_with_orphan() {
	start_ctr "$@" -- sh -c 'sh -c "sleep 1 & echo \$! > /tmp/orphan"; echo ready; exec sleep 60'
	local inner
	inner=$(cat "/proc/$CTR_INIT/root/tmp/orphan")
	ORPHAN=$(host_pid_of "$inner")
	[ -n "$ORPHAN" ] || fail "orphan $inner not found"
	assert_equal "$(ps -o ppid= -p "$ORPHAN" | tr -d ' ')" "$CTR_INIT"
}

# Wait (up to 10 s) until PID has exited: a zombie, or gone.
wait_exited() {
	local i
	for ((i = 0; i < 200; i++)); do
		case $(ps -o stat= -p "$1") in Z* | "") return 0 ;; esac
		sleep 0.05
	done
	return 1
}

@test "pid: without --init, an orphan stays a zombie under PID 1 ($STEP)" {
	# The problem --init solves: sleep, as PID 1, never reaps the orphan.
	start_with_orphan
	wait_exited "$ORPHAN"
	sleep 0.2
	run -0 ps -o stat=,comm= -p "$ORPHAN"
	assert_output --regexp '^Z +sleep$'
}

@test "pid: --init reaps an orphan: no zombie remains ($STEP)" {
	start_with_orphan --init
	wait_exited "$ORPHAN"
	sleep 0.2
	run ps -o stat=,comm= -p "$ORPHAN"
	assert_output ""
	# COMMAND itself (sleep 60) is still alive under the init.
	run -0 ps -o stat=,comm= --ppid "$CTR_INIT"
	assert_output --regexp '^S +sleep$'
}

@test "pid: --init runs COMMAND as PID 2 and returns its status ($STEP)" {
	run -0 ctr --init -- sh -c 'echo $$'
	assert_output 2
	run -42 ctr --init -- sh -c 'exit 42'
	# Not PID 1, so COMMAND can be killed by its own SIGTERM: 128+15.
	run -143 ctr --init -- sh -c 'kill -TERM $$'
}

@test "pid: --init forwards SIGTERM and SIGINT to COMMAND ($STEP)" {
	start_ctr --init -- sh -c 'echo ready; exec sleep 60'
	kill -TERM "$CTR_PID"
	wait_ctr
	assert_equal "$CTR_STATUS" 143
	start_ctr --init -- sh -c 'echo ready; exec sleep 60'
	kill -INT "$CTR_PID"
	wait_ctr
	assert_equal "$CTR_STATUS" 130
}

@test "pid: without a mount namespace, /proc is still the host's (step 2 only) ($STEP)" {
	requires_before_step 3 "/proc is the container's own"
	# $$ is 1, but /proc/self resolves in the host's /proc to the host PID.
	run -0 ctr -- sh -c 'echo $$; readlink /proc/self'
	assert_line --index 0 1
	refute_line --index 1 1
	# ps reads /proc, so it lists the host's processes, the host's PID 1 too.
	run -0 ctr -- sh -c 'ls /proc | grep -c "^[0-9]"'
	[ "$output" -gt 5 ]
}
